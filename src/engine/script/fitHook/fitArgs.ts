/**
 * Fit-argument normalisation: the intercepted `fit(x, y, config)` / `fitDataset(ds, config)` call
 * as the range test's source (tensors, batch size, validation data), with notes saying where
 * each part came from.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { BadInputError } from '../../../shared/errors';
import type { LoadedSource, Tf } from '../../sources/sourceTypes';
import type { ModelLike, Rec } from './state';
import {
	emptyDatasetText,
	scriptBatchSizeText,
	scriptDatasetNote,
	scriptFitDataNote,
	scriptValidationBatchesNote,
	scriptValidationDataNote,
	scriptValidationSplitNote,
	shapesText,
	fitArgMissingText,
	noDatasetText,
	notCompiledText,
	validationDatasetText,
	validationSplitEmptyText,
} from '../../../core/present/scriptWords';

function describeLoss(loss: unknown): string {
	if (typeof loss === 'string') {
		return loss;
	}
	if (Array.isArray(loss)) {
		return loss.map(describeLoss).join(', ');
	}
	if (typeof loss === 'function') {
		return loss.name || 'custom loss function';
	}
	if (loss && typeof loss === 'object') {
		return Object.values(loss).map(describeLoss).join(', ');
	}
	return 'unknown';
}

export type TensorArg = tfTypes.Tensor | tfTypes.Tensor[] | Record<string, tfTypes.Tensor>;

/** Dict inputs (by layer name) become a list in the model's order, as tfjs does. */
export function asList(
	x: TensorArg,
	names: string[],
	what: string,
): tfTypes.Tensor | tfTypes.Tensor[] {
	if (Array.isArray(x) || isTensor(x)) {
		return x as tfTypes.Tensor | tfTypes.Tensor[];
	}
	return names.map((n) => {
		const t = (x as Record<string, tfTypes.Tensor>)[n];
		if (!t) {
			throw new BadInputError(fitArgMissingText(what, n));
		}
		return t;
	});
}

function isTensor(x: unknown): x is tfTypes.Tensor {
	return (
		typeof x === 'object' &&
		x !== null &&
		'shape' in x &&
		'dtype' in x &&
		typeof (x as Rec).dataSync === 'function'
	);
}

function shapeOf(x: tfTypes.Tensor | tfTypes.Tensor[]): string {
	return shapesText(Array.isArray(x) ? x.map((t) => t.shape) : [x.shape]);
}

function mapList(
	x: tfTypes.Tensor | tfTypes.Tensor[],
	f: (t: tfTypes.Tensor) => tfTypes.Tensor,
): tfTypes.Tensor | tfTypes.Tensor[] {
	return Array.isArray(x) ? x.map(f) : f(x);
}

/** Concatenates up to `maxBatches` batches of a validation dataset into tensors. */
async function collectDataset(
	tf: Tf,
	ds: tfTypes.data.Dataset<tfTypes.TensorContainer>,
	maxBatches: number,
): Promise<
	| { x: tfTypes.Tensor | tfTypes.Tensor[]; y: tfTypes.Tensor | tfTypes.Tensor[]; batches: number }
	| undefined
> {
	const it = await ds.iterator();
	const xs: (tfTypes.Tensor | tfTypes.Tensor[])[] = [];
	const ys: (tfTypes.Tensor | tfTypes.Tensor[])[] = [];
	for (let i = 0; i < maxBatches; i++) {
		const r = await it.next();
		if (r.done) {
			break;
		}
		const el = r.value as {
			xs?: tfTypes.Tensor | tfTypes.Tensor[];
			ys?: tfTypes.Tensor | tfTypes.Tensor[];
		};
		if (!el || el.xs === undefined || el.ys === undefined) {
			throw new BadInputError(validationDatasetText);
		}
		xs.push(el.xs);
		ys.push(el.ys);
	}
	if (xs.length === 0) {
		return undefined;
	}
	const cat = (parts: (tfTypes.Tensor | tfTypes.Tensor[])[]): tfTypes.Tensor | tfTypes.Tensor[] => {
		const out = Array.isArray(parts[0])
			? (parts[0] as tfTypes.Tensor[]).map((_t, k) =>
					tf.concat(parts.map((p) => (p as tfTypes.Tensor[])[k])),
				)
			: tf.concat(parts as tfTypes.Tensor[]);
		parts.forEach((p) => tf.dispose(p));
		return out;
	};
	return { x: cat(xs), y: cat(ys), batches: xs.length };
}

type Tensors = tfTypes.Tensor | tfTypes.Tensor[];
/** Marks tensors the source made itself (slices, concatenations): its `dispose` frees them. */
type Own = <T extends Tensors>(t: T) => T;
type Base = Omit<LoadedSource, 'x' | 'y' | 'batchSize'>;

/** Builds the range test's source from the intercepted call's arguments. */
export async function sourceFromFitCall(
	tf: Tf,
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
	notes: string[],
	batchOverride?: number,
): Promise<LoadedSource> {
	if (!model.optimizer) {
		throw new BadInputError(notCompiledText(method));
	}
	const owned: tfTypes.Tensor[] = [];
	const own: Own = (t) => {
		owned.push(...(Array.isArray(t) ? t : [t]));
		return t;
	};
	const base: Base = {
		model: model as tfTypes.LayersModel,
		optimizerName: model.optimizer.getClassName(),
		lossName: describeLoss((model as unknown as Rec).loss),
		notes,
		dispose: (): void => {
			owned.forEach((t) => t.isDisposed || t.dispose());
		},
	};
	return method === 'fit'
		? fitSource(model, args, notes, own, base, batchOverride)
		: fitDatasetSource(tf, model, args, notes, own, base);
}

/** `fit(x, y, config)`: the tensors, batch size and validation data (or split) of the call. */
function fitSource(
	model: ModelLike,
	args: unknown[],
	notes: string[],
	own: Own,
	base: Base,
	batchOverride?: number,
): LoadedSource {
	const [xArg, yArg, cfgArg] = args as [TensorArg, TensorArg, Rec | undefined];
	const cfg = cfgArg ?? {};
	let x = asList(xArg, model.inputNames, 'x');
	let y = asList(yArg, model.outputNames, 'y');
	const batchSize = typeof cfg.batchSize === 'number' ? cfg.batchSize : 32;
	let valX: Tensors | undefined;
	let valY: Tensors | undefined;
	const vd = cfg.validationData as TensorArg[] | undefined;
	if (Array.isArray(vd) && vd.length >= 2) {
		valX = asList(vd[0], model.inputNames, 'validationData x');
		valY = asList(vd[1], model.outputNames, 'validationData y');
		notes.push(scriptValidationDataNote(shapeOf(valX)));
	} else if (
		typeof cfg.validationSplit === 'number' &&
		cfg.validationSplit > 0 &&
		cfg.validationSplit < 1
	) {
		// As tfjs/Keras: the LAST fraction of the examples (before shuffling) is validation.
		const n = (Array.isArray(x) ? x[0] : x).shape[0];
		const splitAt = Math.floor(n * (1 - cfg.validationSplit));
		if (splitAt < 1 || splitAt >= n) {
			throw new BadInputError(validationSplitEmptyText(cfg.validationSplit, n));
		}
		const [x0, y0] = [x, y];
		valX = own(mapList(x0, (t) => t.slice(splitAt)));
		valY = own(mapList(y0, (t) => t.slice(splitAt)));
		x = own(mapList(x0, (t) => t.slice(0, splitAt)));
		y = own(mapList(y0, (t) => t.slice(0, splitAt)));
		notes.push(scriptValidationSplitNote(cfg.validationSplit, n - splitAt, n));
	}
	const n = (Array.isArray(x) ? x[0] : x).shape[0];
	const batch = scriptBatchSizeText(batchSize, cfg.batchSize === undefined, batchOverride, n);
	notes.push(scriptFitDataNote(shapeOf(x), shapeOf(y), batch));
	return { ...base, x, y, valX, valY, batchSize: batchOverride ?? batchSize, size: n };
}

/** `fitDataset(ds, config)`: one peeked batch (its size is the batch size), validation data. */
async function fitDatasetSource(
	tf: Tf,
	model: ModelLike,
	args: unknown[],
	notes: string[],
	own: Own,
	base: Base,
): Promise<LoadedSource> {
	const [ds, cfgArg] = args as [tfTypes.data.Dataset<tfTypes.TensorContainer>, Rec | undefined];
	const cfg = cfgArg ?? {};
	if (!ds || typeof (ds as unknown as Rec).iterator !== 'function') {
		throw new BadInputError(noDatasetText);
	}
	// Peek one batch: its size is the batch size, and it doubles as x/y for probes.
	const it = await ds.iterator();
	const first = await it.next();
	const el = first.value as { xs?: TensorArg; ys?: TensorArg } | undefined;
	if (first.done || !el || el.xs === undefined || el.ys === undefined) {
		throw new BadInputError(emptyDatasetText);
	}
	const x = own(asList(el.xs, model.inputNames, 'xs'));
	const y = own(asList(el.ys, model.outputNames, 'ys'));
	const batchSize = (Array.isArray(x) ? x[0] : x).shape[0];
	const batchesPerEpoch = typeof cfg.batchesPerEpoch === 'number' ? cfg.batchesPerEpoch : undefined;
	let valX: Tensors | undefined;
	let valY: Tensors | undefined;
	const vd = cfg.validationData as unknown;
	if (Array.isArray(vd) && vd.length >= 2) {
		valX = asList(vd[0] as TensorArg, model.inputNames, 'validationData x');
		valY = asList(vd[1] as TensorArg, model.outputNames, 'validationData y');
		notes.push(scriptValidationDataNote(shapeOf(valX)));
	} else if (vd && typeof (vd as Rec).iterator === 'function') {
		const got = await collectDataset(tf, vd as tfTypes.data.Dataset<tfTypes.TensorContainer>, 16);
		if (got) {
			valX = own(got.x);
			valY = own(got.y);
			notes.push(scriptValidationBatchesNote(got.batches));
		}
	}
	notes.push(scriptDatasetNote(batchSize, batchesPerEpoch));
	return { ...base, x, y, valX, valY, dataset: ds, batchSize, size: batchesPerEpoch };
}
