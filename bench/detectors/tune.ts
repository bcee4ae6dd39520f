/**
 * Tuning aid (issue 20): the corpus metrics on the TUNING half only, and the findings on each of its
 * healthy runs that raised one. The held-out half is for `npm run bench -- detectors`.
 *   node --import tsx bench/detectors/tune.ts ['<ReplayConfig JSON>']
 */
import { corpusMetrics, corpusTable, evaluateRun } from './evaluate';
import { readCorpus } from './record';
import type { ReplayConfig } from './replay';
import { splitOf } from './specs';

const config = JSON.parse(process.argv[2] ?? '{}') as ReplayConfig;
const runs = readCorpus().filter((r) => splitOf(r.spec.id) === 'tune');
const results = runs.map((r) => evaluateRun(r, config));
console.log(corpusTable(corpusMetrics(results, 'tune')));
const excluded = results.filter((r) => r.excluded !== null);
console.log(`excluded: ${excluded.map((r) => `${r.id} (${r.excluded})`).join('; ')}`);
for (const r of results.filter((x) => x.kind === 'healthy' && x.excluded === null)) {
	for (const f of r.findings) {
		console.log(`FA ${r.id}: ${f.kind} ${f.layer ?? f.series} @${f.atStep} ${f.message}`);
	}
}
for (const r of results.filter(
	(x) => x.kind !== 'healthy' && x.excluded === null && x.caughtAt === null,
)) {
	console.log(`MISS ${r.id}: ${r.findings.map((f) => `${f.kind}@${f.atStep}`).join(' ')}`);
}
