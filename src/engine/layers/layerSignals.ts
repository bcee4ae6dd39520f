/**
 * Per-layer training signals in monitor mode (issue 15), measured inside the user's own training by
 * the fit hook. How each one is measured, and why that way:
 * - gradients: tfjs's `minimize` hands the per-variable gradients to `applyGradients`, so wrapping it
 *   on the model's optimizer reads them without a second backward pass. Every step: one sum of
 *   squares per variable (the global gradient norm, and the NaN check). At sampled steps they are
 *   summed per layer.
 * - ‖Δw‖/‖w‖: at a sampled step the weights are referenced before the update (a clone shares the
 *   buffer, no copy) and compared after it, so Δw is the optimizer's real step (Adam, momentum,
 *   clipping included), exactly, for one extra pass over the weights.
 * - dead ReLUs and saturated sigmoid/tanh units: one forward pass of a fixed probe batch (the first
 *   32 rows of the script's `x`) through a model that outputs every such layer's activations.
 * - NaN origin: when a step's gradients are non-finite, before the update: the first layer (forward
 *   order) with non-finite weights; else the deepest layer whose gradient is non-finite while a later
 *   one is finite (the backward pass broke there); else the first layer whose output on the probe
 *   batch is non-finite; else the loss itself.
 * Sampling: every k steps, k adapted at run time so that the measured cost of a sample stays within
 * the budget (5 %) of the measured step time. Nothing here may break the user's training: every
 * failure turns the signals off for the rest of the run.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { LayerSample, NanOrigin } from '../../core/layers/types';
import type { LayerSignalOptions } from '../../shared/runnerProtocol';
import { activationOf, LayerProbe, takeProbe, type TrackedLayer } from './layerProbe';
import { nanOrigin } from './layerNan';
import {
	gradList,
	gradSumsOfSquares,
	perLayer,
	updateSumsOfSquares,
	type NamedGrad,
	type PendingSample,
	type TrackedVar,
} from './layerNorms';
import { SampleSchedule } from './layerSampling';
import type { Tf } from '../sources/sourceTypes';

/** What the hook asks for (the runner protocol's options): `every` fixes k, `budget` the overhead. */
type LayerSignalsConfig = LayerSignalOptions;
type Rec = Record<string, unknown>;

interface OptimizerHolder {
	current?: LayerSignals;
}
const holders = new WeakMap<object, OptimizerHolder>();

/**
 * The per-layer signals of one model in one monitored run. `attach` wraps the optimizer (once per
 * optimizer; later fit calls re-point it); `afterBatch` returns the sample of that step, if any.
 */
export class LayerSignals {
	/** Called every step with the global gradient norm (NaN when non-finite). */
	onGradNorm?: (n: number) => void;
	private readonly _layers: TrackedLayer[] = [];
	private readonly _varToLayer = new Map<string, number>();
	private readonly _vars: TrackedVar[] = [];
	private readonly _probe: LayerProbe;
	private _off = false;
	private readonly _schedule: SampleSchedule;
	private _pending: PendingSample | undefined;
	private _nan: NanOrigin | undefined;
	private _nanDone = false;
	private _optimizer: string | undefined;

	constructor(
		private readonly _tf: Tf,
		_model: tfTypes.LayersModel,
		config: LayerSignalsConfig,
		private readonly _step: () => number,
	) {
		this._schedule = new SampleSchedule(config);
		for (const layer of _model.layers) {
			const tw = layer.trainableWeights as unknown as {
				name: string;
				read: () => tfTypes.Variable;
			}[];
			const act = activationOf(layer);
			if (tw.length === 0 && !act) {
				continue;
			}
			const idx = this._layers.length;
			const vars: string[] = [];
			let params = 0;
			for (const lv of tw) {
				const v = lv.read();
				vars.push(v.name);
				params += v.size;
				this._varToLayer.set(v.name, idx);
				this._vars.push({ name: v.name, v, layer: idx });
			}
			this._layers.push({ name: layer.name, layer, vars, params, act });
		}
		this._probe = new LayerProbe(_tf, _model, this._layers);
	}

	/** Layers tracked (trainable or with a ReLU/sigmoid/tanh activation). */
	get layerNames(): string[] {
		return this._layers.map((l) => l.name);
	}

	/** Sets the probe batch (replacing, and disposing, an earlier one). */
	setProbe(probe: tfTypes.Tensor[] | undefined): void {
		this._probe.set(probe);
	}

	/** Wraps `optimizer.applyGradients` (once) and points it at this instance. */
	attach(optimizer: tfTypes.Optimizer | undefined): void {
		const opt = optimizer as unknown as Rec | undefined;
		if (!opt || typeof opt.applyGradients !== 'function') {
			return;
		}
		try {
			this._optimizer = (optimizer as { getClassName(): string }).getClassName();
		} catch {
			this._optimizer = undefined;
		}
		let h = holders.get(opt);
		if (!h) {
			h = {};
			holders.set(opt, h);
			const holder = h;
			const orig = opt.applyGradients as (...a: unknown[]) => unknown;
			opt.applyGradients = function (this: unknown, grads: unknown, ...rest: unknown[]) {
				const apply = (): unknown => orig.call(this, grads, ...rest);
				const sig = holder.current;
				return sig ? sig._apply(grads, apply) : apply();
			};
		}
		h.current = this;
	}

	/** Stops observing (the optimizer stays wrapped but passes straight through). */
	detach(optimizer: tfTypes.Optimizer | undefined): void {
		const h = optimizer ? holders.get(optimizer as unknown as object) : undefined;
		if (h?.current === this) {
			h.current = undefined;
		}
	}

	dispose(): void {
		this.setProbe(undefined);
	}

	private _apply(grads: unknown, apply: () => unknown): unknown {
		if (this._off) {
			return apply();
		}
		const list = gradList(grads);
		let sums: Float32Array;
		try {
			if (list.length === 0) {
				return apply();
			}
			sums = gradSumsOfSquares(this._tf, list);
		} catch {
			this._off = true;
			return apply();
		}
		let total = 0;
		for (const s of sums) {
			total += s;
		}
		this.onGradNorm?.(Math.sqrt(total));
		const step = this._step();
		let forced = false;
		if (!Number.isFinite(total) && !this._nanDone) {
			try {
				this._nan = nanOrigin(
					this._tf,
					list,
					this._vars,
					this._varToLayer,
					this._layers,
					this._probe,
					step,
				);
			} catch {
				this._nan = undefined;
			}
			if (this._nan) {
				this._nanDone = true;
				forced = true;
			}
		}
		if (!forced && (this._nanDone || !this._schedule.isDue(step))) {
			return apply();
		}
		return this._sampleUpdate(list, sums, step, apply);
	}

	/**
	 * A sampled step: the weights are copied before the optimizer applies the update, so the
	 * update's size per layer (‖Δw‖, ‖w‖) is read after; kept until `afterBatch`.
	 */
	private _sampleUpdate(
		list: NamedGrad[],
		sums: Float32Array,
		step: number,
		apply: () => unknown,
	): unknown {
		const tf = this._tf;
		const t0 = performance.now();
		let before: tfTypes.Tensor[];
		try {
			before = this._vars.map((x) => tf.clone(x.v));
		} catch {
			this._off = true;
			return apply();
		}
		const pre = performance.now() - t0;
		const result = apply();
		const t1 = performance.now();
		try {
			const d = updateSumsOfSquares(tf, this._vars, before);
			const p = perLayer(this._layers.length, this._varToLayer, this._vars, list, sums, d, step);
			p.ms = pre + performance.now() - t1;
			this._pending = p;
		} catch {
			this._off = true;
		} finally {
			before.forEach((b) => b.dispose());
		}
		return result;
	}

	/**
	 * After the script's batch `step` ended: the sample taken at that step (with the activation
	 * probe run now, on the updated weights), and the NaN origin if this step found one.
	 */
	afterBatch(step: number): { sample: LayerSample; nan?: NanOrigin } | undefined {
		const schedule = this._schedule;
		const p = this._pending;
		this._pending = undefined;
		schedule.batchEnded(p !== undefined);
		if (!p || this._off) {
			schedule.markEnd();
			return undefined;
		}
		let acts: { dead: (number | null)[]; sat: (number | null)[] };
		const firstProbe = !this._probe.built;
		const t0 = performance.now();
		try {
			acts = this._nan
				? { dead: p.w.map(() => null), sat: p.w.map(() => null) }
				: this._probe.activations();
		} catch {
			acts = { dead: p.w.map(() => null), sat: p.w.map(() => null) };
			this._probe.drop();
		}
		// Building the probe model happens once; it is not a per-sample cost.
		const probeMs = firstProbe ? 0 : performance.now() - t0;
		const cost = p.ms + probeMs;
		schedule.sampled(cost, step);
		const ratio = p.w.map((w, i) =>
			w !== null && p.dw[i] !== null && w > 0 ? p.dw[i]! / w : null,
		);
		const sample: LayerSample = {
			step: p.step,
			layers: this.layerNames,
			params: this._layers.map((l) => l.params),
			gradNorm: Array.from(p.grad, (g, i) =>
				this._layers[i].vars.length && Number.isFinite(g) ? Math.sqrt(g) : null,
			),
			weightNorm: p.w.map((w, i) => (this._layers[i].vars.length ? w : null)),
			updateRatio: ratio.map((r, i) => (this._layers[i].vars.length ? r : null)),
			dead: acts.dead,
			saturated: acts.sat,
			every: schedule.every,
		};
		const overhead = schedule.overhead(cost);
		if (overhead !== undefined) {
			sample.overhead = overhead;
		}
		if (this._optimizer !== undefined) {
			sample.optimizer = this._optimizer;
		}
		const nan = this._nan;
		this._nan = undefined;
		schedule.markEnd();
		return nan ? { sample, nan } : { sample };
	}
}

const perModel = new WeakMap<object, LayerSignals>();

/**
 * The fit hook's entry point: the model's `LayerSignals` (one per model over all its fit calls),
 * pointed at its current optimizer, with a probe batch from this fit call's `x`. Undefined when the
 * model cannot be observed (then training runs untouched).
 */
export function monitorLayers(
	tf: Tf,
	model: tfTypes.LayersModel,
	config: LayerSignalsConfig,
	step: () => number,
	x: tfTypes.Tensor | tfTypes.Tensor[] | undefined,
): LayerSignals | undefined {
	try {
		let sig = perModel.get(model);
		if (!sig) {
			sig = new LayerSignals(tf, model, config, step);
			perModel.set(model, sig);
		}
		if (sig.layerNames.length === 0) {
			return undefined;
		}
		const probe = takeProbe(tf, x);
		if (probe) {
			sig.setProbe(probe);
		}
		sig.attach((model as unknown as { optimizer?: tfTypes.Optimizer }).optimizer);
		return sig;
	} catch {
		return undefined;
	}
}
