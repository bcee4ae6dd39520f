/**
 * Records what scoring the climbing policies needs (issue 19, docs/algorithms.md): every LR above a
 * window that a climb policy of `candidatePolicies` would probe on a run of one half and that its
 * record lacks — the truth and the probes, by measure.ts's own code paths (`measureMore`, with the
 * curve's LR measured again beside them as a control).
 *
 * `node --import tsx bench/quality/recordClimb.ts tuning|heldOut [seeds=3] [only=key,key]`
 */
import * as fs from 'node:fs';
import { workloads } from './corpus';
import { loadSplit, recordFile, useCpu } from './setup';
import { measureMore, type RunRecord } from './measure';
import { candidatePolicies, logMissing, missingClimbs, score } from './policies';

async function main(): Promise<void> {
	await useCpu();
	const half = process.argv[2] as 'tuning' | 'heldOut';
	const seeds = Number(process.argv[3] ?? 3);
	const only = (process.argv[4] ?? '').split(',').filter(Boolean);
	const split = loadSplit();
	const climbs = candidatePolicies().filter((p) => p.verify?.climb);
	for (const key of split[half].filter((k) => !only.length || only.includes(k))) {
		for (let seed = 1; seed <= seeds; seed++) {
			const file = recordFile(key, seed);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			missingClimbs.clear();
			logMissing(true);
			climbs.forEach((p) => score(rec, p));
			logMissing(false);
			const missing = [...(missingClimbs.get(`${rec.workload}-s${seed}`) ?? [])].sort(
				(a, b) => a - b,
			);
			if (missing.length === 0 || rec.headline1.lr === null) {
				continue;
			}
			const t0 = performance.now();
			const w = workloads.find((x) => x.key === key)!;
			const { control } = await measureMore(w, rec, missing, rec.headline1.lr);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			process.stdout.write(
				`${key} seed ${seed}: recorded ${missing.map((lr) => lr.toPrecision(3)).join(', ')} in ${s} s; control truth ${JSON.stringify(control.truth)}\n`,
			);
		}
	}
}

void main();
