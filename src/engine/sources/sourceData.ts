/**
 * The data side of a source: a data file (CSV, x.npy/y.npy, JSON) or a data module's export read
 * into raw arrays, and encoded data made into tensors
 * (with a seeded validation split).
 */
import { basename, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { DataSpec } from '../../shared/runnerProtocol';
import { BadInputError } from '../../shared/errors';
import { validationSplitNote } from '../../core/present/dataNotes';
import type { LoadedSource, LoadSourceOptions, Tf } from './sourceTypes';
import { readCsv } from './data/csv';
import { resolveBatchSize, splitValidation } from './data/encode';
import type { EncodedData } from './data/encode';
import { fromNested, labelsFromNested, readJsonData } from './data/json';
import { callFactory, loadUserModule } from './data/module';
import { readNpy } from './data/npy';
import type { NumArray, RawData, RawLabels } from './data/types';
import { sizeOf } from './data/types';
import {
	dataExportKeysText,
	dataExportKindText,
	noDataExportText,
	unknownDataKindText,
} from '../../core/present/sourceErrors';
import { npyStringFeaturesText } from '../../core/present/dataErrors';

/** A model input or output shape (`null` = any size). */
export type Shape = (number | null)[];

const isTensor = (v: unknown): v is tfTypes.Tensor =>
	typeof v === 'object' &&
	v !== null &&
	typeof (v as tfTypes.Tensor).dataSync === 'function' &&
	Array.isArray((v as tfTypes.Tensor).shape);

const isDataset = (v: unknown): v is tfTypes.data.Dataset<tfTypes.TensorContainer> =>
	typeof v === 'object' &&
	v !== null &&
	typeof (v as { iterator?: unknown }).iterator === 'function' &&
	typeof (v as { batch?: unknown }).batch === 'function';

/** Tensor → NumArray (copies: the user's tensor is left alone). */
function toNum(t: tfTypes.Tensor): NumArray {
	return { values: Float32Array.from(t.dataSync() as ArrayLike<number>), shape: [...t.shape] };
}

/** Reads data a data function/module returned into RawData; tensors arrays (multi-input) not here. */
function rawFromValues(x: unknown, y: unknown, origin: string): RawData {
	const xs = isTensor(x) ? toNum(x) : fromNested(x, `${origin} x`);
	let ys: RawLabels;
	if (isTensor(y)) {
		ys = { kind: 'numeric', array: toNum(y) };
	} else {
		ys = labelsFromNested(y, `${origin} y`);
	}
	return { x: xs, y: ys, origin, notes: [] };
}

/** What a data module / data export produced. */
export interface ModuleData {
	raw?: RawData;
	val?: RawData;
	dataset?: tfTypes.data.Dataset<tfTypes.TensorContainer>;
	/** Multi-input/output tensors passed through as they are. */
	tensors?: { x: tfTypes.Tensor | tfTypes.Tensor[]; y: tfTypes.Tensor | tfTypes.Tensor[] };
	batchSize?: number;
	/** Frees tensors a data FUNCTION returned (they are ours once copied); absent for static exports. */
	release?: () => void;
}

/** Tensors among a returned object's top-level fields (and arrays of them). */
function tensorsIn(o: Record<string, unknown>): tfTypes.Tensor[] {
	return Object.values(o).flatMap((v) =>
		isTensor(v) ? [v] : Array.isArray(v) ? v.filter(isTensor) : [],
	);
}

/**
 * Interprets what a data export produced. `owned`: it came from calling a factory, so its tensors are
 * freed after we copy them (a static `data` export may be reused and is left alone).
 */
export function interpretData(value: unknown, origin: string, owned: boolean): ModuleData {
	if (isDataset(value)) {
		return { dataset: value };
	}
	if (typeof value !== 'object' || value === null) {
		throw new BadInputError(dataExportKindText(origin, value));
	}
	const o = value as Record<string, unknown>;
	const x = o.x ?? o.xs;
	const y = o.y ?? o.ys;
	if (x === undefined || y === undefined) {
		throw new BadInputError(dataExportKeysText(origin, Object.keys(o)));
	}
	const batchSize = typeof o.batchSize === 'number' ? o.batchSize : undefined;
	const multi = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isTensor);
	const release = owned ? (): void => tensorsIn(o).forEach((t) => t.dispose()) : undefined;
	if (multi(x) || multi(y)) {
		return { tensors: { x: x as tfTypes.Tensor[], y: y as tfTypes.Tensor[] }, batchSize, release };
	}
	const vx = o.valX ?? o.valXs ?? o.xVal;
	const vy = o.valY ?? o.valYs ?? o.yVal;
	try {
		const val =
			vx !== undefined && vy !== undefined
				? rawFromValues(vx, vy, `${origin} validation`)
				: undefined;
		return { raw: rawFromValues(x, y, origin), val, batchSize };
	} finally {
		release?.();
	}
}

/** Loads a data module's `createData(tf)` / `data` / default function. */
async function loadDataModule(tf: Tf, path: string): Promise<ModuleData> {
	const name = basename(path);
	const ex = await loadUserModule(tf, path);
	const key = ['createData', 'data', 'loadData', 'default'].find((k) => ex[k] !== undefined);
	if (!key) {
		throw new BadInputError(noDataExportText(name));
	}
	const value = await callFactory(tf, name, key, ex[key]);
	const isFn = typeof ex[key] === 'function';
	return interpretData(value, `${name} ${key}${isFn ? '()' : ''}`, isFn);
}

export async function loadData(
	tf: Tf,
	spec: DataSpec,
	base: string,
	inputShape: Shape,
): Promise<ModuleData> {
	const p = (f: string): string => resolve(base, f);
	switch (spec.kind) {
		case 'csv': {
			const dims = inputShape.slice(1);
			const width = dims.every((d) => d != null) ? sizeOf(dims as number[]) : undefined;
			return {
				raw: readCsv(p(spec.path), {
					labels: spec.labels,
					encoding: spec.encoding,
					targetWidth: width,
				}),
			};
		}
		case 'npy': {
			const x = readNpy(p(spec.xPath));
			const y = readNpy(p(spec.yPath));
			if (x.kind !== 'numeric') {
				throw new BadInputError(npyStringFeaturesText(basename(spec.xPath)));
			}
			const labels: RawLabels = y.kind === 'numeric' ? y : { kind: 'classes', names: y.values };
			return {
				raw: {
					x: x.array,
					y: labels,
					origin: `${basename(spec.xPath)}/${basename(spec.yPath)}`,
					notes: [],
				},
			};
		}
		case 'json':
			return { raw: readJsonData(p(spec.path)) };
		case 'module':
			return loadDataModule(tf, p(spec.path));
		default:
			throw new BadInputError(unknownDataKindText((spec as { kind: string }).kind));
	}
}

/** Builds tensors, split and batch size from encoded data (+ optional explicit validation data). */
export function makeTensors(
	tf: Tf,
	enc: EncodedData,
	valEnc: EncodedData | undefined,
	opts: LoadSourceOptions,
	requestedBatch: number | undefined,
	origin: string,
): Pick<LoadedSource, 'x' | 'y' | 'valX' | 'valY' | 'batchSize' | 'size' | 'notes'> & {
	created: tfTypes.Tensor[];
} {
	let train = enc;
	let val = valEnc;
	const notes = [...enc.notes];
	if (opts.validation && !val) {
		const frac = opts.validationFraction ?? 0.2;
		const s = splitValidation(enc, frac, opts.seed);
		train = s.train;
		val = s.val;
		notes.push(validationSplitNote(val.x.shape[0], enc.x.shape[0], opts.seed));
	}
	const n = train.x.shape[0];
	const batchSize = resolveBatchSize(requestedBatch, n, origin);
	const t = (a: NumArray): tfTypes.Tensor => tf.tensor(a.values, a.shape, 'float32');
	const created: tfTypes.Tensor[] = [];
	const keep = (x: tfTypes.Tensor): tfTypes.Tensor => (created.push(x), x);
	const x = keep(t(train.x));
	const y = keep(t(train.y));
	if ((opts.validation || opts.keepValidation) && val) {
		return { x, y, valX: keep(t(val.x)), valY: keep(t(val.y)), batchSize, size: n, notes, created };
	}
	return { x, y, batchSize, size: n, notes, created };
}
