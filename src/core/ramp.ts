/**
 * LR ramps for the range test (docs/algorithms.md, "Ramps"): step `i` of `n`, 0-based, exponential
 * `start·(end/start)^(i/(n-1))` or linear `start + (end-start)·i/(n-1)`. Defaults follow fastai.
 */
import type { RampKind } from './types';

/** fastai's `lr_find` defaults. */
export const defaultRamp = { start: 1e-7, end: 10, steps: 100, kind: 'exp' as RampKind };

function checkRamp(n: number, start: number, end: number, kind: RampKind): void {
	if (!Number.isInteger(n) || n < 1) {
		throw new Error(`ramp steps must be an integer ≥ 1, got ${String(n)}`);
	}
	if (!Number.isFinite(start) || !Number.isFinite(end)) {
		throw new Error(
			`ramp start and end must be finite numbers, got ${String(start)} and ${String(end)}`,
		);
	}
	if (kind === 'exp' && !(start > 0 && end > 0)) {
		throw new Error(`an exponential ramp needs start > 0 and end > 0, got ${start} and ${end}`);
	}
	if (kind !== 'exp' && kind !== 'linear') {
		throw new Error(`ramp kind must be "exp" or "linear", got "${String(kind)}"`);
	}
}

/** The LR at step `i` (0-based) of an `n`-step ramp from `start` to `end`. With `n = 1` it is `start`. */
export function rampLr(
	i: number,
	n: number,
	start: number,
	end: number,
	kind: RampKind = 'exp',
): number {
	checkRamp(n, start, end, kind);
	// n = 1 would divide 0 by 0; a one-step ramp sits at its start.
	const frac = n === 1 ? 0 : i / (n - 1);
	return kind === 'exp' ? start * Math.pow(end / start, frac) : start + (end - start) * frac;
}

/** All `n` LRs of a ramp. */
export function rampLrs(n: number, start: number, end: number, kind: RampKind = 'exp'): number[] {
	checkRamp(n, start, end, kind);
	const out = new Array<number>(n);
	for (let i = 0; i < n; i++) {
		out[i] = rampLr(i, n, start, end, kind);
	}
	return out;
}
