/**
 * One workload × seed of bench/suggestion-quality, measured once and cached in
 * `bench/results/quality/<key>-s<seed>.json` (delete a file, or set LRSCOPE_QUALITY_FRESH=1, to
 * measure again). Everything a rule or a verification policy needs is recorded, so that policies
 * are scored from the record without training (bench/quality/policies.ts):
 *
 * - the engine's range test (defaults: 1e-7 → 10, 100 steps, 3 repeats) and the headline from the
 *   first curve (what `repeat: 1` gives) and from the mean of the 3;
 * - the truth: 3-fold cross-validated constant-LR trainings (the engine's `runSweep`, the plan's
 *   epochs over each fold's training part), mean held-out loss, on the grid 1e-4 … 1 and on every
 *   LR a policy may answer;
 * - the probes (the engine's `runProbes`, exactly what `verifyHeadline` runs: a seeded 20% slice
 *   held out, the same seed and batch order) at every LR a policy may probe, with the held-out
 *   loss at every step a schedule may stop at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { chooseHeadline, suggest } from '../../src/core/headline';
import { rampLrs } from '../../src/core/ramp';
import { maxProbeSteps, probeStep, verifyCandidates } from '../../src/core/verify';
import { defaultRangeTestOptions } from '../../src/shared/runnerProtocol';
import { tensorBatches } from '../../src/engine/training/batching';
import { holdOutValidation, runRangeTest } from '../../src/engine/training/rangeTest';
import type { LoadedSource } from '../../src/engine/sources/sourceTypes';
import { runSweep } from '../../src/engine/training/sweep';
import { runProbes } from '../../src/engine/training/probes';
import { makeOptimizer, type Workload } from './workloads';

/** 1e-4 … 1 in half-decade steps. */
export const grid = Array.from({ length: 9 }, (_v, i) => Math.pow(10, -4 + i / 2));
/** Widest candidate window any policy may use (decades below / above the curve LR). */
export const widestWindow = { below: 2, above: 1 };
/** Range-test repeats measured (the first curve alone is `repeat: 1`). */
export const repeats = 3;

/** An LR as a record key. */
export const lrKey = (lr: number): string => lr.toPrecision(6);

export interface CurveHeadline {
	lr: number | null;
	verdict: string;
	rule: string;
}

/** A second 3-fold CV truth with other folds and batch order (bench/quality/recordRetest.ts). */
export interface TruthRetest {
	/** The sweep's seed. */
	seed: number;
	truth: Record<string, number | null>;
	bestGridLoss: number;
}

export interface RunRecord {
	workload: string;
	seed: number;
	n: number;
	batchSize: number;
	/** The plan: epochs × full batches of the whole training data. */
	planSteps: number;
	/** Steps each repeat of the range test ran. */
	rangeTestSteps: number[];
	rangeTestSeconds: number;
	/** Smoothed curve of each repeat (4 significant digits). */
	curves: (number | null)[][];
	headline1: CurveHeadline;
	headline3: CurveHeadline;
	/** CV held-out loss per LR (`null`: diverged); grid LRs and every LR a policy may answer. */
	truth: Record<string, number | null>;
	/** Steps of one CV training (all folds). */
	truthSteps: number;
	bestGridLoss: number;
	/**
	 * The same probes on further held-out slices (slice k ≥ 1: core/verify.ts `sliceSeed`), at the
	 * same checkpoints and LRs as `probes` (bench/quality/recordSlices.ts).
	 */
	slices?: ProbeRecord[];
	/** The truth measured again with other folds (how noisy the truth itself is). */
	retest?: TruthRetest;
	probes: ProbeRecord & {
		/** Steps at which the held-out loss was recorded. */
		checkpoints: number[];
	};
}

/**
 * The held-out loss the probes at LR key `key` recorded at checkpoint `i`, the mean over the
 * record's first `slices` slices (`probes`, then `slices`): `null` when any had turned non-finite
 * by then, `undefined` when a slice lacks that LR.
 */
export function sliceMean(
	rec: RunRecord,
	key: string,
	i: number,
	slices: number,
): number | null | undefined {
	const all = [rec.probes, ...(rec.slices ?? [])].slice(0, slices);
	let sum = 0;
	for (const p of all) {
		const losses = p.byLr[key];
		if (!losses) {
			return undefined;
		}
		const v = losses[i] ?? null;
		if (v === null) {
			return null;
		}
		sum += v;
	}
	return all.length < slices ? undefined : sum / slices;
}

/** Probes on one held-out slice. */
export interface ProbeRecord {
	/** Held-out loss per LR at each checkpoint (shorter when the probe turned non-finite). */
	byLr: Record<string, (number | null)[]>;
	heldOutExamples: number;
	secondsPerStep: number;
}

const round4 = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(4)));

export function compiled(w: Workload, seed: number, start?: tf.Tensor[]): tf.LayersModel {
	const m = w.build(tf, seed);
	if (start) {
		m.setWeights(start);
	}
	m.compile({ optimizer: makeOptimizer(tf, w.optimizer, 1e-3), loss: w.loss });
	return m;
}

/** The workload's pretraining (Adam), when it has one: the start weights. */
export async function pretrained(w: Workload, x: tf.Tensor, y: tf.Tensor, seed: number) {
	if (!w.pretrain) {
		return undefined;
	}
	const m = w.build(tf, seed);
	m.compile({ optimizer: makeOptimizer(tf, 'adam', w.pretrain.lr), loss: w.loss });
	const stream = tensorBatches(tf, x, y, w.batchSize, seed + 1000);
	for (let i = 0; i < w.pretrain.steps; i++) {
		const b = (await stream.next())!;
		await m.trainOnBatch(b.x as tf.Tensor, b.y as tf.Tensor);
		tf.dispose([b.x as tf.Tensor, b.y as tf.Tensor]);
	}
	const start = m.getWeights().map((t) => t.clone());
	m.optimizer.dispose();
	m.dispose();
	return start;
}

/** The checkpoints a schedule may stop at: the plan's length (capped) halved 0 … 8 times. */
export function checkpointsFor(planSteps: number): number[] {
	const base = Math.min(planSteps, maxProbeSteps);
	const set = new Set<number>();
	for (let m = 0; m <= 8; m++) {
		set.add(probeStep(base, Math.pow(2, -m), 0));
	}
	return [...set].sort((a, b) => a - b);
}

/**
 * fastai `minimum` of the first range-test curve (a tenth of the LR at its lowest smoothed loss),
 * what `report.suggestions.minimum` holds when the engine runs one curve; from the recorded curve
 * (4 significant digits).
 */
export function curveMinimumLr(rec: RunRecord): number | null {
	const steps = defaultRangeTestOptions.steps;
	const lrs = rampLrs(steps, defaultRangeTestOptions.startLr, defaultRangeTestOptions.endLr);
	const c = rec.curves[0];
	return suggest(lrs.slice(0, c.length), c, steps).suggestions.minimum?.lr ?? null;
}

function curveHeadline(lrs: number[], smoothed: (number | null)[], steps: number): CurveHeadline {
	const h = chooseHeadline({ lrs, smoothed, steps, report: suggest(lrs, smoothed, steps) });
	return { lr: h.lr, verdict: h.verdict, rule: h.rule };
}

/** The workload's data, start weights and compiled model after the engine's range test (3 repeats). */
export async function rangeTested(w: Workload, seed: number) {
	const d = w.data(seed);
	const x = tf.tensor(d.x, [d.n, ...d.xShape]);
	const y = tf.tensor2d(d.y, [d.n, d.yWidth]);
	const start = await pretrained(w, x, y, seed);
	const model = compiled(w, seed, start);
	const loaded: LoadedSource = {
		model,
		x,
		y,
		batchSize: w.batchSize,
		size: d.n,
		optimizerName: w.optimizer,
		lossName: w.loss,
		notes: [],
		dispose: () => undefined,
	};
	const owned: tf.Tensor[] = [x, y, ...(start ?? [])];
	const curves: (number | null)[][] = [];
	const rt = await runRangeTest(
		tf,
		loaded,
		{ seed, repeat: repeats },
		{ onProgress: (p) => (curves[p.repeat] ??= []).push(p.smoothed) },
	);
	const planSteps = w.epochs * Math.floor(d.n / w.batchSize);
	const dispose = (): void => {
		model.optimizer.dispose();
		model.dispose();
		tf.dispose(owned);
	};
	return { d, x, y, model, loaded, owned, curves, rt, planSteps, dispose };
}

/** The probes (`runProbes`) at `lrs` on the held-out slice of `sliceSeed`, checkpoints of the plan. */
export async function probesOn(
	w: Workload,
	s: Awaited<ReturnType<typeof rangeTested>>,
	lrs: number[],
	slice: number,
): Promise<ProbeRecord & { checkpoints: number[] }> {
	const data = holdOutValidation(tf, s.x, s.y, slice, s.owned);
	const checkpoints = checkpointsFor(s.planSteps);
	const t0 = performance.now();
	const outcomes = (await runProbes(
		tf,
		s.model,
		data,
		lrs,
		checkpoints.map((end) => ({ end, keep: lrs.length })),
		{ seed: slice, batchSize: w.batchSize },
	))!;
	const probeSeconds = (performance.now() - t0) / 1000;
	const ran = outcomes.reduce((n, o) => n + o.steps, 0);
	const byLr: Record<string, (number | null)[]> = {};
	outcomes.forEach((o) => (byLr[lrKey(o.lr)] = o.losses.map(round4)));
	return {
		checkpoints,
		byLr,
		heldOutExamples: data.valX instanceof tf.Tensor ? data.valX.shape[0] : 0,
		secondsPerStep: ran ? probeSeconds / ran : 0,
	};
}

/**
 * The truth at `lrs`: 3-fold cross-validated constant-LR trainings (the engine's `runSweep`, the
 * plan's epochs over each fold's training part) with `seed`'s folds and batch order, the mean
 * held-out loss per LR (`null`: diverged), and the steps of one LR's trainings (all folds).
 */
export async function truthAt(
	w: Workload,
	s: Awaited<ReturnType<typeof rangeTested>>,
	lrs: number[],
	seed: number,
): Promise<{ truth: Record<string, number | null>; truthSteps: number }> {
	const sweep = await runSweep(tf, s.loaded, { lrs, epochs: w.epochs, folds: 3, seed });
	const truth: Record<string, number | null> = {};
	sweep.results.forEach((r) => (truth[lrKey(r.lr)] = r.finalValLoss));
	return { truth, truthSteps: sweep.results[0]?.batches ?? 0 };
}

/** `lr`'s loss in `truth` ÷ `best` (`Infinity`: not measured, or diverged). */
export function truthRatio(truth: Record<string, number | null>, best: number, lr: number): number {
	const t = truth[lrKey(lr)];
	return t === null || t === undefined || !Number.isFinite(t) ? Infinity : t / best;
}

/** The lowest loss of `truth` on the grid (`Infinity` when every grid LR diverged). */
export function gridBest(truth: Record<string, number | null>): number {
	return Math.min(...grid.map((lr) => truth[lrKey(lr)] ?? Infinity));
}

/** The truth ({@link truthAt}) and the probes (`runProbes`) at `lrs`. */
async function truthAndProbes(
	w: Workload,
	seed: number,
	s: Awaited<ReturnType<typeof rangeTested>>,
	truthLrs: number[],
	probeLrs: number[],
) {
	const t = await truthAt(w, s, truthLrs, seed);
	// The probes, on the same held-out slice verifyHeadline makes.
	const p = await probesOn(w, s, probeLrs, seed);
	return { ...t, ...p };
}

/** Measures one workload × seed (see file comment). */
export async function measure(w: Workload, seed: number): Promise<RunRecord> {
	const s = await rangeTested(w, seed);
	try {
		const { curves, rt } = s;
		const steps = defaultRangeTestOptions.steps;
		const lrs = rampLrs(steps, defaultRangeTestOptions.startLr, defaultRangeTestOptions.endLr);
		const h1 = curveHeadline(lrs.slice(0, curves[0].length), curves[0], steps);
		const h3 = rt.report.headline!;
		const headline3 = { lr: h3.lr, verdict: h3.verdict, rule: h3.rule };
		// Every LR a policy may probe or answer.
		const probeLrs = new Map<string, number>();
		for (const h of [h1.lr, h3.lr]) {
			for (const c of h === null ? [] : verifyCandidates(h, widestWindow)) {
				probeLrs.set(lrKey(c.lr), c.lr);
			}
		}
		const truthLrs = new Map([...grid.map((lr) => [lrKey(lr), lr] as const), ...probeLrs]);
		const m = await truthAndProbes(w, seed, s, [...truthLrs.values()], [...probeLrs.values()]);
		const bestGridLoss = gridBest(m.truth);
		return {
			workload: w.key,
			seed,
			n: s.d.n,
			batchSize: w.batchSize,
			planSteps: s.planSteps,
			rangeTestSteps: curves.map((c) => c.length),
			rangeTestSeconds: rt.seconds,
			curves: curves.map((c) => c.map(round4)),
			headline1: h1,
			headline3,
			truth: m.truth,
			truthSteps: m.truthSteps,
			bestGridLoss,
			probes: {
				checkpoints: m.checkpoints,
				byLr: m.byLr,
				heldOutExamples: m.heldOutExamples,
				secondsPerStep: m.secondsPerStep,
			},
		};
	} finally {
		s.dispose();
	}
}

/**
 * Adds truth and probes at `lrs` to a recorded run, by the same code paths as {@link measure} (the
 * same data, start weights, range test, sweep and probes). `control` (an LR the record already
 * has) is measured again and returned beside the recorded values, to show the new values are
 * comparable. Mutates and returns `rec`.
 */
export async function measureMore(
	w: Workload,
	rec: RunRecord,
	lrs: number[],
	control: number,
): Promise<{
	rec: RunRecord;
	control: { truth: [number | null, number | null]; probe: [unknown, unknown] };
}> {
	const s = await rangeTested(w, rec.seed);
	try {
		const all = [control, ...lrs];
		const m = await truthAndProbes(w, rec.seed, s, all, all);
		const k = lrKey(control);
		const out = {
			truth: [rec.truth[k], m.truth[k]] as [number | null, number | null],
			probe: [rec.probes.byLr[k], m.byLr[k]] as [unknown, unknown],
		};
		for (const lr of lrs) {
			rec.truth[lrKey(lr)] ??= m.truth[lrKey(lr)];
			rec.probes.byLr[lrKey(lr)] ??= m.byLr[lrKey(lr)];
		}
		return { rec, control: out };
	} finally {
		s.dispose();
	}
}

/** The cached record of a workload × seed, measured when missing (or when `fresh`). */
export async function cachedRecord(
	dir: string,
	w: Workload,
	seed: number,
	fresh: boolean,
): Promise<RunRecord> {
	const file = path.join(dir, `${w.key}-s${seed}.json`);
	if (!fresh && fs.existsSync(file)) {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
	}
	const rec = await measure(w, seed);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(file, JSON.stringify(rec));
	return rec;
}
