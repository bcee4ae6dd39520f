/** Monitor mode: the callback added to every fit call (logs, LR, gradient norm, LR schedule). */
import type * as tfTypes from '@tensorflow/tfjs';
import { PlateauScheduler } from '../../../core/schedules/plateauScheduler';
import { lrAt } from '../../../core/schedules/scheduleLr';
import type { TrainLogMessage } from '../../../shared/runnerProtocol';
import { monitorLayers } from '../../layers/layerSignals';
import type { Tf } from '../../sources/sourceTypes';
import { getOptimizerLr, setOptimizerLr } from '../../training/state';
import { asList, type TensorArg } from './fitArgs';
import { send, type AnyFn, type HookState, type ModelLike, type Rec } from './state';

/** Non-finite numbers travel as null. */
function cleanValues(
	logs: Rec | undefined,
	drop: readonly string[] = [],
): Record<string, number | null> {
	const out: Record<string, number | null> = {};
	for (const [k, v] of Object.entries(logs ?? {})) {
		if (drop.includes(k)) {
			continue;
		}
		if (typeof v === 'number') {
			out[k] = Number.isFinite(v) ? v : null;
		}
	}
	return out;
}

/** One `trainLog` message: the logs' finite numbers and the optimizer's LR (when readable). */
function trainLog(
	st: HookState,
	unit: 'batch' | 'epoch',
	step: number,
	o: tfTypes.Optimizer | undefined,
	logs: Rec | undefined,
	drop?: readonly string[],
): TrainLogMessage {
	const lr = o ? getOptimizerLr(o) : undefined;
	const msg: TrainLogMessage = {
		type: 'trainLog',
		id: st.config.id,
		unit,
		step,
		epoch: st.globalEpoch,
		values: cleanValues(logs, drop),
	};
	if (lr !== undefined) {
		msg.lr = lr;
	}
	return msg;
}

/** Monitor mode: the callback added to every fit/fitDataset call. */
export function monitorCallback(
	st: HookState,
	tf: Tf,
	model: ModelLike,
	yieldEvery: unknown,
	x?: tfTypes.Tensor | tfTypes.Tensor[],
): tfTypes.CustomCallback {
	const id = st.config.id;
	const schedule = st.config.schedule;
	const plateau = schedule?.kind === 'reduceOnPlateau' ? new PlateauScheduler(schedule) : undefined;
	let lastNorm: number | undefined;
	// Layer signals read the same gradients and report the global norm too (one pass, not two).
	const layers =
		st.config.layers === false
			? undefined
			: monitorLayers(tf, model, st.config.layers ?? {}, () => st.globalStep, x);
	if (layers && st.config.gradNorm !== false) {
		layers.onGradNorm = (n) => (lastNorm = n);
	} else if (!layers && st.config.gradNorm !== false) {
		instrumentGradNorm(tf, model, (n) => (lastNorm = n));
	}
	const opt = (): tfTypes.Optimizer | undefined => model.optimizer;
	if (plateau) {
		setOptimizerLr(model.optimizer, plateau.lr);
	}
	return new tf.CustomCallback(
		{
			onBatchBegin: async () => {
				const o = opt();
				if (schedule && !plateau && o) {
					setOptimizerLr(o, lrAt(schedule, st.globalStep));
				}
			},
			onBatchEnd: async (_batch: number, logs?: tfTypes.Logs) => {
				const msg = trainLog(st, 'batch', st.globalStep, opt(), logs as Rec, ['batch', 'size']);
				if (lastNorm !== undefined && Number.isFinite(lastNorm)) {
					msg.gradNorm = lastNorm;
				}
				send(msg);
				const ls = layers?.afterBatch(st.globalStep);
				if (ls) {
					send({ type: 'layerStats', id, ...ls });
				}
				st.globalStep++;
			},
			onEpochEnd: async (_epoch: number, logs?: tfTypes.Logs) => {
				const o = opt();
				send(trainLog(st, 'epoch', st.globalEpoch, o, logs as Rec));
				st.globalEpoch++;
				if (plateau && o) {
					const v =
						(logs as Rec | undefined)?.[
							schedule!.kind === 'reduceOnPlateau' ? schedule!.monitor : 'loss'
						] ?? (logs as Rec | undefined)?.loss;
					setOptimizerLr(o, plateau.step(typeof v === 'number' ? v : null));
				}
			},
		},
		// 'auto' yields to the event loop every ~125 ms so the IPC messages actually leave during fit.
		(yieldEvery ?? 'auto') as tfTypes.ModelFitArgs['yieldEvery'],
	);
}

const instrumented = new WeakSet<object>();

/**
 * Global gradient norm for free-ish: tfjs's `minimize` hands the computed gradients to
 * `applyGradients`, so wrapping it on the model's optimizer instance reads them without a second
 * backward pass; the cost is one sum of squares over the parameters per batch.
 */
function instrumentGradNorm(tf: Tf, model: ModelLike, report: (n: number) => void): void {
	const opt = model.optimizer as unknown as Rec | undefined;
	if (!opt || instrumented.has(opt) || typeof opt.applyGradients !== 'function') {
		return;
	}
	instrumented.add(opt);
	const orig = opt.applyGradients as AnyFn;
	opt.applyGradients = function (this: unknown, grads: unknown, ...rest: unknown[]) {
		try {
			const list: tfTypes.Tensor[] = Array.isArray(grads)
				? (grads as { tensor: tfTypes.Tensor }[]).map((g) => g.tensor)
				: Object.values(grads as Record<string, tfTypes.Tensor>);
			if (list.length > 0) {
				const n = tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g.toFloat()))))));
				report(n.dataSync()[0]);
				n.dispose();
			}
		} catch {
			// A norm we cannot compute must never break the user's training.
		}
		return orig.call(this, grads, ...rest);
	};
}

/** `fit`'s x as a tensor list (the layer signals' probe batch); undefined for fitDataset. */
export function probeInput(
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
): tfTypes.Tensor | tfTypes.Tensor[] | undefined {
	if (method !== 'fit' || args[0] == null) {
		return undefined;
	}
	try {
		return asList(args[0] as TensorArg, model.inputNames, 'x');
	} catch {
		return undefined;
	}
}

/** Adds our callback to whatever the script passed as `callbacks` (tfjs accepts several shapes). */
export function withCallback(
	tf: Tf,
	user: unknown,
	ours: tfTypes.CustomCallback,
	yieldEvery: unknown,
): unknown[] {
	const Base = Object.getPrototypeOf(tf.Callback.prototype).constructor as new () => unknown;
	if (user == null) {
		return [ours];
	}
	if (user instanceof Base) {
		return [user, ours];
	}
	if (Array.isArray(user) && user.length > 0 && user[0] instanceof Base) {
		return [...user, ours];
	}
	// Config objects ({onBatchEnd...}): tfjs would wrap them in CustomCallbacks; do it for it.
	const list = Array.isArray(user) ? user : [user];
	return [
		...list.map((c) =>
			c instanceof Base
				? c
				: new tf.CustomCallback(
						c as tfTypes.CustomCallbackArgs,
						yieldEvery as tfTypes.ModelFitArgs['yieldEvery'],
					),
		),
		ours,
	];
}
