// A plain tfjs training script for this example (what LR Scope's zero-config mode hooks into):
// `node examples/dense-classifier/train.js`. It builds the same model as model/model.json, reads
// data.csv, one-hot encodes 'color' and the label, and calls model.fit.
const tf = require('@tensorflow/tfjs');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const colors = ['blue', 'green', 'red'];
const classes = ['high', 'low', 'medium'];

function loadData() {
	const rows = readFileSync(join(__dirname, 'data.csv'), 'utf8').trim().split('\n').slice(1);
	const xs = [];
	const ys = [];
	for (const row of rows) {
		const cells = row.split(',');
		const color = colors.map((c) => (c === cells[4] ? 1 : 0));
		xs.push([...cells.slice(0, 4).map(Number), ...color]);
		ys.push(classes.map((c) => (c === cells[5] ? 1 : 0)));
	}
	return { x: tf.tensor2d(xs), y: tf.tensor2d(ys) };
}

async function main() {
	const model = tf.sequential();
	model.add(tf.layers.dense({ inputShape: [7], units: 16, activation: 'relu' }));
	model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
	model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
	const { x, y } = loadData();
	const history = await model.fit(x, y, { epochs: 20, batchSize: 32, validationSplit: 0.2, verbose: 0 });
	const last = history.history.loss.length - 1;
	console.log(`loss ${history.history.loss[last].toFixed(4)}, val_loss ${history.history.val_loss[last].toFixed(4)}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
