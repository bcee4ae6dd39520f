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
 * Adds to the records of one half (the bench/quality/record*.ts tools), on tfjs's cpu backend.
 * `args` are the tool's `half [seeds] [only]` (seeds `1,2,3`, default `defaultSeeds`; `only`:
 * workload keys, default all): for each seed and workload of the half, the record is read; when
 * `wants` it, `update` adds to it, the record is written back and `update`'s line printed with the
 * seconds it took.
 */
export async function updateRecords(
	args: readonly string[],
	defaultSeeds: string,
	wants: (rec: RunRecord) => boolean,
	update: (w: Workload, rec: RunRecord) => Promise<string>,
): Promise<void> {
	await useCpu();
	const half = args[0] as keyof Split;
	const seeds = (args[1] ?? defaultSeeds).split(',').map(Number);
	const only = (args[2] ?? '').split(',').filter(Boolean);
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

/** A control's verdict for a record tool's line: the recorded value against the one measured again. */
export function controlText(control: readonly [unknown, unknown]): string {
	return JSON.stringify(control[0]) === JSON.stringify(control[1])
		? 'control equal'
		: `control DIFFERS ${JSON.stringify(control)}`;
}
