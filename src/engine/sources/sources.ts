/**
 * Turns a ModelSource (saved model.json + data file, or a JS/TS module) into a compiled model with
 * training tensors — the `LoadedSource` the range test and sweep train on. Every user mistake becomes
 * a BadInputError with one actionable line (see docs/sources.md for the list).
 */
import { basename, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { ModelSource } from '../../shared/runnerProtocol';
import {
	defaultOptimizerGuess,
	guessLoss,
	labelKindOf,
	outputOfTopology,
} from '../../core/lossGuess';
import type { LabelKind, LossGuess } from '../../core/lossGuess';
import { optimizerKinds } from '../../core/tfjsNames';
import { BadInputError } from '../../shared/errors';
import {
	compiledByModuleNote,
	lossInferredNote,
	lossOverrideNote,
	optimizerDefaultNote,
	optimizerOverrideNote,
} from '../../core/present/dataNotes';
import {
	createOptimizer,
	knownLosses,
	loadSavedModel,
	normalizeLossName,
	normalizeOptimizerName,
} from './modelLoad';
import type { OptimizerSpec } from './modelLoad';
import type { LoadedSource, LoadSourceOptions, Tf } from './sourceTypes';
import { DEFAULT_BATCH_SIZE, encodeForModel, resolveBatchSize } from './data/encode';
import { sizeOf } from './data/types';
import { callFactory, loadUserModule } from './data/module';
import type { ModuleData, Shape } from './sourceData';
import { interpretData, loadData, makeTensors } from './sourceData';
import {
	multiInputFileDataText,
	needLossText,
	needOptimizerText,
	noDataExportText,
	noModelExportText,
	notLayersModelText,
	scriptSourceText,
	tensorCountMismatchText,
	tensorsEmptyText,
	unknownLossText,
	unknownSourceKindText,
} from '../../core/present/sourceErrors';

const isLayersModel = (v: unknown): v is tfTypes.LayersModel =>
	typeof v === 'object' &&
	v !== null &&
	typeof (v as tfTypes.LayersModel).trainOnBatch === 'function' &&
	Array.isArray((v as tfTypes.LayersModel).inputs);

function checkLoss(name: string, from: string): string {
	const loss = normalizeLossName(name);
	if (!loss) {
		throw new BadInputError(unknownLossText(name, from, knownLosses));
	}
	return loss;
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

const needLoss = (what: string): BadInputError => new BadInputError(needLossText(what));
const needOptimizer = (what: string): BadInputError =>
	new BadInputError(needOptimizerText(what, optimizerKinds));

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

/**
 * Tensors a data module returned, used as given (multi-input/output): checked for agreeing example
 * counts and cloned, so the module's own tensors can be released.
 */
function fromTensors(
	data: ModuleData,
	tensors: NonNullable<ModuleData['tensors']>,
	requested: number | undefined,
	extraNotes: string[],
): Pick<LoadedSource, 'x' | 'y' | 'batchSize' | 'size' | 'notes' | 'dispose'> {
	const xs = ([] as tfTypes.Tensor[]).concat(tensors.x);
	const ys = ([] as tfTypes.Tensor[]).concat(tensors.y);
	let clones: tfTypes.Tensor[];
	let batchSize: number;
	const n = xs[0]?.shape[0] ?? 0;
	try {
		if (n === 0) {
			throw new BadInputError(tensorsEmptyText);
		}
		for (const [k, t] of [...xs, ...ys].entries()) {
			if (t.shape[0] !== n) {
				throw new BadInputError(tensorCountMismatchText(n, t.shape[0], k));
			}
		}
		batchSize = resolveBatchSize(requested, n, 'the data');
		clones = [...xs, ...ys].map((t) => t.clone());
	} finally {
		data.release?.();
	}
	return {
		x: Array.isArray(tensors.x) ? clones.slice(0, xs.length) : clones[0],
		y: Array.isArray(tensors.y) ? clones.slice(xs.length) : clones[xs.length],
		batchSize,
		size: n,
		notes: [...extraNotes, 'multi-input/output tensors used as given (no encoding)'],
		dispose: () => clones.forEach((t) => t.dispose()),
	};
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
			batchSize: requested ?? DEFAULT_BATCH_SIZE,
			notes: [
				...extraNotes,
				'data is a tf.data.Dataset: used as it is (it should yield batches of {xs, ys})',
			],
			dispose: () => undefined,
		};
	}
	if (data.tensors) {
		return { ...base, ...fromTensors(data, data.tensors, requested, extraNotes) };
	}
	if (model.inputs.length !== 1 || model.outputs.length !== 1) {
		throw new BadInputError(multiInputFileDataText(model.inputs.length, model.outputs.length));
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
			notes.push(lossInferredNote(guess.because, guess.loss, what));
		}
		let opt: OptimizerSpec | { name: string; config: Record<string, number | boolean> };
		if (optArg) {
			opt = { name: optArg, config: {} };
			if (tc?.optimizer && normalizeOptimizerName(optArg) !== tc.optimizer.name) {
				notes.push(optimizerOverrideNote(optArg, tc.optimizer.name));
			}
		} else if (tc?.optimizer) {
			opt = tc.optimizer;
		} else {
			opt = { name: defaultOptimizerGuess, config: {} };
			notes.push(optimizerDefaultNote(defaultOptimizerGuess, what));
		}
		if (lossArg && tc?.loss && tc.loss !== lossName) {
			notes.push(lossOverrideNote(lossName, tc.loss));
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
		throw new BadInputError(noModelExportText(name));
	}
	const model = await callFactory(tf, name, modelKey, ex[modelKey]);
	if (!isLayersModel(model)) {
		throw new BadInputError(notLayersModelText(name, modelKey));
	}
	if (typeof ex[modelKey] === 'function' && (model as { optimizer?: unknown }).optimizer) {
		// A factory-built model is ours: let model.dispose() free the optimizer it was compiled with.
		(model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
	}
	try {
		const dataKey = ['createData', 'data', 'loadData'].find((k) => ex[k] !== undefined);
		if (!dataKey) {
			throw new BadInputError(noDataExportText(name));
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
			notes.push(compiledByModuleNote(name, compiled.optimizerName, compiled.lossName));
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
			throw new BadInputError(scriptSourceText(basename(source.scriptPath)));
		default:
			throw new BadInputError(unknownSourceKindText((source as { kind: string }).kind));
	}
}
