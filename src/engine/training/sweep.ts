/**
 * LR sweep ("experiment with different values"): short training runs at several LRs, each from
 * the same initial weights and optimizer state, optionally with k-fold cross-validation.
 *
 * Grid: explicit `lrs`, or — by default — a quick range test (same seed and batch size, state
 * restored) and then `headline × {1/10, 1/3, 1, 3, 10}`: two decades around the point the
 * suggestions agree on, which brackets where the valley/slide rules usually land relative to the
 * best short-run LR. Each run: `epochs` passes over its training part (seeded order, the same order
 * for every LR so only the LR differs), mean training loss per epoch, validation loss after each
 * epoch. Without folds, validation data comes from the source, else 20% is held out (seeded).
 * With `folds = K ≥ 2`, a seeded permutation is cut into K parts; fold k validates on part k and
 * trains on the rest; curves are averaged over folds. Best LR: lowest final validation loss, else
 * lowest final training loss. A run whose loss turns non-finite stops there (its later epochs are
 * `null`, and it cannot be best).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { SweepResult, SweepRun } from '../../core/types';
import { sweepGridNote } from '../../core/present/trainingNotes';
import type { SweepOptions } from '../../shared/runnerProtocol';
import { makeYielder } from './batching';
import { BadInputError } from '../../shared/errors';
import { activeBackend, compiledOptimizer, runRangeTest, stripUndefined } from './rangeTest';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { captureState, disposeSnapshot, restoreState, setOptimizerLr } from './state';
import { makeFolds } from './sweepFolds';
import { trainFold } from './sweepTraining';
import type { SweepContext, SweepHooks } from './sweepTypes';
import {
	lrsListText,
	noSweepCentreText,
	wholeNumberRangeText,
	wholeNumberText,
} from '../../core/present/trainingErrors';

/** Multipliers of the range-test headline LR for the default grid. */
export const defaultGridFactors = [0.1, 1 / 3, 1, 3, 10];

/** Default sweep options. */
export const defaultSweepOptions: SweepOptions = { epochs: 3, folds: 1, seed: 42 };

/** Checks sweep options (user input → BadInputError). */
export function checkSweepOptions(o: SweepOptions): void {
	if (o.lrs !== undefined) {
		if (o.lrs.length === 0 || o.lrs.some((lr) => !(Number.isFinite(lr) && lr > 0))) {
			throw new BadInputError(lrsListText(o.lrs));
		}
	}
	if (!Number.isInteger(o.epochs) || o.epochs < 1 || o.epochs > 1000) {
		throw new BadInputError(wholeNumberRangeText('--epochs', 1, 1000, o.epochs));
	}
	if (!Number.isInteger(o.folds) || o.folds < 1 || o.folds > 20) {
		throw new BadInputError(wholeNumberRangeText('--folds', 1, 20, o.folds));
	}
	if (!Number.isInteger(o.seed)) {
		throw new BadInputError(wholeNumberText('--seed', o.seed));
	}
}

/** Runs the sweep (see file comment). Model and optimizer are restored on every outcome. */
export async function runSweep(
	tf: Tf,
	loaded: LoadedSource,
	options: Partial<SweepOptions>,
	hooks: SweepHooks = {},
): Promise<SweepResult> {
	const o: SweepOptions = { ...defaultSweepOptions, ...stripUndefined(options) };
	checkSweepOptions(o);
	const t0 = performance.now();
	const model = loaded.model;
	const opt = compiledOptimizer(model);
	const batchSize = o.batchSize ?? loaded.batchSize;
	const notes = [...loaded.notes];
	const owned: tfTypes.Tensor[] = [];
	const snap = captureState(tf, model);
	const result: SweepResult = {
		results: [],
		best: null,
		folds: o.folds,
		epochs: o.epochs,
		totalBatches: 0,
		backend: hooks.backend ?? activeBackend(tf),
		seconds: 0,
		notes,
	};
	try {
		const lrs = o.lrs ?? (await defaultGrid(tf, loaded, o, batchSize, hooks, result));
		if (!lrs) {
			result.cancelled = true;
			return result;
		}
		const folds = makeFolds(tf, loaded, o, notes, owned);
		const sc: SweepContext = { tf, loaded, o, batchSize, hooks, yieldNow: makeYielder() };
		for (let li = 0; li < lrs.length; li++) {
			const lr = lrs[li];
			const perFold: { curve: (number | null)[]; val: (number | null)[] }[] = [];
			let batches = 0;
			let cancelled = false;
			for (let f = 0; f < folds.length && !cancelled; f++) {
				restoreState(tf, model, snap);
				setOptimizerLr(opt, lr);
				const run = await trainFold(sc, folds[f], f, { index: li, count: lrs.length, lr });
				batches += run.batches;
				cancelled = run.cancelled;
				if (!cancelled) {
					perFold.push(run);
				}
			}
			result.totalBatches += batches;
			if (cancelled) {
				result.cancelled = true;
				break;
			}
			result.results.push(
				sweepRun(
					lr,
					batches,
					perFold,
					folds.some((f) => f.valX),
				),
			);
		}
		result.best = pickBest(result.results);
		const edge = edgeNote(result);
		if (edge) {
			notes.push(edge);
		}
		return result;
	} finally {
		result.seconds = (performance.now() - t0) / 1000;
		restoreState(tf, model, snap);
		disposeSnapshot(snap);
		tf.dispose(owned);
	}
}

/**
 * The default grid: a quick range test (same seed and batch size), then its headline × the
 * default factors. Undefined when the range test was cancelled.
 */
async function defaultGrid(
	tf: Tf,
	loaded: LoadedSource,
	o: SweepOptions,
	batchSize: number,
	hooks: SweepHooks,
	result: SweepResult,
): Promise<number[] | undefined> {
	hooks.onLog?.('sweep: running a quick range test to centre the LR grid');
	// The default range test (3 repeats, the headline from their mean); every repeat's batches count.
	let rangeTestBatches = 0;
	const rt = await runRangeTest(
		tf,
		loaded,
		{ seed: o.seed, batchSize },
		{
			isCancelled: hooks.isCancelled,
			backend: hooks.backend,
			onProgress: () => void rangeTestBatches++,
		},
	);
	result.totalBatches += rangeTestBatches;
	if (rt.stopReason === 'cancelled') {
		return undefined;
	}
	// The headline (core/headline.ts): the LR every surface calls "suggested".
	const head = rt.report.headline;
	const center = head.lr ?? undefined;
	if (center === undefined) {
		throw new BadInputError(noSweepCentreText);
	}
	result.gridCenter = center;
	result.gridHeadline = head;
	result.notes.push(sweepGridNote(head));
	return defaultGridFactors.map((f) => center * f);
}

/** One LR's run: its curves averaged over the folds. */
function sweepRun(
	lr: number,
	batches: number,
	perFold: readonly { curve: (number | null)[]; val: (number | null)[] }[],
	hasVal: boolean,
): SweepRun {
	const curve = averageCurves(perFold.map((p) => p.curve));
	const run: SweepRun = {
		lr,
		finalLoss: curve[curve.length - 1] ?? null,
		finalValLoss: null,
		batches,
		curve,
	};
	if (hasVal) {
		run.valCurve = averageCurves(perFold.map((p) => p.val));
		run.finalValLoss = run.valCurve[run.valCurve.length - 1] ?? null;
	}
	return run;
}

/** A note when the best LR is at an edge of the grid (the optimum may lie beyond it). */
function edgeNote(result: SweepResult): string | undefined {
	const sorted = result.results.map((r) => r.lr).sort((a, b) => a - b);
	if (
		result.best &&
		sorted.length > 2 &&
		(result.best.lr === sorted[0] || result.best.lr === sorted[sorted.length - 1])
	) {
		return `the best LR is at the ${result.best.lr === sorted[0] ? 'low' : 'high'} edge of the grid; try LRs beyond it`;
	}
	return undefined;
}

/** Lowest final validation loss when any run has one, else lowest final training loss. */
export function pickBest(runs: SweepRun[]): { lr: number } | null {
	const byVal = runs.filter((r) => r.finalValLoss !== null);
	const pool =
		byVal.length > 0
			? byVal.map((r) => [r.lr, r.finalValLoss!] as const)
			: runs.filter((r) => r.finalLoss !== null).map((r) => [r.lr, r.finalLoss!] as const);
	if (pool.length === 0) {
		return null;
	}
	let best = pool[0];
	for (const p of pool) {
		if (p[1] < best[1]) {
			best = p;
		}
	}
	return { lr: best[0] };
}

/** Element-wise mean of equal-length curves; `null` where any curve is `null`. */
export function averageCurves(curves: (number | null)[][]): (number | null)[] {
	if (curves.length === 0) {
		return [];
	}
	return curves[0].map((_v, i) => {
		let s = 0;
		for (const c of curves) {
			const v = c[i];
			if (v === null || v === undefined) {
				return null;
			}
			s += v;
		}
		return s / curves.length;
	});
}
