/**
 * Layer detectors (issue 15): findings from the per-layer samples the fit hook takes in monitor
 * mode, and an early divergence warning from the per-step gradient norm. Incremental: each sample
 * costs O(layers), each step O(1). Thresholds and where they come from: docs/monitoring.md.
 */
import { layerWords } from '../present/layers';
import type { Finding, FindingKind } from '../types';
import {
	layerFindingSeverity,
	type LayerFindingKind,
	type LayerSample,
	type NanOrigin,
} from './types';
import {
	defaultLayerDetectorOptions,
	type LayerDetectorConfig,
	type LayerDetectorOptions,
} from './layerDetectorOptions';

interface LayerState {
	high: number;
	low: number;
	zero: number;
	deadSince: number | null;
	deadCount: number;
	/** (step, ‖g‖) of recent samples for the explosion rule. */
	recent: { step: number; g: number }[];
	samples: number;
}

/**
 * The layer detectors of one run. Feed the per-step gradient norm with `feedStep` and each layer
 * sample with `feedSample`; each returns only new findings. Each (kind, layer) fires once per run:
 * the notification policy allows one per kind anyway, and the panel marks the first.
 */
export class LayerDetectorSet {
	readonly options: LayerDetectorOptions;
	private readonly _all: Finding[] = [];
	private readonly _fired = new Set<string>();
	private readonly _layers = new Map<string, LayerState>();
	private readonly _disabled: Set<FindingKind>;
	private _vanish = 0;
	private _nanSeen = false;
	private _lossBroke = false;
	// Early divergence state.
	private _emaAvg = 0;
	private _emaPow = 1;
	private _emaCount = 0;
	private _fast = 0;
	private _low = Infinity;
	private readonly _hist: number[] = [];
	private _onset: number | null = null;

	constructor(config: LayerDetectorConfig = {}) {
		const d = defaultLayerDetectorOptions;
		this.options = {
			...d,
			...config,
			early: { ...d.early, ...(config.early ?? {}) },
			disabled: [...(config.disabled ?? d.disabled)],
		};
		this._disabled = new Set(this.options.disabled);
	}

	/** Every finding so far, in order. */
	get findings(): readonly Finding[] {
		return this._all;
	}

	/**
	 * Tells the set that the loss detectors raised a finding: after a loss divergence or NaN the
	 * gradient-norm warning is no longer early, so it stops.
	 */
	noteLossFinding(f: Finding): void {
		if (f.kind === 'divergence' || f.kind === 'nonFinite') {
			this._lossBroke = true;
		}
	}

	/** One training step's global gradient norm (`null` when non-finite or not computed). */
	feedStep(step: number, gradNorm: number | null): Finding[] {
		const out: Finding[] = [];
		if (gradNorm === null || !Number.isFinite(gradNorm) || gradNorm <= 0) {
			return out;
		}
		const e = this.options.early;
		const lg = Math.log(gradNorm);
		this._emaAvg = e.beta * this._emaAvg + (1 - e.beta) * lg;
		this._emaPow *= e.beta;
		this._emaCount++;
		const slow = this._emaAvg / (1 - this._emaPow);
		this._fast = this._emaCount === 1 ? lg : e.fastBeta * this._fast + (1 - e.fastBeta) * lg;
		this._hist.push(this._fast);
		if (this._hist.length > e.riseSteps + 1) {
			this._hist.shift();
		}
		if (this._emaCount <= e.warmupSteps) {
			return out;
		}
		if (slow < this._low) {
			this._low = slow;
		}
		const lowG = Math.exp(this._low);
		if (gradNorm > e.onsetFactor * lowG) {
			this._onset ??= step;
		} else {
			this._onset = null;
		}
		let rising = this._hist.length > e.riseSteps;
		for (let i = 1; i < this._hist.length && rising; i++) {
			rising = this._hist[i] > this._hist[i - 1];
		}
		if (
			rising &&
			this._fast - this._low >= Math.log(e.factor) &&
			lg - this._low >= Math.log(e.factor) &&
			!this._lossBroke &&
			!this._nanSeen &&
			!this._firedKind('explodingGradients')
		) {
			const w = layerWords.earlyDivergence(Math.exp(lg - this._low), this.options.suggestedLr);
			this._fire(out, 'earlyDivergence', 'grad_norm', undefined, this._onset ?? step, step, w);
		}
		return out;
	}

	/** One layer sample. */
	feedSample(s: LayerSample, nan?: NanOrigin): Finding[] {
		const out: Finding[] = [];
		if (nan && !this._nanSeen) {
			this._nanSeen = true;
			const w = layerWords.nanOrigin(nan.layer, nan.where, nan.step);
			this._fire(
				out,
				'nanOrigin',
				nan.layer ?? 'loss',
				nan.layer ?? undefined,
				nan.step,
				s.step,
				w,
			);
		}
		if (this._nanSeen) {
			return out;
		}
		const vanishing = this._vanishing(s, out);
		const unstable = this._firedKind('earlyDivergence') || this._firedKind('explodingGradients');
		const trainable = s.layers.map((_n, i) => s.params[i] > 0);
		const lastTrainable = trainable.lastIndexOf(true);
		for (let i = 0; i < s.layers.length; i++) {
			const name = s.layers[i];
			let st = this._layers.get(name);
			if (!st) {
				st = { high: 0, low: 0, zero: 0, deadSince: null, deadCount: 0, recent: [], samples: 0 };
				this._layers.set(name, st);
			}
			st.samples++;
			this._deadUnits(out, st, s, i);
			if (!trainable[i]) {
				continue;
			}
			this._updateRatioHigh(out, st, s, i, unstable);
			this._notLearning(out, st, s, i, vanishing && i < lastTrainable);
			this._exploding(out, st, s, i);
		}
		return out;
	}

	/** Dead ReLUs: most units dead for `patience` samples and `deadSteps` steps. */
	private _deadUnits(out: Finding[], st: LayerState, s: LayerSample, i: number): void {
		const o = this.options;
		const name = s.layers[i];
		const dead = s.dead[i];
		if (dead !== null && dead > o.deadFraction) {
			st.deadSince ??= s.step;
			st.deadCount++;
			if (st.deadCount >= o.patience && s.step - st.deadSince >= o.deadSteps) {
				this._fire(
					out,
					'deadUnits',
					name,
					name,
					st.deadSince,
					s.step,
					layerWords.deadUnits(name, dead, st.deadSince),
				);
			}
		} else {
			st.deadSince = null;
			st.deadCount = 0;
		}
	}

	/** Update ratio too high for `patience` samples (unless the run is already unstable). */
	private _updateRatioHigh(
		out: Finding[],
		st: LayerState,
		s: LayerSample,
		i: number,
		unstable: boolean,
	): void {
		const o = this.options;
		const name = s.layers[i];
		const ratio = s.updateRatio[i];
		st.high = ratio !== null && ratio > o.ratioHigh ? st.high + 1 : 0;
		if (st.high >= o.patience && !unstable) {
			this._fire(
				out,
				'updateRatioHigh',
				name,
				name,
				s.step - s.every * (o.patience - 1),
				s.step,
				layerWords.updateRatioHigh(name, ratio!, o.suggestedLr),
			);
		}
	}

	/** Not learning: zero gradient, or tiny updates for longer (unless something explains it). */
	private _notLearning(
		out: Finding[],
		st: LayerState,
		s: LayerSample,
		i: number,
		vanishingBelow: boolean,
	): void {
		const o = this.options;
		const name = s.layers[i];
		const ratio = s.updateRatio[i];
		const dead = s.dead[i];
		st.zero = s.gradNorm[i] === 0 ? st.zero + 1 : 0;
		// A low ratio counts only while another layer still moves 100× faster: when every layer
		// moves little the model has converged (or the LR is low everywhere), which is not this layer's problem.
		const fastest = s.updateRatio.reduce<number>(
			(m, r, j) => (j !== i && s.params[j] > 0 && r !== null ? Math.max(m, r) : m),
			0,
		);
		st.low = ratio !== null && ratio < o.ratioLow && fastest >= 100 * ratio ? st.low + 1 : 0;
		const explained =
			this._fired.has(`deadUnits\0${name}`) ||
			(dead !== null && dead > o.deadFraction) ||
			this._upstreamDead(s, i) ||
			vanishingBelow;
		if ((st.zero >= o.patience || st.low >= o.lowPatience) && !explained) {
			this._fire(
				out,
				'notLearning',
				name,
				name,
				s.step,
				s.step,
				layerWords.notLearning(name, st.zero >= o.patience ? 0 : ratio),
			);
		}
	}

	/** Exploding: ‖g‖ explodeFactor× the median of the layer's previous samples, rising twice in a row. */
	private _exploding(out: Finding[], st: LayerState, s: LayerSample, i: number): void {
		const o = this.options;
		const name = s.layers[i];
		const g = s.gradNorm[i];
		if (g === null || g <= 0) {
			return;
		}
		const prev = st.recent;
		if (prev.length >= o.explodeWarmup && !this._firedKind('earlyDivergence')) {
			const sorted = prev.map((r) => r.g).sort((x, y) => x - y);
			const ref = sorted[Math.floor(sorted.length / 2)];
			const last = prev[prev.length - 1];
			if (g >= o.explodeFactor * ref && last.g > ref && g > last.g) {
				const from = prev.find((r) => r.g === ref)!.step;
				this._fire(
					out,
					'explodingGradients',
					name,
					name,
					last.step,
					s.step,
					layerWords.explodingGradients(name, g / ref, s.step - from, o.suggestedLr),
				);
			}
		}
		st.recent.push({ step: s.step, g });
		if (st.recent.length > o.explodeWindow) {
			st.recent.shift();
		}
	}

	/** A fully dead ReLU layer right before layer i starves it of gradient: that finding explains it. */
	private _upstreamDead(s: LayerSample, i: number): boolean {
		for (let j = i - 1; j >= 0; j--) {
			const d = s.dead[j];
			if (
				this._fired.has(`deadUnits\0${s.layers[j]}`) ||
				(d !== null && d > this.options.deadFraction)
			) {
				return true;
			}
			if (s.params[j] > 0 && s.dead[j] === null) {
				return false;
			}
		}
		return false;
	}

	/** Vanishing: first vs last trainable layer's per-weight gradient, for `patience` samples. */
	private _vanishing(s: LayerSample, out: Finding[]): boolean {
		const o = this.options;
		const rms = (i: number): number | null => {
			const g = s.gradNorm[i];
			return g !== null && s.params[i] > 0 ? g / Math.sqrt(s.params[i]) : null;
		};
		const idx = s.layers.map((_n, i) => i).filter((i) => s.params[i] > 0);
		if (idx.length < 3) {
			// Two layers are not "depth"; a small first-layer gradient there is about scaling.
			this._vanish = 0;
			return false;
		}
		const first = rms(idx[0]);
		const last = rms(idx[idx.length - 1]);
		// A zero gradient is no gradient at all (dead units, a detached layer): other rules cover it.
		if (first === null || last === null || first === 0 || last === 0) {
			this._vanish = 0;
			return false;
		}
		const r = first / last;
		this._vanish = r < o.vanishRatio ? this._vanish + 1 : 0;
		if (this._vanish >= o.patience) {
			const sat = s.saturated.filter((x): x is number => x !== null);
			const satMean = sat.length ? sat.reduce((a, b) => a + b, 0) / sat.length : null;
			const firstName = s.layers[idx[0]];
			this._fire(
				out,
				'vanishingGradients',
				firstName,
				firstName,
				s.step - s.every * (o.patience - 1),
				s.step,
				layerWords.vanishingGradients(firstName, s.layers[idx[idx.length - 1]], r, satMean),
			);
			return true;
		}
		return this._vanish > 0 && this._firedKind('vanishingGradients');
	}

	private _firedKind(kind: LayerFindingKind): boolean {
		return this._all.some((f) => f.kind === kind);
	}

	private _fire(
		out: Finding[],
		kind: LayerFindingKind,
		series: string,
		layer: string | undefined,
		step: number,
		detectedAt: number,
		words: { message: string; action: string },
	): void {
		const key = `${kind}\0${layer ?? series}`;
		if (this._disabled.has(kind) || this._fired.has(key)) {
			return;
		}
		this._fired.add(key);
		const f: Finding = {
			kind,
			series,
			step: Math.max(0, Math.min(step, detectedAt)),
			unit: 'step',
			severity: layerFindingSeverity[kind],
			message: words.message,
			action: words.action,
			detectedAt,
		};
		if (layer !== undefined) {
			f.layer = layer;
		}
		out.push(f);
		this._all.push(f);
	}
}
