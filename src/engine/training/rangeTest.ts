/**
 * The LR range test (ALGORITHMS.md "Range test"): ramp the LR before each batch, record the
 * batch's training loss (or a fixed validation sample's loss), smooth it with a debiased EMA,
 * stop on divergence (`smoothed > k·min`) or a non-finite loss, and leave the model and its
 * optimizer exactly as they were (restored on every outcome, including errors and cancel).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { rampLr } from '../../core/ramp';
import { Smoother } from '../../core/smoothing';
import { headlineOfRepeats, suggest } from '../../core/headline';
import { suggestionSpread } from '../../core/suggest';
import type { BackendInfo, HeadlinedReport, LoadedRangeTest, StopReason } from '../../core/types';
import { fitStepNote, partialBatchNote } from '../../core/present/tfjsNotes';
import {
	datasetRepeatsNote,
	validationHoldOutNote,
	validationSampleNote,
} from '../../core/present/trainingNotes';
import type { RangeTestOptions } from '../../shared/runnerProtocol';
import {
	type BatchStream,
	datasetBatches,
	disposeBatch,
	exampleCount,
	effectiveBatchSize,
	evaluateLoss,
	gatherRows,
	hasTrainOnBatch,
	makeYielder,
	splitTrainVal,
	tensorBatches,
	tensorsOf,
	trainStep,
	type TensorOrList,
} from './batching';
import { BadInputError } from '../../shared/errors';
import { budgetedPlan, repeatsLeftInBudget } from './rangeBudget';
import { checkRangeTestOptions, resolveRangeTestOptions, stripUndefined } from './rangeTestOptions';

export { checkRangeTestOptions, resolveRangeTestOptions, stripUndefined };
import { mulberry32, shuffledIndices, withSeededMathRandom } from './seed';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { captureState, disposeSnapshot, restoreState, setOptimizerLr } from './state';
import { datasetNeedsValidationText, notCompiledText } from '../../core/present/trainingErrors';

/** One recorded step, as streamed to the host. */
export interface RangeTestProgress {
	step: number;
	total: number;
	lr: number;
	loss: number | null;
	smoothed: number | null;
	/** 0-based repeat index (with `repeat > 1`). */
	repeat: number;
	/** Repeats planned (after the time budget, rangeBudget.ts). */
	repeats?: number;
}

/**
 * A step as the host's progress counts it, over all repeats: repeat `r`'s step `i` is
 * `r·steps + i` of `steps·repeat` (a repeat that stops early skips the rest of its steps), with
 * the steps and repeats the run really plans (the time budget may have cut the requested ones).
 */
export function overallProgress(
	p: RangeTestProgress,
	o: Pick<RangeTestOptions, 'steps' | 'repeat'>,
): RangeTestProgress {
	const repeats = p.repeats ?? o.repeat;
	return { ...p, step: p.repeat * p.total + p.step, total: p.total * repeats };
}

/** Callbacks from the loop. */
export interface RangeTestHooks {
	onProgress?(p: RangeTestProgress): void;
	/** Checked before every batch; true stops the test with `stopReason: 'cancelled'`. */
	isCancelled?(): boolean;
	/** Backend to report in the result (default: the active tfjs backend, bundled). */
	backend?: BackendInfo;
}

/** Fraction of the training data held out when validation mode has no validation data. */
export const heldOutFraction = 0.2;
/** Validation mode evaluates a fixed sample of this many batches after every step. */
export const validationBatches = 4;

interface Curve {
	lrs: number[];
	losses: (number | null)[];
	smoothed: (number | null)[];
	stopReason: StopReason;
}

/** The fixed validation sample that validation mode evaluates after every step. */
type ValSample = { x: TensorOrList; y: TensorOrList };

/** What one run of the test shares across its repeats. */
interface RunSetup {
	tf: Tf;
	loaded: LoadedSource;
	o: RangeTestOptions;
	opt: tfTypes.Optimizer;
	batchSize: number;
	trainX: TensorOrList;
	trainY: TensorOrList;
	valSample?: ValSample;
	hooks: RangeTestHooks;
}

/** Runs the range test (with repeats) and returns the first run's curve, suggestions and spread. */
export async function runRangeTest(
	tf: Tf,
	loaded: LoadedSource,
	options: Partial<RangeTestOptions>,
	hooks: RangeTestHooks = {},
): Promise<LoadedRangeTest> {
	const o = resolveRangeTestOptions(options);
	checkRangeTestOptions(o);
	const t0 = performance.now();
	const model = loaded.model;
	const opt = compiledOptimizer(model);
	const batchSize = o.batchSize ?? loaded.batchSize;
	const notes = [...loaded.notes];
	const owned: tfTypes.Tensor[] = [];
	const snap = captureState(tf, model);
	try {
		const data = trainingData(tf, loaded, o, batchSize, notes, owned);
		const n = loaded.dataset ? 0 : exampleCount(data.trainX);
		if (effectiveBatchSize(batchSize, n) < batchSize) {
			notes.push(partialBatchNote(n, batchSize));
		}
		if (!hasTrainOnBatch(model)) {
			notes.push(fitStepNote(tf.version?.tfjs ?? ''));
		}
		const setup: RunSetup = {
			...{ tf, loaded, o, opt, hooks, ...data },
			batchSize: effectiveBatchSize(batchSize, n),
		};
		const plan = await budgetedPlan(
			{ ...setup, stream: loaded.dataset ? undefined : batchStream(setup, o.seed ^ 0x5bd1e995) },
			options,
			o,
			() => restoreState(tf, model, snap),
		);
		Object.assign(o, { steps: plan.steps, repeat: plan.repeat });
		notes.push(...(plan.note ? [plan.note] : []));
		const curves: Curve[] = [];
		for (let r = 0; r < o.repeat; r++) {
			if (r > 0) {
				restoreState(tf, model, snap);
			}
			const t1 = performance.now();
			const curve = await oneRepeat(setup, r);
			curves.push(curve);
			if (curve.stopReason === 'cancelled') {
				break;
			}
			if (r === 0 && loaded.dataset) {
				const left = repeatsLeftInBudget(options, o, (performance.now() - t1) / 1000, o.steps);
				o.repeat = left.repeat;
				notes.push(...(left.note ? [left.note] : []));
			}
		}
		if (loaded.dataset && o.repeat > 1) {
			notes.push(datasetRepeatsNote);
		}
		return assembleResult(setup, curves, notes, t0);
	} finally {
		restoreState(tf, model, snap);
		disposeSnapshot(snap);
		tf.dispose(owned);
	}
}

/**
 * The training data and, in validation mode, the fixed validation sample (held out of the
 * training data when none is given). Tensors made here go to `owned`, what was done to `notes`.
 */
function trainingData(
	tf: Tf,
	loaded: LoadedSource,
	o: RangeTestOptions,
	batchSize: number,
	notes: string[],
	owned: tfTypes.Tensor[],
): { trainX: TensorOrList; trainY: TensorOrList; valSample?: ValSample } {
	let trainX = loaded.x;
	let trainY = loaded.y;
	if (!o.validation) {
		return { trainX, trainY };
	}
	let vx = loaded.valX;
	let vy = loaded.valY;
	if (!vx || !vy) {
		if (loaded.dataset) {
			throw new BadInputError(datasetNeedsValidationText);
		}
		const split = holdOutValidation(tf, loaded.x, loaded.y, o.seed, owned);
		({ x: trainX, y: trainY, valX: vx, valY: vy } = split);
		notes.push(validationHoldOutNote(heldOutFraction, exampleCount(vx)));
	}
	const nVal = exampleCount(vx);
	const take = Math.min(nVal, validationBatches * batchSize);
	const idx = shuffledIndices(nVal, mulberry32(o.seed ^ 0x68e31da4)).slice(0, take);
	const valSample = { x: gatherRows(tf, vx, idx), y: gatherRows(tf, vy, idx) };
	owned.push(...tensorsOf(valSample.x), ...tensorsOf(valSample.y));
	notes.push(validationSampleNote(take));
	return { trainX, trainY, valSample };
}

/** Repeat `r`: its own seed for the batch order and Math.random, one pass of the ramp. */
function oneRepeat(s: RunSetup, r: number): Promise<Curve> {
	const seed = s.o.seed + r;
	return withSeededMathRandom(seed, () => oneCurve(s, batchStream(s, seed), r));
}

/** The batches of a repeat (or of the budget's timing) with this seed. */
function batchStream(s: RunSetup, seed: number): BatchStream {
	return s.loaded.dataset
		? datasetBatches(s.loaded.dataset, s.loaded.size)
		: tensorBatches(s.tf, s.trainX, s.trainY, s.batchSize, seed);
}

/** The result: the first repeat's curve and suggestions; with repeats, the spread and headline. */
function assembleResult(
	s: RunSetup,
	curves: Curve[],
	notes: string[],
	t0: number,
): LoadedRangeTest {
	const { o, loaded } = s;
	const main = curves[0];
	const reports: HeadlinedReport[] = curves.map((c) => suggest(c.lrs, c.smoothed, o.steps));
	const cancelled = curves.some((c) => c.stopReason === 'cancelled');
	const result: LoadedRangeTest = {
		lrs: main.lrs,
		losses: main.losses,
		smoothed: main.smoothed,
		beta: o.beta,
		stopReason: cancelled ? 'cancelled' : main.stopReason,
		steps: o.steps,
		ramp: o.ramp,
		startLr: o.startLr,
		endLr: o.endLr,
		report: reports[0],
		lossMode: o.validation ? 'validation' : 'train',
		batchSize: s.batchSize,
		seed: o.seed,
		backend: s.hooks.backend ?? activeBackend(s.tf),
		seconds: (performance.now() - t0) / 1000,
		model: {
			name: loaded.model.name,
			params: loaded.model.countParams(),
			optimizer: loaded.optimizerName,
			loss: loaded.lossName,
		},
		notes,
	};
	if (curves.length > 1) {
		result.spread = suggestionSpread(reports);
		result.repeatLosses = curves.slice(1).map((c) => c.losses);
		// The headline reads the mean of the repeats: less batch noise, so its rules misfire less
		// (bench/suggestion-quality; docs/algorithms.md "The headline").
		const h = headlineOfRepeats(curves, o.steps);
		if (h) {
			result.report = { ...reports[0], headline: h };
		}
	}
	return result;
}

/** One pass of the ramp. */
async function oneCurve(s: RunSetup, stream: BatchStream, repeat: number): Promise<Curve> {
	const { tf, o, opt, valSample, batchSize, hooks } = s;
	const model = s.loaded.model;
	const smoother = new Smoother(o.beta);
	const curve: Curve = { lrs: [], losses: [], smoothed: [], stopReason: 'completed' };
	const yieldNow = makeYielder();
	let best = Infinity;
	for (let i = 0; i < o.steps; i++) {
		// Let IPC (cancel) through; then honour it before starting another batch.
		await yieldNow();
		if (hooks.isCancelled?.()) {
			curve.stopReason = 'cancelled';
			break;
		}
		const lr = rampLr(i, o.steps, o.startLr, o.endLr, o.ramp);
		setOptimizerLr(opt, lr);
		const batch = await stream.next();
		if (batch === null) {
			curve.stopReason = 'dataExhausted';
			break;
		}
		let raw: number;
		try {
			raw = await trainStep(model, batch.x as TensorOrList, batch.y as TensorOrList);
		} finally {
			disposeBatch(tf, batch);
		}
		if (valSample) {
			raw = await evaluateLoss(tf, model, valSample.x, valSample.y, batchSize);
		}
		const finite = Number.isFinite(raw);
		const sm = smoother.push(finite ? raw : null);
		curve.lrs.push(lr);
		curve.losses.push(finite ? raw : null);
		curve.smoothed.push(sm);
		hooks.onProgress?.({
			step: i,
			total: o.steps,
			lr,
			loss: finite ? raw : null,
			smoothed: sm,
			repeat,
			repeats: o.repeat,
		});
		if (!finite || sm === null) {
			curve.stopReason = 'nonFinite';
			break;
		}
		if (sm < best) {
			best = sm;
		}
		if (sm > o.divergeFactor * best) {
			curve.stopReason = 'diverged';
			break;
		}
	}
	return curve;
}

/** The compiled model's optimizer; an uncompiled model is the user's to fix (BadInputError). */
export function compiledOptimizer(model: tfTypes.LayersModel): tfTypes.Optimizer {
	const opt = (model as unknown as { optimizer?: tfTypes.Optimizer }).optimizer;
	if (!opt) {
		throw new BadInputError(notCompiledText);
	}
	return opt;
}

/** The backend to report when the caller gave none: the active tfjs backend, bundled. */
export function activeBackend(tf: Tf): BackendInfo {
	return {
		name: tf.getBackend(),
		origin: 'bundled',
		package: '@tensorflow/tfjs',
		version: tf.version?.tfjs ?? 'unknown',
		reason: 'given by the caller',
	};
}

/**
 * Holds out {@link heldOutFraction} of tensor data (seeded) as validation data; the four parts
 * go to `owned` so the caller's `finally` disposes them.
 */
export function holdOutValidation(
	tf: Tf,
	x: TensorOrList,
	y: TensorOrList,
	seed: number,
	owned: tfTypes.Tensor[],
): ReturnType<typeof splitTrainVal> {
	const split = splitTrainVal(tf, x, y, heldOutFraction, seed);
	owned.push(
		...tensorsOf(split.x),
		...tensorsOf(split.y),
		...tensorsOf(split.valX),
		...tensorsOf(split.valY),
	);
	return split;
}
