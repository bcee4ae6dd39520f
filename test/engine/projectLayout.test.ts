/**
 * Projects as they run (`test/fixtures/scripts/tsMonorepo`, an nx-style monorepo):
 * - the working directory is the nearest package.json folder, as `npm run` (the app reads
 *   `src/dataset/meta.json` from its package root), and `cwd` overrides it;
 * - tsconfig `paths`/`baseUrl` (via `extends`) resolve the library imports;
 * - an import that resolves nowhere is reported at the user's file and line, never LR Scope's;
 * - what the script gives: 9 examples with batch 32 (one partial batch), `--batch-size` named in
 *   the notes, a tfjs without `trainOnBatch` (0.x) stepped with a one-batch `fit`.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RangeTestResult } from '../../src/core/types';
import { scriptCwd } from '../../src/engine/script/scriptSource';
import { parseJsonc, readTsPaths, tsPathCandidates } from '../../src/engine/script/fitHook/tsPaths';
import { rangeTestReq, run, scriptsDir } from './scriptHelpers';

const app = path.join(scriptsDir, 'tsMonorepo', 'apps', 'trainer');

describe('projects as they run: cwd, tsconfig paths, user-facing errors', () => {
	it('cwd: the nearest package.json folder; an explicit cwd wins; no package.json → the script’s folder', () => {
		const src = { kind: 'script' as const, args: [] };
		assert.equal(scriptCwd({ ...src, scriptPath: path.join(app, 'src', 'main.ts') }), app);
		assert.equal(
			scriptCwd({ ...src, scriptPath: path.join(app, 'src', 'main.ts'), cwd: '/tmp' }),
			'/tmp',
		);
		assert.equal(
			scriptCwd({ ...src, scriptPath: path.join(scriptsDir, 'mnistNode', 'main.js') }),
			path.join(scriptsDir, 'mnistNode'),
		);
	});

	it('tsconfig: comments and trailing commas, extends, paths patterns before baseUrl', () => {
		assert.deepEqual(parseJsonc('{ // c\n "a": "//not a comment", /* x */ "b": [1,], }'), {
			a: '//not a comment',
			b: [1],
		});
		const ts = readTsPaths(path.join(app, 'tsconfig.json'));
		const root = path.join(scriptsDir, 'tsMonorepo');
		assert.equal(ts.baseUrl, root);
		assert.deepEqual(tsPathCandidates('@demo/data', ts), [
			path.join(root, 'libs/data/src/index.ts'),
			path.join(root, '@demo/data'),
		]);
		assert.deepEqual(
			tsPathCandidates('@demo/data/random', ts)[0],
			path.join(root, 'libs/data/src/random'),
		);
	});

	it('runs the monorepo app: paths resolved, files read from the package root', async () => {
		const r = await run(
			rangeTestReq(
				path.join('tsMonorepo', 'apps', 'trainer', 'src', 'main.ts'),
				{},
				{
					steps: 10,
					repeat: 1,
				},
			),
		);
		assert.equal(r.final.type, 'result', JSON.stringify(r.final).slice(0, 600));
		const res = (r.final as { result: RangeTestResult }).result;
		assert.equal(res.batchSize, 8);
		assert.equal(res.losses.length, 10);
	});

	it('an unresolvable import: the error names the user’s file and line, not LR Scope’s', async () => {
		const r = await run(
			rangeTestReq(path.join('tsMonorepo', 'apps', 'trainer', 'src', 'broken.ts')),
		);
		assert.equal(r.final.type, 'error');
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'badInput');
		assert.equal(
			e.message,
			"broken.ts threw before calling model.fit: Error: Cannot find module '@demo/missing' (broken.ts:3)",
		);
		assert.doesNotMatch(e.message, /patchTf|tfLoad|tsPaths|fitHook/);
	});
});

describe('what the script gives: tiny data, --batch-size, a tfjs without trainOnBatch', () => {
	const result = async (script: string, options: Record<string, number>) => {
		const r = await run(rangeTestReq(script, {}, { steps: 8, repeat: 1, ...options }));
		assert.equal(r.final.type, 'result', JSON.stringify(r.final).slice(0, 600));
		return (r.final as { result: RangeTestResult }).result;
	};

	it('9 examples, batch 32 (tfjs default): one partial batch of 9, said in the notes', async () => {
		const res = await result('nineExamples.js', {});
		assert.equal(res.batchSize, 9);
		assert.equal(res.losses.length, 8);
		const text = res.notes.join(' | ');
		assert.match(text, /batch size 32 \(tfjs default; 9 examples, so one partial batch of 9\)/);
		assert.match(text, /fewer than one batch of 32.*batch size is 9/);
	});

	it('--batch-size 4 is what the notes and the result say', async () => {
		const res = await result('nineExamples.js', { batchSize: 4 });
		assert.equal(res.batchSize, 4);
		assert.match(res.notes.join(' | '), /batch size 4 \(--batch-size; the script's is 32\)/);
	});

	it('a tfjs without model.trainOnBatch: each step is a one-batch fit, and a note says so', async () => {
		const res = await result('noTrainOnBatch.js', {});
		assert.equal(res.batchSize, 16);
		assert.equal(res.losses.length, 8);
		assert.ok(res.losses.every((l) => l !== null && Number.isFinite(l)));
		assert.match(res.notes.join(' | '), /has no model\.trainOnBatch, so each step is model\.fit/);
	});
});
