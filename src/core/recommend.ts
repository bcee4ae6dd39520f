/**
 * Schedule recommender: turns a range-test result and a training length into one concrete schedule
 * with a one-line reason. The peak is the range test's headline LR (core/headline.ts) — the LR every
 * surface calls "suggested" — capped at a tenth of the LR where the loss diverged (the reason says
 * so when the cap applies). The shape (docs/algorithms.md, "Recommender") is deliberately simple and
 * conservative: one-cycle (PyTorch OneCycleLR defaults) when the curve is clear, long enough and the
 * rules agree; otherwise cosine decay with a linear warmup.
 */
import type { LoadedRangeTest } from './types';
import { formatDecades, formatLr } from './present/format';
import { headlineText } from './present/headline';
import { parseScheduleSpec } from './schedules/parseSpec';
import type { ScheduleSpec } from './schedules/spec';

/** What the recommender reads from a range test. */
export type RecommendInput = Pick<LoadedRangeTest, 'report' | 'lrs' | 'smoothed' | 'stopReason'>;

/** Options for {@link recommendSchedule}. */
export interface RecommendOptions {
	/** Number of optimizer steps (batches) the training will run. */
	totalSteps: number;
	/** The divergence factor of the range test's stop rule. Default 4 (fastai). */
	divergenceFactor?: number;
}

/** A recommended schedule and why. */
export interface Recommendation {
	spec: ScheduleSpec;
	/** One line, e.g. "one-cycle up to 3e-3 (the valley suggestion); 4/4 suggestions agree within 0.5 decade". */
	reason: string;
}

/** Fewest finite smoothed points for the curve to count as long enough to trust one-cycle. */
export const minFinitePoints = 20;
/** Fewest training steps for a warmup / one-cycle shape; below it, plain cosine decay. */
export const minShapedSteps = 10;
/** Peak LR when the curve gave no suggestion at all: tfjs's `tf.train.adam` default. */
export const fallbackLr = 1e-3;

/**
 * The LR at which the range test diverged: the last recorded LR when it stopped on divergence or a
 * non-finite loss, else the first LR whose smoothed loss is non-finite or exceeds `k ×` the best so
 * far, else null. A curve without a single finite point gives null.
 */
export function divergenceLr(r: RecommendInput, k = 4): number | null {
	const n = r.lrs.length;
	// A loss that is never finite says nothing about the LR (the model, data or loss is broken).
	if (n === 0 || !r.smoothed.some((x) => x !== null && Number.isFinite(x))) {
		return null;
	}
	if (r.stopReason === 'diverged' || r.stopReason === 'nonFinite') {
		return r.lrs[n - 1];
	}
	let best = Infinity;
	for (let i = 0; i < n; i++) {
		const s = r.smoothed[i];
		if (s === null || !Number.isFinite(s)) {
			return r.lrs[i];
		}
		if (s > k * best && best > 0) {
			return r.lrs[i];
		}
		best = Math.min(best, s);
	}
	return null;
}

/** Proposes a schedule for `totalSteps` steps of training from a range-test result. Throws only on a bad `totalSteps`. */
export function recommendSchedule(r: RecommendInput, opts: RecommendOptions): Recommendation {
	const T = opts.totalSteps;
	if (!Number.isInteger(T) || T < 1) {
		throw new Error(`totalSteps must be an integer ≥ 1, got ${String(T)}`);
	}
	const rep = r.report;
	const finite = r.smoothed.filter((x) => x !== null && Number.isFinite(x)).length;
	const div = divergenceLr(r, opts.divergenceFactor ?? 4);
	const cap = div === null ? Infinity : div / 10;
	const capNote = (lr: number, raw: number): string =>
		lr < raw ? `, capped at 1/10 of the divergence LR ${formatLr(div as number)}` : '';
	const available = Object.values(rep.suggestions)
		.map((s) => s?.lr)
		.filter((x): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x));

	if (available.length === 0) {
		const peak = Math.min(fallbackLr, cap);
		const next =
			finite === 0
				? 'the loss was never finite: check the model, data and loss'
				: 'rerun the range test with more steps';
		return {
			spec: cosineWarmup(peak, T),
			reason: `the curve gave no suggestion (${finite} finite points): cosine with warmup to ${formatLr(peak)}, a safe default${capNote(peak, fallbackLr)}; ${next}`,
		};
	}

	const head = r.report.headline;
	const base = head.lr ?? available[0];
	// The peak is the headline LR; when the divergence cap lowers it, the reason says so.
	const peakText = (peak: number): string =>
		peak < base
			? `${formatLr(peak)} (the suggested LR ${headlineText(head)}, capped at 1/10 of the divergence LR ${formatLr(div as number)})`
			: `the suggested LR ${headlineText(head)}`;
	const { agreeing, of, spreadDecades } = rep.agreement;
	const stable =
		head.verdict === 'clear' && of >= 3 && agreeing >= of - 1 && finite >= minFinitePoints;
	if (stable && T >= minShapedSteps) {
		const maxLr = Math.min(base, cap);
		return {
			spec: parseScheduleSpec({ kind: 'oneCycle', maxLr, totalSteps: T }),
			reason: `one-cycle up to ${peakText(maxLr)}; ${agreeing}/${of} suggestions agree within ${rep.agreement.toleranceDecades} decade`,
		};
	}
	const peak = Math.min(base, cap);
	const why =
		finite < minFinitePoints
			? `the curve is short (${finite} finite points)`
			: T < minShapedSteps
				? `training is short (${T} steps)`
				: head.verdict === 'noClearValley'
					? 'the curve has no clear valley'
					: `the suggestions disagree (${agreeing}/${of} within ${rep.agreement.toleranceDecades} decade, spread ${formatDecades(spreadDecades, 1)})`;
	return {
		spec: cosineWarmup(peak, T),
		reason: `cosine${T >= minShapedSteps ? ' with warmup' : ''} to ${peakText(peak)}, because ${why}`,
	};
}

/** Keras CosineDecay from peak/25 with a 10% linear warmup (none when training is very short). */
function cosineWarmup(peak: number, T: number): ScheduleSpec {
	if (T < minShapedSteps) {
		return parseScheduleSpec({ kind: 'cosine', initialLearningRate: peak, decaySteps: T });
	}
	const warmupSteps = Math.max(1, Math.round(0.1 * T));
	return parseScheduleSpec({
		kind: 'cosine',
		// Start at peak/25 (OneCycleLR's div_factor) rather than 0 so the first steps still train.
		initialLearningRate: peak / 25,
		warmupTarget: peak,
		warmupSteps,
		decaySteps: T - warmupSteps,
		alpha: 0,
	});
}
