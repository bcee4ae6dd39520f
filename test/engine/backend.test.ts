/**
 * Backend resolution: order, forced choices, a workspace tfjs-node that fails to load, and the
 * wasm → cpu fallback when the model cannot train on wasm (state untouched by the probe).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureTrainable, probeTraining, resolveTf } from '../../src/engine/backend';
import { BadInputError } from '../../src/engine/errors';
import { bits, linearSource, stateValues } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-backend-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A workspace whose node_modules has a package with the given index.js. */
function fakeWorkspace(name: string, pkg: string, indexJs: string): string {
	const ws = path.join(tmp, name);
	const dir = path.join(ws, 'node_modules', ...pkg.split('/'));
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(ws, 'package.json'), '{"name":"ws","version":"1.0.0"}');
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: pkg, version: '9.9.9', main: 'index.js' }),
	);
	fs.writeFileSync(path.join(dir, 'index.js'), indexJs);
	return ws;
}

describe('resolveTf', () => {
	it('auto without tfjs-node picks the bundled tfjs on wasm and says why', async () => {
		const r = await resolveTf({ choice: 'auto' });
		assert.equal(r.info.name, 'wasm');
		assert.equal(r.tf.getBackend(), 'wasm');
		assert.equal(r.info.origin, 'bundled');
		assert.match(r.info.reason, /tfjs-node is not installed/);
		assert.match(r.info.version, /^\d+\.\d+\.\d+$/);
	});

	it('forced cpu gives cpu; forced tfjs-node without it is a one-line bad-input error', async () => {
		const r = await resolveTf({ choice: 'cpu' });
		assert.equal(r.tf.getBackend(), 'cpu');
		assert.match(r.info.reason, /forced/);
		await assert.rejects(
			resolveTf({ choice: 'tfjs-node' }),
			(e) => e instanceof BadInputError && /tfjs-node is not installed/.test(e.message),
		);
	});

	it('a workspace tfjs-node that fails to load is skipped, with the failure in the reason', async () => {
		const ws = fakeWorkspace(
			'broken-node',
			'@tensorflow/tfjs-node',
			"throw new Error('The specified module could not be found: tfjs_binding.node');",
		);
		const r = await resolveTf({ choice: 'auto', workspace: ws });
		assert.equal(r.info.origin, 'bundled');
		assert.match(
			r.info.reason,
			/workspace @tensorflow\/tfjs-node failed to load \(The specified module could not be found/,
		);
	});

	it('the workspace tfjs-node comes first when it loads', async () => {
		// A stand-in "tfjs-node": our own tfjs with a backend registered under the name 'tensorflow'.
		const ownTfjs = require.resolve('@tensorflow/tfjs');
		const ws = fakeWorkspace(
			'fake-node',
			'@tensorflow/tfjs-node',
			`const tf = require(${JSON.stringify(ownTfjs)});
			 if (!tf.findBackend('tensorflow')) { tf.registerBackend('tensorflow', () => tf.findBackend('cpu') ?? new (require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))}).MathBackendCPU)()); }
			 module.exports = tf;`,
		);
		const r = await resolveTf({ choice: 'auto', workspace: ws });
		assert.equal(r.info.origin, 'workspace');
		assert.equal(r.info.package, '@tensorflow/tfjs-node');
		assert.equal(r.info.version, '9.9.9');
		assert.equal(r.info.name, 'tensorflow');
		assert.match(r.info.reason, /the workspace has @tensorflow\/tfjs-node/);
		await r.tf.setBackend('cpu');
	});

	it('a workspace that resolves to our own tfjs is reported as bundled, not workspace', async () => {
		const r = await resolveTf({ choice: 'auto', workspace: path.resolve(__dirname, '..', '..') });
		assert.equal(r.info.origin, 'bundled');
	});
});

describe('ensureTrainable', () => {
	it('falls back from wasm to cpu (reloading the source) when a training kernel is missing', async () => {
		const resolved = await resolveTf({ choice: 'auto' });
		assert.equal(resolved.info.name, 'wasm');
		const { tf } = resolved;
		const first = linearSource(tf);
		// Simulate a gradient kernel wasm lacks (as Conv2DBackpropFilter was in tfjs 4.22).
		first.model.trainOnBatch = () =>
			Promise.reject(new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"));
		let reloads = 0;
		const { loaded, info } = await ensureTrainable(resolved, first, () => {
			reloads += 1;
			return Promise.resolve(linearSource(tf));
		});
		try {
			assert.equal(reloads, 1);
			assert.equal(tf.getBackend(), 'cpu');
			assert.equal(info.name, 'cpu');
			assert.match(
				info.reason,
				/wasm cannot train this model \(Kernel 'Conv2DBackpropFilter' not registered/,
			);
			assert.notEqual(loaded, first);
		} finally {
			loaded.dispose();
		}
	});

	it('forced wasm that cannot train is a bad-input error', async () => {
		const resolved = await resolveTf({ choice: 'wasm' });
		const src = linearSource(resolved.tf);
		src.model.trainOnBatch = () =>
			Promise.reject(new Error("Kernel 'X' not registered for backend 'wasm'"));
		try {
			await assert.rejects(
				ensureTrainable(resolved, src, () => Promise.resolve(src)),
				(e) => e instanceof BadInputError && /--backend cpu/.test(e.message),
			);
		} finally {
			src.dispose();
			await resolved.tf.setBackend('cpu');
		}
	});

	it('the probe trains one step on wasm and leaves weights, optimizer and tensor count untouched', async () => {
		const resolved = await resolveTf({ choice: 'wasm' });
		const { tf } = resolved;
		const src = linearSource(tf, { optimizer: 'adam' });
		try {
			const before = bits(await stateValues(tf, src.model));
			const n = tf.memory().numTensors;
			assert.equal(await probeTraining(tf, src), null);
			assert.deepEqual(bits(await stateValues(tf, src.model)), before);
			assert.equal(tf.memory().numTensors, n);
		} finally {
			src.dispose();
			await tf.setBackend('cpu');
		}
	});
});
