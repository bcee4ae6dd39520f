/**
 * Generated workload families for bench/suggestion-quality (issue 19: a corpus a rule cannot be
 * tuned to): tabular regression (depth, width, target scale, noise), multi-class (classes, label
 * noise, imbalance), imbalanced binary, small conv nets on 8×8 patterns, and token sequences
 * (embedding + LSTM / GRU / average pooling); dataset sizes 100 … 50 000, batch sizes 16 … 512,
 * and every optimizer (sgd, momentum, adam, rmsprop, adagrad). Each spec below is one workload;
 * data and initial weights are seeded, so every LR trains from the same start. Models are small so
 * that tfjs's cpu backend trains the whole corpus in well under an hour.
 *
 * `tfjs-examples style` workloads copy the architecture and optimizer of a tfjs-examples model
 * (iris, boston-housing, sentiment) on synthetic data of the same shape: the real data sets cannot
 * be downloaded here.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/engine/training/seed';
import type { Tf } from '../../src/engine/sources/sourceTypes';
import { type Data, dense, gaussians, type OptimizerKind, type Workload } from './workloads';

/** Data with no separate held-out part (the bench cross-validates on it). */
function rows(x: Float32Array, y: Float32Array, n: number, xShape: number[], yWidth: number): Data {
	return { x, y, xShape, yWidth, n, valX: new Float32Array(0), valY: new Float32Array(0), nVal: 0 };
}

interface Common {
	key: string;
	optimizer: OptimizerKind;
	n: number;
	batchSize: number;
	epochs: number;
	/** Hidden dense layers' widths. */
	hidden: number[];
	name?: string;
}

function mlp(
	tf: Tf,
	seed: number,
	inputs: number,
	hidden: number[],
	out: number,
	act?: 'softmax' | 'sigmoid',
	hiddenAct: 'relu' | 'sigmoid' = 'relu',
): tfTypes.LayersModel {
	const layers = hidden.map((u, i) =>
		dense(tf, u, seed + i, hiddenAct, i === 0 ? [inputs] : undefined),
	);
	layers.push(dense(tf, out, seed + 99, act, hidden.length === 0 ? [inputs] : undefined));
	return tf.sequential({ layers });
}

const arch = (inputs: number, hidden: number[], out: number): string =>
	[inputs, ...hidden, out].join('-');

/** Regression: y = scale·(sin x0 + x1·x2 + 0.5·x3 + noise·g) + offset (d ≥ 4 features). */
export function regression(
	c: Common & { d: number; scale: number; offset: number; noise: number; linear?: boolean },
): Workload {
	return {
		key: c.key,
		family: 'regression',
		name:
			c.name ??
			`regression n=${c.n}, targets ~${c.offset || c.scale} (MLP ${arch(c.d, c.hidden, 1)}, ${c.optimizer})`,
		optimizer: c.optimizer,
		loss: 'meanSquaredError',
		batchSize: c.batchSize,
		epochs: c.epochs,
		data(seed) {
			const r = mulberry32(seed * 7919 + c.n);
			const g = gaussians(c.n * (c.d + 1), r);
			const x = g.slice(0, c.n * c.d);
			const y = new Float32Array(c.n);
			for (let i = 0; i < c.n; i++) {
				const v = x.subarray(i * c.d, i * c.d + c.d);
				const f = c.linear
					? v.reduce((s, a, j) => s + a * ((j % 3) - 1 + 0.5), 0)
					: Math.sin(v[0]) + v[1] * v[2] + 0.5 * v[3];
				y[i] = c.scale * (f + c.noise * g[c.n * c.d + i]) + c.offset;
			}
			return rows(x, y, c.n, [c.d], 1);
		},
		build: (tf, seed) => mlp(tf, seed, c.d, c.hidden, 1),
	};
}

/** Multi-class Gaussian blobs with label noise and class imbalance (class 0 has `major` share). */
export function classes(
	c: Common & {
		d: number;
		k: number;
		sep: number;
		labelNoise: number;
		major?: number;
		hiddenAct?: 'relu' | 'sigmoid';
	},
): Workload {
	return {
		key: c.key,
		family: 'multiclass',
		name:
			c.name ??
			`${c.k} classes n=${c.n}${c.labelNoise ? `, ${c.labelNoise * 100}% label noise` : ''}${c.major ? `, ${c.major * 100}% class 0` : ''} (MLP ${arch(c.d, c.hidden, c.k)}, ${c.optimizer})`,
		optimizer: c.optimizer,
		loss: 'categoricalCrossentropy',
		batchSize: c.batchSize,
		epochs: c.epochs,
		data(seed) {
			const r = mulberry32(seed * 104729 + c.n + c.k);
			const g = gaussians(c.n * c.d, r);
			const centres = gaussians(c.k * c.d, mulberry32(91 + c.k));
			const x = new Float32Array(c.n * c.d);
			const y = new Float32Array(c.n * c.k);
			for (let i = 0; i < c.n; i++) {
				const cls =
					c.major && r() < c.major
						? 0
						: Math.floor(r() * (c.major ? c.k - 1 : c.k)) + (c.major ? 1 : 0);
				for (let j = 0; j < c.d; j++) {
					x[i * c.d + j] = g[i * c.d + j] + c.sep * centres[cls * c.d + j];
				}
				const label = r() < c.labelNoise ? Math.floor(r() * c.k) : cls;
				y[i * c.k + label] = 1;
			}
			return rows(x, y, c.n, [c.d], c.k);
		},
		build: (tf, seed) => mlp(tf, seed, c.d, c.hidden, c.k, 'softmax', c.hiddenAct),
	};
}

/** Binary with a logistic rule; `bias` sets the share of positives (about 3% … 50%). */
export function binary(c: Common & { d: number; bias: number }): Workload {
	return {
		key: c.key,
		family: 'binary',
		name:
			c.name ?? `binary n=${c.n}, bias ${c.bias} (MLP ${arch(c.d, c.hidden, 1)}, ${c.optimizer})`,
		optimizer: c.optimizer,
		loss: 'binaryCrossentropy',
		batchSize: c.batchSize,
		epochs: c.epochs,
		data(seed) {
			const r = mulberry32(seed * 15485863 + c.n);
			const x = gaussians(c.n * c.d, r);
			const y = new Float32Array(c.n);
			for (let i = 0; i < c.n; i++) {
				const v = x.subarray(i * c.d, i * c.d + c.d);
				const z = 1.5 * v[0] - v[1] + 0.8 * v[2] * v[3] + c.bias;
				y[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
			}
			return rows(x, y, c.n, [c.d], 1);
		},
		build: (tf, seed) => mlp(tf, seed, c.d, c.hidden, 1, 'sigmoid'),
	};
}

/** 8×8 images of 3 noisy patterns (row, column, diagonal); `filters` conv layers then softmax. */
export function images(c: Common & { filters: number[]; noise: number }): Workload {
	return {
		key: c.key,
		family: 'conv',
		name: c.name ?? `conv 8x8 [${c.filters.join(',')}] n=${c.n} (${c.optimizer})`,
		optimizer: c.optimizer,
		loss: 'categoricalCrossentropy',
		batchSize: c.batchSize,
		epochs: c.epochs,
		data(seed) {
			const r = mulberry32(seed * 2654435761 + c.n);
			const g = gaussians(c.n * 64, r);
			const x = new Float32Array(c.n * 64);
			const y = new Float32Array(c.n * 3);
			for (let i = 0; i < c.n; i++) {
				const k = Math.floor(r() * 3);
				const pos = 1 + Math.floor(r() * 6);
				y[i * 3 + k] = 1;
				for (let a = 0; a < 8; a++) {
					for (let b = 0; b < 8; b++) {
						const on = k === 0 ? a === pos : k === 1 ? b === pos : a === b;
						x[i * 64 + a * 8 + b] = (on ? 1 : 0) + c.noise * g[i * 64 + a * 8 + b];
					}
				}
			}
			return rows(x, y, c.n, [8, 8, 1], 3);
		},
		build: (tf, seed) =>
			tf.sequential({
				layers: [
					...c.filters.map((f, i) =>
						tf.layers.conv2d({
							filters: f,
							kernelSize: 3,
							activation: 'relu',
							inputShape: i === 0 ? [8, 8, 1] : undefined,
							kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
						}),
					),
					tf.layers.maxPooling2d({ poolSize: 2 }),
					tf.layers.flatten(),
					...c.hidden.map((u, i) => dense(tf, u, seed + 10 + i, 'relu')),
					dense(tf, 3, seed + 99, 'softmax'),
				],
			}),
	};
}

/** Token sequences: is token 1 more frequent than token 2? Embedding then LSTM, GRU or pooling. */
export function sequences(
	c: Common & { len: number; vocab: number; cell: 'lstm' | 'gru' | 'pool'; units: number },
): Workload {
	return {
		key: c.key,
		family: 'sequence',
		name: c.name ?? `tokens len ${c.len} n=${c.n}, embedding+${c.cell}${c.units} (${c.optimizer})`,
		optimizer: c.optimizer,
		loss: 'binaryCrossentropy',
		batchSize: c.batchSize,
		epochs: c.epochs,
		data(seed) {
			const r = mulberry32(seed * 49979687 + c.n);
			const x = new Float32Array(c.n * c.len);
			const y = new Float32Array(c.n);
			for (let i = 0; i < c.n; i++) {
				let score = 0;
				for (let t = 0; t < c.len; t++) {
					const tok = r() < 0.4 ? 1 + Math.floor(r() * 2) : Math.floor(r() * c.vocab);
					x[i * c.len + t] = tok;
					score += tok === 1 ? 1 : tok === 2 ? -1 : 0;
				}
				y[i] = score > 0 || (score === 0 && r() < 0.5) ? 1 : 0;
			}
			return rows(x, y, c.n, [c.len], 1);
		},
		build: (tf, seed) => {
			const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
			const emb = tf.layers.embedding({
				inputDim: c.vocab,
				outputDim: 8,
				inputLength: c.len,
				embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
			});
			const mid =
				c.cell === 'pool'
					? [tf.layers.globalAveragePooling1d({}), dense(tf, c.units, seed + 1, 'relu')]
					: [
							(c.cell === 'lstm' ? tf.layers.lstm : tf.layers.gru)({
								units: c.units,
								kernelInitializer: init(seed + 1),
								recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }),
							}),
						];
			return tf.sequential({ layers: [emb, ...mid, dense(tf, 1, seed + 99, 'sigmoid')] });
		},
	};
}
