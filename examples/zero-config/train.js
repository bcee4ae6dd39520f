// A plain tfjs training script — nothing LR Scope specific. Try:
//   lrscope range-test --script examples/zero-config/train.js -- --epochs 5
//   lrscope monitor --script examples/zero-config/train.js -- --epochs 5 --lr 0.01
// LR Scope runs the range test on this script's model.fit call (and exits before training), or
// trains it for real while streaming losses, the LR and warnings.
'use strict';
const tf = require('@tensorflow/tfjs');

/** --name value pairs from the command line. */
function parseArgs(argv) {
	const out = { epochs: 5, lr: 0.01, batchSize: 32 };
	for (let i = 0; i < argv.length; i += 2) {
		const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_m, c) => c.toUpperCase());
		out[key] = Number(argv[i + 1]);
	}
	return out;
}

/** Two interleaved spirals, 2 classes: small but not linearly separable. */
function spirals(n, seed) {
	let s = seed;
	const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
	const xs = [];
	const ys = [];
	for (let i = 0; i < n; i++) {
		const c = i % 2;
		const t = (i / n) * 3 * Math.PI;
		const r = t / (3 * Math.PI);
		xs.push([r * Math.cos(t + c * Math.PI) + 0.05 * (rand() - 0.5), r * Math.sin(t + c * Math.PI) + 0.05 * (rand() - 0.5)]);
		ys.push(c);
	}
	return { x: tf.tensor2d(xs), y: tf.oneHot(tf.tensor1d(ys, 'int32'), 2).toFloat() };
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const train = spirals(256, 1);
	const val = spirals(96, 2);
	const model = tf.sequential({
		layers: [
			tf.layers.dense({ inputShape: [2], units: 32, activation: 'relu' }),
			tf.layers.dense({ units: 32, activation: 'relu' }),
			tf.layers.dense({ units: 2, activation: 'softmax' }),
		],
	});
	model.compile({ optimizer: tf.train.adam(args.lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
	const history = await model.fit(train.x, train.y, {
		epochs: args.epochs,
		batchSize: args.batchSize,
		validationData: [val.x, val.y],
		verbose: 0,
	});
	const last = history.history;
	console.log(`done: loss ${last.loss.at(-1).toFixed(4)}, val_loss ${last.val_loss.at(-1).toFixed(4)}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
