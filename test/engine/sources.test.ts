/**
 * Model and data sources on the cpu backend: each example workspace, each data kind, encodings and
 * notes, optimizer/loss resolution, module sources sharing our tfjs, and model files left byte-identical.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { loadSource } from '../../src/engine/sources/sources';
import { dataSpecFromArg } from '../../src/shared/dataSpec';
import { createOptimizer, parseTrainingConfig } from '../../src/engine/sources/modelLoad';
import { optimizerKinds } from '../../src/core/tfjsNames';
import { parseCsv } from '../../src/engine/sources/data/csv';
import { parseNpy } from '../../src/engine/sources/data/npy';
import type { LoadedSource, Tf } from '../../src/engine/sources/sourceTypes';
import { fileSystemHandler } from '../../src/engine/script/shimTfjsNode';
import { runRangeTest } from '../../src/engine/training/rangeTest';
import { cpuTf } from './helpers';
import { cleanup, hashTree, repo, savedDense, tempDir, writeNpy } from './sourceFixtures';

let tf: Tf;
before(async () => {
	tf = await cpuTf();
});
after(cleanup);

const ex = (p: string): string => join(repo, 'examples', p);
const single = (t: tfTypes.Tensor | tfTypes.Tensor[] | undefined): tfTypes.Tensor => {
	assert.ok(t && !Array.isArray(t));
	return t;
};

/** A few real training steps: the loss must be finite and the model must accept the tensors. */
async function trainSteps(src: LoadedSource, steps = 3): Promise<number[]> {
	const x = single(src.x);
	const y = single(src.y);
	const losses: number[] = [];
	for (let s = 0; s < steps; s++) {
		const start = (s * src.batchSize) % (src.size! - src.batchSize + 1);
		const bx = x.slice(start, src.batchSize);
		const by = y.slice(start, src.batchSize);
		const l = await src.model.trainOnBatch(bx, by);
		losses.push(Array.isArray(l) ? l[0] : l);
		tf.dispose([bx, by]);
	}
	return losses;
}

describe('examples', () => {
	it('dense-classifier: CSV with a text column one-hot encoded to fit width 7, class labels one-hot, files untouched', async () => {
		const before = hashTree(ex('dense-classifier'));
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: 'examples/dense-classifier/model/model.json',
				data: { kind: 'csv', path: 'examples/dense-classifier/data.csv', labels: ['label'] },
			},
			{ seed: 1, workspace: repo },
		);
		assert.deepEqual(single(src.x).shape, [240, 7]);
		assert.deepEqual(single(src.y).shape, [240, 3]);
		assert.equal(src.optimizerName, 'adam');
		assert.equal(src.lossName, 'categoricalCrossentropy');
		assert.equal(src.batchSize, 32);
		assert.equal(src.size, 240);
		assert.ok(
			src.notes.includes("column 'color' one-hot encoded (3 values: blue, green, red)"),
			src.notes.join(' | '),
		);
		assert.ok(
			src.notes.some((n) => n.startsWith('labels: 3 classes (high=0, low=1, medium=2) one-hot')),
			src.notes.join(' | '),
		);
		// Row 0 is "2.7594,-0.0681,-0.9459,0.0781,green,high": green is index 1 of (blue, green, red).
		const row0 = Array.from(single(src.x).slice([0, 0], [1, 7]).dataSync());
		assert.deepEqual(row0.slice(4), [0, 1, 0]);
		assert.ok(Math.abs(row0[0] - 2.7594) < 1e-6);
		assert.deepEqual(Array.from(single(src.y).slice([0, 0], [1, 3]).dataSync()), [1, 0, 0]);
		const losses = await trainSteps(src);
		assert.ok(losses.every(Number.isFinite));
		src.dispose();
		src.model.dispose();
		assert.deepEqual(hashTree(ex('dense-classifier')), before);
	});

	it('cnn-images: npy float32 images reshaped [160,12,12,1], int64 labels one-hot, momentum from trainingConfig', async () => {
		const before = hashTree(ex('cnn-images'));
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: ex('cnn-images/model/model.json'),
				data: { kind: 'npy', xPath: ex('cnn-images/x.npy'), yPath: ex('cnn-images/y.npy') },
			},
			{ seed: 1 },
		);
		assert.deepEqual(single(src.x).shape, [160, 12, 12, 1]);
		assert.deepEqual(single(src.y).shape, [160, 2]);
		assert.equal(src.optimizerName, 'momentum');
		// generate.mjs alternates classes: example 0 horizontal (0), example 1 vertical (1).
		assert.deepEqual(Array.from(single(src.y).slice([0, 0], [2, 2]).dataSync()), [1, 0, 0, 1]);
		assert.ok(src.notes.some((n) => /integer labels one-hot encoded over 2 classes/.test(n)));
		assert.ok((await trainSteps(src, 2)).every(Number.isFinite));
		src.dispose();
		src.model.dispose();
		assert.deepEqual(hashTree(ex('cnn-images')), before);
	});

	it('csv-regression: text column ordinal encoded because width 5 fits, sgd + MSE', async () => {
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: ex('csv-regression/model/model.json'),
				data: { kind: 'csv', path: ex('csv-regression/housing.csv'), labels: ['price'] },
			},
			{ seed: 1 },
		);
		assert.deepEqual(single(src.x).shape, [200, 5]);
		assert.deepEqual(single(src.y).shape, [200, 1]);
		assert.equal(src.optimizerName, 'sgd');
		assert.equal(src.lossName, 'meanSquaredError');
		assert.ok(
			src.notes.includes("column 'district' ordinal encoded (centre=0, riverside=1, suburb=2)"),
			src.notes.join(' | '),
		);
		// Row 0: riverside → 1, price 5.7563.
		assert.equal(single(src.x).slice([0, 4], [1, 1]).dataSync()[0], 1);
		assert.ok(Math.abs(single(src.y).dataSync()[0] - 5.7563) < 1e-5);
		assert.ok((await trainSteps(src)).every(Number.isFinite));
		src.dispose();
		src.model.dispose();
	});

	it('module-source: a TS module compiled in memory, createModel(tf)/createData(tf), batchSize export', async () => {
		const before = hashTree(ex('module-source'));
		const tensorsBefore = tf.memory().numTensors;
		const src = await loadSource(
			tf,
			{ kind: 'module', modulePath: ex('module-source/source.ts') },
			{ seed: 1 },
		);
		assert.deepEqual(single(src.x).shape, [256, 3]);
		assert.deepEqual(single(src.y).shape, [256, 1]);
		assert.equal(src.batchSize, 16);
		assert.equal(src.optimizerName, 'sgd');
		assert.equal(src.lossName, 'meanSquaredError');
		assert.equal(src.model.name, 'module_mlp');
		assert.ok((await trainSteps(src)).every(Number.isFinite));
		src.dispose();
		src.model.dispose();
		// The tensors createData returned were copied and freed; the module's optimizer went with the model.
		assert.equal(tf.memory().numTensors, tensorsBefore);
		// Nothing written next to the module (no compiled .js, no cache).
		assert.deepEqual(hashTree(ex('module-source')), before);
	});
});

describe('models saved with plain model.save() (no trainingConfig)', () => {
	/**
	 * Trains a little, then saves through tfjs's own model.save() with a file handler in tfjs-node's
	 * layout: tfjs decides what goes into the artifacts, and without includeOptimizer that is no
	 * trainingConfig — the model.json most projects have.
	 */
	async function plainSaved(
		dir: string,
		units: number,
		activation: 'softmax' | 'sigmoid' | 'linear',
		loss: string,
	): Promise<string> {
		const m = tf.sequential();
		m.add(tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }));
		m.add(tf.layers.dense({ units, activation }));
		m.compile({ optimizer: tf.train.sgd(0.1), loss });
		const x = tf.randomNormal([16, 2]);
		const y = tf.zeros([16, units]);
		await m.fit(x, y, { epochs: 1, verbose: 0 });
		await m.save(fileSystemHandler(tf, `file://${dir}`));
		tf.dispose([x, y]);
		m.dispose();
		const path = join(dir, 'model.json');
		assert.equal(JSON.parse(readFileSync(path, 'utf8')).trainingConfig, undefined);
		return path;
	}
	const xs = Array.from({ length: 48 }, (_v, i) => [i / 48, 1 - i / 48]);
	async function load(
		model: string,
		ys: unknown,
		extra: { loss?: string; optimizer?: string } = {},
	) {
		const dir = join(model, '..');
		writeFileSync(join(dir, 'd.json'), JSON.stringify({ xs, ys }));
		return loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: model,
				data: { kind: 'json', path: join(dir, 'd.json') },
				...extra,
			},
			{ seed: 1 },
		);
	}

	it('softmax + class names → categoricalCrossentropy; + class indices → sparse; Adam; a note each; range test runs', async () => {
		const model = await plainSaved(tempDir(), 3, 'softmax', 'categoricalCrossentropy');
		const names = await load(
			model,
			xs.map((_v, i) => ['cat', 'dog', 'eel'][i % 3]),
		);
		assert.equal(names.lossName, 'categoricalCrossentropy');
		assert.equal(names.optimizerName, 'adam');
		assert.ok(
			names.notes.includes(
				'loss inferred from the softmax output: categoricalCrossentropy (model.json was saved without a trainingConfig); pass --loss to override',
			),
			names.notes.join(' | '),
		);
		assert.ok(names.notes.some((n) => /^optimizer: adam .*pass --optimizer to override$/.test(n)));
		const r = await runRangeTest(tf, names, { steps: 20, startLr: 1e-4, endLr: 1 });
		assert.equal(r.losses.length, 20);
		assert.ok(r.losses.slice(0, 5).every((l) => Number.isFinite(l)));
		names.dispose();
		names.model.dispose();

		const idx = await load(
			model,
			xs.map((_v, i) => i % 3),
		);
		assert.equal(idx.lossName, 'sparseCategoricalCrossentropy');
		assert.ok(
			idx.notes.some((n) =>
				n.startsWith('loss inferred from the softmax output and class-index labels'),
			),
		);
		assert.ok((await trainSteps(idx, 1)).every(Number.isFinite));
		idx.dispose();
		idx.model.dispose();
	});

	it('one sigmoid unit → binaryCrossentropy, linear → meanSquaredError; --loss/--optimizer win', async () => {
		const bin = await plainSaved(tempDir(), 1, 'sigmoid', 'binaryCrossentropy');
		const b = await load(
			bin,
			xs.map((_v, i) => [i % 2]),
		);
		assert.equal(b.lossName, 'binaryCrossentropy');
		assert.ok(
			b.notes.some((n) => n.startsWith('loss inferred from one sigmoid unit: binaryCrossentropy')),
		);
		b.dispose();
		b.model.dispose();

		const reg = await plainSaved(tempDir(), 1, 'linear', 'meanSquaredError');
		const r = await load(
			reg,
			xs.map((v) => [v[0] * 3]),
		);
		assert.equal(r.lossName, 'meanSquaredError');
		assert.equal(r.optimizerName, 'adam');
		r.dispose();
		r.model.dispose();

		const o = await load(
			reg,
			xs.map((v) => [v[0] * 3]),
			{ loss: 'mae', optimizer: 'sgd' },
		);
		assert.equal(o.lossName, 'meanAbsoluteError');
		assert.equal(o.optimizerName, 'sgd');
		assert.ok(!o.notes.some((n) => /inferred|pass --optimizer/.test(n)), o.notes.join(' | '));
		o.dispose();
		o.model.dispose();
	});
});

describe('data kinds and encodings', () => {
	it('JSON {xs, ys} with class names and a sparse CE override gives [N,1] indices', async () => {
		const dir = tempDir();
		const model = await savedDense(tf, dir, [2], 3, {
			activation: 'softmax',
			loss: 'categorical_crossentropy',
			optimizer: 'Adam',
		});
		const xs = Array.from({ length: 40 }, (_v, i) => [i / 40, 1 - i / 40]);
		const ys = xs.map((_v, i) => ['cat', 'dog', 'eel'][i % 3]);
		writeFileSync(join(dir, 'd.json'), JSON.stringify({ xs, ys }));
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: model,
				data: { kind: 'json', path: join(dir, 'd.json') },
				loss: 'sparse_categorical_crossentropy',
			},
			{ seed: 1 },
		);
		assert.equal(src.lossName, 'sparseCategoricalCrossentropy');
		assert.deepEqual(single(src.y).shape, [40, 1]);
		assert.deepEqual(Array.from(single(src.y).dataSync().slice(0, 4)), [0, 1, 2, 0]);
		assert.ok(src.notes.some((n) => /overrides the saved categoricalCrossentropy/.test(n)));
		assert.equal(src.batchSize, 32);
		assert.ok((await trainSteps(src, 1)).every(Number.isFinite));
		src.dispose();
		src.model.dispose();
	});

	it('a TS data module (createData(tf) returning tensors + validation arrays) feeds a saved model', async () => {
		const dir = tempDir();
		const model = await savedDense(tf, dir, [2], 1);
		writeFileSync(
			join(dir, 'data.ts'),
			`import type * as T from '@tensorflow/tfjs';
			const n: number = 24;
			export async function createData(tf: typeof T) {
				const x = tf.tensor2d(Array.from({ length: n }, (_v, i) => [i / n, (i % 3) / 3]));
				const y = tf.tensor2d(Array.from({ length: n }, (_v, i) => [2 * (i / n) - 1]));
				return { x, y, valX: [[0.5, 0.5], [0.1, 0.2]], valY: [[0], [-0.8]] };
			}`,
		);
		const start = tf.memory().numTensors;
		const src = await loadSource(
			tf,
			{ kind: 'saved', modelPath: model, data: { kind: 'module', path: join(dir, 'data.ts') } },
			{ seed: 1, validation: true, batchSize: 8 },
		);
		assert.deepEqual(single(src.x).shape, [24, 2]);
		assert.deepEqual(
			single(src.valX).shape,
			[2, 2],
			"the module's own validation data, not a split",
		);
		assert.deepEqual(Array.from(single(src.valY).dataSync()), [0, Math.fround(-0.8)]);
		assert.equal(src.batchSize, 8);
		assert.equal(src.optimizerName, 'sgd');
		src.dispose();
		src.model.dispose();
		assert.equal(tf.memory().numTensors, start);
	});

	it('flat CSV rows are reshaped to an image input when the width matches', async () => {
		const dir = tempDir();
		const model = await savedDense(tf, dir, [2, 2, 1], 1);
		const rows = [
			'a,b,c,d,y',
			...Array.from({ length: 10 }, (_v, i) => `${i},${i + 1},${i + 2},${i + 3},${i % 2}`),
		];
		writeFileSync(join(dir, 'img.csv'), rows.join('\n'));
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: model,
				data: { kind: 'csv', path: join(dir, 'img.csv'), labels: [] },
			},
			{ seed: 1 },
		);
		assert.deepEqual(single(src.x).shape, [10, 2, 2, 1]);
		assert.deepEqual(Array.from(single(src.x).slice([1], [1]).dataSync()), [1, 2, 3, 4]);
		assert.equal(src.batchSize, 10, 'default batch is min(32, N)');
		assert.ok(src.notes.includes("label column 'y' assumed (give --label to choose)"));
		src.dispose();
		src.model.dispose();
	});

	it('validation mode holds out a seeded 20% split (same seed, same split)', async () => {
		const spec = {
			kind: 'saved' as const,
			modelPath: ex('dense-classifier/model/model.json'),
			data: { kind: 'csv' as const, path: ex('dense-classifier/data.csv'), labels: ['label'] },
		};
		const a = await loadSource(tf, spec, { seed: 5, validation: true });
		const b = await loadSource(tf, spec, { seed: 5, validation: true });
		const c = await loadSource(tf, spec, { seed: 6, validation: true });
		assert.deepEqual(single(a.valX).shape, [48, 7]);
		assert.deepEqual(single(a.x).shape, [192, 7]);
		assert.equal(a.size, 192);
		assert.deepEqual(Array.from(single(a.valX).dataSync()), Array.from(single(b.valX).dataSync()));
		assert.notDeepEqual(
			Array.from(single(a.valX).dataSync()),
			Array.from(single(c.valX).dataSync()),
		);
		assert.ok(a.notes.includes('validation: 48 of 240 examples held out (seed 5)'));
		for (const s of [a, b, c]) {
			s.dispose();
			s.model.dispose();
		}
	});

	it('dispose frees every tensor the source created', async () => {
		const start = tf.memory().numTensors;
		const src = await loadSource(
			tf,
			{
				kind: 'saved',
				modelPath: ex('csv-regression/model/model.json'),
				data: { kind: 'csv', path: ex('csv-regression/housing.csv'), labels: ['price'] },
			},
			{ seed: 1, validation: true },
		);
		src.dispose();
		src.model.dispose();
		// Compiled optimizers hold no variables until the first step, so all tensors are gone.
		assert.equal(tf.memory().numTensors, start);
	});

	it('a module that requires @tensorflow/tfjs itself (CJS and ESM) gets our tfjs instance', async () => {
		const dir = tempDir();
		const ours = { ...tf, lrscopeMarker: 42 } as unknown as Tf;
		writeFileSync(
			join(dir, 'cjs.js'),
			`const tf = require('@tensorflow/tfjs');
			exports.createModel = () => {
				const m = tf.sequential({ name: 'marker_' + tf.lrscopeMarker });
				m.add(tf.layers.dense({ inputShape: [2], units: 1 }));
				return m;
			};
			exports.data = { x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [[1], [1], [2], [0]] };
			exports.loss = 'mse';
			exports.optimizer = 'rmsprop';`,
		);
		writeFileSync(
			join(dir, 'esm.mjs'),
			`import * as tf from '@tensorflow/tfjs';
			export async function createModel() {
				const m = tf.sequential({ name: 'esm_' + tf.lrscopeMarker });
				m.add(tf.layers.dense({ inputShape: [2], units: 1 }));
				m.compile({ optimizer: tf.train.adagrad(0.1), loss: 'meanAbsoluteError' });
				return m;
			}
			export default { createData: (t) => ({ x: t.ones([4, 2]), y: t.zeros([4, 1]) }) };`,
		);
		const a = await loadSource(
			ours,
			{ kind: 'module', modulePath: join(dir, 'cjs.js') },
			{ seed: 1 },
		);
		assert.equal(a.model.name, 'marker_42');
		assert.equal(a.optimizerName, 'rmsprop');
		assert.equal(a.lossName, 'meanSquaredError');
		assert.ok((await trainSteps(a, 1)).every(Number.isFinite));
		const b = await loadSource(
			ours,
			{ kind: 'module', modulePath: join(dir, 'esm.mjs') },
			{ seed: 1 },
		);
		assert.equal(b.model.name, 'esm_42');
		assert.equal(b.optimizerName, 'adagrad');
		assert.equal(b.lossName, 'meanAbsoluteError');
		// The hook is gone after loading: a plain require sees the real module again.
		assert.equal(
			(createRequire(__filename)('@tensorflow/tfjs') as { lrscopeMarker?: number }).lrscopeMarker,
			undefined,
		);
		for (const s of [a, b]) {
			s.dispose();
			s.model.dispose();
		}
	});
});

describe('optimizers and saved training configs', () => {
	it('every tfjs optimizer can be created by name and takes a step', async () => {
		const model = tf.sequential();
		model.add(tf.layers.dense({ inputShape: [2], units: 1 }));
		const x = tf.tensor2d([
			[1, 2],
			[3, 4],
		]);
		const y = tf.tensor2d([[1], [2]]);
		for (const name of optimizerKinds) {
			const { optimizer, name: canonical } = createOptimizer(tf, name.toUpperCase(), 0.01);
			assert.equal(canonical, name);
			model.compile({ optimizer, loss: 'meanSquaredError' });
			assert.ok(Number.isFinite((await model.trainOnBatch(x, y)) as number), name);
			optimizer.dispose();
		}
		tf.dispose([x, y]);
		model.dispose();
	});

	it('maps Keras trainingConfig names (SGD with momentum → momentum, snake_case loss, learning_rate)', () => {
		const tc = parseTrainingConfig({
			loss: 'sparse_categorical_crossentropy',
			optimizer_config: {
				class_name: 'SGD',
				config: { learning_rate: 0.1, momentum: 0.9, nesterov: true },
			},
		});
		assert.equal(tc.loss, 'sparseCategoricalCrossentropy');
		assert.deepEqual(tc.optimizer, {
			name: 'momentum',
			learningRate: 0.1,
			config: { momentum: 0.9, nesterov: true },
		});
		const rms = parseTrainingConfig({
			loss: 'mse',
			optimizer_config: { class_name: 'RMSprop', config: { lr: 0.002, rho: 0.8 } },
		});
		assert.equal(rms.loss, 'meanSquaredError');
		assert.equal(rms.optimizer?.name, 'rmsprop');
		assert.equal(rms.optimizer?.learningRate, 0.002);
		const k3 = parseTrainingConfig({
			loss: { class_name: 'CategoricalCrossentropy', config: {} },
			optimizer_config: { class_name: 'Adamax', config: { learning_rate: 0.002, beta_1: 0.8 } },
		});
		assert.equal(k3.loss, 'categoricalCrossentropy');
		assert.deepEqual(k3.optimizer, { name: 'adamax', learningRate: 0.002, config: { beta1: 0.8 } });
		const nadam = parseTrainingConfig({
			loss: 'mse',
			optimizer_config: { class_name: 'Nadam', config: {} },
		});
		assert.equal(nadam.optimizer, undefined);
		assert.deepEqual(nadam.problems, ["saved optimizer 'Nadam' is not available in tfjs"]);
	});
});

describe('file parsers', () => {
	it('--data arguments map to data specs', () => {
		assert.deepEqual(dataSpecFromArg('a/x.npy, a/y.npy'), {
			kind: 'npy',
			xPath: 'a/x.npy',
			yPath: 'a/y.npy',
		});
		assert.deepEqual(dataSpecFromArg('d.CSV', ['y'], 'onehot'), {
			kind: 'csv',
			path: 'd.CSV',
			labels: ['y'],
			encoding: 'onehot',
		});
		assert.deepEqual(dataSpecFromArg('d.json'), { kind: 'json', path: 'd.json' });
		assert.deepEqual(dataSpecFromArg('load.mts'), { kind: 'module', path: 'load.mts' });
		assert.throws(() => dataSpecFromArg('x.npy'), /give both arrays as x\.npy,y\.npy/);
		assert.throws(
			() => dataSpecFromArg('d.parquet'),
			/expected a \.csv, x\.npy,y\.npy pair, \.json or \.js\/\.ts data module/,
		);
	});

	it('CSV: quoted cells with commas, doubled quotes, CRLF and a BOM', () => {
		const rows = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n1,2');
		assert.deepEqual(rows, [
			['a', 'b'],
			['x, y', 'say "hi"'],
			['1', '2'],
		]);
	});

	it('npy: big-endian float64, bool, uint8, unicode labels and a v2 header', () => {
		const dir = tempDir();
		const be = Buffer.alloc(16);
		be.writeDoubleBE(1.5, 0);
		be.writeDoubleBE(-2, 8);
		writeNpy(join(dir, 'be.npy'), '>f8', [2, 1], be);
		const a = parseNpy(readFileSync(join(dir, 'be.npy')), 'be.npy');
		assert.deepEqual(a.kind === 'numeric' && { v: Array.from(a.array.values), s: a.array.shape }, {
			v: [1.5, -2],
			s: [2, 1],
		});
		writeNpy(join(dir, 'b.npy'), '|b1', [3], Uint8Array.from([1, 0, 1]));
		const b = parseNpy(readFileSync(join(dir, 'b.npy')), 'b.npy');
		assert.deepEqual(b.kind === 'numeric' && Array.from(b.array.values), [1, 0, 1]);
		const u = new Uint32Array([99, 97, 116, 0, 100, 111, 103, 103]); // 'cat', 'dogg' as <U4
		writeNpy(join(dir, 'u.npy'), '<U4', [2], u);
		const s = parseNpy(readFileSync(join(dir, 'u.npy')), 'u.npy');
		assert.deepEqual(s.kind === 'strings' && s.values, ['cat', 'dogg']);
		// Version 2.0: 4-byte header length.
		const header =
			"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }".padEnd(52, ' ') + '\n';
		const pre = Buffer.alloc(12);
		pre.write('\x93NUMPY', 0, 'latin1');
		pre[6] = 2;
		pre.writeUInt32LE(header.length, 8);
		const v2 = parseNpy(
			Buffer.concat([pre, Buffer.from(header), Buffer.from(new Int32Array([7, -3]).buffer)]),
			'v2.npy',
		);
		assert.deepEqual(v2.kind === 'numeric' && Array.from(v2.array.values), [7, -3]);
	});
});

describe('Keras conversions', () => {
	it('reads training_config kept inside modelTopology (tensorflowjs_converter output)', async () => {
		const dir = tempDir();
		const path = await savedDense(tf, dir, [2], 1, { noConfig: true });
		const json = JSON.parse(readFileSync(path, 'utf8'));
		json.modelTopology = {
			keras_version: '2.15.0',
			backend: 'tensorflow',
			model_config: json.modelTopology,
			training_config: {
				loss: 'mae',
				optimizer_config: { class_name: 'RMSprop', config: { learning_rate: 0.01, rho: 0.9 } },
			},
		};
		writeFileSync(path, JSON.stringify(json));
		writeFileSync(
			join(dir, 'd.json'),
			JSON.stringify({
				x: [
					[1, 2],
					[3, 4],
				],
				y: [1, 2],
			}),
		);
		const src = await loadSource(
			tf,
			{ kind: 'saved', modelPath: path, data: { kind: 'json', path: join(dir, 'd.json') } },
			{ seed: 1 },
		);
		assert.equal(src.lossName, 'meanAbsoluteError');
		assert.equal(src.optimizerName, 'rmsprop');
		assert.deepEqual(single(src.y).shape, [2, 1]);
		src.dispose();
		src.model.dispose();
	});
});
