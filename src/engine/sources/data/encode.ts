/**
 * Fits raw data to a model: reshapes features to the model's input shape, encodes labels for the loss
 * (class names or integer labels → one-hot for categorical losses, indices for sparse CE, 0/1 for binary),
 * checks everything the user could get wrong (empty, NaN/Inf, shape and label mismatches, too little data
 * for a batch) with one-line messages, and splits a seeded validation hold-out.
 */
import { BadInputError } from '../../../shared/errors';
import { mulberry32 } from '../../training/seed';
import type { NumArray, RawData, RawLabels } from './types';
import { sizeOf } from './types';
import {
	binaryLabelsNote,
	classesOneHotNote,
	classLabelsNote,
	integerLabelsOneHotNote,
	oneHotToIndicesNote,
} from '../../../core/present/dataNotes';
import {
	batchSizeInvalidText,
	binaryLabelRangeText,
	classNamesNeedNumbersText,
	exampleCountMismatchText,
	exampleFeatureWhere,
	exampleLabelWhere,
	exampleWhere,
	flatIndexText,
	inputShapeMismatchText,
	labelShapeMismatchText,
	noExamplesText,
	nonFiniteText,
	notClassIndexText,
	tooManyClassesText,
	validationTooSmallText,
	dataSmallerThanBatchText,
} from '../../../core/present/dataErrors';

/** Losses whose targets are one-hot / probability vectors over the outputs. */
const categoricalLosses = new Set([
	'categoricalCrossentropy',
	'categoricalHinge',
	'kullbackLeiblerDivergence',
]);
/** Losses whose targets are per-output 0/1 (or ±1) values. */
const binaryLosses = new Set(['binaryCrossentropy', 'hinge', 'squaredHinge']);

/** Data ready to become tensors: features in the model's input shape, labels in its output shape. */
export interface EncodedData {
	x: NumArray;
	y: NumArray;
	notes: string[];
}

/** Throws on the first NaN/Inf, naming where it is. */
function checkFinite(a: NumArray, what: string, locate: (i: number, j: number) => string): void {
	const per = a.shape.length > 1 ? sizeOf(a.shape.slice(1)) : 1;
	for (let k = 0; k < a.values.length; k++) {
		if (!Number.isFinite(a.values[k])) {
			const i = Math.floor(k / per);
			throw new BadInputError(nonFiniteText(what, a.values[k], locate(i, k % per)));
		}
	}
}

/** Index of the per-example sub-shape, e.g. j=5 in [2,3] → "[1,2]". */

/** Reshapes features to `[N, ...inputDims]` when the per-example size matches; else a shape error. */
export function fitFeatures(x: NumArray, inputShape: (number | null)[], origin: string): NumArray {
	const n = x.shape[0];
	const per = x.shape.slice(1);
	const dims = inputShape.slice(1);
	if (dims.every((d) => d != null)) {
		const want = sizeOf(dims as number[]);
		if (sizeOf(per) === want) {
			return { values: x.values, shape: [n, ...(dims as number[])] };
		}
	} else if (per.length === dims.length && dims.every((d, k) => d == null || d === per[k])) {
		// Variable dimensions (e.g. sequence length): accept the data's own size there.
		return x;
	}
	throw new BadInputError(inputShapeMismatchText(origin, x.shape, [null, ...per], inputShape));
}

/** Integer class index check for label values. */
function asIndex(v: number, classes: number, where: string, loss: string): number {
	if (!Number.isInteger(v) || v < 0 || v >= classes) {
		throw new BadInputError(notClassIndexText(v, classes, where, loss));
	}
	return v;
}

/**
 * Encodes labels for the model's output shape and loss. Throws BadInputError for labels the loss cannot
 * take (class names with a regression loss, out-of-range indices, values outside [0,1] for binary CE) and
 * for width mismatches (naming both shapes).
 */
export function encodeLabels(
	y: RawLabels,
	outputShape: (number | null)[],
	loss: string,
	origin: string,
	notes: string[],
): NumArray {
	const outDims = outputShape.slice(1).map((d) => d ?? 1);
	const c = sizeOf(outDims);
	const n = y.kind === 'classes' ? y.names.length : y.array.shape[0];
	const out = (values: Float32Array, dims: number[]): NumArray => ({ values, shape: [n, ...dims] });
	const ctx: LabelContext = {
		outputShape,
		outDims,
		c,
		n,
		loss,
		origin,
		notes,
		out,
		oneHot: (idx) => {
			const v = new Float32Array(n * c);
			idx.forEach((k, i) => (v[i * c + k] = 1));
			return out(v, outDims);
		},
		rowWhere: (i) => exampleWhere(origin, i),
	};
	return y.kind === 'classes' ? encodeClassNames(y.names, ctx) : encodeNumericLabels(y.array, ctx);
}

/** What both label encoders need: the model's output, the loss, and how to build the result. */
interface LabelContext {
	outputShape: (number | null)[];
	outDims: number[];
	/** Outputs per example. */
	c: number;
	/** Examples. */
	n: number;
	loss: string;
	origin: string;
	notes: string[];
	out: (values: Float32Array, dims: number[]) => NumArray;
	oneHot: (idx: number[]) => NumArray;
	rowWhere: (i: number) => string;
}

/** Class-name labels: indices or one-hot for a crossentropy loss; anything else is refused. */
function encodeClassNames(names: string[], ctx: LabelContext): NumArray {
	const { c, loss, notes, out, oneHot, outputShape, outDims } = ctx;
	const classes = [...new Set(names)].sort();
	const index = new Map(classes.map((name, k) => [name, k]));
	const idx = names.map((s) => index.get(s)!);
	if (loss === 'sparseCategoricalCrossentropy' || categoricalLosses.has(loss)) {
		if (classes.length > c) {
			throw new BadInputError(tooManyClassesText(classes, c, outputShape));
		}
		notes.push(classLabelsNote(classes, loss === 'sparseCategoricalCrossentropy'));
		return loss === 'sparseCategoricalCrossentropy'
			? out(Float32Array.from(idx), [1])
			: oneHot(idx);
	}
	if (binaryLosses.has(loss)) {
		if (c === 1 && classes.length <= 2) {
			notes.push(binaryLabelsNote(classes[0], classes[classes.length - 1]));
			return out(Float32Array.from(idx), outDims);
		}
		if (classes.length <= c) {
			notes.push(classesOneHotNote(classes));
			return oneHot(idx);
		}
		throw new BadInputError(tooManyClassesText(classes, c, outputShape, loss));
	}
	throw new BadInputError(classNamesNeedNumbersText(classes, loss));
}

/** Numeric labels: checked finite, converted between indices and one-hot where the loss needs it. */
function encodeNumericLabels(a: NumArray, ctx: LabelContext): NumArray {
	const { c, n, loss, notes, out, oneHot, outputShape, outDims, origin, rowWhere } = ctx;
	checkFinite(a, `${origin} labels`, (i, j) =>
		exampleLabelWhere(i, a.shape.length > 1 ? flatIndexText(j, a.shape.slice(1)) : undefined),
	);
	const per = sizeOf(a.shape.slice(1));
	if (loss === 'sparseCategoricalCrossentropy') {
		if (per === 1) {
			const v = Float32Array.from(a.values, (x, i) => asIndex(x, c, rowWhere(i), loss));
			return out(v, [1]);
		}
		if (per === c) {
			// One-hot rows given to a sparse loss: turn them into indices.
			const v = new Float32Array(n);
			for (let i = 0; i < n; i++) {
				const row = a.values.subarray(i * c, (i + 1) * c);
				v[i] = row.indexOf(Math.max(...row));
			}
			notes.push(oneHotToIndicesNote);
			return out(v, [1]);
		}
	} else if (categoricalLosses.has(loss) && per === 1 && c > 1) {
		const idx = Array.from(a.values, (x, i) => asIndex(x, c, rowWhere(i), loss));
		notes.push(integerLabelsOneHotNote(c, loss));
		return oneHot(idx);
	}
	if (per !== c) {
		throw new BadInputError(labelShapeMismatchText(origin, a.shape, outputShape));
	}
	if (loss === 'binaryCrossentropy') {
		const k = a.values.findIndex((v) => v < 0 || v > 1);
		if (k >= 0) {
			throw new BadInputError(binaryLabelRangeText(rowWhere(Math.floor(k / per)), a.values[k]));
		}
	}
	return out(a.values, outDims);
}

/** Fits raw data to a model's single input/output. */
export function encodeForModel(
	raw: RawData,
	inputShape: (number | null)[],
	outputShape: (number | null)[],
	loss: string,
): EncodedData {
	const n = raw.x.shape[0] ?? 0;
	const ny = raw.y.kind === 'classes' ? raw.y.names.length : raw.y.array.shape[0];
	if (n === 0 || raw.x.values.length === 0) {
		throw new BadInputError(noExamplesText(raw.origin));
	}
	if (n !== ny) {
		throw new BadInputError(exampleCountMismatchText(raw.origin, n, ny));
	}
	const sub = raw.x.shape.slice(1);
	checkFinite(
		raw.x,
		raw.origin,
		raw.locate ?? ((i, j) => exampleFeatureWhere(i, flatIndexText(j, sub.length ? sub : [1]))),
	);
	const notes = [...raw.notes];
	const x = fitFeatures(raw.x, inputShape, raw.origin);
	const y = encodeLabels(raw.y, outputShape, loss, raw.origin, notes);
	return { x, y, notes };
}

/** Seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, seed: number): number[] {
	const rnd = mulberry32(seed);
	const p = Array.from({ length: n }, (_v, i) => i);
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[p[i], p[j]] = [p[j], p[i]];
	}
	return p;
}

/** Takes examples `idx` (in that order) from an array. */
export function take(a: NumArray, idx: number[]): NumArray {
	const per = sizeOf(a.shape.slice(1));
	const v = new Float32Array(idx.length * per);
	idx.forEach((src, dst) => v.set(a.values.subarray(src * per, (src + 1) * per), dst * per));
	return { values: v, shape: [idx.length, ...a.shape.slice(1)] };
}

/** Splits off a seeded validation fraction (at least one example each side). */
export function splitValidation(
	d: EncodedData,
	fraction: number,
	seed: number,
): { train: EncodedData; val: EncodedData } {
	const n = d.x.shape[0];
	if (n < 2) {
		throw new BadInputError(validationTooSmallText(n));
	}
	const nVal = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
	const p = permutation(n, seed);
	const trainIdx = p.slice(0, n - nVal).sort((a, b) => a - b);
	const valIdx = p.slice(n - nVal).sort((a, b) => a - b);
	return {
		train: { x: take(d.x, trainIdx), y: take(d.y, trainIdx), notes: d.notes },
		val: { x: take(d.x, valIdx), y: take(d.y, valIdx), notes: [] },
	};
}

/** The batch size a run uses when none is given (like Keras's `fit`). */
export const DEFAULT_BATCH_SIZE = 32;

/** Resolves the batch size: the user's (checked against the data) or min(32, N). */
export function resolveBatchSize(requested: number | undefined, n: number, origin: string): number {
	if (requested === undefined) {
		return Math.min(DEFAULT_BATCH_SIZE, n);
	}
	if (!Number.isInteger(requested) || requested < 1) {
		throw new BadInputError(batchSizeInvalidText(requested));
	}
	if (requested > n) {
		throw new BadInputError(dataSmallerThanBatchText(origin, n, requested));
	}
	return requested;
}
