// Training script for bench/layerSignals.bench.ts, run in monitor mode like a user's script.
// Usage: node layerSignalsModel.js --model mlp|cnn|deep50 --steps N
// Prints one line `{"fitMs": …, "steps": …}`: the wall time of model.fit alone (no process start).
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS training script, as users write them
const tf = require('@tensorflow/tfjs');

function arg(name, dflt) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : dflt;
}

function data(shape, n, seed) {
	let s = seed >>> 0;
	const size = n * shape.reduce((a, b) => a * b, 1);
	const v = new Float32Array(size);
	for (let i = 0; i < size; i++) {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		v[i] = s / 4294967296 - 0.5;
	}
	return tf.tensor(v, [n, ...shape]);
}

function build(kind) {
	const m = tf.sequential();
	if (kind === 'cnn') {
		m.add(
			tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, activation: 'relu' }),
		);
		m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
		m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }));
		m.add(tf.layers.flatten());
		m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
		m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
		return { m, x: data([12, 12, 3], 256, 1) };
	}
	if (kind === 'deep50') {
		m.add(tf.layers.dense({ inputShape: [32], units: 32, activation: 'relu' }));
		for (let i = 1; i < 50; i++) {
			m.add(tf.layers.dense({ units: 32, activation: i % 2 ? 'relu' : 'tanh' }));
		}
		m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
		return { m, x: data([32], 256, 1) };
	}
	m.add(tf.layers.dense({ inputShape: [64], units: 128, activation: 'relu' }));
	m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
	m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
	return { m, x: data([64], 256, 1) };
}

async function main() {
	const kind = arg('model', 'mlp');
	const steps = Number(arg('steps', '100'));
	const { m, x } = build(kind);
	const y = tf
		.oneHot(
			tf.tensor1d(
				Array.from({ length: 256 }, (_v, i) => i % 10),
				'int32',
			),
			10,
		)
		.toFloat();
	m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
	// Warm-up (kernels, first allocations) outside the timed fit.
	await m.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
	const epochs = Math.max(1, Math.round(steps / 8));
	const t0 = performance.now();
	await m.fit(x, y, { epochs, batchSize: 32, verbose: 0, shuffle: false });
	console.log(JSON.stringify({ fitMs: performance.now() - t0, steps: epochs * 8 }));
}
main();
