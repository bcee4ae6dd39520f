// Re-creates this example's model (model/model.json + weights) and housing.csv with @tensorflow/tfjs.
// Run from the repo: `node examples/csv-regression/generate.mjs`. Output is deterministic (seeded).
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

// 200 houses: 4 standardised numeric features, a 'district' text column (3 values), price (label, in 100k).
const districts = ['centre', 'riverside', 'suburb'];
const lines = ['rooms,area,age,distance,district,price'];
for (let i = 0; i < 200; i++) {
	const f = [gauss(), gauss(), gauss(), gauss()];
	const d = Math.floor(rand() * 3);
	const price = 3 + 0.8 * f[0] + 1.1 * f[1] - 0.4 * f[2] - 0.6 * f[3] + [0.9, 0.3, -0.5][d] + 0.2 * gauss();
	lines.push(`${f.map((v) => v.toFixed(4)).join(',')},${districts[d]},${price.toFixed(4)}`);
}
writeFileSync(join(here, 'housing.csv'), lines.join('\n') + '\n');

// Input width 5 = 4 numeric + 'district' as ONE ordinal column (one-hot would be 7 wide): LR Scope picks
// the encoding that fits the model and says so.
const model = tf.sequential({ name: 'housing_regression' });
model.add(tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }));
model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
await saveModel(model, join(here, 'model'));
console.log('wrote housing.csv and model/ in', here);

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
