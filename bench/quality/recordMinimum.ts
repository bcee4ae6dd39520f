/**
 * Records what scoring the "no clear valley: centre on the curve's minimum" variant needs
 * (docs/algorithms.md, issue 19): for every run of one half whose single curve has no clear
 * valley, or whose default window would not reach up to fastai's `minimum` (the LR of the lowest
 * loss ÷ 10; the shipped guard), the truth and probes the record lacks at the candidates of the
 * default window centred on the minimum, by measure.ts's own code paths.
 *
 * `node --import tsx bench/quality/recordMinimum.ts tuning|heldOut [seeds=2]`
 */
import * as fs from 'node:fs';
import { candidateCentre, verifyCandidates } from '../../src/core/verify';
import { workloads } from './corpus';
import { loadSplit, recordFile, useCpu } from './setup';
import { curveMinimumLr, lrKey, measureMore, type RunRecord } from './measure';

async function main(): Promise<void> {
	await useCpu();
	const half = process.argv[2] as 'tuning' | 'heldOut';
	const seeds = Number(process.argv[3] ?? 2);
	const split = loadSplit();
	for (const key of split[half]) {
		for (let seed = 1; seed <= seeds; seed++) {
			const file = recordFile(key, seed);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			const min = curveMinimumLr(rec);
			const h = rec.headline1;
			if (min === null || h.lr === null) {
				continue;
			}
			const curveLr = h.lr;
			const guard = candidateCentre(curveLr, h.verdict, min).origin === 'minimum';
			if (h.verdict === 'clear' && !guard) {
				continue;
			}
			const missing = verifyCandidates(min)
				.map((c) => c.lr)
				.filter((lr) => !(lrKey(lr) in rec.truth) || !(lrKey(lr) in rec.probes.byLr));
			if (missing.length === 0) {
				continue;
			}
			const t0 = performance.now();
			const w = workloads.find((x) => x.key === key)!;
			const { control } = await measureMore(w, rec, missing, curveLr);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			process.stdout.write(
				`${key} seed ${seed}: recorded ${missing.map((lr) => lr.toPrecision(3)).join(', ')} in ${s} s; control LR ${curveLr.toPrecision(3)} truth ${JSON.stringify(control.truth)} probe ${JSON.stringify(control.probe)}\n`,
			);
		}
	}
}

void main();
