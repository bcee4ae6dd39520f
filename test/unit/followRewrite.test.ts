/**
 * Issue 11: a followed log truncated and written again between two polls, on the same inode and to
 * at least the old size, was not noticed — records were skipped and the half line at the old
 * offset was reported as garbage. The follower fingerprints the file's first bytes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { LogFollower } from '../../src/core/logs/follow';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-rewrite-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const jsonl = (from: number, to: number, loss: (i: number) => number): string =>
	Array.from({ length: to - from }, (_, k) => {
		const i = from + k;
		return `{"step":${i},"loss":${loss(i)},"time":"2026-11-30T10:00:${String(i % 60).padStart(2, '0')}"}\n`;
	}).join('');

for (const kind of ['jsonl', 'csv'] as const) {
	it(`${kind}: a rewrite in place (same inode, not smaller) is noticed and read from the start`, async () => {
		const p = path.join(tmp, `run.${kind}`);
		const first =
			kind === 'jsonl'
				? jsonl(0, 50, (i) => 1 / (i + 1))
				: 'step,loss\n' + Array.from({ length: 50 }, (_, i) => `${i},${1 / (i + 1)}\n`).join('');
		fs.writeFileSync(p, first);
		const ino = fs.statSync(p).ino;
		const f = new LogFollower(p);
		const a = await f.poll();
		assert.equal(a.records.length, 50);
		// A new run writes the same file again (open with O_TRUNC keeps the inode), longer.
		const second =
			kind === 'jsonl'
				? jsonl(0, 80, (i) => 2 + i)
				: 'step,loss,acc\n' +
					Array.from({ length: 80 }, (_, i) => `${i},${2 + i},${(i / 80).toFixed(9)}\n`).join('');
		fs.writeFileSync(p, second);
		assert.equal(fs.statSync(p).ino, ino);
		assert.ok(second.length >= first.length);
		const b = await f.poll();
		assert.ok(
			b.notes.some((n) => /rewritten; reading it from the start/.test(n)),
			b.notes.join('\n'),
		);
		assert.equal(b.notes.length, 1, b.notes.join('\n'));
		assert.equal(b.records.length, 80);
		assert.equal(b.records[0].step, 0);
		assert.equal(b.records[0].values.loss, 2);
		// Appends after that are read as usual, with no further note.
		fs.appendFileSync(p, kind === 'jsonl' ? jsonl(80, 81, () => 7) : '80,7,1\n');
		const c = await f.poll();
		assert.deepEqual(c.notes, []);
		assert.equal(c.records.length, 1);
		assert.equal(c.records[0].step, 80);
	});
}

it('a file that only grows is never taken for a rewrite', async () => {
	const p = path.join(tmp, 'grow.jsonl');
	fs.writeFileSync(p, '{"st');
	const f = new LogFollower(p);
	let n = 0;
	const notes: string[] = [];
	let text = '{"st';
	for (let i = 0; i < 300; i++) {
		const add = (i === 0 ? 'ep":0,"loss":1}\n' : '') + jsonl(i + 1, i + 2, () => 0.5);
		fs.appendFileSync(p, add);
		text += add;
		const r = await f.poll();
		n += r.records.length;
		notes.push(...r.notes);
	}
	assert.deepEqual(notes, []);
	assert.equal(n, 301);
	assert.ok(text.length > 4096);
});
