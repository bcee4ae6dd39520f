/**
 * Where the verified pick loses (issue 19, `LRSCOPE_QUALITY_CEILING=1`): on the tuning half's
 * records, the shipped candidates scored four ways — the oracle (the candidate with the lowest
 * cross-validated truth: what a perfect pick among them would reach), and the candidate whose probe
 * held-out loss is lowest after the plan's full length, half and a quarter of it (what a pick with
 * that much training per candidate, and no budget, would reach). If even the full-length probe falls
 * far short of the oracle, the limit is the probe's own estimate (one training, one held-out slice),
 * not the schedule or the budget.
 */
import { candidateCentre, centredCandidates } from '../../src/core/verify';
import { curveMinimumLr, lrKey, type RunRecord, sliceMean, truthRatio } from './measure';
import { type RatioRow, ratioRow } from './summary';

const ratioAt = (rec: RunRecord, lr: number): number => truthRatio(rec.truth, rec.bestGridLoss, lr);

/** The four rows over `recs` (runs whose single curve gave no LR are skipped). */
export function ceilingRows(recs: readonly RunRecord[]): RatioRow[] {
	const twoSlices = recs.every((r) => r.headline1.lr === null || r.slices?.length);
	const names = [
		'oracle among the candidates',
		'best probe at the plan’s length',
		'best probe at 1/2 of it',
		'best probe at 1/4 of it',
		...(twoSlices
			? [
					'mean of 2 slices at the plan’s length',
					'mean of 2 slices at 1/2',
					'mean of 2 slices at 1/4',
				]
			: []),
	];
	const ratios: number[][] = names.map(() => []);
	for (const rec of recs) {
		const h = rec.headline1;
		if (h.lr === null) {
			continue;
		}
		const cands = centredCandidates(candidateCentre(h.lr, h.verdict, curveMinimumLr(rec)));
		ratios[0].push(Math.min(...cands.map((c) => ratioAt(rec, c.lr))));
		const last = rec.probes.checkpoints.length - 1;
		for (let row = 0; row < names.length - 1; row++) {
			const back = row % 3;
			const slices = row < 3 ? 1 : 2;
			let best = Infinity;
			let lr: number | null = null;
			for (const c of cands) {
				const l = sliceMean(rec, lrKey(c.lr), last - back, slices) ?? null;
				if (l !== null && l < best) {
					best = l;
					lr = c.lr;
				}
			}
			ratios[row + 1].push(lr === null ? Infinity : ratioAt(rec, lr));
		}
	}
	return names.map((name, i) => ratioRow(name, ratios[i]));
}
