/**
 * What every bench/suggestion-quality entry point sets up the same way: tfjs on the cpu backend, the
 * fixed split (checked against the corpus), and where each workload × seed record lives.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { workloads } from './corpus';
import type { RunRecord } from './measure';
import type { Workload } from './workloads';

export interface Split {
	tuning: string[];
	heldOut: string[];
}

/** bench/results/quality: the cached records. */
export const resultsDir = path.join(__dirname, '..', 'results', 'quality');

/** The record file of a workload × seed. */
export function recordFile(key: string, seed: number): string {
	return path.join(resultsDir, `${key}-s${seed}.json`);
}

/** tfjs on its cpu backend, quiet (every record was measured there). */
export async function useCpu(): Promise<void> {
	await tf.setBackend('cpu');
	await tf.ready();
	tf.env().set('PROD', true);
}

/** bench/quality/split.json, which must list every workload of the corpus exactly once. */
export function loadSplit(): Split {
	const s = JSON.parse(fs.readFileSync(path.join(__dirname, 'split.json'), 'utf8')) as Split;
	const all = [...s.tuning, ...s.heldOut];
	const keys = workloads.map((w) => w.key);
	if (
		new Set(all).size !== all.length ||
		all.length !== keys.length ||
		keys.some((k) => !all.includes(k))
	) {
		throw new Error('bench/quality/split.json must list every workload exactly once');
	}
	return s;
}

/**
 * Adds to the records of one half (bench/quality/record*.ts): for each of `seeds`, each workload of
 * `half` (only the keys in `only`, when any), the record is read; when `wants` it, `update` adds to
 * it, the record is written back and `update`'s line printed with the seconds it took.
 */
export async function updateRecords(
	half: keyof Split,
	seeds: number[],
	only: string[],
	wants: (rec: RunRecord) => boolean,
	update: (w: Workload, rec: RunRecord) => Promise<string>,
): Promise<void> {
	for (const seed of seeds) {
		for (const key of loadSplit()[half].filter((k) => !only.length || only.includes(k))) {
			const file = recordFile(key, seed);
			const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
			if (!wants(rec)) {
				continue;
			}
			const t0 = performance.now();
			const line = await update(
				workloads.find((x) => x.key === key)!,
				rec,
			);
			fs.writeFileSync(file, JSON.stringify(rec));
			const s = ((performance.now() - t0) / 1000).toFixed(0);
			process.stdout.write(`${key} seed ${seed} (${s} s): ${line}\n`);
		}
	}
}
