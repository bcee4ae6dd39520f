/**
 * File fixtures for the source tests: temp folders (os.tmpdir, never the repo), tiny saved models
 * written with plain fs, .npy writers, and file hashes for the "model files untouched" checks.
 */
import { createHash } from 'node:crypto';
import {
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../../src/engine/sources/sourceTypes';

/** Repo root (tests run from it). */
export const repo = join(__dirname, '..', '..');

const made: string[] = [];
/** A fresh temp folder under os.tmpdir(); `cleanup()` removes every folder made. */
export function tempDir(): string {
	const d = mkdtempSync(join(tmpdir(), 'lrscope-src-'));
	made.push(d);
	return d;
}
/** Removes every folder `tempDir()` made. */
export function cleanup(): void {
	for (const d of made.splice(0)) {
		rmSync(d, { recursive: true, force: true });
	}
}

/** sha256 of every file under `dir` (recursive), keyed by relative path. */
export function hashTree(dir: string, prefix = ''): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) {
			Object.assign(out, hashTree(p, `${prefix}${name}/`));
		} else {
			out[prefix + name] = createHash('sha256').update(readFileSync(p)).digest('hex');
		}
	}
	return out;
}

/** Saves a model as model.json + weights.bin with fs; `trainingConfig` is written when given. */
export async function saveModel(
	tf: Tf,
	model: tfTypes.LayersModel,
	dir: string,
	trainingConfig?: unknown,
): Promise<string> {
	mkdirSync(dir, { recursive: true });
	await model.save(
		tf.io.withSaveHandler(async (a) => {
			const json: Record<string, unknown> = {
				format: a.format,
				modelTopology: a.modelTopology,
				weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
			};
			if (trainingConfig !== undefined) {
				json.trainingConfig = trainingConfig;
			}
			writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
			writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData as ArrayBuffer));
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		}),
	);
	return join(dir, 'model.json');
}

/** A dense model `inputs → units(activation)`, saved with a tfjs-style trainingConfig. */
export async function savedDense(
	tf: Tf,
	dir: string,
	inputShape: number[],
	units: number,
	opts: {
		activation?: 'softmax' | 'linear' | 'sigmoid';
		loss?: string;
		optimizer?: string;
		noConfig?: boolean;
	} = {},
): Promise<string> {
	const model = tf.sequential();
	if (inputShape.length > 1) {
		model.add(tf.layers.flatten({ inputShape }));
		model.add(tf.layers.dense({ units, activation: opts.activation ?? 'linear' }));
	} else {
		model.add(tf.layers.dense({ inputShape, units, activation: opts.activation ?? 'linear' }));
	}
	const tc = opts.noConfig
		? undefined
		: {
				loss: opts.loss ?? 'mean_squared_error',
				metrics: [],
				optimizer_config: { class_name: opts.optimizer ?? 'SGD', config: { learningRate: 0.01 } },
			};
	const path = await saveModel(tf, model, dir, tc);
	model.dispose();
	return path;
}

/** Writes a .npy (v1.0) file from a typed array. */
export function writeNpy(
	path: string,
	descr: string,
	shape: number[],
	data: ArrayBufferView,
): void {
	const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
	let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
	header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
	const pre = Buffer.alloc(10);
	pre.write('\x93NUMPY', 0, 'latin1');
	pre[6] = 1;
	pre.writeUInt16LE(header.length, 8);
	writeFileSync(
		path,
		Buffer.concat([
			pre,
			Buffer.from(header, 'latin1'),
			Buffer.from(data.buffer, data.byteOffset, data.byteLength),
		]),
	);
}
