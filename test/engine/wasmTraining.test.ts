/**
 * Real training on wasm with the LR Scope kernels: a small CNN (conv, separable conv, pooling) and an
 * embedding+LSTM model follow the same loss curve as on the cpu backend, from the same initial
 * weights on the same batches. cpu steps are kept few (cpu is slow).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerWasmTrainingKernels } from '../../src/engine/backend/wasmKernels';
import { probeFastestBackend, probeTrainable } from '../../src/engine/backend/wasmKernels/probe';
import {
	findMissingKernels,
	layerZoo,
	seededInts,
	seededTensor,
} from '../../src/engine/backend/wasmKernels/layerZoo';

const STEPS = 5;

function buildCnn(): tf.LayersModel {
	const m = tf.sequential();
	m.add(
		tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 6, kernelSize: 3, activation: 'relu' }),
	);
	m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
	m.add(
		tf.layers.separableConv2d({
			filters: 6,
			kernelSize: 3,
			depthMultiplier: 2,
			padding: 'same',
			activation: 'relu',
		}),
	);
	m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }));
	m.add(tf.layers.flatten());
	m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
	m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
	return m;
}

function buildEmbeddingLstm(): tf.LayersModel {
	const m = tf.sequential();
	m.add(tf.layers.embedding({ inputDim: 50, outputDim: 8, inputLength: 6 }));
	m.add(tf.layers.lstm({ units: 8 }));
	m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
	m.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
	return m;
}

/** Builds the model on `backend`, sets seeded weights, trains STEPS batches, returns the losses. */
async function lossCurve(
	backend: 'cpu' | 'wasm',
	build: () => tf.LayersModel,
	batch: (step: number) => { x: tf.Tensor; y: tf.Tensor },
): Promise<number[]> {
	await tf.setBackend(backend);
	const model = build();
	model.setWeights(
		model.getWeights().map((w, i) => tf.mul(seededTensor(tf, w.shape, 1000 + i), 0.4)),
	);
	const losses: number[] = [];
	for (let s = 0; s < STEPS; s++) {
		const { x, y } = batch(s);
		const loss = await model.trainOnBatch(x, y);
		losses.push(Array.isArray(loss) ? loss[0] : loss);
		x.dispose();
		y.dispose();
	}
	model.dispose();
	return losses;
}

function oneHot(n: number, seed: number): tf.Tensor {
	return tf.tidy(() => tf.oneHot(seededInts(tf, [n], seed, 3) as tf.Tensor1D, 3).toFloat());
}

function assertSameCurve(wasm: number[], cpu: number[]): void {
	assert.equal(wasm.length, cpu.length);
	for (let i = 0; i < cpu.length; i++) {
		assert.ok(Number.isFinite(wasm[i]), `wasm loss at step ${i} is ${wasm[i]}`);
		assert.ok(
			Math.abs(wasm[i] - cpu[i]) <= 1e-3 * Math.max(1, Math.abs(cpu[i])),
			`step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`,
		);
	}
	// The curve must actually move (otherwise equal curves prove nothing about the gradients).
	assert.ok(Math.abs(cpu[cpu.length - 1] - cpu[0]) > 1e-3, `loss did not change: ${cpu}`);
}

before(async () => {
	await tf.setBackend('wasm');
	await tf.ready();
	registerWasmTrainingKernels(tf);
});

describe('training on wasm matches cpu', () => {
	it('a small CNN (conv, maxpool, separable conv, strided same conv) has the same loss curve', async () => {
		const batch = (s: number) => ({
			x: seededTensor(tf, [6, 12, 12, 2], 10 + s, 0, 1),
			y: oneHot(6, 20 + s),
		});
		const cpu = await lossCurve('cpu', buildCnn, batch);
		const wasm = await lossCurve('wasm', buildCnn, batch);
		assertSameCurve(wasm, cpu);
	});

	it('an embedding+LSTM model has the same loss curve', async () => {
		const batch = (s: number) => ({
			x: seededInts(tf, [8, 6], 30 + s, 50).toFloat(),
			y: oneHot(8, 40 + s),
		});
		const cpu = await lossCurve('cpu', buildEmbeddingLstm, batch);
		const wasm = await lossCurve('wasm', buildEmbeddingLstm, batch);
		assertSameCurve(wasm, cpu);
	});

	it('every model in the layer zoo trains a step on wasm (no missing kernel)', async () => {
		await tf.setBackend('wasm');
		const results = await findMissingKernels(tf, layerZoo(tf));
		const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
		assert.deepEqual(failed, []);
		assert.ok(results.length >= 15);
	});
});

describe('backend probes', () => {
	it('probeTrainable reports a missing kernel, then ok once registered, without touching weights', async () => {
		await tf.setBackend('wasm');
		const model = buildCnn();
		const before = model.getWeights().map((w) => Array.from(w.dataSync()));
		const saved = tf.getKernel('Conv2DBackpropFilter', 'wasm');
		assert.ok(saved);
		tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
		let probe;
		try {
			probe = probeTrainable(tf, model);
		} finally {
			tf.registerKernel(saved);
		}
		assert.equal(probe.ok, false);
		assert.deepEqual(probe.missing, ['Conv2DBackpropFilter']);
		assert.deepEqual(probeTrainable(tf, model), { ok: true, missing: [] });
		assert.deepEqual(probeTrainable(tf, buildEmbeddingLstm()), { ok: true, missing: [] });
		assert.deepEqual(
			model.getWeights().map((w) => Array.from(w.dataSync())),
			before,
		);
	});

	it('probeFastestBackend measures each candidate once, then answers from the cache file', async () => {
		await tf.setBackend('wasm');
		const cachePath = path.join(
			fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-probe-')),
			'probe.json',
		);
		const prepared: string[] = [];
		const opts = {
			cachePath,
			budgetMs: 50,
			candidates: ['wasm', 'cpu', 'no-such-backend'],
			prepare: (b: string) => {
				prepared.push(b);
				if (b === 'wasm') {
					registerWasmTrainingKernels(tf);
				}
			},
		};
		const first = await probeFastestBackend(tf, opts);
		assert.equal(first.cached, false);
		assert.deepEqual(prepared, ['wasm', 'cpu']);
		assert.deepEqual(Object.keys(first.stepsPerSecond).sort(), ['cpu', 'wasm']);
		assert.ok(first.stepsPerSecond.wasm > 0 && first.stepsPerSecond.cpu > 0);
		const best = first.stepsPerSecond.wasm >= first.stepsPerSecond.cpu ? 'wasm' : 'cpu';
		assert.equal(first.backend, best);
		assert.equal(tf.getBackend(), 'wasm', 'the previous backend is restored');
		const second = await probeFastestBackend(tf, opts);
		assert.equal(second.cached, true);
		assert.equal(second.backend, first.backend);
		assert.deepEqual(prepared, ['wasm', 'cpu'], 'no re-measuring on a cache hit');
	});

	it('probeFastestBackend measures again an answer cached on a busy machine, once it is quiet', async () => {
		await tf.setBackend('wasm');
		const cachePath = path.join(
			fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-probe-')),
			'probe.json',
		);
		let measured = 0;
		const opts = (load: number) => ({
			cachePath,
			budgetMs: 20,
			candidates: ['wasm', 'cpu'],
			prepare: (b: string) => {
				measured += b === 'wasm' ? 1 : 0;
				if (b === 'wasm') {
					registerWasmTrainingKernels(tf);
				}
			},
			loadPerCore: () => load,
		});
		assert.equal((await probeFastestBackend(tf, opts(1.5))).cached, false);
		// Still busy: the busy answer stands.
		assert.equal((await probeFastestBackend(tf, opts(1.2))).cached, true);
		assert.equal(measured, 1);
		// Quiet: measured again; that answer then stands on a busy machine too.
		assert.equal((await probeFastestBackend(tf, opts(0.1))).cached, false);
		assert.equal((await probeFastestBackend(tf, opts(3))).cached, true);
		assert.equal(measured, 2);
	});
});
