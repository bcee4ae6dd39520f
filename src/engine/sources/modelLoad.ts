/**
 * Loads a saved tfjs `layers-model` (`model.json` + weight shards) from disk with plain `fs`, so it works
 * without tfjs-node (whose `file://` handler is the usual way). Files are only ever read, never written.
 * Also maps saved/Keras loss and optimizer names onto what tfjs can train with.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { limits } from '../../shared/limits';
import { checkSize } from './data/fileSize';
import { basename, dirname, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { optimizerKinds, type OptimizerKind } from '../../core/tfjsNames';
import { BadInputError } from '../../shared/errors';
import type { Tf } from './sourceTypes';
import { errorText } from '../../core/present/errorText';
import { optimizerStateIgnoredNote } from '../../core/present/dataNotes';
import {
	graphModelText,
	manifestEntryText,
	manifestNotArrayText,
	modelBuildFailedText,
	modelFormatText,
	modelJsonSizeAdvice,
	modelNotFoundText,
	modelPathIsFolderText,
	noTopologyText,
	notModelJsonText,
	unknownLayerClassText,
	unknownOptimizerText,
	weightBytesText,
	weightFileMissingText,
} from '../../core/present/sourceErrors';
import { notValidJsonText } from '../../core/present/dataErrors';

/** Losses tfjs-layers knows by name (`model.compile({ loss: '…' })`). */
export const knownLosses = [
	'meanSquaredError',
	'meanAbsoluteError',
	'meanAbsolutePercentageError',
	'meanSquaredLogarithmicError',
	'squaredHinge',
	'hinge',
	'categoricalHinge',
	'logcosh',
	'categoricalCrossentropy',
	'sparseCategoricalCrossentropy',
	'binaryCrossentropy',
	'kullbackLeiblerDivergence',
	'poisson',
	'cosineProximity',
] as const;

// Keras/tfjs aliases, keyed by the name lower-cased with '_' and '-' removed.
const lossAliases: Record<string, string> = {
	mse: 'meanSquaredError',
	mae: 'meanAbsoluteError',
	mape: 'meanAbsolutePercentageError',
	msle: 'meanSquaredLogarithmicError',
	kld: 'kullbackLeiblerDivergence',
	kldivergence: 'kullbackLeiblerDivergence',
	cosine: 'cosineProximity',
	cosinesimilarity: 'cosineProximity',
	crossentropy: 'categoricalCrossentropy',
};

const squash = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');

/** Maps a loss name in tfjs, Keras snake_case or alias form onto tfjs's name; `undefined` if unknown. */
export function normalizeLossName(name: string): string | undefined {
	const key = squash(name);
	return knownLosses.find((l) => l.toLowerCase() === key) ?? lossAliases[key];
}

/**
 * Maps an optimizer name (ours, a tfjs class name like 'RMSProp', or Keras 'RMSprop') to a canonical
 * name; `undefined` if tfjs has no such optimizer.
 */
export function normalizeOptimizerName(name: string): OptimizerKind | undefined {
	const key = squash(name).replace(/optimizer$/, '');
	return optimizerKinds.find((o) => o === key);
}

/** Optimizer settings read from a trainingConfig (camelCase, learning rate excluded). */
export interface OptimizerSpec {
	name: OptimizerKind;
	learningRate?: number;
	/** Other hyper-parameters (beta1, momentum, rho, …) kept from the saved config. */
	config: Record<string, number | boolean>;
}

/** Loss and optimizer found in a model.json `trainingConfig` (tfjs or Keras style). */
export interface SavedTrainingConfig {
	loss?: string;
	optimizer?: OptimizerSpec;
	/** Why a part was unusable (unknown name …): reported as a note, the user may override. */
	problems: string[];
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Reads loss/optimizer out of a saved `trainingConfig`; never throws. */
export function parseTrainingConfig(raw: unknown): SavedTrainingConfig {
	const out: SavedTrainingConfig = { problems: [] };
	if (typeof raw !== 'object' || raw === null) {
		return out;
	}
	const tc = raw as { loss?: unknown; optimizer_config?: unknown };
	let lossName: unknown = tc.loss;
	if (Array.isArray(lossName) && lossName.length === 1) {
		lossName = lossName[0];
	}
	// Keras 3 serialises losses as objects: {"class_name": "CategoricalCrossentropy", "config": {…}}.
	if (
		typeof lossName === 'object' &&
		lossName !== null &&
		typeof (lossName as { class_name?: unknown }).class_name === 'string'
	) {
		lossName = (lossName as { class_name: string }).class_name;
	}
	if (typeof lossName === 'string') {
		const loss = normalizeLossName(lossName);
		if (loss) {
			out.loss = loss;
		} else {
			out.problems.push(`saved loss '${lossName}' is not a tfjs loss`);
		}
	} else if (lossName != null) {
		out.problems.push('saved loss is per-output; give --loss');
	}
	const oc = tc.optimizer_config as { class_name?: unknown; config?: unknown } | undefined;
	if (oc && typeof oc.class_name === 'string') {
		const cfg: Record<string, number | boolean> = {};
		if (typeof oc.config === 'object' && oc.config !== null) {
			for (const [k, v] of Object.entries(oc.config as Record<string, unknown>)) {
				if (typeof v === 'number' || typeof v === 'boolean') {
					cfg[camel(k)] = v;
				}
			}
		}
		let name = normalizeOptimizerName(oc.class_name);
		// Keras keeps momentum inside SGD; tfjs has a separate MomentumOptimizer.
		if (name === 'sgd' && typeof cfg.momentum === 'number' && cfg.momentum > 0) {
			name = 'momentum';
		}
		if (name) {
			const lr = cfg.learningRate ?? cfg.lr;
			delete cfg.learningRate;
			delete cfg.lr;
			out.optimizer = { name, learningRate: typeof lr === 'number' ? lr : undefined, config: cfg };
		} else {
			out.problems.push(`saved optimizer '${oc.class_name}' is not available in tfjs`);
		}
	}
	return out;
}

const num = (v: unknown, fallback: number): number =>
	typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/**
 * Creates a tfjs optimizer by (any accepted spelling of) its name, with saved hyper-parameters when given.
 * Throws BadInputError listing the known optimizers for an unknown name.
 */
export function createOptimizer(
	tf: Tf,
	name: string,
	learningRate?: number,
	config: Record<string, number | boolean> = {},
): { optimizer: tfTypes.Optimizer; name: OptimizerKind } {
	const canonical = normalizeOptimizerName(name);
	if (!canonical) {
		throw new BadInputError(unknownOptimizerText(name, optimizerKinds));
	}
	const lr = num(learningRate, canonical === 'adadelta' ? 1 : 1e-3);
	const c = config;
	let optimizer: tfTypes.Optimizer;
	switch (canonical) {
		case 'sgd':
			optimizer = tf.train.sgd(lr);
			break;
		case 'momentum':
			optimizer = tf.train.momentum(
				lr,
				num(c.momentum, 0.9),
				c.useNesterov === true || c.nesterov === true,
			);
			break;
		case 'adam':
			optimizer = tf.train.adam(lr, num(c.beta1, 0.9), num(c.beta2, 0.999), num(c.epsilon, 1e-7));
			break;
		case 'adamax':
			optimizer = tf.train.adamax(
				lr,
				num(c.beta1, 0.9),
				num(c.beta2, 0.999),
				num(c.epsilon, 1e-7),
				num(c.decay, 0),
			);
			break;
		case 'rmsprop':
			optimizer = tf.train.rmsprop(
				lr,
				num(c.decay ?? c.rho, 0.9),
				num(c.momentum, 0),
				num(c.epsilon, 1e-7),
				c.centered === true,
			);
			break;
		case 'adagrad':
			optimizer = tf.train.adagrad(lr, num(c.initialAccumulatorValue, 0.1));
			break;
		case 'adadelta':
			optimizer = tf.train.adadelta(lr, num(c.rho, 0.95), num(c.epsilon, 1e-7));
			break;
	}
	return { optimizer, name: canonical };
}

/** A weights-manifest entry as written by tfjs / tensorflowjs_converter. */
interface WeightGroup {
	paths: string[];
	weights: tfTypes.io.WeightsManifestEntry[];
}

/** A layers model read from disk, not yet compiled. */
export interface SavedModel {
	model: tfTypes.LayersModel;
	trainingConfig: SavedTrainingConfig | null;
	notes: string[];
}

const dtypeBytes: Record<string, number> = {
	float32: 4,
	int32: 4,
	bool: 1,
	uint8: 1,
	uint16: 2,
	float16: 2,
	complex64: 8,
	string: 0,
};

/** Bytes one weight entry occupies in the shards (quantized entries use the quantized dtype). */
function entryBytes(e: tfTypes.io.WeightsManifestEntry): number {
	const n = e.shape.reduce((a, b) => a * b, 1);
	const dtype = e.quantization?.dtype ?? e.dtype;
	return n * (dtypeBytes[dtype] ?? 4);
}

/** Reads and validates model.json; throws BadInputError with one actionable line. */
export function readModelJson(modelPath: string): { json: Record<string, unknown>; path: string } {
	const path = resolve(modelPath);
	if (!existsSync(path)) {
		throw new BadInputError(modelNotFoundText(modelPath));
	}
	const st = statSync(path);
	if (st.isDirectory()) {
		throw new BadInputError(modelPathIsFolderText(modelPath));
	}
	// Checked before reading: a 2 GiB "model.json" would take seconds and gigabytes to refuse.
	checkSize(path, st.size, limits.modelJsonBytes, modelJsonSizeAdvice);
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(path, 'utf8'));
	} catch (e) {
		throw new BadInputError(notValidJsonText(basename(path), errorText(e)));
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new BadInputError(notModelJsonText(basename(path)));
	}
	const j = json as Record<string, unknown>;
	const topology = j.modelTopology as Record<string, unknown> | undefined;
	if (j.format === 'graph-model' || (topology && Array.isArray(topology.node))) {
		throw new BadInputError(graphModelText(basename(path)));
	}
	if (typeof topology !== 'object' || topology === null) {
		throw new BadInputError(noTopologyText(basename(path)));
	}
	if (j.format !== undefined && j.format !== 'layers-model') {
		throw new BadInputError(modelFormatText(basename(path), String(j.format)));
	}
	return { json: j, path };
}

/** Concatenates the weight shards named in the manifest, checking each exists and the total size. */
function readWeights(
	manifest: unknown,
	modelDir: string,
	modelName: string,
): { specs: tfTypes.io.WeightsManifestEntry[]; data: ArrayBuffer } | null {
	if (manifest == null) {
		return null;
	}
	if (!Array.isArray(manifest)) {
		throw new BadInputError(manifestNotArrayText(modelName));
	}
	const specs: tfTypes.io.WeightsManifestEntry[] = [];
	const buffers: Buffer[] = [];
	for (const group of manifest as WeightGroup[]) {
		if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
			throw new BadInputError(manifestEntryText(modelName));
		}
		let groupBytes = 0;
		for (const p of group.paths) {
			const file = resolve(modelDir, p);
			if (!existsSync(file)) {
				throw new BadInputError(weightFileMissingText(p, modelName, modelDir));
			}
			const buf = readFileSync(file);
			groupBytes += buf.length;
			buffers.push(buf);
		}
		const need = group.weights.reduce((a, e) => a + entryBytes(e), 0);
		if (groupBytes !== need) {
			throw new BadInputError(weightBytesText(group.paths, groupBytes, modelName, need));
		}
		specs.push(...group.weights);
	}
	const all = Buffer.concat(buffers);
	// A fresh ArrayBuffer: Buffer.concat may return a view into Node's shared pool.
	const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
	return { specs, data };
}

/**
 * Loads a `layers-model` model.json and its weights with fs (no tfjs-node). The saved trainingConfig is
 * parsed but NOT applied: sources.ts compiles with a fresh optimizer so user overrides and clear
 * errors are possible (saved optimizer state, if any, is ignored — a range test starts fresh anyway).
 */
export async function loadSavedModel(tf: Tf, modelPath: string): Promise<SavedModel> {
	const { json, path } = readModelJson(modelPath);
	const name = basename(path);
	const weights = readWeights(json.weightsManifest, dirname(path), name);
	const notes: string[] = [];
	const specs = weights?.specs;
	if (specs && specs.some((s) => s.group === 'optimizer')) {
		notes.push(optimizerStateIgnoredNote);
	}
	const artifacts: tfTypes.io.ModelArtifacts = {
		modelTopology: json.modelTopology as object,
		format: 'layers-model',
		weightSpecs: specs,
		weightData: weights?.data,
	};
	let model: tfTypes.LayersModel;
	try {
		model = await tf.loadLayersModel({ load: async () => artifacts });
	} catch (e) {
		const msg = errorText(e).split('\n')[0];
		const unknownClass = /Unknown layer: (\w+)/.exec(msg);
		if (unknownClass) {
			throw new BadInputError(unknownLayerClassText(name, unknownClass[1]));
		}
		throw new BadInputError(modelBuildFailedText(name, msg));
	}
	// tensorflowjs_converter keeps a Keras model's training config inside modelTopology.
	const rawConfig =
		json.trainingConfig ?? (json.modelTopology as { training_config?: unknown }).training_config;
	const trainingConfig = rawConfig != null ? parseTrainingConfig(rawConfig) : null;
	return { model, trainingConfig, notes };
}
