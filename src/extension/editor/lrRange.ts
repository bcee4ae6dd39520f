/** What a range test says about LRs in code: the range that trains, and the LRs a quick fix offers. */
import { formatLr, lrLiteral } from '../../core/present/format';
import { headlineText } from '../../core/present/headline';
import { divergenceLr } from '../../core/recommend';
import type { LoadedRangeTest, SuggestionName } from '../../core/types';
import { suggestionNames } from '../../core/types';

/** LRs that train in a range test: from where the loss starts falling to where it is lowest. */
export interface UsefulRange {
	/** First LR at which the smoothed loss has fallen 10% of the way from its start to its minimum. */
	low: number;
	/** LR of the minimum smoothed loss (before divergence). */
	high: number;
	/** LR where the test diverged (recommend.ts `divergenceLr`), or null. */
	divergence: number | null;
}

/** Fewest finite smoothed points before the editor judges an LR (a shorter curve says too little). */
export const minPointsToJudge = 8;
/** "Far below": this many times below `UsefulRange.low`. */
export const farBelowFactor = 10;

/** The useful range of a curve, or undefined when it is too short to judge. */
export function usefulRange(r: LoadedRangeTest): UsefulRange | undefined {
	const divergence = divergenceLr(r);
	let first: number | undefined;
	let minV = Infinity;
	let minI = -1;
	let finite = 0;
	for (let i = 0; i < r.lrs.length; i++) {
		const s = r.smoothed[i];
		if (divergence !== null && r.lrs[i] >= divergence) {
			break;
		}
		if (s === null || !Number.isFinite(s) || !(r.lrs[i] > 0)) {
			continue;
		}
		finite++;
		first ??= s;
		if (s < minV) {
			minV = s;
			minI = i;
		}
	}
	if (finite < minPointsToJudge || first === undefined || minI < 0) {
		return undefined;
	}
	const threshold = first - 0.1 * (first - minV);
	let low = r.lrs[minI];
	for (let i = 0; i <= minI; i++) {
		const s = r.smoothed[i];
		if (s !== null && Number.isFinite(s) && s <= threshold && r.lrs[i] > 0) {
			low = r.lrs[i];
			break;
		}
	}
	return { low, high: r.lrs[minI], divergence };
}

/** One LR offered as a value: the headline first, then the rules that say something else. */
export interface OfferedLr {
	name: 'headline' | SuggestionName;
	lr: number;
	/** How the offer is written: the headline's `headlineText`, else "1e-2 (steep rule)". */
	text: string;
}

/**
 * The LRs the quick fixes offer, in order: the headline (core/headline.ts, the preferred fix), then
 * each rule whose literal differs from the headline's. Nothing when the curve gave no headline.
 */
export function offeredLrs(r: LoadedRangeTest): OfferedLr[] {
	const h = r.report.headline;
	if (h.lr === null || !(h.lr > 0)) {
		return [];
	}
	const out: OfferedLr[] = [{ name: 'headline', lr: h.lr, text: headlineText(h) }];
	for (const name of suggestionNames) {
		const s = r.report.suggestions[name];
		if (s && s.lr > 0 && !out.some((o) => lrLiteral(o.lr) === lrLiteral(s.lr))) {
			out.push({ name, lr: s.lr, text: `${formatLr(s.lr)} (${name} rule)` });
		}
	}
	return out;
}
