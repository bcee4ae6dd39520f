/**
 * `npm run bench -- detectors` (issue 20): the detectors on the recorded corpus of real mini-batch
 * tfjs trainings (bench/detectors/), on the HELD-OUT half: false alarms on healthy runs, recall per
 * pathology, and how many steps the layer warnings come before the loss detectors. The tuning half
 * is in bench/detectors/tune.ts. Plus the synthetic loss-curve set of test/unit/detectorEval.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate, labelledSet, metricsTable } from '../test/unit/detectorEval';
import { corpusMetrics, corpusTable, evaluateRun } from './detectors/evaluate';
import { readCorpus } from './detectors/record';
import { splitOf } from './detectors/specs';
import type { BenchRow, BenchSection } from './types';

/** The split file must still say what the rule says (it is never changed). */
function checkSplit(ids: string[]): void {
	const file = path.join(__dirname, 'detectors', 'split.json');
	const split = JSON.parse(fs.readFileSync(file, 'utf8')) as { tune: string[]; heldOut: string[] };
	const held = new Set(split.heldOut);
	for (const id of ids) {
		if (held.has(id) !== (splitOf(id) === 'heldOut')) {
			throw new Error(`split.json and splitOf disagree on ${id}`);
		}
	}
}

export async function run(): Promise<BenchSection> {
	const runs = readCorpus();
	checkSplit(runs.map((r) => r.spec.id));
	const t0 = performance.now();
	const results = runs.map((r) => evaluateRun(r));
	const ms = performance.now() - t0;
	const held = corpusMetrics(results, 'heldOut');
	const tune = corpusMetrics(results, 'tune');
	const rows: BenchRow[] = [
		{ name: 'held-out healthy runs', value: held.healthyRuns, unit: 'runs' },
		{ name: 'held-out healthy runs ≥ 30 epochs', value: held.healthyLong, unit: 'runs' },
		{ name: 'held-out healthy runs with a finding', value: held.falseAlarmRuns, unit: 'runs' },
	];
	for (const r of held.rows) {
		rows.push({
			name: `held-out recall ${r.kind}`,
			value: 100 * r.recall,
			unit: '%',
			note: `${r.caught}/${r.runs}${r.leadRuns ? `, lead median ${r.leadMedian} steps` : ''}`,
		});
	}
	rows.push({
		name: 'held-out earlyDivergence lead median',
		value: held.early.leadMedian,
		unit: 'steps',
		note: `${held.early.caught}/${held.early.runs} diverging runs warned first`,
	});
	rows.push({ name: 'replay time per run', value: ms / runs.length, unit: 'ms' });
	const synth = evaluate(labelledSet());
	const excluded = results.filter((r) => r.excluded !== null && r.split === 'heldOut').length;
	return {
		title: `Detectors on ${runs.length} recorded mini-batch runs (held-out half)`,
		rows,
		notes: [
			`held-out:\n${corpusTable(held)}`,
			`tuning half:\n${corpusTable(tune)}`,
			`${excluded} held-out runs left out because their recording did not show their label (see evaluate.ts labelCheck)`,
			`synthetic loss curves (test/unit/detectorEval.ts):\n${metricsTable(synth)}`,
		],
	};
}
