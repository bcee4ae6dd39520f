/**
 * A zoo of tiny `tf.layers` models covering the layer kinds users train (convs with strides, padding
 * and dilation, depthwise/separable convs, embeddings, recurrent layers, batch norm, pooling,
 * dropout). Used to find which kernels a backend lacks for training (`findMissingKernels`), by the
 * kernel tests and by the benchmark (whose own models are in benchModels.ts). Data are
 * deterministic so two backends see the same batches.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../../sources/sourceTypes';
import { mulberry32 } from '../../../core/random';

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
export function seededOneHot(tf: Tf, n: number, classes: number, seed: number): tfTypes.Tensor {
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

const IMG = [9, 9, 2];
const SEQ = [7, 3];

/** The zoo: each model exercises a different set of forward and gradient kernels. */
export function layerZoo(tf: Tf): ZooModel[] {
	return [
		...convModels(tf),
		...poolAndShapeModels(tf),
		embeddingLstm(),
		...recurrentModels(tf),
		denseActivations(tf),
	];
}

/** Convolutions: 1-D and 2-D, strides and padding, transposed, depthwise and separable. */
function convModels(tf: Tf): ZooModel[] {
	return [
		classifier(tf, 'conv1d valid', SEQ, (l) => [
			l.conv1d({ inputShape: SEQ, filters: 4, kernelSize: 3 }),
		]),
		classifier(tf, 'conv1d same stride2', SEQ, (l) => [
			l.conv1d({ inputShape: SEQ, filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
		]),
		classifier(tf, 'conv2d valid', IMG, (l) => [
			l.conv2d({ inputShape: IMG, filters: 4, kernelSize: 3, activation: 'relu' }),
		]),
		classifier(tf, 'conv2d same stride2', IMG, (l) => [
			l.conv2d({ inputShape: IMG, filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
		]),
		classifier(tf, 'conv2d 2x3 stride(2,1) valid', IMG, (l) => [
			l.conv2d({ inputShape: IMG, filters: 3, kernelSize: [2, 3], strides: [2, 1] }),
		]),
		classifier(tf, 'conv2dTranspose', IMG, (l) => [
			l.conv2dTranspose({
				inputShape: IMG,
				filters: 3,
				kernelSize: 3,
				strides: 2,
				padding: 'same',
			}),
		]),
		classifier(tf, 'depthwiseConv2d', IMG, (l) => [
			l.depthwiseConv2d({
				inputShape: IMG,
				kernelSize: 3,
				depthMultiplier: 2,
				strides: 2,
				padding: 'same',
			}),
		]),
		classifier(tf, 'separableConv2d', IMG, (l) => [
			l.separableConv2d({
				inputShape: IMG,
				filters: 4,
				kernelSize: 3,
				depthMultiplier: 2,
				padding: 'valid',
			}),
		]),
	];
}

/** Batch norm and dropout, pooling (1-D, 2-D, global), reshape, upsampling, padding, cropping. */
function poolAndShapeModels(tf: Tf): ZooModel[] {
	return [
		classifier(tf, 'conv2d+batchnorm+maxpool', IMG, (l) => [
			l.conv2d({ inputShape: IMG, filters: 4, kernelSize: 3, padding: 'same' }),
			l.batchNormalization(),
			l.maxPooling2d({ poolSize: 2 }),
			l.dropout({ rate: 0.3 }),
		]),
		classifier(tf, 'avgpool+globalpool', IMG, (l) => [
			l.averagePooling2d({ inputShape: IMG, poolSize: 2, strides: 1 }),
			l.conv2d({ filters: 4, kernelSize: 2 }),
			l.globalAveragePooling2d({}),
			l.reshape({ targetShape: [4, 1] }),
			l.globalMaxPooling1d({}),
		]),
		classifier(tf, 'maxPool1d+avgPool1d', SEQ, (l) => [
			l.maxPooling1d({ inputShape: SEQ, poolSize: 2 }),
			l.averagePooling1d({ poolSize: 2, strides: 1 }),
		]),
		classifier(tf, 'upsampling2d+zeropad+cropping', IMG, (l) => [
			l.upSampling2d({ inputShape: IMG, size: [2, 2] }),
			l.zeroPadding2d({ padding: 1 }),
			l.cropping2D({
				cropping: [
					[1, 2],
					[2, 1],
				],
			}),
			l.conv2d({ filters: 2, kernelSize: 3, strides: 3 }),
		]),
	];
}

/** An embedding into an LSTM, on integer ids, trained with adam. */
function embeddingLstm(): ZooModel {
	return {
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
}

/** Recurrent layers: GRU, simple RNN, bidirectional LSTM. */
function recurrentModels(tf: Tf): ZooModel[] {
	return [
		classifier(tf, 'gru', SEQ, (l) => [
			l.gru({ inputShape: SEQ, units: 4, returnSequences: true }),
		]),
		classifier(tf, 'simpleRNN', SEQ, (l) => [l.simpleRNN({ inputShape: SEQ, units: 4 })]),
		classifier(tf, 'bidirectional lstm', SEQ, (l) => [
			l.bidirectional({ layer: l.lstm({ units: 3 }) as tfTypes.RNN, inputShape: SEQ }),
		]),
	];
}

/** Dense layers with layer norm and the activation layers and functions. */
function denseActivations(tf: Tf): ZooModel {
	return classifier(tf, 'dense+layerNorm+activations', [6], (l) => [
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
	]);
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
