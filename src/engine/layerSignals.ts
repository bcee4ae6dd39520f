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
import type { LayerSample, NanOrigin } from '../core/layers/types';
import type { LayerSignalOptions } from '../shared/runnerProtocol';
import { activationOf, LayerProbe, takeProbe, type TrackedLayer } from './layerProbe';
import { nanOrigin } from './layerNan';
import { costWindow, nextEvery } from './layerSampling';
import type { Tf } from './sourceTypes';

/** What the hook asks for (the runner protocol's options): `every` fixes k, `budget` the overhead. */
type LayerSignalsConfig = LayerSignalOptions;
type Rec = Record<string, unknown>;

export { everyForBudget, nextEvery } from './layerSampling';

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
	private readonly _vars: { name: string; v: tfTypes.Variable; layer: number }[] = [];
	private readonly _probe: LayerProbe;
	private _off = false;
	private _next = 0;
	private _every: number;
	private _stepMs: number | undefined;
	private readonly _costs: number[] = [];
	private _lastEnd: number | undefined;
	private _lastSampled = false;
	private _samples = 0;
	private _pending:
		| { step: number; grad: Float64Array; dw: (number | null)[]; w: (number | null)[]; ms: number }
		| undefined;
	private _nan: NanOrigin | undefined;
	private _nanDone = false;

	constructor(
		private readonly _tf: Tf,
		_model: tfTypes.LayersModel,
		private readonly _config: LayerSignalsConfig,
		private readonly _step: () => number,
	) {
		this._every = _config.every && _config.every >= 1 ? Math.floor(_config.every) : 1;
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
		const tf = this._tf;
		const list: { name: string; tensor: tfTypes.Tensor }[] = Array.isArray(grads)
			? (grads as { name: string; tensor: tfTypes.Tensor }[])
			: Object.entries(grads as Record<string, tfTypes.Tensor>).map(([name, tensor]) => ({
					name,
					tensor,
				}));
		let sums: Float32Array;
		try {
			if (list.length === 0) {
				return apply();
			}
			const t = tf.tidy(() =>
				tf.stack(list.map((g) => tf.sum(tf.square(tf.cast(g.tensor, 'float32'))))),
			);
			sums = t.dataSync() as Float32Array;
			t.dispose();
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
		if (!forced && (this._nanDone || step < this._next)) {
			return apply();
		}
		return this._sampleUpdate(list, sums, step, apply);
	}

	/**
	 * A sampled step: the weights are copied before the optimizer applies the update, so the
	 * update's size per layer (‖Δw‖, ‖w‖) is read after; kept until `afterBatch`.
	 */
	private _sampleUpdate(
		list: { name: string; tensor: tfTypes.Tensor }[],
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
			const t = tf.tidy(() =>
				tf.stack(
					this._vars.flatMap((x, i) => [
						tf.sum(tf.square(tf.sub(x.v, before[i]))),
						tf.sum(tf.square(x.v)),
					]),
				),
			);
			const d = t.dataSync();
			t.dispose();
			const p = this._perLayer(list, sums, d, step);
			p.ms = pre + performance.now() - t1;
			this._pending = p;
		} catch {
			this._off = true;
		} finally {
			before.forEach((b) => b.dispose());
		}
		return result;
	}

	/** Per layer: the gradient's sum of squares, ‖Δw‖ and ‖w‖ (none without a gradient); `ms` is set by the caller. */
	private _perLayer(
		list: { name: string; tensor: tfTypes.Tensor }[],
		sums: Float32Array,
		d: ArrayLike<number>,
		step: number,
	): NonNullable<LayerSignals['_pending']> {
		const grad = new Float64Array(this._layers.length);
		const dw = new Float64Array(this._layers.length);
		const w = new Float64Array(this._layers.length);
		// A layer the optimizer got no gradient for is frozen (trainable: false) or detached: no
		// numbers for it, rather than a zero that would read as "not learning".
		const hasGrad = new Array<boolean>(this._layers.length).fill(false);
		for (let i = 0; i < list.length; i++) {
			const li = this._varToLayer.get(list[i].name);
			if (li !== undefined) {
				grad[li] += sums[i];
				hasGrad[li] = true;
			}
		}
		this._vars.forEach((x, i) => {
			dw[x.layer] += d[2 * i];
			w[x.layer] += d[2 * i + 1];
		});
		const fin = (v: number): number | null => (Number.isFinite(v) ? Math.sqrt(v) : null);
		return {
			step,
			grad: grad.map((g, i) => (hasGrad[i] ? g : NaN)),
			dw: Array.from(dw, (v, i) => (hasGrad[i] ? fin(v) : null)),
			w: Array.from(w, fin),
			ms: 0,
		};
	}

	/**
	 * After the script's batch `step` ended: the sample taken at that step (with the activation
	 * probe run now, on the updated weights), and the NaN origin if this step found one.
	 */
	afterBatch(step: number): { sample: LayerSample; nan?: NanOrigin } | undefined {
		const now = performance.now();
		if (this._lastEnd !== undefined && !this._lastSampled) {
			const dt = now - this._lastEnd;
			this._stepMs = this._stepMs === undefined ? dt : 0.8 * this._stepMs + 0.2 * dt;
		}
		const p = this._pending;
		this._pending = undefined;
		this._lastSampled = p !== undefined;
		if (!p || this._off) {
			this._lastEnd = performance.now();
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
		this._samples++;
		if (this._samples > 1) {
			// The first sample pays for kernel warm-up; it would set k far too high.
			this._costs.push(cost);
			if (this._costs.length > costWindow) {
				this._costs.shift();
			}
		}
		const budget = this._config.budget && this._config.budget > 0 ? this._config.budget : 0.05;
		if (!this._config.every) {
			this._every = nextEvery(this._every, this._costs, this._stepMs, budget, step);
		}
		this._next = step + this._every;
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
			every: this._every,
		};
		if (this._stepMs !== undefined && this._stepMs > 0) {
			sample.overhead = cost / this._stepMs;
		}
		const nan = this._nan;
		this._nan = undefined;
		this._lastEnd = performance.now();
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
