// Re-creates this example's model (model/model.json + weights) and data.csv with @tensorflow/tfjs.
// Run from the repo: `node examples/dense-classifier/generate.mjs`. Output is deterministic (seeded).
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

// 240 rows: 4 numeric features, one text column 'color' (3 values), label low/medium/high.
const colors = ['red', 'green', 'blue'];
const lines = ['x1,x2,x3,x4,color,label'];
for (let i = 0; i < 240; i++) {
	const x = [gauss(), gauss(), gauss(), gauss()];
	const c = Math.floor(rand() * 3);
	const score = 1.2 * x[0] - 0.8 * x[1] + 0.5 * x[2] * x[3] + (c - 1) * 0.9 + 0.3 * gauss();
	const label = score < -0.6 ? 'low' : score > 0.6 ? 'high' : 'medium';
	lines.push(`${x.map((v) => v.toFixed(4)).join(',')},${colors[c]},${label}`);
}
writeFileSync(join(here, 'data.csv'), lines.join('\n') + '\n');

// Input width 7 = 4 numeric + 3 one-hot colours: LR Scope picks one-hot because it fits.
const seed = 1;
const model = tf.sequential({ name: 'dense_classifier' });
model.add(tf.layers.dense({ inputShape: [7], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await saveModel(model, join(here, 'model'));
console.log('wrote data.csv and model/ in', here);

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
