/**
 * The recorded-run format of the detector corpus (issue 20), compact: numbers rounded to 3
 * significant digits, layer columns as arrays aligned with `layers.names`. One JSON object per line
 * in gzipped JSONL files under bench/detectors/corpus/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { RunSpec } from './specs';

export interface RecordedRun {
	spec: RunSpec;
	/** Per batch: [step, epoch, loss | null, gradNorm | null, lr]. */
	batches: [number, number, number | null, number | null, number][];
	/** Per epoch: [epoch, loss | null, val_loss | null]. */
	epochs: [number, number | null, number | null][];
	layers: {
		names: string[];
		params: number[];
		/** Steps sampled (every 2 steps, as the sampler starts). */
		steps: number[];
		/** Per sample, per layer. */
		grad: (number | null)[][];
		ratio: (number | null)[][];
		dead: (number | null)[][];
		sat: (number | null)[][];
	};
	/** CPU seconds the generation took. */
	seconds: number;
}

/** A number to 3 significant digits (null for non-finite), to keep the corpus small. */
export function r3(x: number | null | undefined): number | null {
	if (x === null || x === undefined || !Number.isFinite(x)) {
		return null;
	}
	return x === 0 ? 0 : Number(x.toPrecision(3));
}

export const corpusDir = path.join(__dirname, 'corpus');

/** Every recorded run of the corpus. */
export function readCorpus(dir = corpusDir): RecordedRun[] {
	const out: RecordedRun[] = [];
	if (!fs.existsSync(dir)) {
		return out;
	}
	for (const f of fs.readdirSync(dir).sort()) {
		if (!f.endsWith('.jsonl.gz')) {
			continue;
		}
		out.push(...readCorpusFile(path.join(dir, f)));
	}
	return out;
}

/** The runs of one corpus file. */
export function readCorpusFile(file: string): RecordedRun[] {
	const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
	return text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as RecordedRun);
}

/** Writes `runs` as one gzipped JSONL file. */
export function writeCorpusFile(file: string, runs: RecordedRun[]): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const text = runs.map((r) => JSON.stringify(r)).join('\n') + '\n';
	fs.writeFileSync(file, zlib.gzipSync(text, { level: 9 }));
}
