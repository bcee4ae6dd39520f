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
import type { BackendInfo, SweepResult, SweepRun } from '../core/types';
import { headlineOf } from '../core/headline';
import { headlineText } from '../core/present/headline';
import type { SweepOptions } from '../shared/runnerProtocol';
import {
	disposeBatch,
	exampleCount,
	firstLoss,
	gatherRows,
	makeYielder,
	tensorBatches,
	tensorsOf,
	type TensorOrList,
} from './batching';
import { BadInputError } from './errors';
import {
	activeBackend,
	compiledOptimizer,
	evaluateLoss,
	heldOutFraction,
	holdOutValidation,
	runRangeTest,
	stripUndefined,
} from './rangeTest';
import { mulberry32, shuffledIndices, withSeededMathRandom } from './seed';
import type { LoadedSource, Tf } from './sourceTypes';
import { captureState, disposeSnapshot, restoreState, setOptimizerLr } from './state';

/** Multipliers of the range-test headline LR for the default grid. */
export const defaultGridFactors = [0.1, 1 / 3, 1, 3, 10];

/** Default sweep options. */
export const defaultSweepOptions: SweepOptions = { epochs: 3, folds: 1, seed: 42 };

/** Per-epoch progress of one run. */
export interface SweepProgress {
	lrIndex: number;
	lrCount: number;
	lr: number;
	epoch: number;
	fold: number;
	loss: number | null;
	valLoss: number | null;
}

/** Callbacks from the sweep. */
export interface SweepHooks {
	onProgress?(p: SweepProgress): void;
	onLog?(message: string): void;
	/** Checked before every batch; stops the sweep, returning the LRs that finished. */
	isCancelled?(): boolean;
	backend?: BackendInfo;
}

interface Fold {
	x: TensorOrList;
	y: TensorOrList;
	valX?: TensorOrList;
	valY?: TensorOrList;
}

/** Checks sweep options (user input → BadInputError). */
export function checkSweepOptions(o: SweepOptions): void {
	if (o.lrs !== undefined) {
		if (o.lrs.length === 0 || o.lrs.some((lr) => !(Number.isFinite(lr) && lr > 0))) {
			throw new BadInputError(
				`--lrs must be a comma-separated list of positive numbers, got ${o.lrs.join(',')}`,
			);
		}
	}
	if (!Number.isInteger(o.epochs) || o.epochs < 1 || o.epochs > 1000) {
		throw new BadInputError(`--epochs must be a whole number from 1 to 1000, got ${o.epochs}`);
	}
	if (!Number.isInteger(o.folds) || o.folds < 1 || o.folds > 20) {
		throw new BadInputError(`--folds must be a whole number from 1 to 20, got ${o.folds}`);
	}
	if (!Number.isInteger(o.seed)) {
		throw new BadInputError(`--seed must be a whole number, got ${o.seed}`);
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
		let lrs = o.lrs;
		if (!lrs) {
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
				result.cancelled = true;
				return result;
			}
			// The headline (core/headline.ts): the LR every surface calls "suggested".
			const head = headlineOf(rt);
			const center = head.lr ?? undefined;
			if (center === undefined) {
				throw new BadInputError(
					'the range test gave no suggestion to centre the sweep on; pass --lrs a,b,c',
				);
			}
			result.gridCenter = center;
			result.gridHeadline = head;
			lrs = defaultGridFactors.map((f) => center * f);
			notes.push(`LR grid: range-test suggestion ${headlineText(head)} × {1/10, 1/3, 1, 3, 10}`);
		}
		const folds = makeFolds(tf, loaded, o, notes, owned);
		const yieldNow = makeYielder();
		for (let li = 0; li < lrs.length; li++) {
			const lr = lrs[li];
			const perFold: { curve: (number | null)[]; val: (number | null)[] }[] = [];
			let batches = 0;
			let cancelled = false;
			for (let f = 0; f < folds.length && !cancelled; f++) {
				restoreState(tf, model, snap);
				setOptimizerLr(opt, lr);
				const fold = folds[f];
				const curve: (number | null)[] = [];
				const val: (number | null)[] = [];
				// Same data order (and dropout stream) for every LR: only the LR differs between runs.
				await withSeededMathRandom(o.seed + f, async () => {
					const stream = loaded.dataset
						? undefined
						: tensorBatches(tf, fold.x, fold.y, batchSize, o.seed + f);
					let dead = false;
					for (let e = 0; e < o.epochs; e++) {
						if (dead) {
							curve.push(null);
							val.push(null);
							continue;
						}
						let sum = 0;
						let count = 0;
						const perEpoch = stream?.batchesPerEpoch;
						const it = loaded.dataset ? await loaded.dataset.iterator() : undefined;
						for (let b = 0; perEpoch === undefined || b < perEpoch; b++) {
							await yieldNow();
							if (hooks.isCancelled?.()) {
								cancelled = true;
								return;
							}
							const batch = stream ? await stream.next() : await nextDatasetBatch(it!);
							if (batch === null) {
								break;
							}
							let loss: number;
							try {
								loss = firstLoss(
									await model.trainOnBatch(batch.x as TensorOrList, batch.y as TensorOrList),
								);
							} finally {
								disposeBatch(tf, batch);
							}
							batches += 1;
							if (!Number.isFinite(loss)) {
								dead = true;
								break;
							}
							sum += loss;
							count += 1;
						}
						if (count === 0 && !dead) {
							throw new BadInputError('the data yielded no batches for an epoch');
						}
						const mean = dead ? null : sum / count;
						const v =
							!dead && fold.valX && fold.valY
								? await evaluateLoss(tf, model, fold.valX, fold.valY, batchSize)
								: null;
						const vv = v !== null && Number.isFinite(v) ? v : null;
						curve.push(mean);
						val.push(vv);
						hooks.onProgress?.({
							lrIndex: li,
							lrCount: lrs.length,
							lr,
							epoch: e,
							fold: f,
							loss: mean,
							valLoss: vv,
						});
					}
				});
				if (!cancelled) {
					perFold.push({ curve, val });
				}
			}
			result.totalBatches += batches;
			if (cancelled) {
				result.cancelled = true;
				break;
			}
			const hasVal = folds.some((f) => f.valX);
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
			result.results.push(run);
		}
		result.best = pickBest(result.results);
		const sorted = result.results.map((r) => r.lr).sort((a, b) => a - b);
		if (
			result.best &&
			sorted.length > 2 &&
			(result.best.lr === sorted[0] || result.best.lr === sorted[sorted.length - 1])
		) {
			notes.push(
				`the best LR is at the ${result.best.lr === sorted[0] ? 'low' : 'high'} edge of the grid; try LRs beyond it`,
			);
		}
		return result;
	} finally {
		result.seconds = (performance.now() - t0) / 1000;
		restoreState(tf, model, snap);
		disposeSnapshot(snap);
		tf.dispose(owned);
	}
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

async function nextDatasetBatch(
	it: Awaited<ReturnType<tfTypes.data.Dataset<tfTypes.TensorContainer>['iterator']>>,
) {
	const r = await it.next();
	if (r.done) {
		return null;
	}
	const el = r.value as { xs?: TensorOrList; ys?: TensorOrList };
	if (el === null || typeof el !== 'object' || el.xs === undefined || el.ys === undefined) {
		throw new BadInputError(
			'the dataset must yield {xs, ys} elements (as model.fitDataset expects)',
		);
	}
	return { x: el.xs, y: el.ys };
}

function makeFolds(
	tf: Tf,
	loaded: LoadedSource,
	o: SweepOptions,
	notes: string[],
	owned: tfTypes.Tensor[],
): Fold[] {
	if (loaded.dataset) {
		if (o.folds > 1) {
			throw new BadInputError(
				'k-fold cross-validation needs tensor data, not a tf.data dataset; use --folds 1',
			);
		}
		return [{ x: loaded.x, y: loaded.y, valX: loaded.valX, valY: loaded.valY }];
	}
	if (o.folds === 1) {
		if (loaded.valX && loaded.valY) {
			return [{ x: loaded.x, y: loaded.y, valX: loaded.valX, valY: loaded.valY }];
		}
		const s = holdOutValidation(tf, loaded.x, loaded.y, o.seed, owned);
		notes.push(
			`no validation data given: ${Math.round(heldOutFraction * 100)}% of the data (${exampleCount(s.valX)} examples, seeded) is held out for validation loss`,
		);
		return [s];
	}
	const n = exampleCount(loaded.x);
	if (n < o.folds * 2) {
		throw new BadInputError(`the data has ${n} examples, too few for ${o.folds} folds`);
	}
	const perm = shuffledIndices(n, mulberry32(o.seed ^ 0x1b873593));
	const folds: Fold[] = [];
	for (let k = 0; k < o.folds; k++) {
		const lo = Math.floor((k * n) / o.folds);
		const hi = Math.floor(((k + 1) * n) / o.folds);
		const valIdx = perm.slice(lo, hi);
		const trIdx = Int32Array.from([...perm.slice(0, lo), ...perm.slice(hi)]);
		const f: Fold = {
			x: gatherRows(tf, loaded.x, trIdx),
			y: gatherRows(tf, loaded.y, trIdx),
			valX: gatherRows(tf, loaded.x, valIdx),
			valY: gatherRows(tf, loaded.y, valIdx),
		};
		owned.push(...tensorsOf(f.x), ...tensorsOf(f.y), ...tensorsOf(f.valX!), ...tensorsOf(f.valY!));
		folds.push(f);
	}
	notes.push(`${o.folds}-fold cross-validation (seeded split); curves are the mean over folds`);
	if (loaded.valX) {
		notes.push(
			'with --folds the given validation data is not used: each fold validates on its held-out part',
		);
	}
	return folds;
}
