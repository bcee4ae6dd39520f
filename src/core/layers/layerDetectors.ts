/**
 * Layer detectors (issues 15, 20): findings from the per-layer samples the fit hook takes in monitor
 * mode, and an early divergence warning from the per-step gradient norm. This file is the set (feed
 * order, once-per-layer latches, run state); one file per rule is in rules/. Incremental: each
 * sample costs O(layers), each step O(window). Thresholds and sources: docs/monitoring.md.
 */
import { layerWords } from '../present/layers';
import type { Finding, FindingKind } from '../types';
import {
	defaultLayerDetectorOptions,
	type LayerDetectorConfig,
	type LayerDetectorOptions,
} from './layerDetectorOptions';
import { newLayerState, type LayerRuleContext, type LayerState, type Words } from './rules/context';
import { deadUnitsRule } from './rules/deadUnits';
import { EarlyDivergenceRule } from './rules/earlyDivergence';
import { explodingRule } from './rules/exploding';
import { LossTrend } from './rules/lossTrend';
import { notLearningRule } from './rules/notLearning';
import { ratioRisingRule } from './rules/ratioRising';
import { saturationRule } from './rules/saturation';
import { updateRatioHighRule } from './rules/updateRatioHigh';
import { vanishingRule } from './rules/vanishing';
import {
	layerFindingSeverity,
	type LayerFindingKind,
	type LayerSample,
	type NanOrigin,
} from './types';

/**
 * The layer detectors of one run. Feed the per-step gradient norm (and loss) with `feedStep` and each
 * layer sample with `feedSample`; each returns only new findings. Each (kind, layer) fires once per
 * run: the notification policy allows one per kind anyway, and the panel marks the first.
 */
export class LayerDetectorSet implements LayerRuleContext {
	readonly options: LayerDetectorOptions;
	private readonly _all: Finding[] = [];
	private readonly _fired = new Set<string>();
	private readonly _firedKinds = new Set<LayerFindingKind>();
	private readonly _layers = new Map<string, LayerState>();
	private readonly _disabled: Set<FindingKind>;
	private readonly _vanish = { count: 0 };
	private readonly _early: EarlyDivergenceRule;
	private readonly _lossTrend: LossTrend;
	private _nanSeen = false;
	private _lossBroke = false;
	private _lastLr: number | null = null;

	constructor(config: LayerDetectorConfig = {}) {
		const d = defaultLayerDetectorOptions;
		this.options = {
			...d,
			...config,
			early: { ...d.early, ...(config.early ?? {}) },
			disabled: [...(config.disabled ?? d.disabled)],
		};
		this._disabled = new Set(this.options.disabled);
		this._early = new EarlyDivergenceRule(this.options.early);
		this._lossTrend = new LossTrend(this.options.ratioLossSteps);
	}

	/** Every finding so far, in order. */
	get findings(): readonly Finding[] {
		return this._all;
	}

	get lossBroke(): boolean {
		return this._lossBroke;
	}

	get lastLr(): number | null {
		return this._lastLr;
	}

	get lossStalled(): boolean | null | undefined {
		return this._lossTrend.seen ? this._lossTrend.stalled : undefined;
	}

	/**
	 * Tells the set that the loss detectors raised a finding: after a loss divergence or NaN the
	 * gradient-norm warning is no longer early, so it stops, and advice takes the broken run into account.
	 */
	noteLossFinding(f: Finding): void {
		if (f.kind === 'divergence' || f.kind === 'nonFinite') {
			this._lossBroke = true;
		}
	}

	/** One training step's global gradient norm (`null` when non-finite or not computed), loss and LR. */
	feedStep(step: number, gradNorm: number | null, loss?: number | null, lr?: number): Finding[] {
		const out: Finding[] = [];
		if (lr !== undefined && Number.isFinite(lr) && lr > 0) {
			this._lastLr = lr;
		}
		this._lossTrend.feed(loss);
		const growth = this._early.feed(step, gradNorm, loss, lr);
		if (
			growth !== null &&
			!this._lossBroke &&
			!this._nanSeen &&
			!this.firedKind('explodingGradients')
		) {
			const w = layerWords.earlyDivergence(growth, this.options.suggestedLr);
			const from = this._early.onset ?? step;
			this.fire(out, 'earlyDivergence', 'grad_norm', undefined, from, step, w);
		}
		return out;
	}

	/** One layer sample. */
	feedSample(s: LayerSample, nan?: NanOrigin): Finding[] {
		const out: Finding[] = [];
		if (nan && !this._nanSeen) {
			this._nanSeen = true;
			const w = layerWords.nanOrigin(nan.layer, nan.where, nan.step);
			const layer = nan.layer ?? undefined;
			this.fire(out, 'nanOrigin', nan.layer ?? 'loss', layer, nan.step, s.step, w);
		}
		if (this._nanSeen) {
			return out;
		}
		const vanishing = vanishingRule(this, this._vanish, s, out);
		const lastTrainable = s.params.map((p) => p > 0).lastIndexOf(true);
		for (let i = 0; i < s.layers.length; i++) {
			const name = s.layers[i];
			let st = this._layers.get(name);
			if (!st) {
				st = newLayerState();
				this._layers.set(name, st);
			}
			deadUnitsRule(this, st, s, i, out);
			saturationRule(this, st, s, i, out);
			if (s.params[i] > 0) {
				updateRatioHighRule(this, st, s, i, out);
				ratioRisingRule(this, st, s, i, out);
				notLearningRule(this, st, s, i, out, vanishing && i < lastTrainable);
				explodingRule(this, st, s, i, out);
			}
		}
		return out;
	}

	fired(kind: LayerFindingKind, layer: string): boolean {
		return this._fired.has(`${kind}\0${layer}`);
	}

	firedKind(kind: LayerFindingKind): boolean {
		return this._firedKinds.has(kind);
	}

	fire(
		out: Finding[],
		kind: LayerFindingKind,
		series: string,
		layer: string | undefined,
		step: number,
		detectedAt: number,
		words: Words,
	): void {
		const key = `${kind}\0${layer ?? series}`;
		if (this._disabled.has(kind) || this._fired.has(key)) {
			return;
		}
		this._fired.add(key);
		this._firedKinds.add(kind);
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
