/**
 * Every bad input a model/data source can get gives a BadInputError with one clear line that names
 * the problem (and, for shapes, both shapes; for NaN, the row and column). Nothing crashes or hangs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../../src/shared/errors';
import { loadSource } from '../../src/engine/sources/sources';
import type { DataSpec, ModelSource } from '../../src/shared/runnerProtocol';
import type { Tf } from '../../src/engine/sources/sourceTypes';
import type * as tfTypes from '@tensorflow/tfjs';
import { cpuTf } from './helpers';
import { cleanup, repo, saveModel, savedDense, tempDir, writeNpy } from './sourceFixtures';

let tf: Tf;
let dir: string;
/** A saved 3-feature → 3-class softmax model (Adam, categorical CE). */
let clf: string;
/** A saved 2-feature → 1 regression model (SGD, MSE). */
let reg: string;
before(async () => {
	tf = await cpuTf();
	dir = tempDir();
	clf = await savedDense(tf, join(dir, 'clf'), [3], 3, {
		activation: 'softmax',
		loss: 'categorical_crossentropy',
		optimizer: 'Adam',
	});
	reg = await savedDense(tf, join(dir, 'reg'), [2], 1);
});
after(cleanup);

/** Loads and expects a BadInputError whose single-line message matches `re`. */
async function rejects(
	source: ModelSource,
	re: RegExp,
	opts: Parameters<typeof loadSource>[2] = { seed: 1 },
): Promise<string> {
	const before = tf.memory().numTensors;
	try {
		const src = await loadSource(tf, source, opts);
		src.dispose();
		src.model.dispose();
	} catch (e) {
		assert.ok(
			e instanceof BadInputError,
			`expected BadInputError, got ${(e as Error).name}: ${(e as Error).message}`,
		);
		assert.match(e.message, re);
		assert.ok(!e.message.includes('\n'), `message must be one line: ${e.message}`);
		// A failed load frees what it made (the model included).
		assert.equal(tf.memory().numTensors, before, 'tensors leaked by a failed load');
		return e.message;
	}
	assert.fail(`expected a BadInputError matching ${re}`);
}

const csv = (name: string, text: string): string => {
	const p = join(dir, name);
	writeFileSync(p, text);
	return p;
};
const saved = (
	modelPath: string,
	data: DataSpec,
	extra: Partial<{ loss: string; optimizer: string }> = {},
): ModelSource => ({
	kind: 'saved',
	modelPath,
	data,
	...extra,
});
const clfCsv = (): DataSpec => ({
	kind: 'csv',
	path: csv(
		'ok.csv',
		'a,b,c,label\n' +
			Array.from({ length: 8 }, (_v, i) => `${i},${i * 2},1,${['x', 'y', 'z'][i % 3]}`).join('\n'),
	),
	labels: ['label'],
});

/** Copies a saved model folder so it can be damaged. */
function copyModel(from: string, name: string): string {
	const d = join(dir, name);
	mkdirSync(d, { recursive: true });
	copyFileSync(from, join(d, 'model.json'));
	copyFileSync(from.replace('model.json', 'weights.bin'), join(d, 'weights.bin'));
	return join(d, 'model.json');
}

describe('bad model files', () => {
	it('missing model.json', async () => {
		await rejects(
			saved(join(dir, 'nope', 'model.json'), clfCsv()),
			/^model file not found: .*nope.model\.json$/,
		);
	});

	it('corrupt model.json', async () => {
		const p = copyModel(clf, 'corrupt');
		writeFileSync(p, readFileSync(p, 'utf8').slice(0, 50));
		await rejects(saved(p, clfCsv()), /^model\.json is not valid JSON \(/);
	});

	it('missing weights file', async () => {
		const p = copyModel(clf, 'noweights');
		rmSync(join(dir, 'noweights', 'weights.bin'));
		await rejects(
			saved(p, clfCsv()),
			/^weight file 'weights\.bin' named in model\.json is missing/,
		);
	});

	it('truncated weights file', async () => {
		const p = copyModel(clf, 'short');
		const w = join(dir, 'short', 'weights.bin');
		writeFileSync(w, readFileSync(w).subarray(0, 20));
		await rejects(
			saved(p, clfCsv()),
			/^weight files weights\.bin hold 20 bytes but model\.json needs 48: a shard is truncated/,
		);
	});

	it('graph model', async () => {
		const p = join(dir, 'graph.json');
		writeFileSync(
			p,
			JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }),
		);
		await rejects(
			saved(p, clfCsv()),
			/^cannot train a graph model \(graph\.json has format 'graph-model'/,
		);
	});

	it('no trainingConfig and an output that implies no loss (two outputs): asks for --loss', async () => {
		// A single-output model saved without a trainingConfig gets a guessed loss and Adam
		// (sources.test.ts); two outputs imply nothing, so the user is asked.
		const input = tf.input({ shape: [3] });
		const m = tf.model({
			inputs: input,
			outputs: [
				tf.layers.dense({ units: 3, activation: 'softmax' }).apply(input) as tfTypes.SymbolicTensor,
				tf.layers.dense({ units: 1 }).apply(input) as tfTypes.SymbolicTensor,
			],
		});
		const p = await saveModel(tf, m, join(dir, 'two-out'));
		m.dispose();
		await rejects(
			saved(p, clfCsv()),
			/^model\.json \(no trainingConfig\) has no loss: give --loss/,
		);
	});

	it('unknown optimizer lists the known ones; unknown loss too', async () => {
		await rejects(
			saved(clf, clfCsv(), { optimizer: 'nadam' }),
			/^unknown optimizer 'nadam': use one of sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta$/,
		);
		await rejects(
			saved(clf, clfCsv(), { loss: 'focal' }),
			/^unknown loss 'focal' \(--loss\): use one of meanSquaredError,/,
		);
	});
});

describe('bad data', () => {
	it('input shape mismatch names both shapes', async () => {
		const x = join(dir, 'x5.npy');
		const y = join(dir, 'y5.npy');
		writeNpy(x, '<f4', [4, 5], new Float32Array(20));
		writeNpy(y, '<f4', [4, 1], new Float32Array(4));
		await rejects(
			saved(reg, { kind: 'npy', xPath: x, yPath: y }),
			/^input shape mismatch: x5\.npy\/y5\.npy features are \[4,5\] .* the model's input is \[null,2\]$/,
		);
	});

	it('CSV columns that no encoding fits name the widths', async () => {
		const p = csv('wide.csv', 'a,b,c,d,t\n1,2,3,4,5\n2,3,4,5,6');
		await rejects(
			saved(reg, { kind: 'csv', path: p, labels: ['t'] }),
			/^input shape mismatch: wide\.csv has 4 feature columns \(4 wide ordinal, 4 one-hot\) but the model takes 2 features/,
		);
	});

	it('label shape mismatch names both shapes', async () => {
		const p = join(dir, 'lab.json');
		writeFileSync(
			p,
			JSON.stringify({
				x: [
					[1, 2],
					[3, 4],
				],
				y: [
					[1, 2],
					[3, 4],
				],
			}),
		);
		await rejects(
			saved(reg, { kind: 'json', path: p }),
			/^label shape mismatch: lab\.json labels are \[2,2\] but the model's output is \[null,1\]$/,
		);
	});

	it('class names with a regression loss', async () => {
		const p = csv('cls.csv', 'a,b,kind\n1,2,cat\n3,4,dog\n5,6,cat');
		await rejects(
			saved(reg, { kind: 'csv', path: p, labels: ['kind'] }),
			/^labels are class names \(cat, dog\) but loss meanSquaredError needs numbers/,
		);
	});

	it('out-of-range sparse labels and too many classes', async () => {
		const p = csv('sparse.csv', 'a,b,c,k\n1,2,3,0\n1,2,3,5\n1,2,3,1');
		await rejects(
			saved(
				clf,
				{ kind: 'csv', path: p, labels: ['k'] },
				{ loss: 'sparseCategoricalCrossentropy' },
			),
			/^label 5 at sparse\.csv example 1 is not a class index 0\.\.2 for sparseCategoricalCrossentropy with 3 outputs$/,
		);
		const r = csv('real.csv', 'a,b,c,k\n1,2,3,0.25\n1,2,3,1');
		await rejects(
			saved(clf, { kind: 'csv', path: r, labels: ['k'] }),
			/^label 0\.25 at real\.csv example 0 is not a class index 0\.\.2 for categoricalCrossentropy with 3 outputs: these look like regression targets \(use --loss meanSquaredError\)$/,
		);
		const q = csv(
			'many.csv',
			'a,b,c,k\n' + ['a', 'b', 'c', 'd'].map((k) => `1,2,3,${k}`).join('\n'),
		);
		await rejects(
			saved(clf, { kind: 'csv', path: q, labels: ['k'] }),
			/^labels have 4 classes \(a, b, c, d\) but the model has 3 outputs \[null,3\]$/,
		);
	});

	it('binary crossentropy labels outside [0, 1]', async () => {
		const p = join(dir, 'bin.json');
		writeFileSync(
			p,
			JSON.stringify({
				x: [
					[1, 2],
					[3, 4],
				],
				y: [[0], [2]],
			}),
		);
		await rejects(
			saved(reg, { kind: 'json', path: p }, { loss: 'binary_crossentropy' }),
			/binaryCrossentropy needs labels in \[0, 1\] but bin\.json example 1 has 2/,
		);
	});

	it('empty data (header only CSV, empty JSON, zero-row npy)', async () => {
		await rejects(
			saved(clf, { kind: 'csv', path: csv('empty.csv', 'a,b,c,label\n'), labels: ['label'] }),
			/^data is empty: empty\.csv has a header but no data rows$/,
		);
		await rejects(
			saved(clf, { kind: 'csv', path: csv('blank.csv', ''), labels: [] }),
			/^data is empty: blank\.csv/,
		);
		const j = join(dir, 'empty.json');
		writeFileSync(j, JSON.stringify({ x: [], y: [] }));
		await rejects(
			saved(reg, { kind: 'json', path: j }),
			/^data is empty: empty\.json has no examples$/,
		);
		writeNpy(join(dir, 'x0.npy'), '<f4', [0, 2], new Float32Array(0));
		writeNpy(join(dir, 'y0.npy'), '<f4', [0, 1], new Float32Array(0));
		await rejects(
			saved(reg, { kind: 'npy', xPath: join(dir, 'x0.npy'), yPath: join(dir, 'y0.npy') }),
			/^data is empty/,
		);
	});

	it('NaN/Inf/empty cells name the row and column', async () => {
		const nan = csv('nan.csv', 'a,b,c,label\n1,2,3,x\n4,5,6,y\n7,NaN,9,z');
		await rejects(
			saved(clf, { kind: 'csv', path: nan, labels: ['label'] }),
			/^nan\.csv row 3 \(line 4\), column 'b' is 'NaN' \(NaN\/Inf\): fix or drop that row$/,
		);
		const gap = csv('gap.csv', 'a,b,c,label\n1,2,3,x\n4,5,,y');
		await rejects(
			saved(clf, { kind: 'csv', path: gap, labels: ['label'] }),
			/^gap\.csv row 2 \(line 3\), column 'c' is empty/,
		);
		const typo = csv('typo.csv', 'a,b,c,label\n1,2,3,x\n4,5,n/a,y\n1,1,1,z');
		await rejects(
			saved(clf, { kind: 'csv', path: typo, labels: ['label'] }),
			/^typo\.csv row 2 \(line 3\), column 'c' is 'n\/a', not a number$/,
		);
		writeNpy(join(dir, 'xi.npy'), '<f4', [3, 2], Float32Array.from([1, 2, 3, Infinity, 5, 6]));
		writeNpy(join(dir, 'yi.npy'), '<f4', [3, 1], Float32Array.from([1, 2, 3]));
		await rejects(
			saved(reg, { kind: 'npy', xPath: join(dir, 'xi.npy'), yPath: join(dir, 'yi.npy') }),
			/has Infinity at example 1, feature \[1\]/,
		);
		const j = join(dir, 'nany.json');
		writeFileSync(
			j,
			JSON.stringify({
				x: [
					[1, 2],
					[3, 4],
				],
				y: [[1], [NaN]],
			}),
		);
		await rejects(saved(reg, { kind: 'json', path: j }), /^nany\.json labels has NaN at example 1/);
	});

	it('data smaller than one batch', async () => {
		await rejects(
			saved(clf, clfCsv()),
			/^data smaller than one batch: ok\.csv has 8 training examples, batch size is 32: lower --batch-size to 8 or less$/,
			{ seed: 1, batchSize: 32 },
		);
	});

	it('unknown label column lists the columns', async () => {
		const p = csv('cols.csv', 'a,b,c,label\n1,2,3,x');
		await rejects(
			saved(clf, { kind: 'csv', path: p, labels: ['target'] }),
			/^label column 'target' not found in cols\.csv; columns are 'a', 'b', 'c', 'label'$/,
		);
	});

	it('missing data file', async () => {
		await rejects(
			saved(clf, { kind: 'csv', path: join(dir, 'none.csv'), labels: [] }),
			/^data file not found: /,
		);
	});
});

describe('bad modules', () => {
	it('a module that throws while loading, and a factory that throws, include the message', async () => {
		const m = join(dir, 'throws.js');
		writeFileSync(m, "throw new Error('boom: no GPU here');");
		await rejects(
			{ kind: 'module', modulePath: m },
			/^throws\.js threw while loading: boom: no GPU here$/,
		);
		const f = join(dir, 'factory.mjs');
		writeFileSync(
			f,
			"export function createModel() { throw new Error('kaboom'); }\nexport const data = { x: [[1]], y: [[1]] };",
		);
		await rejects(
			{ kind: 'module', modulePath: f },
			/^factory\.mjs: createModel\(\) threw: kaboom$/,
		);
		const d = join(dir, 'dataThrows.cjs');
		writeFileSync(
			d,
			'exports.createModel = (tf) => { const m = tf.sequential(); m.add(tf.layers.dense({ inputShape: [1], units: 1 })); return m; };\n' +
				"exports.createData = async () => { throw new TypeError('file data.bin not found'); };",
		);
		await rejects(
			{ kind: 'module', modulePath: d },
			/^dataThrows\.cjs: createData\(\) threw: file data\.bin not found$/,
		);
	});

	it('TypeScript that does not compile names the file and line', async () => {
		const m = join(dir, 'broken.ts');
		writeFileSync(m, 'export function createModel(tf: any) {\n  return tf.sequential(;\n}\n');
		await rejects(
			{ kind: 'module', modulePath: m },
			/^broken\.ts does not compile: .*\(broken\.ts:2:\d+\)$/,
		);
	});

	it('a module without exports, or with a non-model', async () => {
		const m = join(dir, 'empty.js');
		writeFileSync(m, 'exports.nothing = 1;');
		await rejects(
			{ kind: 'module', modulePath: m },
			/^empty\.js exports no model: export createModel\(tf\)/,
		);
		const n = join(dir, 'notModel.js');
		writeFileSync(n, 'exports.createModel = () => 42; exports.data = { x: [[1]], y: [[1]] };');
		await rejects(
			{ kind: 'module', modulePath: n },
			/^notModel\.js: createModel must be \(or return\) a tf\.LayersModel/,
		);
		await rejects({ kind: 'module', modulePath: join(dir, 'missing.ts') }, /^module not found: /);
	});

	it('an uncompiled module model without --loss asks for it', async () => {
		const m = join(dir, 'uncompiled.js');
		writeFileSync(
			m,
			'exports.createModel = (tf) => { const m = tf.sequential(); m.add(tf.layers.dense({ inputShape: [1], units: 1 })); return m; };\nexports.data = { x: [[1], [2]], y: [[1], [2]] };',
		);
		await rejects(
			{ kind: 'module', modulePath: m },
			/^uncompiled\.js \(model not compiled\) has no loss: give --loss/,
		);
	});

	it('script sources are not loaded here', async () => {
		await rejects(
			{ kind: 'script', scriptPath: join(repo, 'examples/dense-classifier/train.js'), args: [] },
			/run through the fit hook/,
		);
	});
});
