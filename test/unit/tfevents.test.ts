import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagnosePaths } from '../../src/cli/diagnoseCmd';
import {
	listLogDir,
	readLogDir,
	readLogFile,
	recordsToSeries,
	type SeriesPoints,
} from '../../src/core/logs/logFile';
import {
	TfeventsReader,
	encodeScalarEvent,
	frameRecord,
	EventType,
} from '../../src/core/logs/tfevents';
import type { LogRecord } from '../../src/core/types';
import { rng } from './runGen';

const root = path.join(__dirname, '..', 'fixtures', 'tfevents');
const cases = fs.readdirSync(root).filter((c) => fs.statSync(path.join(root, c)).isDirectory());

interface Expected {
	train: Record<string, SeriesPoints>;
	val: Record<string, SeriesPoints>;
	train_note?: string;
}

/** expected.json in our naming: train tags as stored, val tags with the `val_` prefix. */
function expectedSeries(c: string): { series: Record<string, SeriesPoints>; raw: Expected } {
	const raw = JSON.parse(fs.readFileSync(path.join(root, c, 'expected.json'), 'utf8')) as Expected;
	const series: Record<string, SeriesPoints> = { ...raw.train };
	for (const [tag, pts] of Object.entries(raw.val)) {
		series['val_' + tag] = pts;
	}
	return { series, raw };
}

function trainFile(c: string): string {
	const dir = path.join(root, c, 'train');
	return path.join(dir, fs.readdirSync(dir)[0]);
}

function feedChunks(
	bytes: Uint8Array,
	sizes: () => number,
): { records: LogRecord[]; notes: readonly string[] } {
	const r = new TfeventsReader();
	const records: LogRecord[] = [];
	for (let o = 0; o < bytes.length;) {
		const n = Math.min(bytes.length - o, sizes());
		records.push(...r.feed(bytes.slice(o, o + n)));
		o += n;
	}
	records.push(...r.end());
	return { records, notes: r.notes };
}

describe('tfevents fixtures', () => {
	it('has all seven cases', () => {
		assert.deepEqual(cases.sort(), [
			'corrupt-crc',
			'diverging',
			'tensor-content',
			'tensor-double-val',
			'tensor-float-val',
			'tfjs-node-simple',
			'truncated-while-writing',
		]);
	});
	for (const c of cases.filter((x) => x !== 'corrupt-crc')) {
		it(`${c}: reads exactly as expected.json (float32 values)`, async () => {
			const { series, raw } = expectedSeries(c);
			const r = await readLogDir(path.join(root, c));
			assert.deepEqual(recordsToSeries(r.records), series);
			if (raw.train_note) {
				assert.equal(r.notes.length, 1);
				assert.match(
					r.notes[0],
					/^train\/events\.out\.tfevents\.\S+: the last record is incomplete \(\d+ bytes\)/,
				);
			} else {
				assert.deepEqual(r.notes, []);
			}
		});
	}
	it('corrupt-crc: notes the bad record, keeps every record before it, resynchronises after it', async () => {
		const { series } = expectedSeries('corrupt-crc');
		const r = await readLogDir(path.join(root, 'corrupt-crc'));
		const got = recordsToSeries(r.records);
		assert.equal(r.notes.length, 1);
		assert.match(
			r.notes[0],
			/^train\/\S+: record 25 \(0-based, at byte \d+\) has a bad data CRC; skipped it/,
		);
		// Everything expected.json lists (all before the corruption, plus the epoch records) is read exactly.
		assert.deepEqual(got.batch_loss.slice(0, 24), series.batch_loss);
		assert.deepEqual(got.epoch_loss, series.epoch_loss);
		assert.deepEqual(got.val_epoch_loss, series.val_epoch_loss);
		// Only the bad record (step 25) is missing after resynchronising.
		assert.deepEqual(
			got.batch_loss.map((p) => p[0]),
			Array.from({ length: 180 }, (_, i) => i + 1).filter((s) => s !== 25),
		);
	});
	it('diverging: diagnose finds divergence starting near step 130', async () => {
		const res = await diagnosePaths([path.join(root, 'diverging')], {});
		const div = res.findings.filter((f) => f.kind === 'divergence' && f.series === 'batch_loss');
		assert.equal(div.length, 1);
		assert.ok(Math.abs(div[0].step - 130) <= 3, `step ${div[0].step}`);
		assert.ok((div[0].detectedAt as number) <= 145);
		// The healthy cases raise nothing.
		const ok = await diagnosePaths([path.join(root, 'tfjs-node-simple')], {});
		assert.deepEqual(ok.findings, []);
	});
	it('logdir layout: train/ keeps tags, val/ gets the val_ prefix', async () => {
		const files = await listLogDir(path.join(root, 'tfjs-node-simple'));
		assert.deepEqual(
			files.map((f) => [f.label.split('/')[0], f.tagPrefix]),
			[
				['train', ''],
				['val', 'val_'],
			],
		);
		const one = await readLogFile(path.join(files[1].file));
		assert.deepEqual(Object.keys(recordsToSeries(one.records)), ['epoch_loss']);
	});
});

describe('tfevents reader: streaming', () => {
	for (const c of [
		'tfjs-node-simple',
		'tensor-content',
		'truncated-while-writing',
		'corrupt-crc',
	]) {
		it(`${c}: random chunk sizes give the same records and notes as one feed`, () => {
			const bytes = new Uint8Array(fs.readFileSync(trainFile(c)));
			const whole = feedChunks(bytes, () => bytes.length);
			const u = rng(42);
			for (let trial = 0; trial < 5; trial++) {
				const chunked = feedChunks(bytes, () => 1 + Math.floor(u() * 40));
				assert.deepEqual(chunked.records, whole.records);
				assert.deepEqual(chunked.notes, whole.notes);
			}
		});
	}
	it('resumes from `consumed` in a fresh reader', () => {
		const bytes = new Uint8Array(fs.readFileSync(trainFile('tfjs-node-simple')));
		const all = feedChunks(bytes, () => bytes.length).records;
		const a = new TfeventsReader();
		const first = a.feed(bytes.subarray(0, 3001));
		assert.ok(a.pendingBytes > 0 && a.consumed + a.pendingBytes === 3001);
		const b = new TfeventsReader();
		const rest = b.feed(bytes.subarray(a.consumed));
		assert.deepEqual([...first, ...rest], all);
	});
	it('a garbled record header is skipped by scanning to the next valid record', () => {
		const recs = [
			encodeScalarEvent(1, 'batch_loss', 1.5),
			encodeScalarEvent(2, 'batch_loss', 2.5),
			encodeScalarEvent(3, 'batch_loss', 3.5),
		];
		const junk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
		const bytes = Buffer.concat([recs[0], junk, recs[1], recs[2]]);
		const r = new TfeventsReader();
		const out = [...r.feed(bytes), ...r.end()];
		assert.deepEqual(
			out.map((x) => [x.step, x.values.batch_loss]),
			[
				[1, 1.5],
				[2, 2.5],
				[3, 3.5],
			],
		);
		assert.equal(r.notes.length, 1);
		assert.match(r.notes[0], /bad record header at byte \d+; skipped 17 bytes/);
	});
	it('random bytes, an empty file and a huge bogus length never crash or hang', async () => {
		const u = rng(9);
		const noise = new Uint8Array(200_000).map(() => Math.floor(u() * 256));
		const r = new TfeventsReader();
		assert.deepEqual([...r.feed(noise), ...r.end()], []);
		assert.ok(r.notes.length >= 1 && r.notes.length <= 4, r.notes.join('\n'));
		// A valid header claiming 2^40 bytes is corruption, not a reason to wait forever.
		const hdr = frameRecord(new Uint8Array(0)).slice(0, 12);
		const dv = new DataView(hdr.buffer);
		dv.setUint32(4, 256, true);
		const big = new TfeventsReader({ maxRecordBytes: 1024 });
		const out = big.feed(Buffer.concat([hdr, encodeScalarEvent(7, 'batch_loss', 0.5)]));
		assert.deepEqual(
			out.map((x) => x.step),
			[7],
		);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-tfe-'));
		try {
			const empty = path.join(dir, 'events.out.tfevents.1.host');
			fs.writeFileSync(empty, '');
			const e = await readLogFile(empty);
			assert.deepEqual(e.records, []);
			assert.deepEqual(e.notes, ['events.out.tfevents.1.host: the file is empty']);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
	it('skips non-scalar values once per tag and reads tensor scalars', () => {
		const ev = EventType.fromObject({
			step: 3,
			summary: {
				value: [
					{ tag: 'weights', histo: new Uint8Array([1, 2]) },
					{ tag: 'epoch_acc', tensor: { dtype: 2, doubleVal: [0.75] } },
					{ tag: 'batch_loss', tensor: { dtype: 1, floatVal: [1, 2] } },
				],
			},
		});
		const r = new TfeventsReader({ tagPrefix: 'val_' });
		const out = r.feed(frameRecord(EventType.encode(ev).finish()));
		assert.deepEqual(out, [{ step: 3, unit: 'epoch', values: { val_epoch_acc: 0.75 } }]);
		assert.equal(r.notes.length, 2);
		assert.match(r.notes[0], /tag "weights" is not a scalar/);
	});
});
