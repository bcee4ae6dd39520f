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
import type { Tf } from './sourceTypes';

/** What the hook asks for (the runner protocol's options): `every` fixes k, `budget` the overhead. */
type LayerSignalsConfig = LayerSignalOptions;

type Act = 'relu' | 'sigmoid' | 'tanh' | undefined;
type Rec = Record<string, unknown>;

interface TrackedLayer {
	name: string;
	layer: tfTypes.layers.Layer;
	/** tf.Variable names of its trainable weights. */
	vars: string[];
	params: number;
	act: Act;
}

/** Rows of the probe batch: enough to tell a dead unit from an unlucky one, cheap to run. */
const probeRows = 32;
/** Bounds of k: sample at least every 1000 steps so a long run still gets a picture. */
const maxEvery = 1000;
/** Activations within this distance of a sigmoid/tanh bound count as saturated (1 %). */
const satEps = 0.01;

function activationOf(layer: tfTypes.layers.Layer): Act {
	const l = layer as unknown as Rec;
	const cls = layer.getClassName();
	if (cls === 'ReLU') {
		return 'relu';
	}
	const a = l.activation as { getClassName?: () => string } | undefined;
	const name = a?.getClassName?.();
	if (name === 'relu' || name === 'relu6') {
		return 'relu';
	}
	if (name === 'sigmoid' || name === 'hardSigmoid') {
		return 'sigmoid';
	}
	if (name === 'tanh') {
		return 'tanh';
	}
	return undefined;
}

/** First `probeRows` rows of the script's x (kept; the caller disposes with `dispose`). */
export function takeProbe(
	tf: Tf,
	x: tfTypes.Tensor | tfTypes.Tensor[] | undefined,
): tfTypes.Tensor[] | undefined {
	if (!x) {
		return undefined;
	}
	try {
		const list = Array.isArray(x) ? x : [x];
		return list.map((t) => tf.keep(t.slice(0, Math.min(probeRows, t.shape[0]))));
	} catch {
		return undefined;
	}
}

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
	private _probe: tfTypes.Tensor[] | undefined;
	private _actModel: tfTypes.LayersModel | null | undefined;
	private _fullModel: tfTypes.LayersModel | null | undefined;
	private _off = false;
	private _next = 0;
	private _every: number;
	private _stepMs: number | undefined;
	private _costMs: number | undefined;
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
		private readonly _model: tfTypes.LayersModel,
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
	}

	/** Layers tracked (trainable or with a ReLU/sigmoid/tanh activation). */
	get layerNames(): string[] {
		return this._layers.map((l) => l.name);
	}

	/** Sets the probe batch (replacing, and disposing, an earlier one). */
	setProbe(probe: tfTypes.Tensor[] | undefined): void {
		this._probe?.forEach((t) => t.dispose());
		this._probe = probe;
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
				this._nan = this._diagnose(list, step);
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
			this._pending = {
				step,
				grad: grad.map((g, i) => (hasGrad[i] ? g : NaN)),
				dw: Array.from(dw, (v, i) => (hasGrad[i] ? fin(v) : null)),
				w: Array.from(w, fin),
				ms: pre + performance.now() - t1,
			};
		} catch {
			this._off = true;
		} finally {
			before.forEach((b) => b.dispose());
		}
		return result;
	}

	/** Where the first non-finite value came from (see the file comment); undefined if nowhere. */
	private _diagnose(
		list: { name: string; tensor: tfTypes.Tensor }[],
		step: number,
	): NanOrigin | undefined {
		const tf = this._tf;
		const t = tf.tidy(() =>
			tf.stack([
				...list.map((g) => tf.any(tf.logicalNot(tf.isFinite(g.tensor))).cast('float32')),
				...this._vars.map((x) => tf.any(tf.logicalNot(tf.isFinite(x.v))).cast('float32')),
			]),
		);
		const bad = t.dataSync();
		t.dispose();
		const gradBad = new Array<boolean>(this._layers.length).fill(false);
		const weightBad = new Array<boolean>(this._layers.length).fill(false);
		list.forEach((g, i) => {
			const li = this._varToLayer.get(g.name);
			if (li !== undefined && bad[i] > 0) {
				gradBad[li] = true;
			}
		});
		this._vars.forEach((x, i) => {
			if (bad[list.length + i] > 0) {
				weightBad[x.layer] = true;
			}
		});
		if (!gradBad.includes(true) && !weightBad.includes(true)) {
			// Only the sum of squares overflowed: large, but finite.
			return undefined;
		}
		const wi = weightBad.indexOf(true);
		if (wi >= 0) {
			return { step, layer: this._layers[wi].name, where: 'weight' };
		}
		const lastBad = gradBad.lastIndexOf(true);
		const finiteAny = this._layers.some((l, i) => l.vars.length > 0 && !gradBad[i]);
		if (finiteAny) {
			// The backward pass runs last layer first: the deepest broken layer is where it broke.
			return { step, layer: this._layers[lastBad].name, where: 'gradient' };
		}
		const out = this._firstNonFiniteOutput();
		return out !== undefined
			? { step, layer: out, where: 'output' }
			: { step, layer: null, where: 'loss' };
	}

	/** The first layer (forward order) whose output on the probe batch is non-finite. */
	private _firstNonFiniteOutput(): string | undefined {
		const tf = this._tf;
		if (!this._probe) {
			return undefined;
		}
		if (this._fullModel === undefined) {
			this._fullModel = this._subModel(
				this._model.layers.filter((l) => l.getClassName() !== 'InputLayer'),
			);
		}
		const m = this._fullModel;
		if (!m) {
			return undefined;
		}
		const names = m.outputs.map((_o, i) => this._outLayers.get(m)![i]);
		const flags = tf.tidy(() => {
			const outs = m.predict(this._probe!.length === 1 ? this._probe![0] : this._probe!);
			const list = Array.isArray(outs) ? outs : [outs];
			return tf.stack(list.map((o) => tf.any(tf.logicalNot(tf.isFinite(o))).cast('float32')));
		});
		const f = flags.dataSync();
		flags.dispose();
		const i = f.findIndex((v) => v > 0);
		return i >= 0 ? names[i] : undefined;
	}

	private readonly _outLayers = new Map<tfTypes.LayersModel, string[]>();

	/** A model from the script's inputs to these layers' outputs (null when the graph does not allow it). */
	private _subModel(layers: tfTypes.layers.Layer[]): tfTypes.LayersModel | null {
		const tf = this._tf;
		const outs: tfTypes.SymbolicTensor[] = [];
		const names: string[] = [];
		for (const l of layers) {
			try {
				const o = l.output;
				if (!Array.isArray(o)) {
					outs.push(o);
					names.push(l.name);
				}
			} catch {
				// A shared layer has several outputs: skip it.
			}
		}
		if (outs.length === 0) {
			return null;
		}
		try {
			const m = tf.model({ inputs: this._model.inputs, outputs: outs });
			this._outLayers.set(m, names);
			return m;
		} catch {
			return null;
		}
	}

	/** The probe's dead/saturated fractions per tracked layer (nulls where not applicable). */
	private _activations(): { dead: (number | null)[]; sat: (number | null)[] } {
		const n = this._layers.length;
		const dead: (number | null)[] = new Array<number | null>(n).fill(null);
		const sat: (number | null)[] = new Array<number | null>(n).fill(null);
		const tf = this._tf;
		if (!this._probe) {
			return { dead, sat };
		}
		if (this._actModel === undefined) {
			this._actModel = this._subModel(this._layers.filter((l) => l.act).map((l) => l.layer));
		}
		const m = this._actModel;
		if (!m) {
			return { dead, sat };
		}
		const names = this._outLayers.get(m)!;
		const acts = names.map((nm) => this._layers.find((l) => l.name === nm)!.act);
		const t = tf.tidy(() => {
			const outs = m.predict(this._probe!.length === 1 ? this._probe![0] : this._probe!);
			const list = Array.isArray(outs) ? outs : [outs];
			return tf.stack(
				list.map((o, i) => {
					const units = o.shape[o.shape.length - 1] ?? 1;
					const y = o.reshape([-1, units]);
					if (acts[i] === 'relu') {
						return tf.mean(tf.lessEqual(tf.max(y, 0), 0).cast('float32'));
					}
					const off = acts[i] === 'tanh' ? tf.sub(1, tf.abs(y)) : tf.minimum(y, tf.sub(1, y));
					return tf.mean(tf.less(off, acts[i] === 'tanh' ? 2 * satEps : satEps).cast('float32'));
				}),
			);
		});
		const v = t.dataSync();
		t.dispose();
		names.forEach((nm, i) => {
			const li = this._layers.findIndex((l) => l.name === nm);
			const x = Number.isFinite(v[i]) ? v[i] : null;
			if (acts[i] === 'relu') {
				dead[li] = x;
			} else {
				sat[li] = x;
			}
		});
		return { dead, sat };
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
		const firstProbe = this._actModel === undefined;
		const t0 = performance.now();
		try {
			acts = this._nan
				? { dead: p.w.map(() => null), sat: p.w.map(() => null) }
				: this._activations();
		} catch {
			acts = { dead: p.w.map(() => null), sat: p.w.map(() => null) };
			this._probe = undefined;
		}
		// Building the probe model happens once; it is not a per-sample cost.
		const probeMs = firstProbe ? 0 : performance.now() - t0;
		const cost = p.ms + probeMs;
		this._samples++;
		if (this._samples > 1) {
			// The first sample pays for kernel warm-up; it would set k far too high.
			this._costMs = this._costMs === undefined ? cost : 0.5 * this._costMs + 0.5 * cost;
		}
		const budget = this._config.budget && this._config.budget > 0 ? this._config.budget : 0.05;
		if (!this._config.every) {
			this._every =
				this._stepMs === undefined || this._costMs === undefined
					? 2
					: Math.min(maxEvery, Math.max(1, Math.ceil(this._costMs / (budget * this._stepMs))));
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
