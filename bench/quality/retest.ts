/**
 * How noisy is the truth (issue 19, `LRSCOPE_QUALITY_RETEST=1`): on runs whose truth was measured a
 * second time with other folds and batch order (recordRetest.ts), how often the best grid LR of one
 * measurement is within 10% / 25% of the other's best — what even a perfect suggestion scores
 * against a single measured truth — and the shipped policy's answer scored on both.
 */
import { lrKey, type RunRecord, truthRatio } from './measure';
import { type Policy, score } from './policies';
import { type RatioRow, ratioRow } from './summary';

/** `lr`'s held-out loss ÷ the grid's best, on the retest. */
const retestRatio = (rec: RunRecord, lr: number | null): number =>
	lr === null ? Infinity : truthRatio(rec.retest!.truth, rec.retest!.bestGridLoss, lr);

/** The grid LR with the lowest loss in `truth` (keys of `grid`). */
function bestOf(truth: Record<string, number | null>, grid: readonly number[]): number {
	return grid.reduce((a, b) =>
		(truth[lrKey(b)] ?? Infinity) < (truth[lrKey(a)] ?? Infinity) ? b : a,
	);
}

/** The rows over the runs of `recs` that have a retest. */
export function retestRows(
	recs: readonly RunRecord[],
	grid: readonly number[],
	policy: Policy,
): RatioRow[] {
	const rs = recs.filter((r) => r.retest);
	const firstBestOnRetest = rs.map((r) => retestRatio(r, bestOf(r.truth, grid)));
	const retestBestOnFirst = rs.map((r) =>
		truthRatio(r.truth, r.bestGridLoss, bestOf(r.retest!.truth, grid)),
	);
	const shipped = rs.map((r) => score(r, policy));
	return [
		ratioRow("the first truth's best grid LR, on the retest", firstBestOnRetest),
		ratioRow("the retest's best grid LR, on the first truth", retestBestOnFirst),
		ratioRow(
			`${policy.name}, on the first truth`,
			shipped.map((o) => o.ratio),
		),
		ratioRow(
			`${policy.name}, on the retest`,
			rs.map((r, i) => retestRatio(r, shipped[i].lr)),
		),
	];
}
