// Re-creates this example's model (model/model.json + weights), x.npy and y.npy with @tensorflow/tfjs.
// Run from the repo: `node examples/cnn-images/generate.mjs`. Output is deterministic (seeded).
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
await tf.setBackend('cpu');

/** Seeded PRNG (mulberry32) so the data is the same on every run. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rand = rng(7);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

// 160 images 12×12×1: a horizontal (class 0) or vertical (class 1) bar on a noisy background.
const n = 160;
const size = 12;
const x = new Float32Array(n * size * size);
const y = new BigInt64Array(n);
for (let i = 0; i < n; i++) {
	const vertical = i % 2;
	const pos = 1 + Math.floor(rand() * (size - 2));
	const from = Math.floor(rand() * 4);
	const len = 6 + Math.floor(rand() * (size - 6 - from));
	for (let r = 0; r < size; r++) {
		for (let c = 0; c < size; c++) {
			const along = vertical ? r : c;
			const across = vertical ? c : r;
			const on = across === pos && along >= from && along < from + len;
			x[i * size * size + r * size + c] = (on ? 1 : 0) + 0.15 * rand();
		}
	}
	y[i] = BigInt(vertical);
}
writeNpy(join(here, 'x.npy'), '<f4', [n, size, size, 1], Buffer.from(x.buffer));
// int64 class indices, as numpy writes them by default: LR Scope one-hot encodes them for categorical CE.
writeNpy(join(here, 'y.npy'), '<i8', [n], Buffer.from(y.buffer));

const model = tf.sequential({ name: 'bars_cnn' });
model.add(tf.layers.conv2d({ inputShape: [size, size, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }));
model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
await saveModel(model, join(here, 'model'));
console.log('wrote x.npy, y.npy and model/ in', here);

/** Writes a C-order .npy (format 1.0) file. */
function writeNpy(path, descr, shape, data) {
	const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
	let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
	const total = 10 + header.length + 1;
	header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
	const pre = Buffer.alloc(10);
	pre.write('\x93NUMPY', 0, 'latin1');
	pre[6] = 1;
	pre[7] = 0;
	pre.writeUInt16LE(header.length, 8);
	writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

/** Saves a layers model as model.json + one weights shard with plain fs (no tfjs-node), with trainingConfig. */
async function saveModel(m, dir) {
	mkdirSync(dir, { recursive: true });
	await m.save(
		tf.io.withSaveHandler(async (a) => {
			const json = {
				format: a.format,
				generatedBy: a.generatedBy,
				convertedBy: null,
				modelTopology: a.modelTopology,
				trainingConfig: m.getTrainingConfig(),
				weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
			};
			writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
			writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData));
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		}),
	);
}
