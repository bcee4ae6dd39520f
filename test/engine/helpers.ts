/**
 * Tiny models and data for engine tests, built directly as `LoadedSource`s (no files), on the
 * bundled tfjs cpu backend. Keep them small: the cpu backend is slow and the machine is shared.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/engine/training/seed';
import type { LoadedSource, Tf } from '../../src/engine/sources/sourceTypes';
import type { ModelSource } from '../../src/shared/runnerProtocol';

/** The bundled tfjs, on cpu, ready. */
export async function cpuTf(): Promise<Tf> {
	await tf.setBackend('cpu');
	await tf.ready();
	return tf;
}

/** Gaussian samples from a seeded generator (Box–Muller). */
export function gaussians(n: number, seed: number): Float32Array {
	const r = mulberry32(seed);
	const out = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const u = Math.max(r(), 1e-12);
		out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
	}
	return out;
}

/** Linear-regression data: X (n×d, column scales `scales`), y = X·w + 0.5 + noise. */
export function linearData(
	n: number,
	scales: number[],
	seed = 1,
): { x: Float32Array; y: Float32Array; d: number } {
	const d = scales.length;
	const g = gaussians(n * d + n, seed);
	const x = new Float32Array(n * d);
	const y = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		let s = 0.5;
		for (let j = 0; j < d; j++) {
			const v = g[i * d + j] * scales[j];
			x[i * d + j] = v;
			s += v * (j + 1) * 0.3;
		}
		y[i] = s + 0.05 * g[n * d + i];
	}
	return { x, y, d };
}

/**
 * λ_max of the MSE Hessian `2/N·AᵀA` for a dense layer with bias (A = [X | 1]), by power iteration.
 * Plain SGD on this loss is stable for lr < 2/λ_max.
 */
export function lambdaMax(x: Float32Array, n: number, d: number): number {
	const k = d + 1;
	const h = new Float64Array(k * k);
	for (let i = 0; i < n; i++) {
		for (let a = 0; a < k; a++) {
			const va = a < d ? x[i * d + a] : 1;
			for (let b = 0; b < k; b++) {
				h[a * k + b] += (2 / n) * va * (b < d ? x[i * d + b] : 1);
			}
		}
	}
	let v = new Float64Array(k).fill(1);
	let lambda = 0;
	for (let it = 0; it < 500; it++) {
		const w = new Float64Array(k);
		for (let a = 0; a < k; a++) {
			for (let b = 0; b < k; b++) {
				w[a] += h[a * k + b] * v[b];
			}
		}
		const norm = Math.hypot(...w);
		lambda = norm / Math.hypot(...v);
		v = w.map((z) => z / norm);
	}
	return lambda;
}

/** A compiled one-layer linear model on the linear-regression data, as a LoadedSource. */
export function linearSource(
	t: Tf,
	opts: {
		n?: number;
		scales?: number[];
		optimizer?: 'sgd' | 'adam' | 'momentum';
		batchSize?: number;
		seed?: number;
	} = {},
): LoadedSource & { lambdaMax: number } {
	const n = opts.n ?? 256;
	const scales = opts.scales ?? [1, 2, 0.5, 1];
	const { x, y, d } = linearData(n, scales, opts.seed ?? 1);
	const model = t.sequential({
		layers: [t.layers.dense({ units: 1, inputShape: [d], kernelInitializer: 'zeros' })],
	});
	const optimizer =
		opts.optimizer === 'adam'
			? t.train.adam(1e-3)
			: opts.optimizer === 'momentum'
				? t.train.momentum(1e-3, 0.9)
				: t.train.sgd(1e-3);
	model.compile({ optimizer, loss: 'meanSquaredError' });
	const xt = t.tensor2d(x, [n, d]);
	const yt = t.tensor2d(y, [n, 1]);
	return {
		model,
		x: xt,
		y: yt,
		batchSize: opts.batchSize ?? 32,
		size: n,
		optimizerName: opts.optimizer ?? 'sgd',
		lossName: 'meanSquaredError',
		notes: [],
		lambdaMax: lambdaMax(x, n, d),
		dispose: () => {
			xt.dispose();
			yt.dispose();
		},
	};
}

/** A small MLP classifier (3 classes, dropout) on separable blobs, with Adam. */
export function classifierSource(
	t: Tf,
	opts: { n?: number; seed?: number; validation?: boolean } = {},
): LoadedSource {
	const n = opts.n ?? 240;
	const d = 6;
	const g = gaussians(n * d, opts.seed ?? 3);
	const x = new Float32Array(n * d);
	const labels = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const c = i % 3;
		labels[i] = c;
		for (let j = 0; j < d; j++) {
			x[i * d + j] = g[i * d + j] + (j % 3 === c ? 2 : 0);
		}
	}
	const model = t.sequential({
		layers: [
			t.layers.dense({
				units: 16,
				inputShape: [d],
				activation: 'relu',
				kernelInitializer: t.initializers.glorotUniform({ seed: 7 }),
			}),
			t.layers.dropout({ rate: 0.2 }),
			t.layers.dense({
				units: 3,
				activation: 'softmax',
				kernelInitializer: t.initializers.glorotUniform({ seed: 8 }),
			}),
		],
	});
	model.compile({ optimizer: t.train.adam(1e-3), loss: 'categoricalCrossentropy' });
	const xt = t.tensor2d(x, [n, d]);
	const yt = t.tidy(() => t.oneHot(t.tensor1d(labels, 'int32'), 3).toFloat());
	const extra: Partial<LoadedSource> = {};
	const owned = [xt, yt];
	if (opts.validation) {
		const vx = t.randomNormal([60, d], 0, 1, 'float32', 11);
		const vy = t.tidy(() => t.oneHot(t.zeros([60], 'int32') as tf.Tensor1D, 3).toFloat());
		extra.valX = vx;
		extra.valY = vy;
		owned.push(vx, vy);
	}
	return {
		model,
		x: xt,
		y: yt,
		...extra,
		batchSize: 16,
		size: n,
		optimizerName: 'adam',
		lossName: 'categoricalCrossentropy',
		notes: [],
		dispose: () => t.dispose(owned),
	};
}

/** All weight and optimizer-slot values (plus the optimizer's iteration count and Adam's accBeta), as plain arrays. */
export async function stateValues(t: Tf, model: tf.LayersModel): Promise<Record<string, number[]>> {
	const out: Record<string, number[]> = {};
	for (const w of model.weights) {
		out[`w:${w.name}`] = Array.from(await w.read().data());
	}
	const opt = model.optimizer;
	const ow = await opt.getWeights();
	for (const nt of ow) {
		out[`o:${nt.name}`] = Array.from(await nt.tensor.data());
	}
	// getWeights() creates the 'iter' scalar afresh; the slots are the live variables.
	ow.filter((nt) => nt.name === 'iter').forEach((nt) => nt.tensor.dispose());
	const rec = opt as unknown as Record<string, unknown>;
	for (const k of Object.keys(rec)) {
		if (rec[k] instanceof t.Variable) {
			out[`v:${k}`] = Array.from(await (rec[k] as tf.Variable).data());
		} else if (typeof rec[k] === 'number') {
			out[`n:${k}`] = [rec[k] as number];
		}
	}
	return out;
}

/** Bit patterns of float values, so comparisons are bit-for-bit (NaN-safe, -0 ≠ 0). */
export function bits(values: Record<string, number[]>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(values)) {
		out[k] = Buffer.from(new Float64Array(v).buffer).toString('hex');
	}
	return out;
}

/**
 * Saves a compiled model as `dir/model.json` + `dir/weights.bin` (layers-model format, with its
 * trainingConfig), the way `model.save('file://…')` does with tfjs-node.
 */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<string> {
	const fs = await import('node:fs');
	const path = await import('node:path');
	fs.mkdirSync(dir, { recursive: true });
	await model.save(
		tf.io.withSaveHandler(async (a) => {
			const json = {
				format: 'layers-model',
				generatedBy: 'lrscope tests',
				convertedBy: null,
				modelTopology: a.modelTopology,
				// save() only adds it with includeOptimizer; tfjs-node's file:// save does the same.
				trainingConfig: (model as unknown as { getTrainingConfig(): unknown }).getTrainingConfig(),
				weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
			};
			fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
			const data = a.weightData as ArrayBuffer;
			fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(data));
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		}),
	);
	return path.join(dir, 'model.json');
}

/** Writes linear-regression data as a CSV with columns x0..x{d-1}, y. */
export function linearCsv(n: number, scales: number[], seed = 1): string {
	const { x, y, d } = linearData(n, scales, seed);
	const rows = [[...Array.from({ length: d }, (_v, j) => `x${j}`), 'y'].join(',')];
	for (let i = 0; i < n; i++) {
		rows.push([...Array.from(x.subarray(i * d, (i + 1) * d)), y[i]].join(','));
	}
	return rows.join('\n') + '\n';
}

/**
 * A saved linear model (`ws/model/model.json`) and 256 rows of its data (`ws/data.csv`), written
 * into `ws`: the saved-model source the runner tests train on.
 */
export async function savedLinearWorkspace(ws: string): Promise<ModelSource> {
	const fs = await import('node:fs');
	const path = await import('node:path');
	const src = linearSource(await cpuTf());
	await saveModelToDir(src.model, path.join(ws, 'model'));
	src.dispose();
	fs.writeFileSync(path.join(ws, 'data.csv'), linearCsv(256, [1, 2, 0.5, 1]));
	return {
		kind: 'saved',
		modelPath: path.join(ws, 'model', 'model.json'),
		data: { kind: 'csv', path: path.join(ws, 'data.csv'), labels: ['y'] },
	};
}
