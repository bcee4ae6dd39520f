/**
 * Suggestion quality: does the range test's headline LR train as well as the best LR of a grid
 * search, at a fraction of its compute? For each workload (bench/quality/workloads.ts) and seed:
 *
 * 1. the engine's real range test (`runRangeTest` with its defaults — 1e-7 → 10 over 100 steps,
 *    3 repeats; the first curve is exactly what a single range test, `repeat: 1`, gives);
 * 2. short real trainings (constant LR, the workload's optimizer, the same initial weights and
 *    seeded batch order for every LR) on a 9-point log grid 1e-4 … 1 in half-decade steps, each
 *    scored by its held-out loss;
 * 3. each rule's LR trained the same way (not interpolated), scored as loss ÷ the grid's best.
 *
 * Per workload the table reports the median over seeds of that ratio for `valley` and the consensus
 * of the first curve (what a single range test showed before the headline existed), for the
 * headline of that one curve, and for the headline the engine computes from the mean of the 3
 * repeats; plus the compute ratio for one curve and for 3: range-test steps ÷ grid steps (same
 * batch size, so steps are the cost). Target: headline ≤ 1.10 on every workload at a compute ratio
 * ≤ 0.2.
 *
 * `LRSCOPE_QUALITY_SEEDS=3` sets the seeds per workload, `LRSCOPE_QUALITY_ONLY=cnn,tabular` the
 * workloads. The full per-run detail (curves, grid, every rule's LR and loss) goes to
 * `bench/results/suggestion-quality.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { chooseHeadline, type Headline } from '../src/core/headline';
import { suggest } from '../src/core/suggest';
import { runRangeTest } from '../src/engine/rangeTest';
import { tensorBatches } from '../src/engine/batching';
import type { LoadedSource } from '../src/engine/sourceTypes';
import { type Data, makeOptimizer, type Workload, workloads } from './quality/workloads';
import type { BenchRow, BenchSection } from './types';

/** 1e-4 … 1 in half-decade steps. */
export const grid = Array.from({ length: 9 }, (_v, i) => Math.pow(10, -4 + i / 2));

const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

interface Tensors {
	x: tf.Tensor;
	y: tf.Tensor;
	valX: tf.Tensor;
	valY: tf.Tensor;
}

function tensors(d: Data): Tensors {
	return {
		x: tf.tensor(d.x, [d.n, ...d.xShape]),
		y: tf.tensor2d(d.y, [d.n, d.yWidth]),
		valX: tf.tensor(d.valX, [d.nVal, ...d.xShape]),
		valY: tf.tensor2d(d.valY, [d.nVal, d.yWidth]),
	};
}

/** A fresh model (seeded initialisers), optionally set to the pretrained weights, compiled at `lr`. */
function freshModel(w: Workload, seed: number, lr: number, start?: tf.Tensor[]): tf.LayersModel {
	const m = w.build(tf, seed);
	if (start) {
		m.setWeights(start);
	}
	m.compile({ optimizer: makeOptimizer(tf, w.optimizer, lr), loss: w.loss });
	return m;
}

function disposeModel(m: tf.LayersModel): void {
	m.optimizer.dispose();
	m.dispose();
}

/** Trains `steps` batches at a constant LR (seeded order); returns the model. */
async function train(
	w: Workload,
	t: Tensors,
	seed: number,
	lr: number,
	steps: number,
	start?: tf.Tensor[],
	optimizer = w.optimizer,
): Promise<tf.LayersModel> {
	const m = freshModel({ ...w, optimizer }, seed, lr, start);
	const stream = tensorBatches(tf, t.x, t.y, w.batchSize, seed + 1000);
	for (let i = 0; i < steps; i++) {
		const b = (await stream.next())!;
		await m.trainOnBatch(b.x as tf.Tensor, b.y as tf.Tensor);
		tf.dispose([b.x as tf.Tensor, b.y as tf.Tensor]);
	}
	return m;
}

/** Held-out loss after a short training at `lr` (Infinity when it diverged). */
async function heldOutLoss(
	w: Workload,
	t: Tensors,
	seed: number,
	lr: number,
	start?: tf.Tensor[],
): Promise<number> {
	const m = await train(w, t, seed, lr, w.trainSteps, start);
	const out = m.evaluate(t.valX, t.valY, { batchSize: 256 }) as tf.Scalar;
	const v = (await out.data())[0];
	out.dispose();
	disposeModel(m);
	return Number.isFinite(v) ? v : Infinity;
}

/** One range-test curve per repeat, rebuilt from the progress stream. */
interface Curve {
	lrs: number[];
	smoothed: (number | null)[];
}

export interface RunRecord {
	workload: string;
	seed: number;
	rangeTestSteps: number;
	/** Steps of the first curve alone (a single range test). */
	singleSteps: number;
	gridSteps: number;
	grid: { lr: number; loss: number }[];
	best: number;
	curves: Curve[];
	rules: Record<string, { lr: number | null; loss: number | null; ratio: number | null }>;
	headline: Headline | undefined;
	headlineRepeats: Headline | undefined;
}

/**
 * Range-test repeats: the first curve is exactly what a default (single) range test gives; the
 * engine computes the repeated headline from the mean of all of them.
 */
const repeats = 3;

async function oneRun(w: Workload, seed: number): Promise<RunRecord> {
	const data = w.data(seed);
	const t = tensors(data);
	let start: tf.Tensor[] | undefined;
	if (w.pretrain) {
		const m = await train(w, t, seed, w.pretrain.lr, w.pretrain.steps, undefined, 'adam');
		start = m.getWeights().map((x) => x.clone());
		disposeModel(m);
	}
	// The range test, on the engine's defaults (what users get).
	const model = freshModel(w, seed, 1e-3, start);
	const loaded: LoadedSource = {
		model,
		x: t.x,
		y: t.y,
		batchSize: w.batchSize,
		size: data.n,
		optimizerName: w.optimizer,
		lossName: w.loss,
		notes: [],
		dispose: () => undefined,
	};
	const curves: Curve[] = [];
	const result = await runRangeTest(
		tf,
		loaded,
		{ seed, repeat: repeats },
		{
			onProgress: (p) => {
				const c = (curves[p.repeat] ??= { lrs: [], smoothed: [] });
				c.lrs.push(p.lr);
				c.smoothed.push(p.smoothed);
			},
		},
	);
	disposeModel(model);
	const rangeTestSteps = curves.reduce((s, c) => s + c.lrs.length, 0);

	// The grid, then every rule's LR trained the same way (cached by LR).
	const cache = new Map<number, number>();
	const lossAt = async (lr: number): Promise<number> => {
		let v = cache.get(lr);
		if (v === undefined) {
			v = await heldOutLoss(w, t, seed, lr, start);
			cache.set(lr, v);
		}
		return v;
	};
	const gridRes: { lr: number; loss: number }[] = [];
	for (const lr of grid) {
		gridRes.push({ lr, loss: await lossAt(lr) });
	}
	const best = Math.min(...gridRes.map((g) => g.loss));
	const first = result.report;
	const single = chooseHeadline({
		lrs: curves[0].lrs,
		smoothed: curves[0].smoothed,
		steps: result.steps,
		report: suggest(curves[0].lrs, curves[0].smoothed, result.steps),
	});
	const candidates: Record<string, number | null> = {
		valley: first.suggestions.valley?.lr ?? null,
		slide: first.suggestions.slide?.lr ?? null,
		minimum: first.suggestions.minimum?.lr ?? null,
		steep: first.suggestions.steep?.lr ?? null,
		consensus: first.consensus?.lr ?? null,
		headlineRepeats: result.report.headline?.lr ?? null,
		headline: single.lr,
	};
	const rules: RunRecord['rules'] = {};
	for (const [k, lr] of Object.entries(candidates)) {
		if (lr === null) {
			rules[k] = { lr, loss: null, ratio: null };
			continue;
		}
		const loss = await lossAt(lr);
		rules[k] = { lr, loss, ratio: loss / best };
	}
	tf.dispose([t.x, t.y, t.valX, t.valY, ...(start ?? [])]);
	return {
		workload: w.key,
		seed,
		rangeTestSteps,
		singleSteps: curves[0].lrs.length,
		gridSteps: grid.length * w.trainSteps,
		grid: gridRes,
		best,
		curves,
		rules,
		headline: single,
		headlineRepeats: result.report.headline,
	};
}

const fmtLr = (x: number): string => x.toExponential(1);

/** Runs the benchmark section. */
export async function run(): Promise<BenchSection> {
	await tf.setBackend('cpu');
	await tf.ready();
	tf.env().set('PROD', true);
	const nSeeds = Number(process.env.LRSCOPE_QUALITY_SEEDS ?? 3);
	const only = (process.env.LRSCOPE_QUALITY_ONLY ?? '').split(',').filter(Boolean);
	const chosen = workloads.filter((w) => only.length === 0 || only.includes(w.key));
	const rows: BenchRow[] = [];
	const notes: string[] = [
		`grid ${grid.map(fmtLr).join(' ')}; ${nSeeds} seeds per workload; values are medians over seeds of held-out loss ÷ the grid's best (1 = as good as the best grid LR; target ≤ 1.10)`,
	];
	const records: RunRecord[] = [];
	const t0 = performance.now();
	for (const w of chosen) {
		const recs: RunRecord[] = [];
		for (let s = 0; s < nSeeds; s++) {
			const rec = await oneRun(w, 1 + s);
			recs.push(rec);
			records.push(rec);
			process.stderr.write(
				`  ${w.key} seed ${rec.seed}: best ${rec.best.toPrecision(3)} at ${fmtLr(rec.grid.find((g) => g.loss === rec.best)!.lr)}; ${Object.entries(
					rec.rules,
				)
					.map(
						([k, r]) =>
							`${k} ${r.lr === null ? '-' : fmtLr(r.lr)}→${r.ratio === null ? '-' : r.ratio.toFixed(2)}`,
					)
					.join(', ')}; verdict ${rec.headline?.verdict} / ${rec.headlineRepeats?.verdict}\n`,
			);
		}
		const med = (k: string): number => {
			const xs = recs.map((r) => r.rules[k]?.ratio ?? Infinity);
			return median(xs);
		};
		const compute = median(recs.map((r) => r.singleSteps / r.gridSteps));
		const computeRepeats = median(recs.map((r) => r.rangeTestSteps / r.gridSteps));
		const per = (k: string): string =>
			recs.map((r) => (r.rules[k]?.ratio ?? Infinity).toFixed(2)).join(' ');
		for (const k of ['valley', 'consensus', 'headline', 'headlineRepeats']) {
			rows.push({
				name: `${w.key}: ${k}`,
				value: med(k),
				unit: '× best',
				note: `per seed ${per(k)}`,
			});
		}
		rows.push({
			name: `${w.key}: compute, one curve`,
			value: compute,
			unit: 'range test ÷ grid',
			note: `verdicts ${recs.map((r) => r.headline?.verdict).join(' ')}`,
		});
		rows.push({
			name: `${w.key}: compute, ${repeats} repeats`,
			value: computeRepeats,
			unit: 'range test ÷ grid',
			note: `verdicts ${recs.map((r) => r.headlineRepeats?.verdict).join(' ')}`,
		});
		notes.push(
			`${w.key}: ${w.name}; other rules (median × best): slide ${med('slide').toFixed(2)}, minimum ${med('minimum').toFixed(2)}, steep ${med('steep').toFixed(2)}; headline rules ${recs.map((r) => r.headline?.rule).join(' ')} (one curve), ${recs.map((r) => r.headlineRepeats?.rule).join(' ')} (repeats)`,
		);
	}
	notes.push(`wall time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
	const outDir = path.join(__dirname, 'results');
	fs.mkdirSync(outDir, { recursive: true });
	fs.writeFileSync(
		path.join(outDir, 'suggestion-quality.json'),
		JSON.stringify({ date: new Date().toISOString(), grid, records }, null, 1),
	);
	return {
		title: 'Suggestion quality: held-out loss of each rule ÷ the best of a 9-point LR grid',
		rows,
		notes,
	};
}
