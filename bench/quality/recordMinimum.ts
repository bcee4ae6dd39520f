/**
 * Records what scoring the "no clear valley: centre on the curve's minimum" variant needs
 * (docs/algorithms.md, issue 19): for every run of one half whose single curve has no clear
 * valley, the truth and probes at the candidates of the default window centred on fastai's
 * `minimum` (the LR of the lowest loss ÷ 10) that the record lacks, by measure.ts's own code paths.
 *
 * `node --import tsx bench/quality/recordMinimum.ts tuning|heldOut [seeds=2]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { verifyCandidates } from '../../src/core/verify';
import { workloads } from './corpus';
import { curveMinimumLr, lrKey, measureMore, type RunRecord } from './measure';

async function main(): Promise<void> {
	await tf.setBackend('cpu');
	await tf.ready();
	tf.env().set('PROD', true);
	const half = process.argv[2] as 'tuning' | 'heldOut';
	const seeds = Number(process.argv[3] ?? 2);
	const split = JSON.parse(fs.readFileSync(path.join(__dirname, 'split.json'), 'utf8')) as Record<
		string,
		string[]
	>;
	const dir = path.join(__dirname, '..', 'results', 'quality');
	for (const key of split[half]) {
		for (let seed = 1; seed <= seeds; seed++) {
			const file = path.join(dir, `${key}-s${seed}.json`);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			const min = curveMinimumLr(rec);
			if (rec.headline1.verdict === 'clear' || min === null || rec.headline1.lr === null) {
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
			const { control } = await measureMore(w, rec, missing, rec.headline1.lr);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			process.stdout.write(
				`${key} seed ${seed}: recorded ${missing.map((lr) => lr.toPrecision(3)).join(', ')} in ${s} s; control LR ${rec.headline1.lr.toPrecision(3)} truth ${JSON.stringify(control.truth)} probe ${JSON.stringify(control.probe)}\n`,
			);
		}
	}
}

void main();
