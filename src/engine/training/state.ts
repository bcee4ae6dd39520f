/**
 * Snapshot and restore of everything a range test or sweep changes: every model weight (trainable
 * or not, e.g. BatchNorm moving statistics) and the optimizer's full state — slot variables
 * (Adam m/v, momentum accumulators, ...), scalar variables (Adam's accBeta1/2, Adamax's iteration),
 * the iteration count and the learning rate.
 *
 * Why a generic walk over the optimizer's own fields instead of `getWeights()`/`setWeights()`:
 * `setWeights` recomputes Adam's accBeta from `beta^(t+1)` (not bit-identical to the running
 * product it had), re-creates slot variables (the user's references go stale) and cannot express
 * "no slots yet" for a fresh optimizer. Assigning the saved values back into the same variables,
 * and disposing slots the test created, returns the optimizer to exactly where it was.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../sources/sourceTypes';

interface SlotEntry {
	originalName: string;
	variable: tfTypes.Variable;
}

/** A saved optimizer state (see file comment). */
interface OptimizerSnapshot {
	optimizer: tfTypes.Optimizer;
	numbers: Map<string, number>;
	variables: Map<string, tfTypes.Tensor>;
	slots: Map<string, { names: string[]; values: tfTypes.Tensor[] }>;
	/** SGD/Momentum keep the LR in a cached tensor; restored through `setLearningRate`. */
	learningRate?: number;
}

/** Everything needed to put a model and its optimizer back exactly as they were. */
export interface TrainingSnapshot {
	weights: tfTypes.Tensor[];
	optimizer: OptimizerSnapshot | null;
}

type AnyRecord = Record<string, unknown>;

function isSlotArray(tf: Tf, v: unknown): v is SlotEntry[] {
	return (
		Array.isArray(v) &&
		v.every(
			(e) =>
				typeof e === 'object' && e !== null && (e as AnyRecord).variable instanceof tf.Variable,
		)
	);
}

/** Clones the model's weights and its optimizer's state. Dispose with {@link disposeSnapshot}. */
export function captureState(tf: Tf, model: tfTypes.LayersModel): TrainingSnapshot {
	const weights = model.weights.map((w) => tf.clone(w.read()));
	const opt = (model as unknown as { optimizer?: tfTypes.Optimizer }).optimizer;
	return { weights, optimizer: opt ? captureOptimizer(tf, opt) : null };
}

/** Clones an optimizer's state (see file comment). */
export function captureOptimizer(tf: Tf, opt: tfTypes.Optimizer): OptimizerSnapshot {
	const snap: OptimizerSnapshot = {
		optimizer: opt,
		numbers: new Map(),
		variables: new Map(),
		slots: new Map(),
	};
	const rec = opt as unknown as AnyRecord;
	for (const key of Object.keys(rec)) {
		const v = rec[key];
		if (typeof v === 'number') {
			snap.numbers.set(key, v);
		} else if (v instanceof tf.Variable) {
			snap.variables.set(key, tf.clone(v));
		} else if (isSlotArray(tf, v)) {
			snap.slots.set(key, {
				names: v.map((e) => e.originalName),
				values: v.map((e) => tf.clone(e.variable)),
			});
		}
	}
	if (typeof rec.setLearningRate === 'function' && typeof rec.learningRate === 'number') {
		snap.learningRate = rec.learningRate;
	}
	return snap;
}

/** Puts weights and optimizer state back from a snapshot (the snapshot stays valid). */
export function restoreState(tf: Tf, model: tfTypes.LayersModel, snap: TrainingSnapshot): void {
	const ws = model.weights;
	if (ws.length !== snap.weights.length) {
		throw new Error(
			`cannot restore weights: the model has ${ws.length} weights, the snapshot ${snap.weights.length}`,
		);
	}
	// Assign into the same tf.Variable (sharing the snapshot's data, reference-counted by tfjs):
	// `LayerVariable.write` would re-apply weight constraints, which need not be bit-exact.
	ws.forEach((w, i) => (w.read() as tfTypes.Variable).assign(snap.weights[i]));
	if (snap.optimizer) {
		restoreOptimizer(tf, snap.optimizer);
	}
}

/** Restores an optimizer from its snapshot, disposing slot variables created since. */
export function restoreOptimizer(tf: Tf, snap: OptimizerSnapshot): void {
	const rec = snap.optimizer as unknown as AnyRecord;
	for (const [key, value] of snap.numbers) {
		rec[key] = value;
	}
	for (const [key, value] of snap.variables) {
		(rec[key] as tfTypes.Variable).assign(value);
	}
	for (const key of Object.keys(rec)) {
		const cur = rec[key];
		if (!isSlotArray(tf, cur)) {
			continue;
		}
		const saved = snap.slots.get(key) ?? { names: [], values: [] };
		// Slots the training created (a fresh optimizer has none): dispose and forget them.
		for (let i = saved.values.length; i < cur.length; i++) {
			cur[i].variable.dispose();
		}
		cur.length = Math.min(cur.length, saved.values.length);
		saved.values.forEach((value, i) => {
			if (cur[i]) {
				cur[i].variable.assign(value);
			} else {
				// A slot that existed before but was dropped (should not happen with tfjs optimizers).
				cur[i] = { originalName: saved.names[i], variable: value.variable(false) };
			}
		});
	}
	if (snap.learningRate !== undefined) {
		(rec.setLearningRate as (lr: number) => void).call(rec, snap.learningRate);
	}
}

/** Frees the snapshot's tensors. */
export function disposeSnapshot(snap: TrainingSnapshot): void {
	snap.weights.forEach((t) => t.dispose());
	if (snap.optimizer) {
		snap.optimizer.variables.forEach((t) => t.dispose());
		snap.optimizer.slots.forEach((s) => s.values.forEach((t) => t.dispose()));
	}
}

/** Sets the optimizer's LR: `setLearningRate` for SGD/Momentum (cached tensor), else the field. */
export function setOptimizerLr(opt: tfTypes.Optimizer, lr: number): void {
	const rec = opt as unknown as AnyRecord;
	if (typeof rec.setLearningRate === 'function') {
		(rec.setLearningRate as (v: number) => void).call(opt, lr);
	} else if ('learningRate' in rec) {
		rec.learningRate = lr;
	} else {
		throw new Error(`cannot set the learning rate of optimizer ${opt.getClassName()}`);
	}
}

/** The optimizer's current LR, when it has one. */
export function getOptimizerLr(opt: tfTypes.Optimizer): number | undefined {
	const lr = (opt as unknown as AnyRecord).learningRate;
	return typeof lr === 'number' ? lr : undefined;
}
