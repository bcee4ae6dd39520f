/**
 * How often monitor mode samples the layers (issues 15, 20): k steps between samples, adapted so a
 * sample's measured cost stays within the overhead budget of the measured step time, without ever
 * starving the detectors.
 */

/** Bounds of k: sample at least every 1000 steps so a long run still gets a picture. */
const maxEvery = 1000;

/**
 * k for a sample cost and a step time (ms): the smallest k with cost ≤ budget × k × step, within
 * [1, 1000]; 2 until both have been measured.
 */
export function everyForBudget(
	costMs: number | undefined,
	stepMs: number | undefined,
	budget: number,
): number {
	if (costMs === undefined || stepMs === undefined) {
		return 2;
	}
	return Math.min(maxEvery, Math.max(1, Math.ceil(costMs / (budget * stepMs))));
}
/**
 * The next k (issue 20): the budget's k for the median of the last few sample costs (one slow sample
 * — a GC pause, a busy machine — must not set it), at most twice the previous k, and at most 1/8 of
 * the steps so far, so that a detector needing a few samples is never starved early in a run (one
 * noisy cost once pushed k from 2 to 124, and a finding due at step ~10 came at step 80).
 */
export function nextEvery(
	prev: number,
	costs: readonly number[],
	stepMs: number | undefined,
	budget: number,
	step: number,
): number {
	if (costs.length === 0) {
		return everyForBudget(undefined, stepMs, budget);
	}
	const sorted = [...costs].sort((a, b) => a - b);
	const cost = sorted[Math.floor(sorted.length / 2)];
	const k = everyForBudget(cost, stepMs, budget);
	return Math.max(1, Math.min(k, 2 * prev, Math.max(2, Math.floor(step / 8))));
}

/** Sample costs the median of `nextEvery` looks at. */
export const costWindow = 5;
