/**
 * What cross-validated finalists would buy (issue 19, docs/algorithms.md "Grid sentinels, and
 * cross-validated finalists"; `LRSCOPE_QUALITY_CV=1`, the tuning half): the shipped policy's first
 * round, then its best `k` candidates by first-round held-out loss scored by a 3-fold CV training
 * of the plan's epochs each, the lowest CV loss picked. On runs whose truth was measured twice
 * (recordRetest.ts) one measurement is the finalists' CV score and the other judges the pick, both
 * ways round, so the estimate and the judge share no folds or batch order. Cost = range test +
 * first round + k × one LR's CV trainings, ÷ one 9-point grid of the plan's length.
 */
import { lrKey, type RunRecord, truthRatio } from './measure';
import { type Policy, simulate } from './policies';
import { type RatioRow, ratioRow } from './summary';

/** A row, with the most any run's picks cost (÷ one 9-point grid). */
export type CvRow = RatioRow & { maxCost: number };

type Truth = Record<string, number | null>;

/** Rows for k = 1, 2, 3 and every candidate, each measured both ways round over `recs`. */
export function cvFinalistRows(recs: readonly RunRecord[], policy: Policy): CvRow[] {
	const rs = recs.filter((r) => r.retest && r.headline1.lr !== null);
	const rows: CvRow[] = [];
	for (const k of [1, 2, 3, Infinity]) {
		const ratios: number[] = [];
		let maxCost = 0;
		for (const r of rs) {
			const sim = simulate(
				r,
				{ lr: r.headline1.lr!, verdict: r.headline1.verdict },
				policy.verify!,
				r.rangeTestSteps[0],
			);
			if (!sim) {
				continue;
			}
			const i = r.probes.checkpoints.indexOf(sim.firstEnd);
			const first = (lr: number): number => r.probes.byLr[lrKey(lr)]?.[i] ?? Infinity;
			const top = [...sim.probed].sort((a, b) => first(a.lr) - first(b.lr)).slice(0, k);
			const firstSteps = sim.probed.length * sim.firstEnd;
			const cost = r.rangeTestSteps[0] + firstSteps + top.length * r.truthSteps;
			maxCost = Math.max(maxCost, cost / (9 * r.planSteps));
			const ways: [Truth, Truth, number][] = [
				[r.retest!.truth, r.truth, r.bestGridLoss],
				[r.truth, r.retest!.truth, r.retest!.bestGridLoss],
			];
			for (const [estimate, judge, best] of ways) {
				const pick = top.reduce((a, b) =>
					(estimate[lrKey(b.lr)] ?? Infinity) < (estimate[lrKey(a.lr)] ?? Infinity) ? b : a,
				);
				ratios.push(truthRatio(judge, best, pick.lr));
			}
		}
		const name =
			k === Infinity ? 'CV at every candidate' : `CV at the best ${k} of the first round`;
		rows.push({ ...ratioRow(name, ratios), maxCost });
	}
	return rows;
}
