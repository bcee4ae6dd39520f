import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CsvReader } from '../../src/core/logs/csv';
import { LogDirFollower, LogFollower } from '../../src/core/logs/follow';
import { JsonlReader } from '../../src/core/logs/jsonl';
import {
	detectFormat,
	readLogFile,
	readLogPath,
	recordsToSeries,
} from '../../src/core/logs/logFile';
import { LogInputError, type LogReader } from '../../src/core/logs/reader';
import { encodeScalarEvent } from '../../src/core/logs/tfevents';
import type { LogRecord } from '../../src/core/types';
import { rng } from './runGen';

const fixtures = path.join(__dirname, '..', 'fixtures', 'logs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-logs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function readAll(
	r: LogReader,
	bytes: Uint8Array,
	sizes: () => number = () => bytes.length,
): LogRecord[] {
	const out: LogRecord[] = [];
	for (let o = 0; o < bytes.length;) {
		const n = Math.max(1, Math.min(bytes.length - o, sizes()));
		out.push(...r.feed(bytes.slice(o, o + n)));
		o += n;
	}
	out.push(...r.end());
	return out;
}

describe('JSONL reader', () => {
	it('reads the tfjs-callbacks fixture: batch offsets, epochs, every non-finite spelling, a bad line', async () => {
		const r = await readLogFile(path.join(fixtures, 'tfjs-callbacks.jsonl'));
		assert.deepEqual(r.records, [
			{ step: 0, unit: 'step', values: { loss: 2.3, acc: 0.1 } },
			{ step: 1, unit: 'step', values: { loss: 2.1, acc: 0.2 } },
			// `batch` restarted: steps continue from the previous epoch's last batch.
			{ step: 2, unit: 'step', values: { loss: 1.9, acc: 0.3 } },
			{ step: 0, unit: 'epoch', values: { loss: 2.2, val_loss: 2.4 } },
			{ step: 3, unit: 'step', values: { loss: null } },
			{ step: 4, unit: 'step', values: { loss: null, val_loss: null } },
			{ step: 1, unit: 'epoch', values: { loss: 1.5, val_loss: null } },
		]);
		assert.deepEqual(r.notes, ['tfjs-callbacks.jsonl: line 7 is not a JSON object; skipped it']);
		const s = recordsToSeries(r.records);
		// Names seen at both step and epoch level get an `epoch_` prefix for the epoch series.
		assert.deepEqual(Object.keys(s), ['loss', 'acc', 'val_loss', 'epoch_loss', 'epoch_val_loss']);
		assert.deepEqual(s.epoch_val_loss, [
			[0, 2.4],
			[1, null],
		]);
	});
	it('a partial last line is a note, a complete one without newline is read', () => {
		const a = new JsonlReader();
		assert.deepEqual(readAll(a, enc('{"step":1,"loss":1}\n{"step":2,"lo')), [
			{ step: 1, unit: 'step', values: { loss: 1 } },
		]);
		assert.match(a.notes[0], /last line \(2\) is incomplete/);
		const b = new JsonlReader();
		assert.equal(readAll(b, enc('{"step":1,"loss":1}\n{"step":2,"loss":3}')).length, 2);
		assert.deepEqual(b.notes, []);
	});
	it('skips non-UTF-8 lines with a note and keeps the rest', () => {
		const bytes = new Uint8Array([
			...enc('{"step":1,"loss":1}\n{"step":2,"loss":'),
			0xff,
			0xfe,
			...enc('}\n{"step":3,"loss":3}\n'),
		]);
		const r = new JsonlReader();
		assert.deepEqual(
			readAll(r, bytes).map((x) => x.step),
			[1, 3],
		);
		assert.deepEqual(r.notes, ['line 2 is not valid UTF-8; skipped it']);
	});
	it('UTF-16 files, huge lines and binary noise give capped notes, never a crash', () => {
		const u16 = new JsonlReader();
		assert.deepEqual(readAll(u16, new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x0a, 0x00])), []);
		assert.match(u16.notes[0], /UTF-16/);
		const long = new JsonlReader();
		const huge = new Uint8Array(9 * 1024 * 1024).fill(0x20);
		const out = readAll(long, Buffer.concat([huge, enc('\n{"step":5,"loss":1}\n')]), () => 1 << 20);
		assert.deepEqual(
			out.map((x) => x.step),
			[5],
		);
		assert.match(long.notes[0], /line 1 is longer than 8388608 bytes; skipped it/);
		const u = rng(3);
		const noise = new Uint8Array(300_000).map(() => Math.floor(u() * 256));
		const bin = new JsonlReader();
		assert.deepEqual(readAll(bin, noise), []);
		assert.ok(bin.notes.length <= 8, `${bin.notes.length} notes`);
		assert.match(bin.notes[bin.notes.length - 1], /more/);
	});
	it('random chunk sizes give the same records as one feed, and `consumed` resumes', () => {
		const lines: string[] = [];
		for (let i = 0; i < 400; i++) {
			lines.push(
				i % 37 === 5
					? `{"step":${i},"loss":NaN,"s":"é ü ✓"}`
					: `{"step":${i},"loss":${(1 / (i + 1)).toFixed(6)},"lr":1e-3}`,
			);
		}
		const bytes = enc(lines.join('\r\n') + '\n{"step":400,"lo');
		const whole = readAll(new JsonlReader(), bytes);
		const u = rng(77);
		for (let t = 0; t < 5; t++) {
			assert.deepEqual(
				readAll(new JsonlReader(), bytes, () => 1 + Math.floor(u() * 64)),
				whole,
			);
		}
		const a = new JsonlReader();
		const first = a.feed(bytes.subarray(0, 5000));
		const b = new JsonlReader();
		assert.deepEqual([...first, ...readAll(b, bytes.subarray(a.consumed))], whole);
		assert.equal(whole.length, 400);
	});
	it('empty and missing files', async () => {
		const p = path.join(tmp, 'empty.jsonl');
		fs.writeFileSync(p, '');
		assert.deepEqual(await readLogFile(p), {
			records: [],
			notes: ['empty.jsonl: the file is empty'],
			files: [p],
			bytes: 0,
		});
		await assert.rejects(
			readLogPath(path.join(tmp, 'nope.jsonl')),
			(e: Error) => e instanceof LogInputError && /does not exist/.test(e.message),
		);
	});
});

describe('CSV reader', () => {
	it('reads the Keras CSVLogger fixture: epoch unit, nan/inf cells, empty cells, a short row', async () => {
		const r = await readLogFile(path.join(fixtures, 'keras-csvlogger.csv'));
		assert.deepEqual(r.records, [
			{ step: 0, unit: 'epoch', values: { loss: 2.5, val_loss: 2.6, lr: 0.001 } },
			{ step: 1, unit: 'epoch', values: { loss: 1.5, val_loss: null, lr: 0.001 } },
			{ step: 2, unit: 'epoch', values: { loss: 1.2, lr: 0.001 } },
			{ step: 4, unit: 'epoch', values: { loss: null, val_loss: null, lr: 0.001 } },
		]);
		assert.deepEqual(r.notes, [
			'keras-csvlogger.csv: line 5 has a different number of columns than the header; skipped it',
		]);
	});
	it('step column, repeated header, partial last row, chunking', () => {
		const text = 'step,loss\n0,1.0\n1,0.9\nstep,loss\n2,0.8\n3,0.7\n4';
		const whole = readAll(new CsvReader(), enc(text));
		assert.deepEqual(
			whole.map((x) => [x.step, x.unit, x.values.loss]),
			[
				[0, 'step', 1],
				[1, 'step', 0.9],
				[2, 'step', 0.8],
				[3, 'step', 0.7],
			],
		);
		const u = rng(5);
		for (let t = 0; t < 5; t++) {
			assert.deepEqual(
				readAll(new CsvReader(), enc(text), () => 1 + Math.floor(u() * 7)),
				whole,
			);
		}
		// Resuming mid-file needs the header line.
		const resumed = readAll(new CsvReader('step,loss'), enc('5,0.6\n'));
		assert.deepEqual(resumed, [{ step: 5, unit: 'step', values: { loss: 0.6 } }]);
	});
});

describe('format detection', () => {
	it('by name, else by content', () => {
		assert.equal(detectFormat('a/events.out.tfevents.123.host', new Uint8Array()), 'tfevents');
		assert.equal(detectFormat('x.jsonl', new Uint8Array()), 'jsonl');
		assert.equal(detectFormat('x.csv', new Uint8Array()), 'csv');
		assert.equal(detectFormat('log', encodeScalarEvent(1, 'a', 1)), 'tfevents');
		assert.equal(detectFormat('log', enc('  {"step":1}\n')), 'jsonl');
		assert.equal(detectFormat('log', enc('step,loss\n1,2\n')), 'csv');
		assert.equal(detectFormat('log', enc('hello world\n')), null);
	});
});

describe('LogFollower', () => {
	it('reads only appended bytes, waits for a partial line, restarts after truncation', async () => {
		const p = path.join(tmp, 'grow.jsonl');
		const f = new LogFollower(p);
		assert.deepEqual(await f.poll(), { records: [], notes: [] });
		fs.writeFileSync(p, '{"step":1,"loss":1}\n{"step":2,');
		assert.deepEqual(
			(await f.poll()).records.map((r) => r.step),
			[1],
		);
		fs.appendFileSync(p, '"loss":2}\n');
		assert.deepEqual(
			(await f.poll()).records.map((r) => r.step),
			[2],
		);
		assert.equal(f.offset, fs.statSync(p).size);
		assert.deepEqual((await f.poll()).records, []);
		fs.writeFileSync(p, '{"step":9,"loss":9}\n');
		const again = await f.poll();
		assert.deepEqual(
			again.records.map((r) => r.step),
			[9],
		);
		assert.match(again.notes[0], /truncated or replaced/);
	});
	it('resumes from a saved offset without re-reading', async () => {
		const p = path.join(tmp, 'resume.csv');
		fs.writeFileSync(p, 'step,loss\n1,1\n2,2\n');
		const a = new LogFollower(p);
		assert.equal((await a.poll()).records.length, 2);
		fs.appendFileSync(p, '3,3\n');
		const b = new LogFollower(p, { offset: a.resumeOffset });
		assert.deepEqual((await b.poll()).records, [{ step: 3, unit: 'step', values: { loss: 3 } }]);
	});
	it('tails a growing tfjs-node logdir, picking up new files and partial records', async () => {
		const dir = path.join(tmp, 'logdir');
		fs.mkdirSync(path.join(dir, 'train'), { recursive: true });
		const trainFile = path.join(dir, 'train', 'events.out.tfevents.1.host');
		const rec2 = encodeScalarEvent(2, 'batch_loss', 0.5);
		fs.writeFileSync(
			trainFile,
			Buffer.concat([encodeScalarEvent(1, 'batch_loss', 1), rec2.subarray(0, 10)]),
		);
		const f = new LogDirFollower(dir);
		assert.deepEqual(
			(await f.poll()).records.map((r) => r.step),
			[1],
		);
		fs.appendFileSync(trainFile, rec2.subarray(10));
		fs.mkdirSync(path.join(dir, 'val'));
		fs.writeFileSync(
			path.join(dir, 'val', 'events.out.tfevents.1.host'),
			encodeScalarEvent(1, 'epoch_loss', 0.75),
		);
		const r = await f.poll();
		assert.deepEqual(r.records, [
			{ step: 2, unit: 'step', values: { batch_loss: 0.5 } },
			{ step: 1, unit: 'epoch', values: { val_epoch_loss: 0.75 } },
		]);
		assert.deepEqual(r.notes, []);
	});
});
