/**
 * Issue 11: on a first run (no backend speed-probe cache) tfjs's cpu backend printed its
 * multi-line "Hi, looks like you are running TensorFlow.js in Node.js…" banner to stderr, also in
 * front of error lines. The runner silences it; the CLI's stderr has only our own lines.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-quiet-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function rangeTest(
	backend: string,
	cacheDir: string,
	extra: string[] = [],
): { code: number | null; stderr: string } {
	const r = spawnSync(
		process.execPath,
		[
			path.join(root, 'bin', 'lrscope.js'),
			'range-test',
			'--module',
			path.join(root, 'examples', 'module-source', 'source.ts'),
			'--steps',
			'12',
			'--backend',
			backend,
			'--json',
			...extra,
		],
		{
			encoding: 'utf8',
			timeout: 180000,
			cwd: tmp,
			env: { ...process.env, LRSCOPE_CACHE_DIR: cacheDir },
		},
	);
	return { code: r.status, stderr: r.stderr };
}

it('a first run (fresh probe cache, auto backend) prints no tfjs banner', () => {
	const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
	const r = rangeTest('auto', cache);
	assert.equal(r.code, 0, r.stderr);
	assert.doesNotMatch(r.stderr, /looks like you are running TensorFlow\.js|={10}/);
});

it('a forced cpu run prints no tfjs banner', () => {
	const r = rangeTest('cpu', fs.mkdtempSync(path.join(tmp, 'cache-')));
	assert.equal(r.code, 0, r.stderr);
	assert.doesNotMatch(r.stderr, /looks like you are running TensorFlow\.js|={10}/);
});

it('range-test --out writes its report (checked before the run, written after)', () => {
	const out = path.join(tmp, 'reports', 'curve.html');
	const r = rangeTest('cpu', fs.mkdtempSync(path.join(tmp, 'cache-')), ['--out', out]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stderr, /report: /);
	assert.match(fs.readFileSync(out, 'utf8'), /<svg/);
});
