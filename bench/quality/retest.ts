/**
 * How noisy is the truth (issue 19, `LRSCOPE_QUALITY_RETEST=1`): on runs whose truth was measured a
 * second time with other folds and batch order (recordRetest.ts), how often the best grid LR of one
 * measurement is within 10% / 25% of the other's best — what even a perfect suggestion scores
 * against a single measured truth — and the shipped policy's answer scored on both.
 */
import { lrKey, type RunRecord } from './measure';
import { type Policy, score } from './policies';

export interface RetestRow {
	name: string;
	runs: number;
	within10: number;
	within25: number;
	worst: number;
}

/** `lr`'s held-out loss ÷ the grid's best, on the retest. */
function retestRatio(rec: RunRecord, lr: number | null): number {
	const t = lr === null ? null : rec.retest!.truth[lrKey(lr)];
	return t === null || t === undefined ? Infinity : t / rec.retest!.bestGridLoss;
}

/** The grid LR with the lowest loss in `truth` (keys of `grid`). */
function bestOf(truth: Record<string, number | null>, grid: readonly number[]): number {
	return grid.reduce((a, b) =>
		(truth[lrKey(b)] ?? Infinity) < (truth[lrKey(a)] ?? Infinity) ? b : a,
	);
}

function row(name: string, ratios: number[]): RetestRow {
	return {
		name,
		runs: ratios.length,
		within10: ratios.filter((r) => r <= 1.1).length,
		within25: ratios.filter((r) => r <= 1.25).length,
		worst: Math.max(...ratios),
	};
}

/** The rows over the runs of `recs` that have a retest. */
export function retestRows(
	recs: readonly RunRecord[],
	grid: readonly number[],
	policy: Policy,
): RetestRow[] {
	const rs = recs.filter((r) => r.retest);
	const firstBestOnRetest = rs.map((r) => retestRatio(r, bestOf(r.truth, grid)));
	const retestBestOnFirst = rs.map((r) => {
		const lr = bestOf(r.retest!.truth, grid);
		return (r.truth[lrKey(lr)] ?? Infinity) / r.bestGridLoss;
	});
	const shipped = rs.map((r) => score(r, policy));
	return [
		row("the first truth's best grid LR, on the retest", firstBestOnRetest),
		row("the retest's best grid LR, on the first truth", retestBestOnFirst),
		row(
			`${policy.name}, on the first truth`,
			shipped.map((o) => o.ratio),
		),
		row(
			`${policy.name}, on the retest`,
			rs.map((r, i) => retestRatio(r, shipped[i].lr)),
		),
	];
}
