/**
 * Measures the truth of recorded runs again with other folds and batch order (issue 19,
 * docs/algorithms.md "How noisy is the truth"): how often the grid's best of one 3-fold CV is
 * within 10% of the other's best says how far any suggestion can be held to "within 10%".
 *
 * `node --import tsx bench/quality/recordRetest.ts tuning|heldOut [seeds=1] [only=key,key]`
 */
import * as fs from 'node:fs';
import { workloads } from './corpus';
import { loadSplit, recordFile, useCpu } from './setup';
import { type RunRecord } from './measure';
import { measureRetest } from './remeasure';

async function main(): Promise<void> {
	await useCpu();
	const half = process.argv[2] as 'tuning' | 'heldOut';
	const seeds = (process.argv[3] ?? '1').split(',').map(Number);
	const only = (process.argv[4] ?? '').split(',').filter(Boolean);
	for (const seed of seeds) {
		for (const key of loadSplit()[half].filter((k) => !only.length || only.includes(k))) {
			const file = recordFile(key, seed);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			if (rec.retest) {
				continue;
			}
			const t0 = performance.now();
			await measureRetest(
				workloads.find((x) => x.key === key)!,
				rec,
			);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			process.stdout.write(`${key} seed ${seed}: truth measured again in ${s} s\n`);
		}
	}
}

void main();
