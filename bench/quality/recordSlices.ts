/**
 * Records the probes on further held-out slices (issue 19, docs/algorithms.md): for every run of
 * one half, the record's probes again on slices 1 … count − 1 (core/verify.ts `sliceSeed`), at the
 * same LRs and checkpoints, by measure.ts's own code paths; the record's first LR is probed again
 * on slice 0 as a control.
 *
 * `node --import tsx bench/quality/recordSlices.ts tuning|heldOut [count=2] [seeds=1,2,3] [only=key,key]`
 */
import * as fs from 'node:fs';
import { workloads } from './corpus';
import { loadSplit, recordFile, useCpu } from './setup';
import { type RunRecord } from './measure';
import { measureSlices } from './remeasure';

async function main(): Promise<void> {
	await useCpu();
	const half = process.argv[2] as 'tuning' | 'heldOut';
	const count = Number(process.argv[3] ?? 2);
	const seeds = (process.argv[4] ?? '1,2,3').split(',').map(Number);
	const only = (process.argv[5] ?? '').split(',').filter(Boolean);
	for (const seed of seeds) {
		for (const key of loadSplit()[half].filter((k) => !only.length || only.includes(k))) {
			const file = recordFile(key, seed);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			if ((rec.slices?.length ?? 0) + 1 >= count) {
				continue;
			}
			const t0 = performance.now();
			const w = workloads.find((x) => x.key === key)!;
			const { control } = await measureSlices(w, rec, count);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			const same = JSON.stringify(control[0]) === JSON.stringify(control[1]);
			process.stdout.write(
				`${key} seed ${seed}: ${count - 1} more slice(s) in ${s} s; control ${same ? 'equal' : `DIFFERS ${JSON.stringify(control)}`}\n`,
			);
		}
	}
}

void main();
