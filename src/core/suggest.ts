/**
 * LR suggestions from a range-test curve: fastai's `valley`, `slide`, `minimum` and `steep`
 * (fastai/callback/schedule.py, reproduced exactly: same trim, same NaN cut, same loops), plus a
 * consensus and an agreement measure that fastai does not have. See docs/algorithms.md.
 */
import type { Suggestion, SuggestionName, SuggestionReport, SuggestionSpread } from './types';
import { suggestionNames } from './types';

/** Default half-width, in decades of LR, within which a suggestion "agrees" with the consensus. */
export const defaultToleranceDecades = 0.5;

/** fastai's `slide` defaults. */
const slideDefaults = { lrDiff: 15, thresh: 0.005, adjustValue: 1 };

/** Options for {@link suggestRules} and `suggest` (core/headline.ts). */
export interface SuggestOptions {
	/** Agreement half-width in decades (log10 units). Default 0.5. */
	toleranceDecades?: number;
}

/** A suggestion from one rule on the trimmed curve: LR and index into the trimmed arrays. */
interface RawPick {
	lr: number;
	index: number;
}

/**
 * numpy/torch `argmin`: the first minimum, except that a NaN counts as the minimum (both libraries
 * return the first NaN's index), so we agree with fastai even on degenerate input.
 */
function argmin(xs: readonly number[]): number {
	let best = 0;
	for (let i = 0; i < xs.length; i++) {
		if (Number.isNaN(xs[i])) {
			return i;
		}
		if (xs[i] < xs[best]) {
			best = i;
		}
	}
	return best;
}

/** `numpy.gradient` with unit spacing and edge_order 1 (needs ≥ 2 points). */
export function npGradient(f: readonly number[]): number[] {
	const n = f.length;
	const g = new Array<number>(n);
	for (let i = 1; i < n - 1; i++) {
		g[i] = (f[i + 1] - f[i - 1]) / 2;
	}
	g[0] = f[1] - f[0];
	g[n - 1] = f[n - 1] - f[n - 2];
	return g;
}

/**
 * fastai `valley`, written as fastai's O(n²) loop. Kept as the executable definition: the tests
 * check {@link valleyPick} against it on many curves.
 */
export function valleyPickQuadratic(
	lrs: readonly number[],
	losses: readonly number[],
): RawPick | null {
	const n = losses.length;
	if (n < 1) {
		return null;
	}
	let maxStart = 0;
	let maxEnd = 0;
	const lds = new Array<number>(n).fill(1);
	for (let i = 1; i < n; i++) {
		for (let j = 0; j < i; j++) {
			if (losses[i] < losses[j] && lds[i] < lds[j] + 1) {
				lds[i] = lds[j] + 1;
			}
			// Inside the inner loop on purpose: fastai updates max_end/max_start here.
			if (lds[maxEnd] < lds[i]) {
				maxEnd = i;
				maxStart = maxEnd - lds[maxEnd];
			}
		}
	}
	return valleyIndex(lrs, n, maxStart, maxEnd);
}

/**
 * fastai `valley`: two thirds of the way down the longest strictly decreasing run. Needs ≥ 1 point.
 * Same result as fastai's O(n²) loop in O(n log n), so a huge curve cannot hang the CLI. Why it is
 * the same: fastai moves `max_end` to `i` the first time `lds[i]` exceeds the best so far `M`, and
 * since every earlier `lds[j] ≤ M` that happens exactly when `lds[i]` reaches its final value
 * `M + 1`; so `max_end` is the first index of each new record and `max_start = max_end - lds`.
 */
export function valleyPick(lrs: readonly number[], losses: readonly number[]): RawPick | null {
	const n = losses.length;
	if (n < 1) {
		return null;
	}
	// Patience sorting on -loss: tails[k] = smallest -loss ending a decreasing run of length k+1.
	const tails: number[] = [];
	let best = 0;
	let maxStart = 0;
	let maxEnd = 0;
	for (let i = 0; i < n; i++) {
		const x = -losses[i];
		let lo = 0;
		let hi = tails.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (tails[mid] < x) {
				lo = mid + 1;
			} else {
				hi = mid;
			}
		}
		tails[lo] = x;
		const lds = lo + 1;
		if (lds > best) {
			best = lds;
			if (i > 0) {
				maxEnd = i;
				maxStart = i - lds;
			}
		}
	}
	return valleyIndex(lrs, n, maxStart, maxEnd);
}

function valleyIndex(lrs: readonly number[], n: number, maxStart: number, maxEnd: number): RawPick {
	const sections = (maxEnd - maxStart) / 3;
	let idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
	// maxStart is one before the run, so it is -1 for a run starting at 0 and idx can be -1: fastai's
	// `lrs[-1]` then reads the *last* LR (Python indexing). We read the same element.
	if (idx < 0) {
		idx += n;
	}
	return { lr: lrs[idx], index: idx };
}

/**
 * fastai `slide`: walk a window of `lrDiff` points leftwards from the end until the gradient at both
 * ends is within `thresh`. fastai indexes `lrs[-16]` up front, so it needs ≥ lrDiff + 1 points.
 */
export function slidePick(
	lrs: readonly number[],
	losses: readonly number[],
	lrDiff = slideDefaults.lrDiff,
	thresh = slideDefaults.thresh,
	adjustValue = slideDefaults.adjustValue,
): RawPick | null {
	const n = losses.length;
	if (n < lrDiff + 1 || n < 2) {
		return null;
	}
	const g = npGradient(losses);
	let r = n - 1;
	let l = r - lrDiff;
	let pick = l;
	while (l >= 0 && Math.abs(g[r] - g[l]) > thresh) {
		pick = l;
		r -= 1;
		l -= 1;
	}
	return { lr: lrs[pick] * adjustValue, index: pick };
}

/** fastai `minimum`: a tenth of the LR at the lowest loss. `index` is the lowest loss's index. */
export function minimumPick(lrs: readonly number[], losses: readonly number[]): RawPick | null {
	if (losses.length < 1) {
		return null;
	}
	const i = argmin(losses);
	return { lr: lrs[i] / 10, index: i };
}

/** fastai `steep`: the LR where the loss falls fastest against ln(LR). Needs ≥ 2 points. */
export function steepPick(lrs: readonly number[], losses: readonly number[]): RawPick | null {
	const n = losses.length;
	if (n < 2) {
		return null;
	}
	const grads = new Array<number>(n - 1);
	for (let i = 0; i < n - 1; i++) {
		grads[i] = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
	}
	const i = argmin(grads);
	return { lr: lrs[i], index: i };
}

/**
 * fastai's trim: keep `[floor(numIt/10), n-5)` with Python slice semantics, then cut at the first
 * non-finite loss. Returns the kept range as `[start, end)` into the untrimmed arrays.
 */
export function trimRange(
	losses: readonly (number | null)[],
	numIt: number = losses.length,
): [number, number] {
	const n = losses.length;
	const start = Math.min(Math.floor(numIt / 10), n);
	let end = Math.max(n - 5, 0);
	if (end < start) {
		return [start, start];
	}
	for (let i = start; i < end; i++) {
		const x = losses[i];
		// fastai cuts at the first NaN; we cut at any non-finite value (null, NaN, ±Inf), because our
		// curves carry all of them as `null` and an infinite loss is no better a place to suggest.
		if (x === null || !Number.isFinite(x)) {
			end = i;
			break;
		}
	}
	return [start, end];
}

/** Consensus (1-D geometric median in log space) and agreement of a set of suggested LRs. */
export function consensusOf(
	lrsSuggested: readonly number[],
	toleranceDecades: number = defaultToleranceDecades,
): { lr: number | null; agreeing: number; of: number; spreadDecades: number } {
	const logs = lrsSuggested.filter((x) => x > 0 && Number.isFinite(x)).map(Math.log10);
	logs.sort((a, b) => a - b);
	const m = logs.length;
	if (m === 0) {
		return { lr: null, agreeing: 0, of: 0, spreadDecades: 0 };
	}
	// The geometric median of points on a line is their median; with an even count every point
	// between the two middle ones is a median, and we take the midpoint (their geometric mean).
	const mid = m % 2 === 1 ? logs[(m - 1) / 2] : (logs[m / 2 - 1] + logs[m / 2]) / 2;
	// A hair of slack so that "exactly half a decade away" is not lost to rounding in log10.
	const agreeing = logs.filter((x) => Math.abs(x - mid) <= toleranceDecades + 1e-12).length;
	return { lr: Math.pow(10, mid), agreeing, of: m, spreadDecades: logs[m - 1] - logs[0] };
}

/** Index of the curve LR closest to `lr` in log distance (the chart marker of an LR). */
export function nearestIndex(lrs: readonly number[], lr: number): number | undefined {
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
 * All four suggestions for a range-test curve, their consensus and agreement.
 * `losses` are the *smoothed* losses (`null` = non-finite); `numIt` is the requested number of steps
 * (default: the number recorded), which sets fastai's leading trim. Never throws on short, flat or
 * all-NaN curves: a rule without enough points gives `null`. Leaves `report.headline` unset:
 * `suggest` in core/headline.ts sets it (the four rules above stay exactly fastai's).
 */
export function suggestRules(
	lrs: readonly number[],
	losses: readonly (number | null)[],
	numIt?: number,
	opts: SuggestOptions = {},
): SuggestionReport {
	if (lrs.length !== losses.length) {
		throw new Error(
			`lrs and losses must have the same length, got ${lrs.length} and ${losses.length}`,
		);
	}
	const tol = opts.toleranceDecades ?? defaultToleranceDecades;
	const [start, end] = trimRange(losses, numIt ?? losses.length);
	const l = lrs.slice(start, end);
	const y = losses.slice(start, end) as number[];
	const picks: Record<SuggestionName, RawPick | null> = {
		valley: valleyPick(l, y),
		slide: slidePick(l, y),
		minimum: minimumPick(l, y),
		steep: steepPick(l, y),
	};
	const suggestions = {} as Record<SuggestionName, Suggestion | null>;
	for (const name of suggestionNames) {
		const p = picks[name];
		suggestions[name] = p ? { lr: p.lr, index: p.index + start } : null;
	}
	const available = suggestionNames
		.map((n) => suggestions[n]?.lr)
		.filter((x): x is number => x !== undefined);
	const c = consensusOf(available, tol);
	const consensus: Suggestion | null = c.lr === null ? null : { lr: c.lr };
	if (consensus && c.lr !== null) {
		const idx = nearestIndex(lrs, c.lr);
		if (idx !== undefined) {
			consensus.index = idx;
		}
	}
	const report: SuggestionReport = {
		suggestions,
		consensus,
		agreement: {
			agreeing: c.agreeing,
			of: c.of,
			toleranceDecades: tol,
			spreadDecades: c.spreadDecades,
		},
	};
	return report;
}

/** Each suggestion's range and geometric mean across repeated runs (`null` where no run had it). */
export function suggestionSpread(reports: readonly SuggestionReport[]): SuggestionSpread {
	const per = {} as SuggestionSpread['per'];
	const names: (SuggestionName | 'consensus')[] = [...suggestionNames, 'consensus'];
	for (const name of names) {
		const xs = reports
			.map((r) => (name === 'consensus' ? r.consensus : r.suggestions[name])?.lr)
			.filter((x): x is number => typeof x === 'number' && x > 0 && Number.isFinite(x));
		if (xs.length === 0) {
			per[name] = null;
			continue;
		}
		const min = Math.min(...xs);
		const max = Math.max(...xs);
		const meanLog = xs.reduce((s, x) => s + Math.log10(x), 0) / xs.length;
		per[name] = {
			min,
			max,
			geoMean: Math.pow(10, meanLog),
			spreadDecades: Math.log10(max) - Math.log10(min),
		};
	}
	return { runs: reports.length, per };
}
