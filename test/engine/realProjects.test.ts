/**
 * Scripts in projects with their own tfjs, installed from npm as users have them (tfjsProjects.ts):
 * - `@tensorflow/tfjs-node` without its native binary → the script runs on LR Scope's bundled tfjs
 *   (every `@tensorflow/tfjs*` import aliased), so wasm is available; one note; no kernel
 *   registered twice, no "Platform … has already been set";
 * - a project pinned to tfjs 3.x or 1.x → the same, with the note naming the workspace's copy (1.x
 *   also trains on its own copy when aliasing is off);
 * - a script that fails on the bundled tfjs → run again on the workspace's own, with a note (a
 *   monitor run only when it failed before model.fit);
 * - monitoring such a project trains on the bundled tfjs too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { RangeTestResult } from '../../src/core/types';
import type { ScriptRequest } from '../../src/engine/script/scriptRunner';
import { ofType, run, type ScriptRun } from './scriptHelpers';
import { scriptFolder, tfjsProject } from './tfjsProjects';

const node4 = tfjsProject('tfjs-node-4.22.0', ['@tensorflow/tfjs-node@4.22.0']);
const tfjs3 = tfjsProject('tfjs-3.21.0', ['@tensorflow/tfjs@3.21.0']);
const tfjs1 = tfjsProject('tfjs-1.7.4', ['@tensorflow/tfjs@1.7.4']);
const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A small CNN script on `pkg`, with a helper file that requires the same package again. */
function cnnScript(pkg: string, guard = ''): Record<string, string> {
	return {
		'lib/data.js': `'use strict';
const tf = require('${pkg}');
exports.data = (n) => {
	const x = tf.randomNormal([n, 12, 12, 1], 0, 1, 'float32', 3);
	const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3);
	return { x, y };
};`,
		'train.js': `'use strict';
const tf = require('${pkg}');
const { data } = require('./lib/data');
${guard}
const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu' }));
model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
const { x, y } = data(96);
model.fit(x, y, { batchSize: 16, epochs: 1 }).then(() => console.log('trained'));
`,
	};
}

/**
 * The same CNN script as an ES module (package "type": "module"): `import` instead of `require`,
 * plus `extraImports` and a first line `probe` before the model is built.
 */
function esmCnnScript(pkg: string, extraImports: string, probe: string): Record<string, string> {
	const files = cnnScript(pkg);
	const toImport = (text: string): string =>
		text
			.replace("'use strict';\n", '')
			.replace(`const tf = require('${pkg}');`, `import * as tf from '${pkg}';`);
	return {
		'package.json': JSON.stringify({ name: 'esm-train', private: true, type: 'module' }),
		'train.js': toImport(files['train.js'])
			.replace(
				"const { data } = require('./lib/data');",
				`import { data } from './lib/data.js';${extraImports}`,
			)
			.replace('const model', `${probe}\nconst model`),
		'lib/data.js': toImport(files['lib/data.js']).replace('exports.data =', 'export const data ='),
	};
}

function req(dir: string, type: 'rangeTest' | 'monitor' = 'rangeTest'): ScriptRequest {
	const source = { kind: 'script' as const, scriptPath: path.join(dir, 'train.js'), args: [] };
	return type === 'monitor'
		? { type, id: 'mon', source, options: { layers: false }, backend: 'auto' }
		: { type, id: 'rt', source, options: { steps: 12, repeat: 1 }, backend: 'auto' };
}

function resultOf(r: ScriptRun): RangeTestResult {
	assert.equal(r.final.type, 'result', JSON.stringify(r.final).slice(0, 600));
	return (r.final as { result: RangeTestResult }).result;
}

/** No second copy of tfjs loaded: nothing registered twice. */
function assertOneCopy(output: string): void {
	assert.doesNotMatch(output, /already registered/);
	assert.doesNotMatch(output, /Platform \w+ has already been set/);
}

describe('real projects: tfjs-node without its binary, tfjs 3.x', () => {
	it('tfjs-node 4.22 installed without its binary → the bundled tfjs on wasm, one note', async (t) => {
		if ('skip' in node4) {
			return t.skip(node4.skip);
		}
		const dir = scriptFolder(node4.dir, 'cnn', cnnScript('@tensorflow/tfjs-node'));
		made.push(dir);
		const r = await run(req(dir));
		const res = resultOf(r);
		assert.equal(res.backend.origin, 'bundled');
		assert.equal(res.backend.name, 'wasm', res.backend.reason);
		assert.match(res.backend.reason, /tfjs-node 4\.22\.0 is installed without its native binary/);
		const notes = res.notes.filter((n) => /bundled @tensorflow\/tfjs 4\.22\.0/.test(n));
		assert.equal(notes.length, 1, res.notes.join(' | '));
		assert.equal(res.losses.length, 12);
		assertOneCopy(r.output);
	});

	it('an ES-module script importing tfjs-node without its binary → the stand-in on the bundled tfjs, named imports too', async (t) => {
		if ('skip' in node4) {
			return t.skip(node4.skip);
		}
		const dir = scriptFolder(
			node4.dir,
			'esm',
			esmCnnScript(
				'@tensorflow/tfjs-node',
				"\nimport { node, sequential } from '@tensorflow/tfjs-node';",
				'console.log(`named: ${typeof sequential} ${typeof node}`);',
			),
		);
		made.push(dir);
		const r = await run(req(dir));
		const res = resultOf(r);
		assert.match(r.output, /named: function object/);
		assert.equal(res.backend.origin, 'bundled');
		assert.match(res.backend.reason, /tfjs-node 4\.22\.0 is installed without its native binary/);
		assert.equal(res.losses.length, 12);
		// Nothing was written next to the script.
		assert.deepEqual(fs.readdirSync(dir).sort(), ['lib', 'package.json', 'train.js']);
		assertOneCopy(r.output);
	});

	it('monitor on the same project: the stand-in note once, nothing registered twice', async (t) => {
		if ('skip' in node4) {
			return t.skip(node4.skip);
		}
		const dir = scriptFolder(node4.dir, 'mon', cnnScript('@tensorflow/tfjs-node'));
		made.push(dir);
		const r = await run(req(dir, 'monitor'));
		assert.equal(r.final.type, 'monitorEnd', JSON.stringify(r.final).slice(0, 400));
		// Monitoring trains on the bundled tfjs too (wasm), said once, with the way back.
		const notes = ofType(r.messages, 'log').filter((m) =>
			/bundled @tensorflow\/tfjs/.test(m.message),
		);
		assert.equal(notes.length, 1, JSON.stringify(notes));
		assert.match(notes[0].message, /installed without its native binary/);
		assert.match(notes[0].message, /if the script fails there before model\.fit it runs again/);
		const started = ofType(r.messages, 'started');
		assert.equal(started.length, 1);
		assert.equal(started[0].backend.origin, 'bundled', started[0].backend.reason);
		assert.equal(started[0].backend.name, 'wasm', started[0].backend.reason);
		assert.equal((r.final as { exitCode: number }).exitCode, 0);
		assert.ok(ofType(r.messages, 'trainLog').length > 0);
		assertOneCopy(r.output);
	});

	it('monitor: a script that fails on the bundled tfjs before model.fit runs again on the workspace’s 3.21', async (t) => {
		if ('skip' in tfjs3) {
			return t.skip(tfjs3.skip);
		}
		const guard = `if (!tf.version.tfjs.startsWith('3.')) throw new Error('this script needs tfjs 3');`;
		const dir = scriptFolder(tfjs3.dir, 'monv3only', cnnScript('@tensorflow/tfjs', guard));
		made.push(dir);
		const r = await run(req(dir, 'monitor'));
		assert.equal(r.final.type, 'monitorEnd', JSON.stringify(r.final).slice(0, 400));
		assert.equal((r.final as { exitCode: number }).exitCode, 0);
		const again = ofType(r.messages, 'log').filter((m) => /running it again/.test(m.message));
		assert.equal(again.length, 1);
		// Only the second run's messages: one start, on the workspace's 3.21, no error from the first.
		const started = ofType(r.messages, 'started');
		assert.equal(started.length, 1);
		assert.equal(started[0].backend.version, '3.21.0', started[0].backend.reason);
		assert.equal(started[0].backend.origin, 'workspace');
		assert.ok(!ofType(r.messages, 'log').some((m) => m.level === 'error'));
		assert.equal(ofType(r.messages, 'monitorEnd').length, 1);
	});

	it('a project pinned to tfjs 3.21 → the bundled tfjs with its note', async (t) => {
		if ('skip' in tfjs3) {
			return t.skip(tfjs3.skip);
		}
		// The script reports the backend its model is built on: wasm already (started before the
		// script ran, so initializers and data preparation do not run on cpu).
		const guard = "console.log('backend before the model: ' + tf.getBackend());";
		const dir = scriptFolder(tfjs3.dir, 'cnn', cnnScript('@tensorflow/tfjs', guard));
		made.push(dir);
		const r = await run(req(dir));
		const res = resultOf(r);
		assert.equal(res.backend.origin, 'bundled');
		assert.equal(res.backend.version, '4.22.0');
		assert.match(r.output, /backend before the model: wasm/);
		assert.ok(
			res.notes.some((n) =>
				/workspace's @tensorflow\/tfjs 3\.21\.0 is another copy.*bundled @tensorflow\/tfjs 4\.22\.0/.test(
					n,
				),
			),
			res.notes.join(' | '),
		);
		assertOneCopy(r.output);
	});

	it('an ES-module script (package "type": "module") in the 3.21 project → every import from the bundled tfjs', async (t) => {
		if ('skip' in tfjs3) {
			return t.skip(tfjs3.skip);
		}
		const dir = scriptFolder(
			tfjs3.dir,
			'esm',
			esmCnnScript(
				'@tensorflow/tfjs',
				'',
				"console.log(`tfjs ${tf.version.tfjs} core ${tf.version['tfjs-core']}`);",
			),
		);
		made.push(dir);
		const r = await run(req(dir));
		const res = resultOf(r);
		// Not a mix: the top-level package the script imports is the bundled one too, patched and
		// captured as a require of it is (so tfjs's "install our node backend" banner is quiet).
		assert.match(r.output, /tfjs 4\.22\.0 core 4\.22\.0/);
		assert.doesNotMatch(r.output, /looks like you are running TensorFlow\.js in Node\.js/);
		assert.equal(res.backend.origin, 'bundled');
		assert.ok(
			res.notes.some((n) => /workspace's @tensorflow\/tfjs 3\.21\.0 is another copy/.test(n)),
			res.notes.join(' | '),
		);
		assert.equal(res.losses.length, 12);
		assertOneCopy(r.output);
	});

	it('a project pinned to tfjs 1.7 trains on the bundled tfjs, and on its own 1.7.4 when aliasing is off', async (t) => {
		if ('skip' in tfjs1) {
			return t.skip(tfjs1.skip);
		}
		const dir = scriptFolder(tfjs1.dir, 'cnn', cnnScript('@tensorflow/tfjs'));
		made.push(dir);
		const aliased = resultOf(await run(req(dir)));
		assert.equal(aliased.backend.origin, 'bundled');
		assert.ok(
			aliased.notes.some((n) => /workspace's @tensorflow\/tfjs 1\.7\.4 is another copy/.test(n)),
			aliased.notes.join(' | '),
		);
		assert.equal(aliased.losses.length, 12);
		process.env.LRSCOPE_TFJS_ALIAS = '0';
		try {
			const own = resultOf(await run(req(dir)));
			assert.equal(own.backend.origin, 'workspace');
			assert.equal(own.backend.version, '1.7.4');
			assert.equal(own.backend.name, 'cpu');
			assert.equal(own.losses.length, 12);
			assert.ok(own.losses.slice(0, 3).every((l) => Number.isFinite(l)));
		} finally {
			delete process.env.LRSCOPE_TFJS_ALIAS;
		}
	});

	it('a script that fails on the bundled tfjs runs again on the workspace’s 3.21, and says why', async (t) => {
		if ('skip' in tfjs3) {
			return t.skip(tfjs3.skip);
		}
		const guard = `if (!tf.version.tfjs.startsWith('3.')) throw new Error('this script needs tfjs 3');`;
		const dir = scriptFolder(tfjs3.dir, 'v3only', cnnScript('@tensorflow/tfjs', guard));
		made.push(dir);
		const r = await run(req(dir));
		const res = resultOf(r);
		assert.equal(res.backend.origin, 'workspace');
		assert.equal(res.backend.version, '3.21.0');
		assert.ok(
			res.notes.some((n) =>
				/failed on LR Scope's bundled tfjs \(.*this script needs tfjs 3.*\), so it ran on the workspace's @tensorflow\/tfjs 3\.21\.0/.test(
					n,
				),
			),
			res.notes.join(' | '),
		);
		assert.ok(ofType(r.messages, 'log').some((m) => /running it again/.test(m.message)));
	});
});
