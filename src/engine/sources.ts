/**
 * Turns a ModelSource (saved model.json + data file, or a JS/TS module) into a compiled model with
 * training tensors — the `LoadedSource` the range test and sweep train on. Every user mistake becomes
 * a BadInputError with one actionable line (see docs/sources.md for the list).
 */
import { basename, extname, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { DataSpec, ModelSource } from '../shared/runnerProtocol';
import { defaultOptimizerGuess, guessLoss, labelKindOf, outputOfTopology } from '../core/lossGuess';
import type { LabelKind, LossGuess } from '../core/lossGuess';
import { BadInputError } from './errors';
import {
	createOptimizer,
	knownLosses,
	knownOptimizers,
	loadSavedModel,
	normalizeLossName,
	normalizeOptimizerName,
} from './modelLoad';
import type { OptimizerSpec } from './modelLoad';
import type { LoadedSource, Tf } from './sourceTypes';
import { readCsv } from './data/csv';
import { encodeForModel, resolveBatchSize, splitValidation } from './data/encode';
import type { EncodedData } from './data/encode';
import { fromNested, labelsFromNested, readJsonData } from './data/json';
import { callFactory, loadUserModule } from './data/module';
import { readNpy } from './data/npy';
import type { NumArray, RawData, RawLabels } from './data/types';
import { sizeOf } from './data/types';

/** Options for loading a source (from RangeTestOptions / SweepOptions and the host). */
export interface LoadSourceOptions {
	batchSize?: number;
	seed: number;
	optimizer?: string;
	loss?: string;
	/** Hold out a seeded validation split (or use the module's own validation data). */
	validation?: boolean;
	/** Workspace folder, for relative paths. */
	workspace?: string;
	/** Fraction held out in validation mode; default 0.2. */
	validationFraction?: number;
}

type Shape = (number | null)[];

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

const isLayersModel = (v: unknown): v is tfTypes.LayersModel =>
	typeof v === 'object' &&
	v !== null &&
	typeof (v as tfTypes.LayersModel).trainOnBatch === 'function' &&
	Array.isArray((v as tfTypes.LayersModel).inputs);

function checkLoss(name: string, from: string): string {
	const loss = normalizeLossName(name);
	if (!loss) {
		throw new BadInputError(
			`unknown loss '${name}' (${from}): use one of ${knownLosses.join(', ')}`,
		);
	}
	return loss;
}

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
interface ModuleData {
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
function interpretData(value: unknown, origin: string, owned: boolean): ModuleData {
	if (isDataset(value)) {
		return { dataset: value };
	}
	if (typeof value !== 'object' || value === null) {
		throw new BadInputError(
			`${origin} must return {x, y} (tensors or arrays) or a tf.data.Dataset, got ${value === null ? 'null' : typeof value}`,
		);
	}
	const o = value as Record<string, unknown>;
	const x = o.x ?? o.xs;
	const y = o.y ?? o.ys;
	if (x === undefined || y === undefined) {
		throw new BadInputError(
			`${origin} must return {x, y} (or {xs, ys}); got keys ${Object.keys(o).join(', ') || 'none'}`,
		);
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
		throw new BadInputError(
			`${name} exports no data: export createData(tf) (or data) returning {x, y}`,
		);
	}
	const value = await callFactory(tf, name, key, ex[key]);
	const isFn = typeof ex[key] === 'function';
	return interpretData(value, `${name} ${key}${isFn ? '()' : ''}`, isFn);
}

async function loadData(
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
				throw new BadInputError(`${basename(spec.xPath)} holds strings; features must be numbers`);
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
			throw new BadInputError(`unknown data kind '${(spec as { kind: string }).kind}'`);
	}
}

/** Guesses the DataSpec for a `--data` argument: a.csv | x.npy,y.npy | d.json | d.js/ts. */
export function dataSpecFromArg(
	arg: string,
	labels: string[] = [],
	encoding?: 'auto' | 'ordinal' | 'onehot',
): DataSpec {
	const parts = arg
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (parts.length === 2 && parts.every((s) => extname(s).toLowerCase() === '.npy')) {
		return { kind: 'npy', xPath: parts[0], yPath: parts[1] };
	}
	const ext = extname(arg).toLowerCase();
	if (ext === '.csv' || ext === '.tsv') {
		return { kind: 'csv', path: arg, labels, encoding };
	}
	if (ext === '.json') {
		return { kind: 'json', path: arg };
	}
	if (['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'].includes(ext)) {
		return { kind: 'module', path: arg };
	}
	if (ext === '.npy') {
		throw new BadInputError(`--data ${arg}: give both arrays as x.npy,y.npy`);
	}
	throw new BadInputError(
		`--data ${arg}: expected a .csv, x.npy,y.npy pair, .json or .js/.ts data module`,
	);
}

/** Builds tensors, split and batch size from encoded data (+ optional explicit validation data). */
function makeTensors(
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
		notes.push(
			`validation: ${val.x.shape[0]} of ${enc.x.shape[0]} examples held out (seed ${opts.seed})`,
		);
	}
	const n = train.x.shape[0];
	const batchSize = resolveBatchSize(requestedBatch, n, origin);
	const t = (a: NumArray): tfTypes.Tensor => tf.tensor(a.values, a.shape, 'float32');
	const created: tfTypes.Tensor[] = [];
	const keep = (x: tfTypes.Tensor): tfTypes.Tensor => (created.push(x), x);
	const x = keep(t(train.x));
	const y = keep(t(train.y));
	if (opts.validation && val) {
		return { x, y, valX: keep(t(val.x)), valY: keep(t(val.y)), batchSize, size: n, notes, created };
	}
	return { x, y, batchSize, size: n, notes, created };
}

/** Compile settings after applying overrides → saved config → module exports. */
interface Compiled {
	optimizerName: string;
	lossName: string;
}

function compile(
	tf: Tf,
	model: tfTypes.LayersModel,
	lossName: string,
	opt:
		| OptimizerSpec
		| { name: string; learningRate?: number; config: Record<string, number | boolean> },
): Compiled {
	const { optimizer, name } = createOptimizer(tf, opt.name, opt.learningRate, opt.config);
	model.compile({ optimizer, loss: lossName });
	// As if compiled with an optimizer *name*: model.dispose() then frees the optimizer too, so a
	// loaded source leaks nothing once the caller disposes the model (as tfjs users expect).
	(model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
	return { optimizerName: name, lossName };
}

const needLoss = (what: string): BadInputError =>
	new BadInputError(
		`${what} has no loss: give --loss (e.g. categoricalCrossentropy, meanSquaredError)`,
	);
const needOptimizer = (what: string): BadInputError =>
	new BadInputError(`${what} has no optimizer: give --optimizer (${knownOptimizers.join(', ')})`);

/**
 * The loss the model's output layer implies (core/lossGuess), with the labels' shape deciding
 * between categorical and sparse categorical for softmax. Undefined for multi-output models.
 */
function guessLossFor(model: tfTypes.LayersModel, data: ModuleData): LossGuess | undefined {
	if (model.outputs.length !== 1) {
		return undefined;
	}
	const topology = (model as unknown as { toJSON(u: unknown, s: boolean): unknown }).toJSON(
		null,
		false,
	);
	const out = outputOfTopology(topology);
	if (!out) {
		return undefined;
	}
	const shape = model.outputs[0].shape;
	out.units = (shape[shape.length - 1] as number | null) ?? out.units;
	let labels: LabelKind | undefined;
	const y = data.raw?.y;
	if (y?.kind === 'classes') {
		labels = 'classNames';
	} else if (y?.kind === 'numeric') {
		labels = labelKindOf(y.array.values, sizeOf(y.array.shape.slice(1)));
	}
	return guessLoss(out, labels);
}

/** Encodes, builds tensors and assembles the LoadedSource for a single-input/output model. */
function assemble(
	tf: Tf,
	model: tfTypes.LayersModel,
	data: ModuleData,
	compiled: Compiled,
	opts: LoadSourceOptions,
	extraNotes: string[],
): LoadedSource {
	const requested = opts.batchSize ?? data.batchSize;
	const base = {
		model,
		optimizerName: compiled.optimizerName,
		lossName: compiled.lossName,
	};
	if (data.dataset) {
		return {
			...base,
			x: [],
			y: [],
			dataset: data.dataset,
			batchSize: requested ?? 32,
			notes: [
				...extraNotes,
				'data is a tf.data.Dataset: used as it is (it should yield batches of {xs, ys})',
			],
			dispose: () => undefined,
		};
	}
	if (data.tensors) {
		const xs = ([] as tfTypes.Tensor[]).concat(data.tensors.x);
		const ys = ([] as tfTypes.Tensor[]).concat(data.tensors.y);
		let clones: tfTypes.Tensor[];
		let batchSize: number;
		const n = xs[0]?.shape[0] ?? 0;
		try {
			if (n === 0) {
				throw new BadInputError(
					'data is empty: the data function returned tensors with no examples',
				);
			}
			for (const [k, t] of [...xs, ...ys].entries()) {
				if (t.shape[0] !== n) {
					throw new BadInputError(
						`data tensors disagree on the number of examples: ${n} vs ${t.shape[0]} (tensor ${k})`,
					);
				}
			}
			batchSize = resolveBatchSize(requested, n, 'the data');
			clones = [...xs, ...ys].map((t) => t.clone());
		} finally {
			data.release?.();
		}
		return {
			...base,
			x: Array.isArray(data.tensors.x) ? clones.slice(0, xs.length) : clones[0],
			y: Array.isArray(data.tensors.y) ? clones.slice(xs.length) : clones[xs.length],
			batchSize,
			size: n,
			notes: [...extraNotes, 'multi-input/output tensors used as given (no encoding)'],
			dispose: () => clones.forEach((t) => t.dispose()),
		};
	}
	if (model.inputs.length !== 1 || model.outputs.length !== 1) {
		throw new BadInputError(
			`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; file data feeds one of each: ` +
				'use a data module returning arrays of tensors',
		);
	}
	const inShape = model.inputs[0].shape as Shape;
	const outShape = model.outputs[0].shape as Shape;
	const raw = data.raw!;
	const enc = encodeForModel(raw, inShape, outShape, compiled.lossName);
	const valEnc = data.val
		? encodeForModel(data.val, inShape, outShape, compiled.lossName)
		: undefined;
	const built = makeTensors(tf, enc, valEnc, opts, requested, raw.origin);
	const { created, ...rest } = built;
	return {
		...base,
		...rest,
		notes: [...extraNotes, ...rest.notes],
		dispose: () => created.forEach((t) => t.dispose()),
	};
}

async function loadSaved(
	tf: Tf,
	source: ModelSource & { kind: 'saved' },
	opts: LoadSourceOptions,
): Promise<LoadedSource> {
	const base = opts.workspace ?? process.cwd();
	const modelPath = resolve(base, source.modelPath);
	const what = basename(modelPath);
	const saved = await loadSavedModel(tf, modelPath);
	const { model } = saved;
	try {
		const notes = [...saved.notes];
		const tc = saved.trainingConfig;
		notes.push(...(tc?.problems ?? []));
		const lossArg = source.loss ?? opts.loss;
		const optArg = source.optimizer ?? opts.optimizer;
		const inShape = model.inputs[0].shape as Shape;
		const data = await loadData(tf, source.data, base, inShape);
		let lossName = lossArg ? checkLoss(lossArg, '--loss') : tc?.loss;
		if (!lossName) {
			const guess = guessLossFor(model, data);
			if (!guess) {
				throw needLoss(tc ? `${what}'s trainingConfig` : `${what} (no trainingConfig)`);
			}
			lossName = guess.loss;
			notes.push(
				`loss inferred from ${guess.because}: ${guess.loss} (${what} was saved without a trainingConfig); pass --loss to override`,
			);
		}
		let opt: OptimizerSpec | { name: string; config: Record<string, number | boolean> };
		if (optArg) {
			opt = { name: optArg, config: {} };
			if (tc?.optimizer && normalizeOptimizerName(optArg) !== tc.optimizer.name) {
				notes.push(`optimizer '${optArg}' overrides the saved ${tc.optimizer.name}`);
			}
		} else if (tc?.optimizer) {
			opt = tc.optimizer;
		} else {
			opt = { name: defaultOptimizerGuess, config: {} };
			notes.push(
				`optimizer: ${defaultOptimizerGuess} (${what} names none); pass --optimizer to override`,
			);
		}
		if (lossArg && tc?.loss && tc.loss !== lossName) {
			notes.push(`loss '${lossName}' overrides the saved ${tc.loss}`);
		}
		const compiled = compile(tf, model, lossName, opt);
		return assemble(tf, model, data, compiled, opts, notes);
	} catch (e) {
		model.dispose();
		throw e;
	}
}

async function loadModule(
	tf: Tf,
	source: ModelSource & { kind: 'module' },
	opts: LoadSourceOptions,
): Promise<LoadedSource> {
	const path = resolve(opts.workspace ?? process.cwd(), source.modulePath);
	const name = basename(path);
	const ex = await loadUserModule(tf, path);
	const modelKey = ['createModel', 'model', 'buildModel'].find((k) => ex[k] !== undefined);
	if (!modelKey) {
		throw new BadInputError(
			`${name} exports no model: export createModel(tf) (or model), see docs/sources.md`,
		);
	}
	const model = await callFactory(tf, name, modelKey, ex[modelKey]);
	if (!isLayersModel(model)) {
		throw new BadInputError(
			`${name}: ${modelKey} must be (or return) a tf.LayersModel (tf.sequential() / tf.model())`,
		);
	}
	if (typeof ex[modelKey] === 'function' && (model as { optimizer?: unknown }).optimizer) {
		// A factory-built model is ours: let model.dispose() free the optimizer it was compiled with.
		(model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
	}
	try {
		const dataKey = ['createData', 'data', 'loadData'].find((k) => ex[k] !== undefined);
		if (!dataKey) {
			throw new BadInputError(
				`${name} exports no data: export createData(tf) (or data) returning {x, y}`,
			);
		}
		const value = await callFactory(tf, name, dataKey, ex[dataKey]);
		const isFn = typeof ex[dataKey] === 'function';
		const data = interpretData(value, `${name} ${dataKey}${isFn ? '()' : ''}`, isFn);
		data.batchSize ??= typeof ex.batchSize === 'number' ? ex.batchSize : undefined;

		const notes: string[] = [];
		const lossArg = opts.loss ?? (typeof ex.loss === 'string' ? ex.loss : undefined);
		const optArg = opts.optimizer ?? (typeof ex.optimizer === 'string' ? ex.optimizer : undefined);
		let compiled: Compiled;
		const m = model as tfTypes.LayersModel & { optimizer?: tfTypes.Optimizer; loss?: unknown };
		if (m.optimizer && !opts.loss && !opts.optimizer) {
			// Already compiled by the module: train exactly what the user built.
			const cls = m.optimizer.getClassName();
			const loss = typeof m.loss === 'string' ? (normalizeLossName(m.loss) ?? m.loss) : 'custom';
			compiled = { optimizerName: normalizeOptimizerName(cls) ?? cls, lossName: loss };
			notes.push(`model compiled by ${name} (${compiled.optimizerName}, ${compiled.lossName})`);
		} else {
			const lossName = lossArg
				? checkLoss(lossArg, lossArg === opts.loss ? '--loss' : `${name} loss`)
				: undefined;
			if (!lossName) {
				throw needLoss(`${name} (model not compiled)`);
			}
			if (!optArg) {
				throw needOptimizer(`${name} (model not compiled)`);
			}
			const lr = typeof ex.learningRate === 'number' ? ex.learningRate : undefined;
			compiled = compile(tf, model, lossName, { name: optArg, learningRate: lr, config: {} });
		}
		return assemble(tf, model, data, compiled, opts, notes);
	} catch (e) {
		// The module's model is ours to free when loading fails part-way.
		model.dispose();
		throw e;
	}
}

/**
 * Loads a model source into a compiled model + training tensors. Throws BadInputError (one line) for
 * every user mistake; `script` sources are handled by the fit hook, not here.
 */
export async function loadSource(
	tf: Tf,
	source: ModelSource,
	opts: LoadSourceOptions,
): Promise<LoadedSource> {
	switch (source.kind) {
		case 'saved':
			return loadSaved(tf, source, opts);
		case 'module':
			return loadModule(tf, source, opts);
		case 'script':
			throw new BadInputError(
				`script sources (${basename(source.scriptPath)}) run through the fit hook, not loadSource`,
			);
		default:
			throw new BadInputError(`unknown model source kind '${(source as { kind: string }).kind}'`);
	}
}
