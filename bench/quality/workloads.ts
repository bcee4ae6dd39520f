/**
 * Workloads for `bench/suggestionQuality.bench.ts`: tiny models and synthetic data, each with its
 * own optimizer, built afresh (seeded initialisers) for every training so that every LR starts from
 * the same weights. Small enough that the whole section runs in minutes on tfjs's cpu backend.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/engine/training/seed';
import type { Tf } from '../../src/engine/sources/sourceTypes';

export type OptimizerKind = 'adagrad' | 'adam' | 'momentum' | 'rmsprop' | 'sgd';

/** Training and held-out data as plain arrays (turned into tensors by the bench). */
export interface Data {
	x: Float32Array;
	y: Float32Array;
	xShape: number[];
	yWidth: number;
	n: number;
	valX: Float32Array;
	valY: Float32Array;
	nVal: number;
}

export interface Workload {
	key: string;
	name: string;
	optimizer: OptimizerKind;
	loss: 'meanSquaredError' | 'categoricalCrossentropy' | 'binaryCrossentropy';
	batchSize: number;
	/**
	 * The plan: epochs of `model.fit` over the training data. The grid's cross-validated trainings
	 * run this many epochs over their folds' training part; the probes' length is these epochs ×
	 * full batches of the whole training data (what a script's fit call would tell the engine).
	 */
	epochs: number;
	/** The family it was generated from (`original` for the seven the curve rule was tuned on). */
	family: string;
	data(seed: number): Data;
	/** The uncompiled model with seeded initialisers. */
	build(tf: Tf, seed: number): tfTypes.LayersModel;
	/** Train first (Adam at this LR for this many steps), then range-test the trained model. */
	pretrain?: { lr: number; steps: number };
}

export function makeOptimizer(tf: Tf, kind: OptimizerKind, lr: number): tfTypes.Optimizer {
	switch (kind) {
		case 'adam':
			return tf.train.adam(lr);
		case 'momentum':
			return tf.train.momentum(lr, 0.9);
		case 'rmsprop':
			return tf.train.rmsprop(lr);
		case 'sgd':
			return tf.train.sgd(lr);
		case 'adagrad':
			return tf.train.adagrad(lr);
	}
}

/** Gaussian samples from a seeded generator (Box–Muller). */
export function gaussians(n: number, rand: () => number): Float32Array {
	const out = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const u = Math.max(rand(), 1e-12);
		out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
	}
	return out;
}

/** Splits `total` generated rows into training and held-out parts. */
export function split(
	x: Float32Array,
	y: Float32Array,
	total: number,
	nVal: number,
	xShape: number[],
	yWidth: number,
): Data {
	const d = xShape.reduce((a, b) => a * b, 1);
	const n = total - nVal;
	return {
		x: x.slice(0, n * d),
		y: y.slice(0, n * yWidth),
		valX: x.slice(n * d),
		valY: y.slice(n * yWidth),
		xShape,
		yWidth,
		n,
		nVal,
	};
}

export function dense(
	tf: Tf,
	units: number,
	seed: number,
	activation?: 'relu' | 'softmax' | 'sigmoid' | 'tanh',
	inputShape?: number[],
): tfTypes.layers.Layer {
	return tf.layers.dense({
		units,
		activation,
		inputShape,
		kernelInitializer: tf.initializers.glorotUniform({ seed }),
	});
}

/** Nonlinear tabular regression: 8 standardised features, y = sin(x0) + x1·x2 + 0.5·x3 + noise. */
const tabular: Workload = {
	key: 'tabular',
	name: 'tabular regression (MLP 8-32-32-1, SGD+momentum)',
	optimizer: 'momentum',
	loss: 'meanSquaredError',
	batchSize: 32,
	epochs: 12,
	family: 'original',
	data(seed) {
		const total = 768;
		const d = 8;
		const r = mulberry32(seed * 7919 + 1);
		const g = gaussians(total * (d + 1), r);
		const x = g.slice(0, total * d);
		const y = new Float32Array(total);
		for (let i = 0; i < total; i++) {
			const v = x.subarray(i * d, i * d + d);
			y[i] = Math.sin(v[0]) + v[1] * v[2] + 0.5 * v[3] + 0.1 * g[total * d + i];
		}
		return split(x, y, total, 256, [d], 1);
	},
	build: (tf, seed) =>
		tf.sequential({
			layers: [
				dense(tf, 32, seed, 'relu', [8]),
				dense(tf, 32, seed + 1, 'relu'),
				dense(tf, 1, seed + 2),
			],
		}),
};

/** Five overlapping Gaussian classes in 10-D, only 240 training examples (small multi-class). */
export function blobs(
	seed: number,
	total: number,
	nVal: number,
	classes: number,
	d: number,
	sep: number,
): Data {
	const r = mulberry32(seed * 104729 + 3);
	const g = gaussians(total * d, r);
	const centres = gaussians(classes * d, mulberry32(91));
	const x = new Float32Array(total * d);
	const y = new Float32Array(total * classes);
	for (let i = 0; i < total; i++) {
		const c = Math.floor(r() * classes);
		y[i * classes + c] = 1;
		for (let j = 0; j < d; j++) {
			x[i * d + j] = g[i * d + j] + sep * centres[c * d + j];
		}
	}
	return split(x, y, total, nVal, [d], classes);
}

const multiclass: Workload = {
	key: 'multiclass',
	name: 'multi-class, 240 examples (MLP 10-32-5, Adam)',
	optimizer: 'adam',
	loss: 'categoricalCrossentropy',
	batchSize: 16,
	epochs: 13,
	family: 'original',
	data: (seed) => blobs(seed, 240 + 400, 400, 5, 10, 0.7),
	build: (tf, seed) =>
		tf.sequential({
			layers: [dense(tf, 32, seed, 'relu', [10]), dense(tf, 5, seed + 1, 'softmax')],
		}),
};

/** Imbalanced binary: about 10% positives, a logistic rule on 12 features. */
const imbalanced: Workload = {
	key: 'imbalanced',
	name: 'imbalanced binary, 10% positives (MLP 12-16-1, RMSprop)',
	optimizer: 'rmsprop',
	loss: 'binaryCrossentropy',
	batchSize: 32,
	epochs: 10,
	family: 'original',
	data(seed) {
		const total = 1024;
		const d = 12;
		const r = mulberry32(seed * 15485863 + 5);
		const x = gaussians(total * d, r);
		const y = new Float32Array(total);
		for (let i = 0; i < total; i++) {
			const v = x.subarray(i * d, i * d + d);
			const z = 1.5 * v[0] - v[1] + 0.8 * v[2] * v[3] - 3;
			y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
		}
		return split(x, y, total, 384, [d], 1);
	},
	build: (tf, seed) =>
		tf.sequential({
			layers: [dense(tf, 16, seed, 'relu', [12]), dense(tf, 1, seed + 1, 'sigmoid')],
		}),
};

/** 8×8×1 images of three noisy patterns (horizontal bar, vertical bar, diagonal). */
const cnn: Workload = {
	key: 'cnn',
	name: 'small CNN 8x8x1 conv4-pool-dense3 (SGD+momentum)',
	optimizer: 'momentum',
	loss: 'categoricalCrossentropy',
	batchSize: 32,
	epochs: 16,
	family: 'original',
	data(seed) {
		const total = 640;
		const r = mulberry32(seed * 2654435761 + 7);
		const g = gaussians(total * 64, r);
		const x = new Float32Array(total * 64);
		const y = new Float32Array(total * 3);
		for (let i = 0; i < total; i++) {
			const c = Math.floor(r() * 3);
			const pos = 1 + Math.floor(r() * 6);
			y[i * 3 + c] = 1;
			for (let a = 0; a < 8; a++) {
				for (let b = 0; b < 8; b++) {
					const on = c === 0 ? a === pos : c === 1 ? b === pos : a === b;
					x[i * 64 + a * 8 + b] = (on ? 1 : 0) + 0.8 * g[i * 64 + a * 8 + b];
				}
			}
		}
		return split(x, y, total, 256, [8, 8, 1], 3);
	},
	build: (tf, seed) =>
		tf.sequential({
			layers: [
				tf.layers.conv2d({
					filters: 4,
					kernelSize: 3,
					activation: 'relu',
					inputShape: [8, 8, 1],
					kernelInitializer: tf.initializers.glorotUniform({ seed }),
				}),
				tf.layers.maxPooling2d({ poolSize: 2 }),
				tf.layers.flatten(),
				dense(tf, 3, seed + 1, 'softmax'),
			],
		}),
};

/** Regression with unnormalised targets around 1000 (inputs standardised), Adam. */
const bigTargets: Workload = {
	key: 'bigTargets',
	name: 'regression, targets ~1000 (MLP 6-16-1, Adam)',
	optimizer: 'adam',
	loss: 'meanSquaredError',
	batchSize: 32,
	epochs: 12,
	family: 'original',
	data(seed) {
		const total = 768;
		const d = 6;
		const r = mulberry32(seed * 49979687 + 11);
		const g = gaussians(total * (d + 1), r);
		const x = g.slice(0, total * d);
		const y = new Float32Array(total);
		for (let i = 0; i < total; i++) {
			const v = x.subarray(i * d, i * d + d);
			y[i] = 1000 + 150 * v[0] - 80 * v[1] + 60 * v[2] * v[3] + 10 * g[total * d + i];
		}
		return split(x, y, total, 256, [d], 1);
	},
	build: (tf, seed) =>
		tf.sequential({
			layers: [dense(tf, 16, seed, 'relu', [6]), dense(tf, 1, seed + 1)],
		}),
};

/** The multi-class task with more data, trained first (Adam), then range-tested: flat, then diverging. */
const pretrained: Workload = {
	key: 'pretrained',
	name: 'already-trained multi-class MLP (Adam)',
	optimizer: 'adam',
	loss: 'categoricalCrossentropy',
	batchSize: 32,
	epochs: 5,
	family: 'original',
	data: (seed) => blobs(seed, 1200 + 400, 400, 5, 10, 0.7),
	build: (tf, seed) =>
		tf.sequential({
			layers: [dense(tf, 32, seed, 'relu', [10]), dense(tf, 5, seed + 1, 'softmax')],
		}),
	pretrain: { lr: 3e-3, steps: 600 },
};

/** Two interleaved spirals (2-D, 2 classes), a deeper ReLU MLP, plain SGD. */
const spirals: Workload = {
	key: 'spirals',
	name: 'two spirals (MLP 2-32-32-2, plain SGD)',
	optimizer: 'sgd',
	loss: 'categoricalCrossentropy',
	batchSize: 32,
	epochs: 12,
	family: 'original',
	data(seed) {
		const total = 768;
		const r = mulberry32(seed * 19349663 + 13);
		const g = gaussians(total * 2, r);
		const x = new Float32Array(total * 2);
		const y = new Float32Array(total * 2);
		for (let i = 0; i < total; i++) {
			const c = i % 2;
			const t = 0.5 + 2.5 * r();
			const a = t * Math.PI + c * Math.PI;
			x[i * 2] = t * Math.cos(a) + 0.15 * g[i * 2];
			x[i * 2 + 1] = t * Math.sin(a) + 0.15 * g[i * 2 + 1];
			y[i * 2 + c] = 1;
		}
		return split(x, y, total, 256, [2], 2);
	},
	build: (tf, seed) =>
		tf.sequential({
			layers: [
				dense(tf, 32, seed, 'relu', [2]),
				dense(tf, 32, seed + 1, 'relu'),
				dense(tf, 2, seed + 2, 'softmax'),
			],
		}),
};

/** The seven workloads the curve rule was chosen on (all in the tuning half). */
export const originalWorkloads: Workload[] = [
	tabular,
	multiclass,
	imbalanced,
	cnn,
	bigTargets,
	spirals,
	pretrained,
];
