/**
 * Generates the detector corpus (issue 20) ONCE: every spec of `specs.ts` trained for real, with
 * mini-batches, on tfjs's pure-JS cpu backend, watched by the engine's own layer-signal sampler
 * (`LayerSignals`, every 2 steps), recorded to bench/detectors/corpus/*.jsonl.gz. Evaluation and
 * tests replay the recordings; nothing trains again.
 *
 *   nice -n 5 node --import tsx bench/detectors/generate.ts [first] [count]
 *   nice -n 10 node --import tsx bench/detectors/generate.ts missing   (runs added to corpusCounts or wideningCounts)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/core/random';
import { LayerSignals } from '../../src/engine/layers/layerSignals';
import { takeProbe } from '../../src/engine/layers/layerProbe';
import {
	corpusDir,
	r3,
	readCorpus,
	readCorpusFile,
	writeCorpusFile,
	type RecordedRun,
} from './record';
import { corpusSpecs, splitOf, type RunSpec } from './specs';

type Act = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/** Standard normal matrix [rows, cols] from a seeded source. */
function normals(u: () => number, rows: number, cols: number, scale = 1): number[][] {
	const g = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
	return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * g()));
}

/** Data from a random tanh teacher: regression targets or 3 classes, with label noise. */
function makeData(s: RunSpec, u: () => number, rows: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
	const x = normals(u, rows, s.inputs);
	const w1 = normals(mulberry32(s.seed ^ 0x5eed), s.inputs, 8, 1 / Math.sqrt(s.inputs));
	const w2 = normals(mulberry32(s.seed ^ 0xbeef), 8, 3, 1 / Math.sqrt(8));
	const ys = x.map((row) => {
		const h = w1[0].map((_c, j) => Math.tanh(row.reduce((a, v, i) => a + v * w1[i][j] * 2, 0)));
		return w2[0].map((_c, k) => h.reduce((a, v, j) => a + v * w2[j][k] * 2, 0));
	});
	const noise = normals(u, rows, 3, s.labelNoise);
	let y: number[][];
	if (s.task === 'regression') {
		y = ys.map((r, i) => [r[0] + noise[i][0]]);
	} else {
		y = ys.map((r) => {
			let k = r.indexOf(Math.max(...r));
			if (u() < s.labelNoise) {
				k = Math.floor(u() * 3);
			}
			return [0, 1, 2].map((c) => (c === k ? 1 : 0));
		});
	}
	return {
		x: tf.tensor2d(x.map((r) => r.map((v) => v * s.inputScale))),
		y: tf.tensor2d(y),
	};
}

function makeModel(s: RunSpec): tf.LayersModel {
	const model = tf.sequential();
	s.hidden.forEach((units, i) => {
		const act: Act = i === 0 && s.firstActivation ? s.firstActivation : s.activation;
		const fanIn = i === 0 ? s.inputs : s.hidden[i - 1];
		const he = act === 'relu' ? 2 : 1;
		model.add(
			tf.layers.dense({
				units,
				activation: act,
				inputShape: i === 0 ? [s.inputs] : undefined,
				kernelInitializer: tf.initializers.randomNormal({
					stddev: s.initGain * Math.sqrt(he / fanIn),
					seed: s.seed + i,
				}),
				biasInitializer:
					s.deadBias !== undefined && s.deadLayer === i
						? tf.initializers.constant({ value: s.deadBias })
						: 'zeros',
			}),
		);
	});
	const classes = s.task === 'classification';
	model.add(
		tf.layers.dense({ units: classes ? 3 : 1, activation: classes ? 'softmax' : 'linear' }),
	);
	const opt =
		s.optimizer === 'adam'
			? tf.train.adam(s.lr)
			: s.optimizer === 'sgd'
				? tf.train.sgd(s.lr)
				: tf.train.momentum(s.lr, 0.9);
	model.compile({ optimizer: opt, loss: classes ? 'categoricalCrossentropy' : 'meanSquaredError' });
	return model;
}

/** Sets the LR (SGD and momentum keep it in a tensor that only setLearningRate updates). */
function setLr(opt: tf.Optimizer, lr: number): void {
	const o = opt as unknown as { learningRate: number; setLearningRate?: (x: number) => void };
	if (typeof o.setLearningRate === 'function') {
		o.setLearningRate(lr);
	} else {
		o.learningRate = lr;
	}
}

/** Trains one spec and records it. */
export async function recordRun(s: RunSpec): Promise<RecordedRun> {
	const t0 = process.cpuUsage();
	const u = mulberry32(s.seed);
	const train = makeData(s, u, s.trainRows);
	const val = makeData(s, u, s.valRows);
	const model = makeModel(s);
	let step = 0;
	let epoch = 0;
	let lr = s.lr;
	let lastNorm: number | null = null;
	const rec: RecordedRun = {
		spec: s,
		batches: [],
		epochs: [],
		layers: { names: [], params: [], steps: [], grad: [], ratio: [], dead: [], sat: [] },
		seconds: 0,
	};
	const sig = new LayerSignals(tf, model, { every: 2 }, () => step);
	sig.setProbe(takeProbe(tf, train.x));
	sig.attach(model.optimizer);
	sig.onGradNorm = (n) => (lastNorm = n);
	let broken = false;
	await model.fit(train.x, train.y, {
		epochs: s.epochs,
		batchSize: s.batchSize,
		validationData: [val.x, val.y],
		shuffle: true,
		verbose: 0,
		callbacks: {
			onBatchBegin: async () => {
				if (s.lrGrowth !== undefined) {
					lr = s.lr * s.lrGrowth ** step;
				} else if (s.freezeEpoch !== undefined && epoch >= s.freezeEpoch) {
					lr = 1e-9;
				}
				setLr(model.optimizer, lr);
			},
			onBatchEnd: async (_b, logs) => {
				const loss = r3(logs?.loss as number | undefined);
				rec.batches.push([step, epoch, loss, r3(lastNorm), r3(lr)!]);
				lastNorm = null;
				const ls = sig.afterBatch(step);
				if (ls) {
					const l = rec.layers;
					l.names = ls.sample.layers;
					l.params = ls.sample.params;
					l.steps.push(ls.sample.step);
					l.grad.push(ls.sample.gradNorm.map(r3));
					l.ratio.push(ls.sample.updateRatio.map(r3));
					l.dead.push(ls.sample.dead.map(r3));
					l.sat.push(ls.sample.saturated.map(r3));
				}
				step++;
				if (loss === null) {
					broken = true;
					model.stopTraining = true;
				}
			},
			onEpochEnd: async (_e, logs) => {
				rec.epochs.push([epoch, r3(logs?.loss as number), r3(logs?.val_loss as number)]);
				epoch++;
			},
		},
	});
	void broken;
	sig.dispose();
	model.dispose();
	tf.dispose([train.x, train.y, val.x, val.y]);
	const dt = process.cpuUsage(t0);
	rec.seconds = Math.round((dt.user + dt.system) / 1e4) / 100;
	return rec;
}

/**
 * Re-records the runs whose LR changes during training on SGD/momentum: the first generation set
 * `learningRate`, which those optimizers do not read, so their LR never changed.
 */
async function redoLrRuns(): Promise<void> {
	for (const f of fs.readdirSync(corpusDir).filter((x) => x.endsWith('.jsonl.gz'))) {
		const file = path.join(corpusDir, f);
		const runs = readCorpusFile(file);
		let changed = false;
		for (let i = 0; i < runs.length; i++) {
			const s = runs[i].spec;
			if ((s.lrGrowth !== undefined || s.freezeEpoch !== undefined) && s.optimizer !== 'adam') {
				runs[i] = await recordRun(s);
				changed = true;
				process.stderr.write(`${s.id} redone\n`);
			}
		}
		if (changed) {
			writeCorpusFile(file, runs);
		}
	}
}

/**
 * Records the specs not yet in the corpus (runs added by raising `corpusCounts` or `wideningCounts`) into one new file,
 * and adds their ids to split.json by the unchanged `splitOf` rule.
 */
async function recordMissing(specs: RunSpec[]): Promise<void> {
	const have = new Set(readCorpus().map((r) => r.spec.id));
	const todo = specs.filter((s) => !have.has(s.id));
	const runs: RecordedRun[] = [];
	for (const s of todo) {
		runs.push(await recordRun(s));
		process.stderr.write(`${s.id} ${runs.at(-1)!.seconds}s\n`);
	}
	if (runs.length === 0) {
		return;
	}
	const n = fs.readdirSync(corpusDir).filter((x) => x.endsWith('.jsonl.gz')).length;
	writeCorpusFile(path.join(corpusDir, `added-${String(n).padStart(2, '0')}.jsonl.gz`), runs);
	const splitFile = path.join(__dirname, 'split.json');
	const split = JSON.parse(fs.readFileSync(splitFile, 'utf8')) as Record<string, unknown> & {
		tune: string[];
		heldOut: string[];
	};
	for (const s of todo) {
		split[splitOf(s.id)].push(s.id);
	}
	fs.writeFileSync(splitFile, JSON.stringify(split, null, '\t') + '\n');
}

async function main(): Promise<void> {
	await tf.setBackend('cpu');
	if (process.argv[2] === 'redo-lr') {
		return redoLrRuns();
	}
	const specs = corpusSpecs();
	if (process.argv[2] === 'missing') {
		return recordMissing(specs);
	}
	const first = Number(process.argv[2] ?? 0);
	const count = Number(process.argv[3] ?? specs.length);
	const chunk = 50;
	for (let i = first; i < Math.min(specs.length, first + count); i += chunk) {
		const runs: RecordedRun[] = [];
		for (const s of specs.slice(i, Math.min(i + chunk, first + count))) {
			runs.push(await recordRun(s));
			process.stderr.write(`${s.id} ${runs.at(-1)!.seconds}s\n`);
		}
		const file = path.join(corpusDir, `runs-${String(i).padStart(4, '0')}.jsonl.gz`);
		writeCorpusFile(file, runs);
	}
}

if (require.main === module) {
	main().catch((e: unknown) => {
		console.error(e);
		process.exitCode = 1;
	});
}
