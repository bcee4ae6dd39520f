/**
 * Backend resolution: order, forced choices, a workspace tfjs-node that fails to load, the
 * wasm-vs-cpu choice by the per-machine speed probe (cache hit and miss), and the wasm → cpu
 * fallback when the model cannot train on wasm (state untouched by the probes).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as bundledTf from '@tensorflow/tfjs';
import { resolveTf, speedProbeCachePath } from '../../src/engine/backend/backend';
import { ensureTrainable, probeTraining } from '../../src/engine/backend/trainable';
import { BadInputError } from '../../src/shared/errors';
import type { LoadedSource, Tf } from '../../src/engine/sources/sourceTypes';
import { probeCacheId } from '../../src/engine/backend/wasmKernels/probe';
import { bits, linearSource, stateValues } from './helpers';

// One wasm thread in this file: the seeded cache entries are keyed by the thread count, and the
// wasm backend initialises once per process (the default, all cores, would depend on the machine).
process.env.LRSCOPE_WASM_THREADS = '1';

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

let cacheDirs = 0;
/**
 * A fresh cache folder whose speed-probe file already names `fastest` for the bundled tfjs on
 * this machine, so `auto` does not depend on which backend happens to be faster here.
 */
function seededCache(fastest: 'wasm' | 'cpu'): string {
	const dir = path.join(tmp, `cache-${cacheDirs++}`);
	fs.mkdirSync(dir);
	const other = fastest === 'wasm' ? 'cpu' : 'wasm';
	const entry = { backend: fastest, stepsPerSecond: { [fastest]: 50, [other]: 5 } };
	fs.writeFileSync(
		speedProbeCachePath({ cacheDir: dir }),
		JSON.stringify({ [probeCacheId(bundledTf, ['wasm', 'cpu'])]: entry }),
	);
	return dir;
}

describe('resolveTf', () => {
	it('auto without tfjs-node picks the bundled tfjs on wasm and says why', async () => {
		const r = await resolveTf({ choice: 'auto', cacheDir: seededCache('wasm') });
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

describe('auto: wasm or cpu by the per-machine speed probe', () => {
	it('a cache hit decides without measuring, and the reason says it was cached', async () => {
		for (const fastest of ['cpu', 'wasm'] as const) {
			const dir = seededCache(fastest);
			const before = fs.readFileSync(speedProbeCachePath({ cacheDir: dir }), 'utf8');
			const r = await resolveTf({ choice: 'auto', cacheDir: dir });
			assert.equal(r.info.name, fastest);
			assert.equal(r.tf.getBackend(), fastest);
			assert.equal(r.info.origin, 'bundled');
			assert.equal(
				r.info.package,
				fastest === 'cpu' ? '@tensorflow/tfjs' : '@tensorflow/tfjs + @tensorflow/tfjs-backend-wasm',
			);
			assert.match(r.info.reason, new RegExp(`${fastest} trains fastest on this machine`));
			assert.match(r.info.reason, /speed probe: wasm 50\.0, cpu 5\.00|cpu 50\.0, wasm 5\.00/);
			assert.match(r.info.reason, /; cached in .*lrscope-backend-probe\.json/);
			assert.match(r.info.reason, /tfjs-node is not installed/);
			// A hit neither re-measures nor rewrites the file.
			assert.equal(fs.readFileSync(speedProbeCachePath({ cacheDir: dir }), 'utf8'), before);
		}
		await bundledTf.setBackend('cpu');
	});

	it('a cache miss measures wasm and cpu once, writes the cache, and the next run reads it', async () => {
		const dir = path.join(tmp, 'miss', 'nested');
		const file = speedProbeCachePath({ cacheDir: dir });
		const first = await resolveTf({ choice: 'auto', cacheDir: dir, probeBudgetMs: 40 });
		assert.match(first.info.reason, /speed probe: .*measured now, cached in/);
		const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
			string,
			{ backend: string; stepsPerSecond: Record<string, number> }
		>;
		const entry = cache[probeCacheId(bundledTf, ['wasm', 'cpu'])];
		assert.ok(entry, `no entry for this machine in ${Object.keys(cache).join(' | ')}`);
		assert.ok(entry.stepsPerSecond.wasm > 0 && entry.stepsPerSecond.cpu > 0);
		const faster = entry.stepsPerSecond.wasm >= entry.stepsPerSecond.cpu ? 'wasm' : 'cpu';
		assert.equal(entry.backend, faster);
		assert.equal(first.info.name, faster);
		const second = await resolveTf({ choice: 'auto', cacheDir: dir, probeBudgetMs: 40 });
		assert.equal(second.info.name, faster);
		assert.match(second.info.reason, /; cached in /);
		await bundledTf.setBackend('cpu');
	});

	it('forced backends and a corrupt cache file', async () => {
		// Forced: no probe at all, even when the cache says the other backend is faster.
		const r = await resolveTf({ choice: 'wasm', cacheDir: seededCache('cpu') });
		assert.equal(r.info.name, 'wasm');
		assert.doesNotMatch(r.info.reason, /speed probe/);
		// A torn or foreign cache file is re-measured and replaced, never an error.
		const dir = path.join(tmp, 'corrupt');
		fs.mkdirSync(dir);
		fs.writeFileSync(speedProbeCachePath({ cacheDir: dir }), '{"oops": ');
		const again = await resolveTf({ choice: 'auto', cacheDir: dir, probeBudgetMs: 20 });
		assert.match(again.info.reason, /measured now/);
		JSON.parse(fs.readFileSync(speedProbeCachePath({ cacheDir: dir }), 'utf8'));
		await bundledTf.setBackend('cpu');
	});
});

/** A small conv classifier: Conv2D's filter gradient is a kernel wasm 4.22 lacks on its own. */
function convSource(t: Tf): LoadedSource {
	const model = t.sequential({
		layers: [
			t.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
			t.layers.flatten(),
			t.layers.dense({ units: 2, activation: 'softmax' }),
		],
	});
	model.compile({ optimizer: t.train.sgd(0.1), loss: 'categoricalCrossentropy' });
	const x = t.randomNormal([8, 6, 6, 1], 0, 1, 'float32', 3);
	const y = t.oneHot(t.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2).toFloat();
	return {
		model,
		x,
		y,
		batchSize: 4,
		optimizerName: 'sgd',
		lossName: 'categoricalCrossentropy',
		notes: [],
		dispose: () => t.dispose([x, y]),
	};
}

describe('ensureTrainable', () => {
	it('falls back from wasm to cpu (reloading the source) when a training kernel is missing', async () => {
		const resolved = await resolveTf({ choice: 'auto', cacheDir: seededCache('wasm') });
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
	it('the gradient probe finds a kernel wasm lacks for THIS model and falls back, naming it', async () => {
		const resolved = await resolveTf({ choice: 'auto', cacheDir: seededCache('wasm') });
		const { tf } = resolved;
		assert.equal(resolved.info.name, 'wasm');
		const saved = tf.getKernel('Conv2DBackpropFilter', 'wasm');
		assert.ok(saved, "LR Scope's Conv2DBackpropFilter is registered on wasm");
		const first = convSource(tf);
		let steps = 0;
		const train = first.model.trainOnBatch.bind(first.model);
		first.model.trainOnBatch = (x, y) => {
			steps += 1;
			return train(x, y);
		};
		// A dense model trains on wasm: no fallback, and no reload.
		const dense = linearSource(tf);
		const ok = await ensureTrainable(resolved, dense, () => Promise.reject(new Error('no reload')));
		assert.equal(ok.info.name, 'wasm');
		dense.dispose();
		tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
		let result: Awaited<ReturnType<typeof ensureTrainable>> | undefined;
		try {
			result = await ensureTrainable(resolved, first, () => Promise.resolve(convSource(tf)));
		} finally {
			tf.registerKernel(saved);
		}
		try {
			assert.equal(steps, 0, 'found by the gradient probe, before any training step');
			assert.equal(tf.getBackend(), 'cpu');
			assert.equal(result.info.name, 'cpu');
			assert.equal(result.info.package, '@tensorflow/tfjs');
			assert.match(
				result.info.reason,
				/wasm trains fastest on this machine .*; wasm cannot train this model \(Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'\), so cpu$/,
			);
			// The reloaded model trains on cpu.
			const r = result.loaded;
			assert.ok(Number.isFinite(Number(await r.model.trainOnBatch(r.x, r.y))));
		} finally {
			result.loaded.dispose();
			result.loaded.model.dispose();
		}
	});
});
