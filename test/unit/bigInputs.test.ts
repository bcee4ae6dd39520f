/**
 * Issue 11: huge data and model files. A 2 GiB CSV was read whole (2.1 GB RSS, then "Cannot create
 * a string longer than …"), a 2 GiB .npy gave ERR_FS_FILE_TOO_LARGE, a 2 GiB model.json took
 * seconds and gigabytes to fail. The files here are sparse (fs.truncate), in the OS temp folder,
 * and deleted afterwards: they take no disk space and no time to make.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { readCsv } from '../../src/engine/sources/data/csv';
import { readJsonData } from '../../src/engine/sources/data/json';
import { readNpy } from '../../src/engine/sources/data/npy';
import { BadInputError } from '../../src/shared/errors';
import { readModelJson } from '../../src/engine/sources/modelLoad';
import { limits } from '../../src/shared/limits';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-big-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const GiB2 = 2 * 1024 * 1024 * 1024;

function rssMb(): number {
	return process.memoryUsage().rss / 1024 / 1024;
}

/** A .npy header for a float32 vector of `n` values (format 1.0, padded to 128 bytes). */
function npyHeader(n: number): Buffer {
	let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n},), }`;
	h = h.padEnd(128 - 10 - 1, ' ') + '\n';
	const b = Buffer.alloc(10 + h.length);
	b.write('\x93NUMPY', 0, 'latin1');
	b[6] = 1;
	b[7] = 0;
	b.writeUInt16LE(h.length, 8);
	b.write(h, 10, 'latin1');
	return b;
}

it('a 2 GiB CSV: its first rows up to the limit are used, with a note; memory stays bounded', () => {
	const p = path.join(tmp, 'big.csv');
	const rows = ['a,b,label'];
	for (let i = 0; i < 1000; i++) {
		rows.push(`${i},${i * 2},${i % 2}`);
	}
	fs.writeFileSync(p, rows.join('\n') + '\n');
	fs.truncateSync(p, GiB2); // the rest reads as NUL bytes: never parsed, as it is past the limit
	const before = rssMb();
	const raw = readCsv(p, { labels: ['label'], targetWidth: 2 });
	assert.equal(raw.x.shape[0], 1000);
	assert.match(
		raw.notes.join('\n'),
		/big\.csv is 2 GiB: used its first 1000 rows \(LR Scope reads at most 16 MiB of a CSV\)/,
	);
	assert.ok(rssMb() - before < 400, `RSS grew by ${(rssMb() - before).toFixed(0)} MB`);
	fs.rmSync(p);
});

it('a 2 GiB .npy is refused from its header, saying the limit and what to do', () => {
	const p = path.join(tmp, 'x.npy');
	const n = GiB2 / 4;
	fs.writeFileSync(p, npyHeader(n));
	fs.truncateSync(p, 128 + GiB2);
	const t0 = Date.now();
	assert.throws(
		() => readNpy(p),
		(e: unknown) =>
			e instanceof BadInputError &&
			/x\.npy holds 536870912 values \(2 GiB\), over LR Scope's limit of 268435456 values.*numpy\.save\('x_small\.npy', a\[:100000\]\)/.test(
				e.message,
			),
	);
	assert.ok(Date.now() - t0 < 1000);
	fs.rmSync(p);
});

it('a .npy over 64 MiB (under the limit) is read by offsets, values intact', () => {
	const p = path.join(tmp, 'mid.npy');
	const n = 20_000_000; // 80 MB of float32
	fs.writeFileSync(p, npyHeader(n));
	fs.truncateSync(p, 128 + n * 4);
	const fd = fs.openSync(p, 'r+');
	const put = (i: number, v: number): void => {
		const b = Buffer.alloc(4);
		b.writeFloatLE(v, 0);
		fs.writeSync(fd, b, 0, 4, 128 + i * 4);
	};
	put(0, 1.5);
	put(4_194_303, -2); // the last value of the first 16 MiB chunk
	put(4_194_304, 3); // the first of the second
	put(n - 1, 7.25);
	fs.closeSync(fd);
	const a = readNpy(p);
	assert.equal(a.kind, 'numeric');
	if (a.kind === 'numeric') {
		assert.deepEqual(a.array.shape, [n]);
		assert.equal(a.array.values[0], 1.5);
		assert.equal(a.array.values[4_194_303], -2);
		assert.equal(a.array.values[4_194_304], 3);
		assert.equal(a.array.values[n - 1], 7.25);
		assert.equal(a.array.values[12345], 0);
	}
	fs.rmSync(p);
	assert.ok(limits.npyValues >= n);
});

it('a 2 GiB model.json is refused before it is read', () => {
	const p = path.join(tmp, 'model.json');
	fs.writeFileSync(p, '{"format":"layers-model","modelTopology":');
	fs.truncateSync(p, GiB2);
	const t0 = Date.now();
	const before = rssMb();
	assert.throws(
		() => readModelJson(p),
		(e: unknown) =>
			e instanceof BadInputError &&
			/model\.json is 2 GiB, over LR Scope's limit of 32 MiB .*\.bin shards/.test(e.message),
	);
	assert.ok(Date.now() - t0 < 1000);
	assert.ok(rssMb() - before < 50);
	fs.rmSync(p);
});

it('a JSON data file over its limit is refused with a pointer to .npy', () => {
	const p = path.join(tmp, 'data.json');
	fs.writeFileSync(p, '{"x":[');
	fs.truncateSync(p, GiB2);
	assert.throws(
		() => readJsonData(p),
		(e: unknown) =>
			e instanceof BadInputError && /data\.json is 2 GiB.*x\.npy,y\.npy/.test(e.message),
	);
	fs.rmSync(p);
});

it('a data path that is a folder is one line, not EISDIR', () => {
	const d = path.join(tmp, 'folder.csv');
	fs.mkdirSync(d);
	assert.throws(
		() => readCsv(d, { labels: ['y'], targetWidth: 1 }),
		(e: unknown) => e instanceof BadInputError && /is a folder/.test(e.message),
	);
});
