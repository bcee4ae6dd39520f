/**
 * A stand-in for `@tensorflow/tfjs-node` when a user's script requires it but it cannot load (not
 * installed, or no native binary for this machine): the plain `@tensorflow/tfjs` on the cpu backend,
 * plus a minimal `tf.node` namespace and `file://` model save/load, so common training scripts run
 * unchanged. Used by the fit hook (`fitHook.ts`), which says so in the run's notes.
 */
import { errorText } from '../../core/present/errorText';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../sources/sourceTypes';
import { tfNodeUnavailableText } from '../../core/present/tfjsNotes';

type ModelArtifacts = tfTypes.io.ModelArtifacts;
type ModelJSON = tfTypes.io.ModelJSON;

/** `file://` prefix as tfjs-node spells it. */
const filePrefix = 'file://';

/** Strips `file://` and resolves against the working directory, as tfjs-node does. */
function toPath(url: string): string {
	return path.resolve(url.startsWith(filePrefix) ? url.slice(filePrefix.length) : url);
}

/** Joins weight data that may come as one buffer or several (tfjs ≥ 4.10 `WeightData`). */
function joinWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): Buffer {
	if (data === undefined) {
		return Buffer.alloc(0);
	}
	const parts = Array.isArray(data) ? data : [data];
	return Buffer.concat(parts.map((b) => Buffer.from(b)));
}

/**
 * An IOHandler that saves to / loads from the local file system in tfjs-node's layout: a directory
 * with `model.json` and `weights.bin` for saving; a `model.json` path (or its directory) for loading.
 */
export function fileSystemHandler(tf: Tf, url: string): tfTypes.io.IOHandler {
	const target = toPath(url);
	return {
		async save(artifacts: ModelArtifacts): Promise<tfTypes.io.SaveResult> {
			// tfjs-node treats the path as a directory (created when missing) unless it ends in .json.
			const isJson = target.endsWith('.json');
			const dir = isJson ? path.dirname(target) : target;
			const jsonPath = isJson ? target : path.join(dir, 'model.json');
			await fs.promises.mkdir(dir, { recursive: true });
			const weights = joinWeightData(
				artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined,
			);
			const manifest: tfTypes.io.WeightsManifestConfig = [
				{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] },
			];
			const modelJson: ModelJSON = {
				modelTopology: artifacts.modelTopology as ModelJSON['modelTopology'],
				weightsManifest: manifest,
				format: artifacts.format,
				generatedBy: artifacts.generatedBy,
				convertedBy: artifacts.convertedBy,
			};
			if (artifacts.trainingConfig) {
				modelJson.trainingConfig = artifacts.trainingConfig;
			}
			if (artifacts.userDefinedMetadata) {
				modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
			}
			if (artifacts.signature) {
				modelJson.signature = artifacts.signature;
			}
			await fs.promises.writeFile(path.join(dir, 'weights.bin'), weights);
			await fs.promises.writeFile(jsonPath, JSON.stringify(modelJson));
			return {
				modelArtifactsInfo: {
					dateSaved: new Date(),
					modelTopologyType: 'JSON',
					modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? {}).length,
					weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
					weightDataBytes: weights.byteLength,
				},
			};
		},
		async load(): Promise<ModelArtifacts> {
			let jsonPath = target;
			if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
				jsonPath = path.join(target, 'model.json');
			}
			let text: string;
			try {
				text = await fs.promises.readFile(jsonPath, 'utf8');
			} catch (e) {
				throw new Error(`cannot read ${jsonPath}: ${errorText(e)}`);
			}
			const modelJson = JSON.parse(text) as ModelJSON;
			const dir = path.dirname(jsonPath);
			return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
				const specs: tfTypes.io.WeightsManifestEntry[] = [];
				const buffers: Buffer[] = [];
				for (const group of manifest) {
					specs.push(...group.weights);
					for (const p of group.paths) {
						buffers.push(await fs.promises.readFile(path.join(dir, p)));
					}
				}
				const all = Buffer.concat(buffers);
				return [
					specs,
					all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer,
				];
			});
		},
	};
}

let routersRegistered = new WeakSet<object>();

/** Registers `file://` save and load routers on this tfjs instance (idempotent). */
export function registerFileRouters(tf: Tf): void {
	if (routersRegistered.has(tf.io)) {
		return;
	}
	routersRegistered.add(tf.io);
	// tfjs's routers return null for URLs they do not handle (its typings say IOHandler).
	const router = ((url: string | string[]) =>
		typeof url === 'string' && url.startsWith(filePrefix)
			? fileSystemHandler(tf, url)
			: null) as unknown as Parameters<Tf['io']['registerSaveRouter']>[0];
	tf.io.registerSaveRouter(router);
	tf.io.registerLoadRouter(router);
}

/** Test seam: forget which instances have routers (they stay registered in tfjs itself). */
export function resetFileRoutersForTest(): void {
	routersRegistered = new WeakSet<object>();
}

/** Throws a clear error for a tfjs-node-only API the stand-in does not provide. */
function unavailable(name: string): () => never {
	return () => {
		throw new Error(tfNodeUnavailableText(name));
	};
}

/** The minimal `tf.node` namespace of the stand-in. */
function nodeNamespace(tf: Tf): Record<string, unknown> {
	const noopWriter = { scalar: (): void => {}, histogram: (): void => {}, flush: (): void => {} };
	return {
		// tensorBoard() returns a callback that logs nothing: training must not fail for want of logs.
		tensorBoard: (): tfTypes.CustomCallback => new tf.CustomCallback({}),
		summaryFileWriter: () => noopWriter,
		decodeImage: unavailable('decodeImage'),
		decodeJpeg: unavailable('decodeJpeg'),
		decodePng: unavailable('decodePng'),
		decodeBmp: unavailable('decodeBmp'),
		decodeGif: unavailable('decodeGif'),
		encodeJpeg: unavailable('encodeJpeg'),
		encodePng: unavailable('encodePng'),
		loadSavedModel: unavailable('loadSavedModel'),
		getMetaGraphsFromSavedModel: unavailable('getMetaGraphsFromSavedModel'),
		getNumOfSavedModels: () => 0,
	};
}

/**
 * Builds the stand-in module for `@tensorflow/tfjs-node`: every export of `tf`, plus `tf.node`,
 * `tf.io.fileSystem`, and `file://` routers registered on `tf`. The prototypes (LayersModel, ...)
 * are `tf`'s own, so the fit hook's patches apply.
 */
export function makeTfjsNodeShim(tf: Tf): Tf {
	registerFileRouters(tf);
	// tfjs's CommonJS exports are non-configurable getters: copy them into a fresh object.
	const shim: Record<string, unknown> = {};
	for (const key of Object.keys(tf)) {
		shim[key] = (tf as unknown as Record<string, unknown>)[key];
	}
	const io: Record<string, unknown> = {};
	for (const key of Object.keys(tf.io)) {
		io[key] = (tf.io as unknown as Record<string, unknown>)[key];
	}
	io.fileSystem = (p: string) => fileSystemHandler(tf, p);
	shim.io = io;
	shim.node = nodeNamespace(tf);
	shim.version = {
		...tf.version,
		'tfjs-node': `stand-in (bundled @tensorflow/tfjs ${tf.version.tfjs})`,
	};
	return shim as unknown as Tf;
}
