/**
 * Scripts written for babel-node: ES `import` syntax in `.js` files of a CommonJS package, with
 * extension-less and directory imports. Node's own ESM loader rejects them; the fit hook transforms
 * them to CommonJS on load. Real ES modules (`"type": "module"`, `.mjs`) stay on Node's loader.
 *
 * The fixture project (test/fixtures/scripts/babelProject) declares @tensorflow/tfjs ^3.21.0. Installing
 * tfjs 3.x needs the network (≈ 11 s, 290 MB), which a test must not depend on, so the copy made here
 * gets `node_modules/@tensorflow/tfjs` as a symlink to LR Scope's bundled tfjs 4.x. Set
 * LRSCOPE_TFJS3_DIR to a folder where `npm i @tensorflow/tfjs@3` was run to use a real 3.x instead.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasEsmSyntax, isEsmInCjs } from '../../src/engine/script/esmInCjs';
import type { ScriptRequest } from '../../src/engine/script/scriptRunner';
import type { BackendChoice, FromRunnerMessage } from '../../src/shared/runnerProtocol';
import { run, scriptsDir } from './scriptHelpers';

const repo = path.join(__dirname, '..', '..');
const tmpDirs: string[] = [];
after(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Where the fixture's @tensorflow/tfjs points: a real 3.x install when given, else our 4.x. */
function tfjsTarget(): { dir: string; version: string } {
	const alt = process.env.LRSCOPE_TFJS3_DIR;
	const dir = alt
		? path.join(alt, 'node_modules', '@tensorflow', 'tfjs')
		: fs.realpathSync(path.join(repo, 'node_modules', '@tensorflow', 'tfjs'));
	const version = (
		JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
			version: string;
		}
	).version;
	return { dir, version };
}

/** Copies a fixture project to the OS temp dir with node_modules/@tensorflow/tfjs linked in. */
function project(name: string): { dir: string; version: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lrscope-${name}-`));
	tmpDirs.push(dir);
	fs.cpSync(path.join(scriptsDir, name), dir, { recursive: true });
	const { dir: tfjs, version } = tfjsTarget();
	fs.mkdirSync(path.join(dir, 'node_modules', '@tensorflow'), { recursive: true });
	fs.symlinkSync(tfjs, path.join(dir, 'node_modules', '@tensorflow', 'tfjs'), 'dir');
	return { dir, version };
}

function rangeTest(
	scriptPath: string,
	options: { steps: number; seed?: number } = { steps: 20 },
	backend: BackendChoice = 'auto',
): ScriptRequest {
	return {
		type: 'rangeTest',
		id: `rt-${path.basename(scriptPath)}`,
		source: { kind: 'script', scriptPath, args: [] },
		options,
		backend,
	};
}

function resultOf(final: FromRunnerMessage) {
	assert.equal(final.type, 'result', JSON.stringify(final).slice(0, 600));
	return (final as Extract<FromRunnerMessage, { type: 'result' }>).result;
}

describe('babel-node style scripts (ES imports in a CommonJS package)', () => {
	it('plain node cannot run the fixture (the problem), the range test can: transformed on load, fit line mapped', async () => {
		const { dir, version } = project('babelProject');
		const plain = spawnSync(process.execPath, ['train.js'], { cwd: dir, encoding: 'utf8' });
		assert.notEqual(plain.status, 0);
		assert.match(plain.stderr, /Cannot find module '.*date_format' imported from/);

		const r = await run(rangeTest(path.join(dir, 'train.js')));
		const result = resultOf(r.final);
		assert.equal(result.losses.length, 20);
		assert.equal(result.backend.version, version);
		assert.ok(
			result.notes.some((n) =>
				n.startsWith('ES-module syntax in train.js (a CommonJS package): LR Scope transformed it'),
			),
			result.notes.join(' | '),
		);
		// The intercepted call is reported at the source's line (inline source maps), not the output's.
		const fitCall = r.messages.find((m) => m.type === 'fitCall') as
			Extract<FromRunnerMessage, { type: 'fitCall' }> | undefined;
		assert.ok(fitCall, 'no fitCall message');
		assert.equal(path.basename(fitCall.file ?? ''), 'train.js');
		assert.equal(fitCall.line, 11);
		// Nothing was written into the project.
		assert.deepEqual(fs.readdirSync(dir).sort(), [
			'.babelrc',
			'data',
			'date_format.js',
			'model.js',
			'node_modules',
			'package.json',
			'train.js',
		]);
	});

	it('real ES modules ("type": "module") stay on Node’s loader: no transform', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-esm-'));
		tmpDirs.push(dir);
		fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
		fs.writeFileSync(
			path.join(dir, 'model.js'),
			`export function createModel(tf) {
	const m = tf.sequential();
	m.add(tf.layers.dense({ inputShape: [3], units: 1 }));
	m.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
	return m;
}\n`,
		);
		fs.writeFileSync(
			path.join(dir, 'train.js'),
			`import * as tf from '@tensorflow/tfjs';
import { createModel } from './model.js';
const model = createModel(tf);
const x = tf.randomNormal([64, 3]);
await model.fit(x, x.sum(1, true), { batchSize: 16, epochs: 1 });\n`,
		);
		fs.mkdirSync(path.join(dir, 'node_modules', '@tensorflow'), { recursive: true });
		fs.symlinkSync(tfjsTarget().dir, path.join(dir, 'node_modules', '@tensorflow', 'tfjs'), 'dir');
		assert.equal(isEsmInCjs(path.join(dir, 'train.js')), false);
		const result = resultOf((await run(rangeTest(path.join(dir, 'train.js')))).final);
		assert.equal(result.losses.length, 20);
		assert.ok(
			!result.notes.some((n) => n.startsWith('ES-module syntax')),
			result.notes.join(' | '),
		);
	});

	it('ES syntax detection: import/export statements yes; require, import(), importScripts no', () => {
		for (const code of [
			"import * as tf from '@tensorflow/tfjs'",
			"import tf from 'x'",
			"import tf, { a } from 'x'",
			"import { a } from 'x'",
			"import './side-effect'",
			'export default 1',
			'export const a = 1',
			'export { a }',
			"export * from 'x'",
			"'use strict';import { a } from 'b'",
		]) {
			assert.ok(hasEsmSyntax(code), code);
		}
		for (const code of [
			"const tf = require('x')",
			"importScripts('a')",
			"import('x').then(() => 1)",
			'exports.a = 1',
			'module.exports = {}',
			'const important = 1',
		]) {
			assert.ok(!hasEsmSyntax(code), code);
		}
		assert.ok(isEsmInCjs(path.join(scriptsDir, 'babelProject', 'train.js')));
		assert.ok(!isEsmInCjs(path.join(scriptsDir, 'healthy.js')));
	});
});
