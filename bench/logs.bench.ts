/**
 * Log readers, detectors and decimation. Throughput is reported as a ratio to a bare `JSON.parse`
 * line loop over the same ~50 MB JSONL file (generated in the OS temp dir, deleted afterwards), so
 * the numbers compare across machines; decimation is reported as nanoseconds per input point at
 * 1e4, 1e5 and 1e6 points (flat = O(n)).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decimationIndices } from '../src/core/present/decimate';
import { DetectorSet } from '../src/core/detectors';
import { JsonlReader } from '../src/core/logs/jsonl';
import { TfeventsReader, encodeScalarEvent } from '../src/core/logs/tfevents';
import type { LogRecord } from '../src/core/types';
import type { BenchRow, BenchSection } from './types';

const MB = 1024 * 1024;

function time<T>(f: () => T): { s: number; v: T } {
	const t0 = process.hrtime.bigint();
	const v = f();
	return { s: Number(process.hrtime.bigint() - t0) / 1e9, v };
}

/** Best of `n` runs (the least disturbed by other work on a shared machine). */
function best<T>(n: number, f: () => T): { s: number; v: T } {
	let r = time(f);
	for (let i = 1; i < n; i++) {
		const x = time(f);
		if (x.s < r.s) {
			r = x;
		}
	}
	return r;
}

function makeJsonl(file: string, targetBytes: number): number {
	const fd = fs.openSync(file, 'w');
	let bytes = 0;
	let step = 0;
	let a = 12345;
	const rand = (): number => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32;
	while (bytes < targetBytes) {
		const lines: string[] = [];
		for (let i = 0; i < 10_000; i++, step++) {
			const loss = (0.3 + 2 * Math.exp(-step / 200_000)) * (1 + 0.1 * (rand() - 0.5));
			lines.push(
				`{"step":${step},"loss":${loss.toFixed(6)},"lr":0.001,"acc":${rand().toFixed(4)}}`,
			);
		}
		const chunk = lines.join('\n') + '\n';
		fs.writeSync(fd, chunk);
		bytes += Buffer.byteLength(chunk);
	}
	fs.closeSync(fd);
	return step;
}

/** Runs the logs benchmarks. */
export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-bench-'));
	try {
		const file = path.join(dir, 'run.jsonl');
		const lines = makeJsonl(file, 50 * MB);
		const buf = fs.readFileSync(file);
		const mb = buf.length / MB;
		notes.push(
			`JSONL: ${mb.toFixed(1)} MB, ${lines} lines of {step, loss, lr, acc}; best of 2 runs each (3 for decimation, after a warm-up call)`,
		);

		// Baseline: decode, split, JSON.parse each line — the least any JSONL reader must do.
		const base = best(2, () => {
			const text = buf.toString('utf8');
			let n = 0;
			let start = 0;
			for (;;) {
				const nl = text.indexOf('\n', start);
				if (nl < 0) {
					break;
				}
				const o = JSON.parse(text.slice(start, nl)) as { loss: number };
				n += o.loss > 0 ? 1 : 0;
				start = nl + 1;
			}
			return n;
		});
		rows.push({
			name: 'bare JSON.parse line loop',
			value: mb / base.s,
			unit: 'MB/s',
			note: `${(lines / base.s / 1e6).toFixed(2)} M lines/s`,
		});

		const chunk = MB;
		const reader = best(2, () => {
			const r = new JsonlReader();
			let n = 0;
			for (let o = 0; o < buf.length; o += chunk) {
				n += r.feed(buf.subarray(o, Math.min(buf.length, o + chunk))).length;
			}
			return n + r.end().length;
		});
		rows.push({
			name: 'JsonlReader (1 MB chunks)',
			value: mb / reader.s,
			unit: 'MB/s',
			ratio: base.s / reader.s,
			baseline: 'JSON.parse loop (throughput)',
		});
		rows.push({ name: 'JsonlReader records/s', value: reader.v / reader.s, unit: 'records/s' });

		const records: LogRecord[] = [];
		const r = new JsonlReader();
		for (let o = 0; o < buf.length; o += chunk) {
			for (const rec of r.feed(buf.subarray(o, Math.min(buf.length, o + chunk)))) {
				records.push(rec);
			}
		}
		const det = best(2, () => new DetectorSet().feedAll(records).length);
		rows.push({
			name: 'DetectorSet.feed (records in memory)',
			value: records.length / det.s,
			unit: 'records/s',
			ratio: base.s / det.s,
			baseline: 'JSON.parse loop (same file)',
			note: `${det.v} findings`,
		});
		const both = reader.s + det.s;
		rows.push({
			name: 'read + detect, end to end',
			value: mb / both,
			unit: 'MB/s',
			ratio: base.s / both,
			baseline: 'JSON.parse loop (throughput)',
		});
		records.length = 0;

		// TensorBoard event file of the same kind of content.
		const parts: Uint8Array[] = [];
		let tfBytes = 0;
		for (let i = 0; tfBytes < 20 * MB; i++) {
			const rec = encodeScalarEvent(
				i,
				'batch_loss',
				0.3 + 2 * Math.exp(-i / 100_000),
				1.7e9 + i / 10,
			);
			parts.push(rec);
			tfBytes += rec.length;
		}
		const tf = Buffer.concat(parts);
		const tfr = best(2, () => {
			const rd = new TfeventsReader();
			let n = 0;
			for (let o = 0; o < tf.length; o += chunk) {
				n += rd.feed(tf.subarray(o, Math.min(tf.length, o + chunk))).length;
			}
			return n;
		});
		rows.push({
			name: 'TfeventsReader (CRC32C + protobufjs)',
			value: tf.length / MB / tfr.s,
			unit: 'MB/s',
			ratio: base.s / mb / (tfr.s / (tf.length / MB)),
			baseline: 'JSON.parse loop (MB/s)',
			note: `${(tfr.v / tfr.s / 1e6).toFixed(2)} M records/s`,
		});

		// Decimation: ns per input point should be flat across sizes.
		for (const n of [1e4, 1e5, 1e6]) {
			const ys = new Float64Array(n);
			for (let i = 0; i < n; i++) {
				ys[i] = 1 + Math.exp(-i / (n / 5)) + 0.05 * Math.sin(i * 12.9898);
			}
			const reps = Math.max(1, Math.round(1e6 / n));
			decimationIndices(n, 2000, [ys]);
			const mm = best(3, () => {
				let k = 0;
				for (let j = 0; j < reps; j++) {
					k += decimationIndices(n, 2000, [ys]).length;
				}
				return k;
			});
			rows.push({
				name: `decimationIndices ${n.toExponential(0)} → ≤2000 points`,
				value: (mm.s / reps / n) * 1e9,
				unit: 'ns/point',
			});
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return { title: 'Logs: readers, detectors, decimation', rows, notes };
}
