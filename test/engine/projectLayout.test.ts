/**
 * Projects as they run (`test/fixtures/scripts/tsMonorepo`, an nx-style monorepo):
 * - the working directory is the nearest package.json folder, as `npm run` (the app reads
 *   `src/dataset/meta.json` from its package root), and `cwd` overrides it;
 * - tsconfig `paths`/`baseUrl` (via `extends`) resolve the library imports;
 * - an import that resolves nowhere is reported at the user's file and line, never LR Scope's.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RangeTestResult } from '../../src/core/types';
import { scriptCwd } from '../../src/engine/scriptSource';
import { parseJsonc, readTsPaths, tsPathCandidates } from '../../src/engine/fitHook/tsPaths';
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
