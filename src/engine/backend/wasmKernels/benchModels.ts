/**
 * The benchmark models: the MNIST-sized CNN and MLP with a deterministic batch (mirrored by
 * bench/torch_models.py) and the range-test benchmark's CNNs (mirrored by bench/torch_cnn.py).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../../sources/sourceTypes';
import { seededOneHot, seededTensor } from './layerZoo';

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
 * conv3x3(a)-relu, conv3x3(b)-relu, maxpool 2, flatten, dense(hidden)-relu when given, dense(10)
 * softmax: the small and the MNIST-style CNN of the range-test benchmark.
 */
function twoConvCnn(
	tf: Tf,
	inputShape: number[],
	[a, b]: [number, number],
	hidden?: number,
): tfTypes.LayersModel {
	return tf.sequential({
		layers: [
			tf.layers.conv2d({ inputShape, filters: a, kernelSize: 3, activation: 'relu' }),
			tf.layers.conv2d({ filters: b, kernelSize: 3, activation: 'relu' }),
			tf.layers.maxPooling2d({ poolSize: 2 }),
			tf.layers.flatten(),
			...(hidden ? [tf.layers.dense({ units: hidden, activation: 'relu' })] : []),
			tf.layers.dense({ units: 10, activation: 'softmax' }),
		],
	});
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
		build: (tf) => twoConvCnn(tf, [20, 20, 1], [8, 16]),
	},
	{
		key: 'mnist',
		title: 'MNIST CNN conv32-conv64-pool-dense128-dense10, 28×28×1, batch 64',
		inputShape: [28, 28, 1],
		batch: 64,
		build: (tf) => twoConvCnn(tf, [28, 28, 1], [32, 64], 128),
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
