/**
 * Child process of wasmThreads.test.ts: starts the threaded wasm build with 2 threads (the thread
 * count is fixed per process), runs LR Scope's JS kernels on shapes big enough to be split with the
 * helper thread (heapPool.ts), compares each with the cpu backend's kernel, trains a small CNN a
 * few steps on both backends, and prints one JSON line with what it found.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/engine/backend/wasmKernels';
import { heapPoolSplits } from '../../src/engine/backend/wasmKernels/heapPool';
import { seededTensor } from '../../src/engine/backend/wasmKernels/layerZoo';
import { startWasm } from '../../src/engine/backend/wasmKernels/threads';

type Attrs = Record<string, unknown>;

function run(backend: string, name: string, inputs: Record<string, tf.Tensor>, attrs: Attrs) {
	tf.setBackend(backend);
	const ins: Record<string, tf.Tensor> = {};
	for (const [k, t] of Object.entries(inputs)) {
		ins[k] = tf.tensor(t.dataSync(), t.shape, t.dtype);
	}
	const out = tf.engine().runKernel(name, ins as never, attrs as never) as tf.Tensor;
	const values = Float32Array.from(out.dataSync());
	tf.dispose([out, ...Object.values(ins)]);
	return values;
}

/** Largest |wasm − cpu| relative to the largest |cpu| value. */
function relDiff(a: Float32Array, b: Float32Array): number {
	if (a.length !== b.length) {
		return Infinity;
	}
	let d = 0;
	let scale = 1e-12;
	for (let i = 0; i < a.length; i++) {
		d = Math.max(d, Math.abs(a[i] - b[i]));
		scale = Math.max(scale, Math.abs(b[i]));
	}
	return d / scale;
}

async function trainLosses(backend: string, steps: number): Promise<number[]> {
	await tf.setBackend(backend);
	const model = tf.sequential();
	model.add(
		tf.layers.conv2d({
			inputShape: [14, 14, 3],
			filters: 16,
			kernelSize: 3,
			activation: 'relu',
			kernelInitializer: 'glorotUniform',
			biasInitializer: 'zeros',
		}),
	);
	model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
	model.add(tf.layers.flatten());
	model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
	model.setWeights(model.getWeights().map((w, i) => seededTensor(tf, w.shape, 70 + i, -0.2, 0.2)));
	model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
	const x = seededTensor(tf, [128, 14, 14, 3], 80, 0, 1);
	const y = tf
		.oneHot(
			tf.tensor1d(
				Array.from({ length: 128 }, (_, i) => (i * 7) % 10),
				'int32',
			),
			10,
		)
		.toFloat();
	const losses: number[] = [];
	for (let i = 0; i < steps; i++) {
		losses.push(Number(await model.trainOnBatch(x, y)));
	}
	tf.dispose([x, y]);
	model.dispose();
	return losses;
}

async function main(): Promise<void> {
	const threads = await startWasm(tf, createRequire(__filename), 2);
	registerWasmTrainingKernels(tf);
	const diffs: Record<string, number> = {};
	/** Cases whose wasm call was split with the helper thread. */
	const split: Record<string, boolean> = {};
	const compare = (
		what: string,
		name: string,
		inputs: Record<string, tf.Tensor>,
		attrs: Attrs,
	): void => {
		const before = heapPoolSplits();
		const onWasm = run('wasm', name, inputs, attrs);
		split[what] = heapPoolSplits() > before;
		diffs[what] = relDiff(onWasm, run('cpu', name, inputs, attrs));
		tf.setBackend('wasm');
	};
	const x = seededTensor(tf, [8, 32, 32, 64], 1);
	const pooled = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
	const dy = seededTensor(tf, pooled.shape, 2);
	compare(
		'MaxPoolGrad 2×2',
		'MaxPoolGrad',
		{ dy, input: x, output: pooled },
		{ filterSize: 2, strides: 2, pad: 'valid' },
	);
	const pooled3 = tf.maxPool(x as tf.Tensor4D, 3, 2, 'same');
	const dy3 = seededTensor(tf, pooled3.shape, 3);
	const attrs3 = { filterSize: 3, strides: 2, pad: 'same' };
	compare(
		'MaxPoolGrad 3×3 stride 2 same',
		'MaxPoolGrad',
		{ dy: dy3, input: x, output: pooled3 },
		attrs3,
	);
	for (const name of ['Sum', 'Mean']) {
		compare(`${name} over N,H,W`, name, { x }, { axis: [0, 1, 2], keepDims: false });
	}
	const a = seededTensor(tf, [64, 300], 4);
	const w = seededTensor(tf, [3001, 300], 5);
	compare(
		'BatchMatMul a·bᵀ (swapped)',
		'BatchMatMul',
		{ a, b: w },
		{ transposeA: false, transposeB: true },
	);
	const big = seededTensor(tf, [3001, 100], 6);
	const g = seededTensor(tf, [3001, 30], 7);
	compare(
		'BatchMatMul aᵀ·b',
		'BatchMatMul',
		{ a: big, b: g },
		{ transposeA: true, transposeB: false },
	);
	const xi = seededTensor(tf, [64, 30, 30, 3], 8);
	const dyi = seededTensor(tf, [64, 15, 15, 8], 9);
	const attrsI = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 8] };
	compare('Conv2DBackpropFilter im2col', 'Conv2DBackpropFilter', { x: xi, dy: dyi }, attrsI);
	const wasmLosses = await trainLosses('wasm', 4);
	const cpuLosses = await trainLosses('cpu', 4);
	process.stdout.write(`${JSON.stringify({ threads, diffs, split, wasmLosses, cpuLosses })}\n`);
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
		process.exit(1);
	},
);
