/**
 * The ONE headline suggestion of a range test: which LR every surface shows, which rule gave it,
 * and a verdict when the curve gives no clear answer. Every surface (notification, panel, side view,
 * CodeLens, hover, quick fix, schedule peak, CLI, reports) reads it through {@link headlineOf} and
 * writes it through `core/present/headline.ts`. The rule is chosen by `bench/suggestion-quality`
 * (docs/algorithms.md, "The headline").
 */
import type { SuggestionName, SuggestionReport } from './types';
import { suggestionNames } from './types';

/** Which rule produced the headline LR. `stable` is the fallback when the curve has no clear descent. */
export type HeadlineRule = SuggestionName | 'consensus' | 'stable';

/**
 * `clear`: the curve descends and the headline is its rule's answer.
 * `noClearValley`: no clear descent (flat then rising, rules spread widely, a trained model); the
 *   headline is the documented fallback and the verdict fields say why.
 * `noAnswer`: too few finite points for any rule.
 */
export type HeadlineVerdict = 'clear' | 'noClearValley' | 'noAnswer';

/** The headline suggestion. Numbers only: words come from `core/present/headline.ts`. */
export interface Headline {
	/** The LR to show and to act on; `null` only with verdict `noAnswer`. */
	lr: number | null;
	rule: HeadlineRule;
	verdict: HeadlineVerdict;
	/** Index into the (untrimmed) curve nearest the headline LR, for the chart marker. */
	index?: number;
	/** Spread of the available fastai rules, in decades (log10). */
	spreadDecades: number;
	/** With `noClearValley`: the loss is flat (no real descent) up to this LR. */
	flatUpTo?: number;
	/** The highest LR at which the smoothed loss is still near its best (before it rises). */
	stableUpTo?: number;
}

/** Spread (decades) above which the four rules are said not to agree on anything. */
export const noClearValleySpreadDecades = 1.5;

/** Curve inputs the headline is computed from (a `RangeTestResult` satisfies it). */
export interface HeadlineInput {
	lrs: readonly number[];
	smoothed: readonly (number | null)[];
	/** Requested steps (fastai's numIt). */
	steps?: number;
	report: SuggestionReport;
}

function nearestIndex(lrs: readonly number[], lr: number): number | undefined {
	let best: number | undefined;
	let bestD = Infinity;
	for (let i = 0; i < lrs.length; i++) {
		const d = Math.abs(Math.log(lrs[i]) - Math.log(lr));
		if (d < bestD) {
			bestD = d;
			best = i;
		}
	}
	return best;
}

/**
 * The highest LR whose smoothed loss is still within `tolerance` (relative) of the best smoothed
 * loss seen up to that point — where the curve stops being "stable".
 */
export function stableUpTo(
	lrs: readonly number[],
	smoothed: readonly (number | null)[],
	tolerance = 0.1,
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
 * Chooses the headline from a curve and its four-rule report. Pure and cheap; the engine stores the
 * answer in `report.headline`, and {@link headlineOf} recomputes it for results stored before it existed.
 */
export function chooseHeadline(input: HeadlineInput): Headline {
	const { lrs, smoothed, report } = input;
	const available = suggestionNames
		.map((n) => report.suggestions[n]?.lr)
		.filter((x): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x));
	const spread = report.agreement.spreadDecades;
	if (available.length === 0) {
		return { lr: null, rule: 'valley', verdict: 'noAnswer', spreadDecades: 0 };
	}
	const stable = stableUpTo(lrs, smoothed);
	if (spread > noClearValleySpreadDecades) {
		// No clear descent: the fallback is a decade under where the loss stops being stable.
		const lr = stable !== undefined ? stable / 10 : (report.consensus?.lr ?? available[0]);
		return {
			lr,
			rule: 'stable',
			verdict: 'noClearValley',
			index: nearestIndex(lrs, lr),
			spreadDecades: spread,
			flatUpTo: stable,
			stableUpTo: stable,
		};
	}
	const valley = report.suggestions.valley;
	if (valley) {
		return {
			lr: valley.lr,
			rule: 'valley',
			verdict: 'clear',
			index: valley.index ?? nearestIndex(lrs, valley.lr),
			spreadDecades: spread,
			stableUpTo: stable,
		};
	}
	const lr = report.consensus?.lr ?? available[0];
	return {
		lr,
		rule: 'consensus',
		verdict: 'clear',
		index: nearestIndex(lrs, lr),
		spreadDecades: spread,
		stableUpTo: stable,
	};
}

/** The headline of a result: the stored one, or computed for results stored before headlines existed. */
export function headlineOf(input: HeadlineInput): Headline {
	return input.report.headline ?? chooseHeadline(input);
}
