/**
 * The ONE headline suggestion of a range test: which LR every surface shows, which rule gave it,
 * and a verdict when the curve gives no clear answer. Every surface (notification, panel, side view,
 * CodeLens, hover, quick fix, schedule peak, CLI, reports) reads `report.headline` of a
 * `LoadedRangeTest` (filled once where results are built or loaded, {@link withHeadline}) and writes
 * it through `core/present/headline.ts`. The rule is chosen by `bench/suggestion-quality`
 * (docs/algorithms.md, "The headline").
 */
import { nearestIndex, suggestRules, type SuggestOptions } from './suggest';
import type {
	Headline,
	HeadlinedReport,
	HeadlineRule,
	SuggestionName,
	SuggestionReport,
} from './types';
import { median } from './stats';
import { debiasedEma, smoothedAt } from './smoothing';
import { suggestionNames } from './types';

/** Spread (decades) of the rules past the flat start above which they are said not to agree. */
export const noClearValleySpreadDecades = 1.5;
/** The loss counts as having fallen once its smoothed value is this fraction below its start level. */
export const flatTolerance = 0.05;
/** The loss counts as rising once its smoothed value is this fraction above its best so far. */
export const riseTolerance = 0.1;
/** With no clear valley, the headline is this many decades below `stableUpTo`. */
export const fallbackDecades = 1;
/** A rule more than this many decades below the LR of the lowest loss misfired on the flat start. */
export const misfireDecades = 2;

/** Curve inputs the headline is computed from (a `RangeTestResult` satisfies it). */
export interface HeadlineInput {
	lrs: readonly number[];
	smoothed: readonly (number | null)[];
	/** Requested steps (fastai's numIt). */
	steps?: number;
	report: SuggestionReport;
}

/** Tuning knobs, for the bench; the defaults are the documented rule. */
export interface HeadlineOptions {
	flatTolerance?: number;
	riseTolerance?: number;
	spreadDecades?: number;
	fallbackDecades?: number;
	misfireDecades?: number;
}

const finite = (y: number | null | undefined): y is number =>
	typeof y === 'number' && Number.isFinite(y);

/** Where the curve is flat, where it falls and where it rises. Indices into the untrimmed curve. */
export interface CurveShape {
	/** fastai's leading trim, `floor(steps/10)`: the first point used. */
	start: number;
	/** One past the last finite point from `start` on. */
	end: number;
	/** The starting level: the median smoothed loss over the first quarter of `[start, end)`. */
	level: number;
	/**
	 * Last index of the flat start: before the loss first leaves `[level·(1 - flatTolerance),
	 * level·(1 + riseTolerance)]` (falls, or rises).
	 */
	flatEnd: number;
	/** Whether the loss falls `flatTolerance` below `level` before it rises. */
	descends: boolean;
	/** Last index before the loss rises `riseTolerance` above its best so far. */
	stableEnd: number;
	/** Index of the lowest smoothed loss in `[start, end)`. */
	minIndex: number;
}

/**
 * The shape of a smoothed range-test curve, or `undefined` with fewer than 4 finite points after the
 * leading trim. Only the part from fastai's trim start (`floor(steps/10)`) on is read: the first
 * points of a debiased EMA average only a few batches and are noise.
 */
export function curveShape(
	lrs: readonly number[],
	smoothed: readonly (number | null)[],
	steps: number = smoothed.length,
	opts: HeadlineOptions = {},
): CurveShape | undefined {
	const flatTol = opts.flatTolerance ?? flatTolerance;
	const riseTol = opts.riseTolerance ?? riseTolerance;
	const n = Math.min(lrs.length, smoothed.length);
	const start = Math.min(Math.floor(steps / 10), n);
	let end = start;
	while (end < n && finite(smoothed[end])) {
		end++;
	}
	if (end - start < 4) {
		return undefined;
	}
	const y = smoothed as readonly number[];
	const q = Math.max(3, Math.ceil((end - start) / 4));
	const level = median(y.slice(start, start + q));
	let best = Infinity;
	let stableEnd = start;
	for (let i = start; i < end; i++) {
		best = Math.min(best, y[i]);
		if (y[i] > best * (1 + riseTol)) {
			break;
		}
		stableEnd = i;
	}
	// The flat start ends where the loss leaves [level·(1-flatTol), level·(1+riseTol)]; it descends
	// when it first falls below that band (before it rises past its best).
	let fall = -1;
	for (let i = start; i <= stableEnd; i++) {
		if (y[i] < level * (1 - flatTol)) {
			fall = i;
			break;
		}
	}
	let flatEnd = start;
	for (let i = start; i < end; i++) {
		if (y[i] < level * (1 - flatTol) || y[i] > level * (1 + riseTol)) {
			break;
		}
		flatEnd = i;
	}
	const descends = fall >= 0;
	let minIndex = start;
	for (let i = start; i < end; i++) {
		if (y[i] < y[minIndex]) {
			minIndex = i;
		}
	}
	return {
		start,
		end,
		level,
		flatEnd,
		descends,
		stableEnd,
		minIndex,
	};
}

/**
 * The highest LR whose smoothed loss is still within `tolerance` (relative) of the best smoothed
 * loss seen up to that point — where the curve stops being "stable". Reads from the start of the
 * curve; {@link curveShape} reads from fastai's trim start instead.
 */
export function stableUpTo(
	lrs: readonly number[],
	smoothed: readonly (number | null)[],
	tolerance = riseTolerance,
): number | undefined {
	let best = Infinity;
	let last: number | undefined;
	for (let i = 0; i < lrs.length; i++) {
		const y = smoothed[i];
		if (y === null || !Number.isFinite(y)) {
			break;
		}
		best = Math.min(best, y);
		if (y > best * (1 + tolerance) + 1e-12) {
			break;
		}
		last = lrs[i];
	}
	return last;
}

/**
 * Chooses the headline from a curve and its four-rule report (docs/algorithms.md, "The headline"):
 *
 * 1. No rule answered: `noAnswer`.
 * 2. Rules more than `misfireDecades` below the LR of the lowest loss misfired on the flat start
 *    (`steep` near 1e-6, `slide` near 6e-7 when the early loss is noise) and are set aside.
 * 3. The loss never fell `flatTolerance` below its starting level before rising, or the remaining
 *    rules spread over more than `noClearValleySpreadDecades`: `noClearValley`, with the fallback
 *    LR `fallbackDecades` below `stableUpTo`.
 * 4. Otherwise `clear`: the geometric mean of `valley` and `minimum` (whichever of the two remains
 *    alone; the geometric median of the remaining rules if neither does).
 *
 * Pure and cheap; `suggest` stores the answer in `report.headline` (the engine replaces it with the
 * same rule on the mean of its repeats), and {@link withHeadline} computes it, once at load, for
 * results stored before it existed.
 */
export function chooseHeadline(input: HeadlineInput, opts: HeadlineOptions = {}): Headline {
	const { lrs, smoothed, report } = input;
	const available = suggestionNames.filter((n) => {
		const lr = report.suggestions[n]?.lr;
		return typeof lr === 'number' && lr > 0 && Number.isFinite(lr);
	});
	const spread = report.agreement.spreadDecades;
	const shape = curveShape(lrs, smoothed, input.steps ?? smoothed.length, opts);
	if (available.length === 0) {
		return { lr: null, rule: 'valley', verdict: 'noAnswer', spreadDecades: 0 };
	}
	const lrOf = (n: SuggestionName): number => report.suggestions[n]!.lr;
	if (!shape) {
		// Too short to tell flat from falling: the consensus of what answered, as it is.
		const lr = report.consensus?.lr ?? lrOf(available[0]);
		return {
			lr,
			rule: available.length === 1 ? available[0] : 'consensus',
			verdict: 'clear',
			index: nearestIndex(lrs, lr),
			spreadDecades: spread,
			rules: available,
		};
	}
	const flatUpTo = lrs[shape.flatEnd];
	const stable = lrs[shape.stableEnd];
	const cut = lrs[shape.minIndex] / Math.pow(10, opts.misfireDecades ?? misfireDecades);
	const past = available.filter((n) => lrOf(n) >= cut);
	const logs = past.map((n) => Math.log10(lrOf(n)));
	const pastSpread = logs.length ? Math.max(...logs) - Math.min(...logs) : 0;
	const maxSpread = opts.spreadDecades ?? noClearValleySpreadDecades;
	if (!shape.descends || past.length === 0 || pastSpread > maxSpread) {
		const lr = stable / Math.pow(10, opts.fallbackDecades ?? fallbackDecades);
		return {
			lr,
			rule: 'stable',
			verdict: 'noClearValley',
			index: nearestIndex(lrs, lr),
			spreadDecades: spread,
			keptSpreadDecades: pastSpread,
			flatUpTo,
			stableUpTo: stable,
			reason:
				shape.descends && past.length > 0
					? 'spread'
					: shape.flatEnd === shape.end - 1
						? 'flatToEnd'
						: 'flat',
		};
	}
	const hasValley = past.includes('valley');
	const hasMinimum = past.includes('minimum');
	let lr: number;
	let rule: HeadlineRule;
	if (hasValley && hasMinimum) {
		lr = Math.sqrt(lrOf('valley') * lrOf('minimum'));
		rule = 'valleyMinimum';
	} else if (hasValley || hasMinimum || past.length === 1) {
		rule = hasValley ? 'valley' : hasMinimum ? 'minimum' : past[0];
		lr = lrOf(rule);
	} else {
		lr = Math.pow(10, median(logs));
		rule = 'consensus';
	}
	return {
		lr,
		rule,
		verdict: 'clear',
		index: nearestIndex(lrs, lr),
		spreadDecades: spread,
		keptSpreadDecades: pastSpread,
		flatUpTo,
		stableUpTo: stable,
		rules: past,
	};
}

/**
 * The pointwise mean of repeated range tests' smoothed curves, as long as the shortest of them (the
 * repeats share one ramp, so their LRs agree step by step); a step where any repeat is non-finite
 * is `null`. Empty for no curves.
 */
export function meanCurve(
	curves: readonly { lrs: readonly number[]; smoothed: readonly (number | null)[] }[],
): {
	lrs: number[];
	smoothed: (number | null)[];
} {
	if (curves.length === 0) {
		return { lrs: [], smoothed: [] };
	}
	const n = Math.min(...curves.map((c) => Math.min(c.lrs.length, c.smoothed.length)));
	const lrs = curves[0].lrs.slice(0, n);
	const smoothed = lrs.map((_lr, i) => {
		let sum = 0;
		for (const c of curves) {
			const y = c.smoothed[i];
			if (!finite(y)) {
				return null;
			}
			sum += y;
		}
		return sum / curves.length;
	});
	return { lrs, smoothed };
}

/**
 * The headline of repeated range tests: the same rule on the mean of their smoothed curves (less
 * batch noise, so fewer misfires; docs/algorithms.md, "The headline"), with `repeats` set.
 * `undefined` when there are no curves.
 */
export function headlineOfRepeats(
	curves: readonly { lrs: readonly number[]; smoothed: readonly (number | null)[] }[],
	steps: number,
): Headline | undefined {
	if (curves.length === 0) {
		return undefined;
	}
	const mean = meanCurve(curves);
	const h = chooseHeadline({
		lrs: mean.lrs,
		smoothed: mean.smoothed,
		steps,
		report: suggest(mean.lrs, mean.smoothed, steps),
	});
	return { ...h, repeats: curves.length };
}

/**
 * All four suggestions for a range-test curve, their consensus and agreement
 * (core/suggest.ts, {@link suggestRules}), with `report.headline` set: the one LR every surface shows.
 */
export function suggest(
	lrs: readonly number[],
	losses: readonly (number | null)[],
	numIt?: number,
	opts: SuggestOptions = {},
): HeadlinedReport {
	const report = suggestRules(lrs, losses, numIt, opts);
	const headline = chooseHeadline({ lrs, smoothed: losses, steps: numIt, report });
	return Object.assign(report, { headline });
}

/**
 * The headline of a result: the stored one, or computed for results stored before headlines existed.
 * Called where results enter the program ({@link withHeadline}); every later reader takes a
 * `LoadedRangeTest` and reads `report.headline`.
 */
export function headlineOf(input: HeadlineInput): Headline {
	return input.report.headline ?? chooseHeadline(input);
}

/** A result whose `report.headline` is present: what {@link withHeadline} returns. */
export type WithHeadline<T extends HeadlineInput> = T & {
	report: T['report'] & { headline: Headline };
};

/**
 * Fills `report.headline` where a result enters the program (the results store), so every later
 * reader takes `result.report.headline` directly. The same object when the headline is already
 * there; a copy with it computed for results stored before headlines existed.
 */
export function withHeadline<T extends HeadlineInput>(result: T): WithHeadline<T> {
	if (result.report.headline) {
		return result as WithHeadline<T>;
	}
	return { ...result, report: { ...result.report, headline: headlineOf(result) } };
}

/**
 * A range test seen at smoothing `beta` (the panel's slider, a CSV's β): the stored smoothing and
 * report at the result's own β; at any other, both recomputed from the raw losses (a headline of
 * repeats from their mean curve, as the engine's, when the result holds every repeat's losses;
 * older results from the first run) — except a verified headline, which is a measurement (probes
 * on held-out data), not a reading of the curve, and stays what every other surface shows.
 */
export function atBeta(
	result: {
		lrs: readonly number[];
		losses: readonly (number | null)[];
		smoothed: readonly (number | null)[];
		beta: number;
		steps: number;
		report: HeadlinedReport;
		repeatLosses?: readonly (readonly (number | null)[])[];
	},
	beta: number,
): { smoothed: readonly (number | null)[]; report: HeadlinedReport } {
	const smoothed = smoothedAt(result, beta);
	if (smoothed === result.smoothed) {
		// The result's own β: what the engine reported.
		return { smoothed, report: result.report };
	}
	const report = suggest(result.lrs, smoothed, result.steps);
	const stored = result.report.headline;
	if (stored.verified) {
		return { smoothed, report: { ...report, headline: stored } };
	}
	// Repeats: the headline of their mean curve at this β, as the engine computes it at its own.
	const repeats = result.repeatLosses ?? [];
	const h =
		stored.repeats !== undefined && stored.repeats > 1 && repeats.length === stored.repeats - 1
			? headlineOfRepeats(
					[smoothed, ...repeats.map((l) => debiasedEma(l, beta))].map((sm) => ({
						lrs: result.lrs,
						smoothed: sm,
					})),
					result.steps,
				)
			: undefined;
	return { smoothed, report: h ? { ...report, headline: h } : report };
}
