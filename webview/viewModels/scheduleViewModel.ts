/**
 * The schedule designer's view-model: a default spec per kind and the LR-vs-step preview.
 */
import type { ScheduleKind, ScheduleSpec } from '../../src/core/schedules/spec';
import { parseScheduleSpec } from '../../src/core/schedules/parseSpec';
import { scheduleLrs } from '../../src/core/schedules/scheduleLr';
import { decimationIndices, maxDrawPoints } from '../../src/core/present/decimate';
import type { Y } from './series';
import { finiteOrNull } from './series';

/** Pre-fills a schedule of `kind` around `lr` over `totalSteps` steps (the designer's starting point). */
export function defaultScheduleSpec(
	kind: ScheduleKind,
	lr: number,
	totalSteps: number,
): ScheduleSpec {
	const n = Math.max(10, Math.round(totalSteps));
	const r = (v: number): number => Math.max(1, Math.round(v));
	const raw: Record<ScheduleKind, Record<string, unknown>> = {
		constant: { lr },
		step: { initialLearningRate: lr, stepSize: r(n / 3), gamma: 0.1 },
		exponential: { initialLearningRate: lr, decaySteps: n, decayRate: 0.1 },
		piecewise: { boundaries: [r(n * 0.5), r(n * 0.75)], values: [lr, lr / 10, lr / 100] },
		polynomial: { initialLearningRate: lr, decaySteps: n, endLearningRate: lr / 100 },
		cosine: { initialLearningRate: lr, decaySteps: n },
		cosineRestarts: { initialLearningRate: lr, firstDecaySteps: r(n / 4) },
		oneCycle: { maxLr: lr, totalSteps: n },
		reduceOnPlateau: { initialLearningRate: lr },
	};
	return parseScheduleSpec({ kind, ...raw[kind] });
}

/** The LR-vs-step preview of a schedule, decimated for drawing. */
export function buildSchedulePreview(
	spec: ScheduleSpec,
	totalSteps: number,
): { x: number[]; lr: Y[] } {
	const n = Math.max(1, Math.min(1_000_000, Math.round(totalSteps)));
	const lrs = scheduleLrs(spec, n);
	const keep = decimationIndices(n, maxDrawPoints, [lrs]);
	return { x: keep.map((i) => i), lr: keep.map((i) => finiteOrNull(lrs[i])) };
}
