/**
 * What a model/data source loads into: the contract between `sources.ts` (saved models, modules,
 * data files), `fitHook.ts` (the user's own `model.fit`) and the training loops (`rangeTest.ts`, `sweep.ts`).
 * tfjs types only (`import type`): the tfjs instance itself is resolved at run time (backend.ts).
 */
import type * as tf from '@tensorflow/tfjs';

/** The tfjs module in use (workspace tfjs-node, own tfjs-node, or bundled tfjs). */
export type Tf = typeof tf;

/** A loaded, compiled model with its training data, ready for a range test or sweep. */
export interface LoadedSource {
	model: tf.LayersModel;
	/** Inputs and targets (single tensors, or arrays for multi-input/output models). */
	x: tf.Tensor | tf.Tensor[];
	y: tf.Tensor | tf.Tensor[];
	/** Optional validation data (from the script's validationData, or a split). */
	valX?: tf.Tensor | tf.Tensor[];
	valY?: tf.Tensor | tf.Tensor[];
	/** A tf.data dataset instead of tensors (fitDataset); yields {xs, ys} batches. */
	dataset?: tf.data.Dataset<tf.TensorContainer>;
	batchSize: number;
	/** Number of examples (tensors) or batches per epoch (dataset), when known. */
	size?: number;
	optimizerName: string;
	lossName: string;
	/** Notes for the user (e.g. "column 'city' one-hot encoded (5 values)"). */
	notes: string[];
	/** Frees the tensors this source created (not the model). */
	dispose(): void;
}

/** Options for loading a source (from RangeTestOptions / SweepOptions and the host). */
export interface LoadSourceOptions {
	batchSize?: number;
	seed: number;
	optimizer?: string;
	loss?: string;
	/** Hold out a seeded validation split (or use the module's own validation data). */
	validation?: boolean;
	/**
	 * Keep the source's own validation data (a module's) as `valX`/`valY` without splitting any off
	 * when it has none: a verified suggestion scores its probes on it (engine/training/verify.ts).
	 */
	keepValidation?: boolean;
	/** Workspace folder, for relative paths. */
	workspace?: string;
	/** Fraction held out in validation mode; default 0.2. */
	validationFraction?: number;
}
