/**
 * The sweep tab's view-model: one training and one validation curve per LR, and the table rows.
 */
import type { SweepResult } from '../../src/core/types';
import { formatLoss, formatLr } from '../../src/core/present/format';
import type { Y } from './series';
import { finiteOrNull } from './series';

/** Per-LR curves of a sweep: x = epoch (1-based), one training and one validation series per LR. */
export interface SweepViewModel {
	epochs: number[];
	curves: { lr: number; label: string; loss: Y[]; val: Y[] | null; best: boolean }[];
	rows: { lr: string; finalLoss: string; finalValLoss: string; best: boolean }[];
}

/** Builds the sweep chart/table view-model. */
export function buildSweepViewModel(sweep: SweepResult): SweepViewModel {
	const epochs = Math.max(0, ...sweep.results.map((r) => r.curve.length));
	const pad = (ys: readonly Y[]): Y[] =>
		Array.from({ length: epochs }, (_v, i) => finiteOrNull(ys[i] ?? null));
	const bestLr = sweep.best?.lr;
	const runs = [...sweep.results].sort((a, b) => a.lr - b.lr);
	return {
		epochs: Array.from({ length: epochs }, (_v, i) => i + 1),
		curves: runs.map((r) => ({
			lr: r.lr,
			label: `LR ${formatLr(r.lr)}`,
			loss: pad(r.curve),
			val: r.valCurve ? pad(r.valCurve) : null,
			best: r.lr === bestLr,
		})),
		rows: runs.map((r) => ({
			lr: formatLr(r.lr),
			finalLoss: formatLoss(r.finalLoss),
			finalValLoss: formatLoss(r.finalValLoss),
			best: r.lr === bestLr,
		})),
	};
}
