/**
 * Seeded batch streams for the training loops (range test, sweep).
 *
 * Tensor data: every epoch is a fresh seeded permutation cut into `floor(n / batchSize)` full
 * batches (the partial last batch is dropped, as fastai's training loader does, so every recorded
 * loss is over the same number of examples; reshuffling means every example is still used). Data
 * smaller than one batch is one partial batch of all its examples, as tfjs's `fit` trains it
 * ({@link effectiveBatchSize}).
 * The stream cycles through epochs as long as the caller asks for batches.
 *
 * Dataset data (`fitDataset`): batches come in the dataset's own order; when it ends, a new
 * iterator starts it again; a dataset that yields nothing on a fresh pass is exhausted.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { BadInputError } from '../../shared/errors';
import { mulberry32, shuffledIndices } from './seed';
import type { Tf } from '../sources/sourceTypes';
import {
	batchSizeWholeText,
	datasetElementText,
	noExamplesText,
	tooFewToHoldOutText,
} from '../../core/present/trainingErrors';

/** Model inputs or targets as trainOnBatch takes them. */
export type TensorOrList = tfTypes.Tensor | tfTypes.Tensor[];

/** One batch; the caller disposes it with {@link disposeBatch}. */
export interface Batch {
	x: TensorOrList | Record<string, tfTypes.Tensor>;
	y: TensorOrList | Record<string, tfTypes.Tensor>;
}

/** A stream of training batches. */
export interface BatchStream {
	/** The next batch, or null when the data is exhausted (datasets only). */
	next(): Promise<Batch | null>;
	/** Full batches per pass over the data, when known. */
	readonly batchesPerEpoch: number | undefined;
}

/** The batch size tensor data really trains with: `batchSize`, or all `n` examples when fewer. */
export function effectiveBatchSize(batchSize: number, n: number): number {
	return n > 0 ? Math.min(batchSize, n) : batchSize;
}

/** Number of examples in tensor data (first dimension of the first input). */
export function exampleCount(x: TensorOrList): number {
	const first = Array.isArray(x) ? x[0] : x;
	return first.shape[0] ?? 0;
}

const mapT = (x: TensorOrList, f: (t: tfTypes.Tensor) => tfTypes.Tensor): TensorOrList =>
	Array.isArray(x) ? x.map(f) : f(x);

/** Gathers rows `idx` of every tensor in `x`. */
export function gatherRows(tf: Tf, x: TensorOrList, idx: Int32Array): TensorOrList {
	const it = tf.tensor1d(idx, 'int32');
	try {
		return mapT(x, (t) => tf.gather(t, it));
	} finally {
		it.dispose();
	}
}

/** Frees a batch's tensors. */
export function disposeBatch(tf: Tf, b: Batch): void {
	tf.dispose([b.x, b.y] as unknown as tfTypes.TensorContainer);
}

/**
 * Tensor data up to this many bytes is copied to JS once per stream and batches are assembled there
 * (see {@link tensorBatches}); larger data is gathered batch by batch on the backend.
 */
export const hostCopyLimitBytes = 256 * 1024 * 1024;

type HostArray = Float32Array | Int32Array | Uint8Array;

/** Rows of one tensor, readable in JS. */
interface HostRows {
	values: HostArray;
	rowSize: number;
	shape: number[];
	dtype: tfTypes.DataType;
}

/**
 * JS copies of tensors, cached per tensor object: a sweep opens one stream per LR and fold over the
 * same tensors, and each copy is a full read of the data (on wasm, out of the wasm heap).
 */
const hostCache = new WeakMap<tfTypes.Tensor, HostRows>();

function hostRows(t: tfTypes.Tensor): HostRows {
	let h = hostCache.get(t);
	if (!h) {
		const n = t.shape[0] ?? 0;
		h = {
			values: t.dataSync() as HostArray,
			rowSize: n === 0 ? 0 : t.size / n,
			shape: t.shape.slice(1),
			dtype: t.dtype,
		};
		hostCache.set(t, h);
	}
	return h;
}

/** A new tensor holding rows `idx` of `h`, in that order. */
function rowsTensor(tf: Tf, h: HostRows, idx: Int32Array): tfTypes.Tensor {
	const out = new (h.values.constructor as new (n: number) => HostArray)(idx.length * h.rowSize);
	for (let j = 0; j < idx.length; j++) {
		const from = idx[j] * h.rowSize;
		out.set(h.values.subarray(from, from + h.rowSize), j * h.rowSize);
	}
	return tf.tensor(out, [idx.length, ...h.shape], h.dtype);
}

/** The tensors of a tensor-or-list, as a list (for disposal bookkeeping). */
export function tensorsOf(x: TensorOrList): tfTypes.Tensor[] {
	return Array.isArray(x) ? x : [x];
}

/** Whether the data is small and plain enough to assemble batches in JS. */
function hostCopyFits(x: TensorOrList, y: TensorOrList, limit: number): boolean {
	const all = [...tensorsOf(x), ...tensorsOf(y)];
	const bytes = all.reduce((sum, t) => sum + t.size * 4, 0);
	return (
		bytes <= limit &&
		all.every((t) => t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool')
	);
}

/**
 * A seeded, epoch-cycling stream over tensor data.
 *
 * Why batches are assembled in JS: a backend gather costs real time per batch — on wasm ~1 ms for
 * a 64×16×16 batch, because tfjs-backend-wasm's GatherV2 walks elements one by one, and its
 * Slice/Split read the *whole* input out of the wasm heap on every call. That was most of the range
 * test's overhead over a bare `trainOnBatch` loop. Reading the data once and copying the batch's
 * rows with `TypedArray.set` makes a batch one tensor upload per input. The rows and their order
 * are exactly those of the gather, so curves do not change. Data over {@link hostCopyLimitBytes}
 * (or of other dtypes) is still gathered on the backend, batch by batch, to avoid a second copy.
 */
export function tensorBatches(
	tf: Tf,
	x: TensorOrList,
	y: TensorOrList,
	batchSize: number,
	seed: number,
	options: { hostCopyLimitBytes?: number } = {},
): BatchStream {
	const n = exampleCount(x);
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw new BadInputError(batchSizeWholeText(batchSize));
	}
	if (n < 1) {
		throw new BadInputError(noExamplesText);
	}
	// Fewer examples than one batch: every step trains on all of them, as tfjs's fit trains its one
	// partial batch (the range test's notes say so, with the batch size that really ran).
	batchSize = Math.min(batchSize, n);
	const per = Math.floor(n / batchSize);
	const rand = mulberry32(seed);
	let perm = shuffledIndices(n, rand);
	let b = 0;
	let take: (t: TensorOrList, idx: Int32Array) => TensorOrList = (t, idx) => gatherRows(tf, t, idx);
	if (hostCopyFits(x, y, options.hostCopyLimitBytes ?? hostCopyLimitBytes)) {
		const hx = tensorsOf(x).map(hostRows);
		const hy = tensorsOf(y).map(hostRows);
		const host = new Map<TensorOrList, HostRows[]>([
			[x, hx],
			[y, hy],
		]);
		take = (t, idx) => {
			const hs = host.get(t)!.map((h) => rowsTensor(tf, h, idx));
			return Array.isArray(t) ? hs : hs[0];
		};
	}
	return {
		batchesPerEpoch: per,
		next: () => {
			if (b >= per) {
				perm = shuffledIndices(n, rand);
				b = 0;
			}
			const idx = perm.subarray(b * batchSize, (b + 1) * batchSize);
			b += 1;
			return Promise.resolve({ x: take(x, idx), y: take(y, idx) });
		},
	};
}

/** A stream over a tf.data dataset of `{xs, ys}` elements, restarting it when it ends. */
export function datasetBatches(
	dataset: tfTypes.data.Dataset<tfTypes.TensorContainer>,
	batchesPerEpoch?: number,
): BatchStream {
	let it: Awaited<ReturnType<typeof dataset.iterator>> | undefined;
	return {
		batchesPerEpoch,
		async next() {
			for (let attempt = 0; attempt < 2; attempt++) {
				it ??= await dataset.iterator();
				const r = await it.next();
				if (!r.done) {
					const el = r.value as { xs?: Batch['x']; ys?: Batch['y'] };
					if (el === null || typeof el !== 'object' || el.xs === undefined || el.ys === undefined) {
						throw new BadInputError(datasetElementText);
					}
					return { x: el.xs, y: el.ys };
				}
				it = undefined;
			}
			return null;
		},
	};
}

/**
 * Splits tensor data into train and validation parts with a seeded permutation (the last
 * `fraction` of the permutation is validation). The caller disposes all four.
 */
export function splitTrainVal(
	tf: Tf,
	x: TensorOrList,
	y: TensorOrList,
	fraction: number,
	seed: number,
): { x: TensorOrList; y: TensorOrList; valX: TensorOrList; valY: TensorOrList } {
	const n = exampleCount(x);
	const nVal = Math.max(1, Math.round(n * fraction));
	if (n - nVal < 1) {
		throw new BadInputError(tooFewToHoldOutText(n));
	}
	const perm = shuffledIndices(n, mulberry32(seed ^ 0x2545f491));
	const tr = perm.slice(0, n - nVal);
	const va = perm.slice(n - nVal);
	return {
		x: gatherRows(tf, x, tr),
		y: gatherRows(tf, y, tr),
		valX: gatherRows(tf, x, va),
		valY: gatherRows(tf, y, va),
	};
}

/** The first (total) loss from trainOnBatch/evaluate results. */
export function firstLoss(v: number | number[]): number {
	return Array.isArray(v) ? v[0] : v;
}

/** Whether the model's tfjs has `trainOnBatch` (tfjs 0.x has only `fit`). */
export function hasTrainOnBatch(model: tfTypes.LayersModel): boolean {
	return typeof (model as { trainOnBatch?: unknown }).trainOnBatch === 'function';
}

/**
 * One optimizer step on one batch; its (total) training loss. `trainOnBatch` where the model's tfjs
 * has it; else (tfjs 0.x) `fit` on exactly that batch — one epoch, one batch, no shuffling — with a
 * callback reading the batch's loss: the same single step.
 */
export async function trainStep(
	model: tfTypes.LayersModel,
	x: TensorOrList,
	y: TensorOrList,
): Promise<number> {
	if (hasTrainOnBatch(model)) {
		return firstLoss(await model.trainOnBatch(x, y));
	}
	let loss = NaN;
	await model.fit(x, y, {
		batchSize: exampleCount(x),
		epochs: 1,
		shuffle: false,
		verbose: 0,
		callbacks: {
			onBatchEnd: async (_b: number, logs?: { loss?: number }) => {
				loss = typeof logs?.loss === 'number' ? logs.loss : NaN;
			},
		},
	});
	return loss;
}

/**
 * Yields to the event loop (so IPC messages such as cancel are seen, and progress messages go out)
 * at most every `ms`. Why 50 ms: each turn of the loop costs CPU (V8 runs deferred GC tasks there),
 * measured at 1–3% of a small MLP's steps on wasm with 20 ms; 50 ms still answers a cancel within
 * one batch plus a twentieth of a second and keeps a live curve at 20 updates a second.
 */
export function makeYielder(ms = 50): () => Promise<void> {
	let last = Date.now();
	return async () => {
		const now = Date.now();
		if (now - last >= ms) {
			last = now;
			await new Promise<void>((r) => setImmediate(r));
		}
	};
}

/** The model's total loss on `x, y` (evaluate's first output), read back as a number. */
export async function evaluateLoss(
	tf: Tf,
	model: tfTypes.LayersModel,
	x: TensorOrList,
	y: TensorOrList,
	batchSize: number,
): Promise<number> {
	const out = model.evaluate(x, y, { batchSize }) as tfTypes.Scalar | tfTypes.Scalar[];
	try {
		const first = Array.isArray(out) ? out[0] : out;
		return (await first.data())[0];
	} finally {
		tf.dispose(out);
	}
}
