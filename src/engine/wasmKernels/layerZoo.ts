/**
 * A zoo of tiny `tf.layers` models covering the layer kinds users train (convs with strides, padding
 * and dilation, depthwise/separable convs, embeddings, recurrent layers, batch norm, pooling,
 * dropout). Used to find which kernels a backend lacks for training (`findMissingKernels`), by the
 * kernel tests and by the benchmark. Data are deterministic so two backends see the same batches.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../sourceTypes';
import { mulberry32 } from '../../core/random';

/** One zoo entry: builds a compiled model and a deterministic batch for it. */
export interface ZooModel {
	name: string;
	build(tf: Tf): { model: tfTypes.LayersModel; x: tfTypes.Tensor; y: tfTypes.Tensor };
}

/** Seeded uniform numbers in [0, 1) (mulberry32). */
export const seededRandom = mulberry32;

/** A float tensor of the given shape filled with seeded uniform values in [lo, hi). */
export function seededTensor(
	tf: Tf,
	shape: number[],
	seed: number,
	lo = -1,
	hi = 1,
): tfTypes.Tensor {
	const rnd = seededRandom(seed);
	const n = shape.reduce((a, b) => a * b, 1);
	const v = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		v[i] = lo + (hi - lo) * rnd();
	}
	return tf.tensor(v, shape, 'float32');
}

/** Seeded integer tensor in [0, max). */
export function seededInts(tf: Tf, shape: number[], seed: number, max: number): tfTypes.Tensor {
	const rnd = seededRandom(seed);
	const n = shape.reduce((a, b) => a * b, 1);
	const v = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		v[i] = Math.floor(rnd() * max);
	}
	return tf.tensor(v, shape, 'int32');
}

/** One-hot targets from seeded class ids. */
function seededOneHot(tf: Tf, n: number, classes: number, seed: number): tfTypes.Tensor {
	return tf.tidy(() =>
		tf.oneHot(seededInts(tf, [n], seed, classes) as tfTypes.Tensor1D, classes).toFloat(),
	);
}

type L = Tf['layers'];

function classifier(
	tf: Tf,
	name: string,
	inputShape: number[],
	body: (l: L) => tfTypes.layers.Layer[],
): ZooModel {
	return {
		name,
		build(t: Tf) {
			const model = t.sequential();
			const layers = body(t.layers);
			layers.forEach((layer) => model.add(layer));
			if (model.outputs[0].shape.length > 2) {
				model.add(t.layers.flatten());
			}
			model.add(t.layers.dense({ units: 3, activation: 'softmax' }));
			model.compile({ optimizer: t.train.sgd(0.05), loss: 'categoricalCrossentropy' });
			const n = 4;
			const x = seededTensor(t, [n, ...inputShape], 11);
			const y = seededOneHot(t, n, 3, 12);
			void tf;
			return { model, x, y };
		},
	};
}

/** The zoo: each model exercises a different set of forward and gradient kernels. */
export function layerZoo(tf: Tf): ZooModel[] {
	const img = [9, 9, 2];
	const seq = [7, 3];
	const ids: ZooModel = {
		name: 'embedding+lstm',
		build(t: Tf) {
			const model = t.sequential();
			model.add(t.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }));
			model.add(t.layers.lstm({ units: 5 }));
			model.add(t.layers.dense({ units: 3, activation: 'softmax' }));
			model.compile({ optimizer: t.train.adam(0.01), loss: 'categoricalCrossentropy' });
			const x = seededInts(t, [4, 6], 21, 20).toFloat();
			const y = seededOneHot(t, 4, 3, 22);
			return { model, x, y };
		},
	};
	return [
		classifier(tf, 'conv1d valid', seq, (l) => [
			l.conv1d({ inputShape: seq, filters: 4, kernelSize: 3 }),
		]),
		classifier(tf, 'conv1d same stride2', seq, (l) => [
			l.conv1d({ inputShape: seq, filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
		]),
		classifier(tf, 'conv2d valid', img, (l) => [
			l.conv2d({ inputShape: img, filters: 4, kernelSize: 3, activation: 'relu' }),
		]),
		classifier(tf, 'conv2d same stride2', img, (l) => [
			l.conv2d({ inputShape: img, filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
		]),
		classifier(tf, 'conv2d 2x3 stride(2,1) valid', img, (l) => [
			l.conv2d({ inputShape: img, filters: 3, kernelSize: [2, 3], strides: [2, 1] }),
		]),
		classifier(tf, 'conv2dTranspose', img, (l) => [
			l.conv2dTranspose({
				inputShape: img,
				filters: 3,
				kernelSize: 3,
				strides: 2,
				padding: 'same',
			}),
		]),
		classifier(tf, 'depthwiseConv2d', img, (l) => [
			l.depthwiseConv2d({
				inputShape: img,
				kernelSize: 3,
				depthMultiplier: 2,
				strides: 2,
				padding: 'same',
			}),
		]),
		classifier(tf, 'separableConv2d', img, (l) => [
			l.separableConv2d({
				inputShape: img,
				filters: 4,
				kernelSize: 3,
				depthMultiplier: 2,
				padding: 'valid',
			}),
		]),
		classifier(tf, 'conv2d+batchnorm+maxpool', img, (l) => [
			l.conv2d({ inputShape: img, filters: 4, kernelSize: 3, padding: 'same' }),
			l.batchNormalization(),
			l.maxPooling2d({ poolSize: 2 }),
			l.dropout({ rate: 0.3 }),
		]),
		classifier(tf, 'avgpool+globalpool', img, (l) => [
			l.averagePooling2d({ inputShape: img, poolSize: 2, strides: 1 }),
			l.conv2d({ filters: 4, kernelSize: 2 }),
			l.globalAveragePooling2d({}),
			l.reshape({ targetShape: [4, 1] }),
			l.globalMaxPooling1d({}),
		]),
		classifier(tf, 'maxPool1d+avgPool1d', seq, (l) => [
			l.maxPooling1d({ inputShape: seq, poolSize: 2 }),
			l.averagePooling1d({ poolSize: 2, strides: 1 }),
		]),
		classifier(tf, 'upsampling2d+zeropad+cropping', img, (l) => [
			l.upSampling2d({ inputShape: img, size: [2, 2] }),
			l.zeroPadding2d({ padding: 1 }),
			l.cropping2D({
				cropping: [
					[1, 2],
					[2, 1],
				],
			}),
			l.conv2d({ filters: 2, kernelSize: 3, strides: 3 }),
		]),
		ids,
		classifier(tf, 'gru', seq, (l) => [
			l.gru({ inputShape: seq, units: 4, returnSequences: true }),
		]),
		classifier(tf, 'simpleRNN', seq, (l) => [l.simpleRNN({ inputShape: seq, units: 4 })]),
		classifier(tf, 'bidirectional lstm', seq, (l) => [
			l.bidirectional({ layer: l.lstm({ units: 3 }) as tfTypes.RNN, inputShape: seq }),
		]),
		classifier(tf, 'dense+layerNorm+activations', [6], (l) => [
			l.dense({ inputShape: [6], units: 5, activation: 'elu' }),
			l.layerNormalization(),
			l.leakyReLU(),
			l.dense({ units: 5, activation: 'selu' }),
			l.prelu(),
			l.dense({ units: 4, activation: 'softplus' }),
			l.dense({ units: 4, activation: 'tanh' }),
			l.dense({ units: 4, activation: 'swish' }),
			l.dense({ units: 4, activation: 'mish' }),
			l.dense({ units: 4, activation: 'hardSigmoid' }),
			l.gaussianNoise({ stddev: 0.1 }),
		]),
	];
}

/** The outcome of one training step of a zoo model on the current backend. */
export interface ZooResult {
	name: string;
	ok: boolean;
	/** Kernel names the backend lacks ("Kernel 'X' not registered"). */
	missing: string[];
	error?: string;
	loss?: number;
}

/**
 * Runs one `trainOnBatch` per zoo model on the current backend and reports, per model, the first
 * missing kernel it hits (a missing kernel aborts the step). Register kernels and call again to find
 * the next. (Models that tfjs itself cannot train on any backend — dilated-conv gradients, causal
 * conv1d padding — are left out of the zoo.)
 */
export async function findMissingKernels(tf: Tf, models = layerZoo(tf)): Promise<ZooResult[]> {
	const results: ZooResult[] = [];
	for (const zm of models) {
		const r: ZooResult = { name: zm.name, ok: false, missing: [] };
		let built: ReturnType<ZooModel['build']> | undefined;
		try {
			built = zm.build(tf);
			const loss = await built.model.trainOnBatch(built.x, built.y);
			r.loss = Array.isArray(loss) ? loss[0] : loss;
			r.ok = Number.isFinite(r.loss);
		} catch (e) {
			const msg = e instanceof Error ? e.message : String(e);
			const m = /Kernel '([^']+)' not registered for backend/.exec(msg);
			if (m) {
				r.missing.push(m[1]);
			}
			r.error = msg.split('\n')[0];
		} finally {
			if (built) {
				built.x.dispose();
				built.y.dispose();
				built.model.dispose();
			}
		}
		results.push(r);
	}
	return results;
}

/** Sizes of the benchmark models (mirrored by bench/torch_models.py). */
export const BENCH_SHAPES = {
	image: [28, 28, 1],
	classes: 10,
	cnnBatch: 32,
	mlpInput: 784,
	mlpBatch: 64,
};

/**
 * The benchmark CNN (MNIST-sized): conv3x3(16)-relu-maxpool-conv3x3(32)-relu-maxpool-dense(10).
 * Mirrored layer for layer by `bench/torch_models.py`.
 */
export function buildBenchCnn(tf: Tf): tfTypes.LayersModel {
	const model = tf.sequential();
	model.add(
		tf.layers.conv2d({
			inputShape: BENCH_SHAPES.image,
			filters: 16,
			kernelSize: 3,
			activation: 'relu',
		}),
	);
	model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
	model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
	model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
	model.add(tf.layers.flatten());
	model.add(tf.layers.dense({ units: BENCH_SHAPES.classes, activation: 'softmax' }));
	model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
	return model;
}

/** The benchmark MLP: 784-256-128-10, relu, softmax. Mirrored by `bench/torch_models.py`. */
export function buildBenchMlp(tf: Tf): tfTypes.LayersModel {
	const model = tf.sequential();
	model.add(
		tf.layers.dense({ inputShape: [BENCH_SHAPES.mlpInput], units: 256, activation: 'relu' }),
	);
	model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
	model.add(tf.layers.dense({ units: BENCH_SHAPES.classes, activation: 'softmax' }));
	model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
	return model;
}

/** A deterministic batch for a bench model: inputs in [0, 1), one-hot targets. */
export function benchBatch(
	tf: Tf,
	inputShape: number[],
	batch: number,
	seed: number,
): { x: tfTypes.Tensor; y: tfTypes.Tensor } {
	return {
		x: seededTensor(tf, [batch, ...inputShape], seed, 0, 1),
		y: seededOneHot(tf, batch, BENCH_SHAPES.classes, seed + 1),
	};
}

/** A CNN of the range-test benchmark (`npm run bench -- wasm`), mirrored by bench/torch_cnn.py. */
export interface RangeBenchModel {
	key: 'small' | 'mnist' | 'cifar' | 'mlp';
	title: string;
	inputShape: number[];
	batch: number;
	build(tf: Tf): tfTypes.LayersModel;
}

/**
 * The range-test benchmark models (issue 14): a small CNN, an MNIST-style and a CIFAR-style CNN, and
 * the MLP. Uncompiled (the bench compiles them with SGD); layer for layer as in bench/torch_cnn.py.
 */
export const RANGE_BENCH_MODELS: readonly RangeBenchModel[] = [
	{
		key: 'small',
		title: 'small CNN conv8-conv16-pool-dense10, 20×20×1, batch 64',
		inputShape: [20, 20, 1],
		batch: 64,
		build: (tf) =>
			tf.sequential({
				layers: [
					tf.layers.conv2d({
						inputShape: [20, 20, 1],
						filters: 8,
						kernelSize: 3,
						activation: 'relu',
					}),
					tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
					tf.layers.maxPooling2d({ poolSize: 2 }),
					tf.layers.flatten(),
					tf.layers.dense({ units: 10, activation: 'softmax' }),
				],
			}),
	},
	{
		key: 'mnist',
		title: 'MNIST CNN conv32-conv64-pool-dense128-dense10, 28×28×1, batch 64',
		inputShape: [28, 28, 1],
		batch: 64,
		build: (tf) =>
			tf.sequential({
				layers: [
					tf.layers.conv2d({
						inputShape: [28, 28, 1],
						filters: 32,
						kernelSize: 3,
						activation: 'relu',
					}),
					tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
					tf.layers.maxPooling2d({ poolSize: 2 }),
					tf.layers.flatten(),
					tf.layers.dense({ units: 128, activation: 'relu' }),
					tf.layers.dense({ units: 10, activation: 'softmax' }),
				],
			}),
	},
	{
		key: 'cifar',
		title: 'CIFAR CNN 3×(conv same-BN-relu-pool) 32/64/128-dense10, 32×32×3, batch 32',
		inputShape: [32, 32, 3],
		batch: 32,
		build: (tf) => {
			const layers: tfTypes.layers.Layer[] = [];
			for (const [i, filters] of [32, 64, 128].entries()) {
				layers.push(
					tf.layers.conv2d({
						...(i === 0 ? { inputShape: [32, 32, 3] } : {}),
						filters,
						kernelSize: 3,
						padding: 'same',
					}),
					tf.layers.batchNormalization(),
					tf.layers.activation({ activation: 'relu' }),
					tf.layers.maxPooling2d({ poolSize: 2 }),
				);
			}
			layers.push(tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' }));
			return tf.sequential({ layers });
		},
	},
	{
		key: 'mlp',
		title: 'MLP 784-256-128-10, batch 64',
		inputShape: [784],
		batch: 64,
		build: (tf) =>
			tf.sequential({
				layers: [
					tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
					tf.layers.dense({ units: 128, activation: 'relu' }),
					tf.layers.dense({ units: 10, activation: 'softmax' }),
				],
			}),
	},
];
