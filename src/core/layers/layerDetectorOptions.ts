/** The layer detectors' thresholds and their defaults (sources in docs/monitoring.md). */
import type { FindingKind } from '../types';

/** Thresholds of the layer rules; see `defaultLayerDetectorOptions`. */
export interface LayerDetectorOptions {
	/** ‖Δw‖/‖w‖ per step above this is too high (100× Karpathy's ~1e-3 rule of thumb). */
	ratioHigh: number;
	/** Steps before the update-ratio rule counts a sample (the first updates of fresh weights are large). */
	ratioWarmupSteps: number;
	/**
	 * A ratio this high counts from the first step and needs no 10-step span: 250× the rule of thumb
	 * rewrites a quarter of the layer every step, more than fresh weights ever move (issue 20: healthy
	 * runs of the tuning half stay ≤ 0.16 on 3 samples in a row; too-high LRs reach 0.2–1 in their first
	 * steps and then kill their ReLUs).
	 */
	ratioSevere: number;
	/**
	 * The same for adaptive optimizers (Adam, Adamax, RMSProp), from the first step: their per-weight
	 * step is ≈ the LR whatever the gradient, so their ratio is ≈ LR / rms(w) from the first update on
	 * and does not shrink as the loss converges. Issue 20, tuning half: healthy Adam runs (3e-4–3e-3)
	 * never exceed 0.014 on 3 samples in a row; Adam at 0.2–2 stays above 0.18 for its first samples.
	 */
	ratioHighAdaptive: number;
	/**
	 * An SGD/momentum ratio above `ratioHigh` but below `ratioSevere` also needs the loss to have
	 * stopped falling over this many steps against the same many before (rules/lossTrend.ts; 0: no
	 * such check). A healthy SGD run near the top of its range can move 0.1 of its weights a step
	 * while its loss keeps falling.
	 */
	ratioLossSteps: number;
	/** ‖Δw‖/‖w‖ per step below this is not learning (100× below ~1e-3). */
	ratioLow: number;
	/** Consecutive samples a ratio rule (and the vanishing rule) must hold. */
	patience: number;
	/** Consecutive samples below `ratioLow` before "not learning" (slower: a converged layer moves little). */
	lowPatience: number;
	/** Fraction of a layer's ReLU units that must be dead. */
	deadFraction: number;
	/** ...for at least this many steps (and `patience` samples). */
	deadSteps: number;
	/** First/last layer's per-weight gradient (‖g‖/√n) below this → vanishing (three decades). */
	vanishRatio: number;
	/** A layer's gradient norm this many times the median of its last `explodeWindow` samples → exploding. */
	explodeFactor: number;
	explodeWindow: number;
	/** Samples to see before the explosion rule applies (the first steps move a lot). */
	explodeWarmup: number;
	/** Fraction of a layer's sigmoid/tanh activations that must be saturated (for `patience` samples and `deadSteps` steps). */
	saturatedFraction: number;
	/** A dead layer this dead (fraction of units) starves the layers after it: it is their cause. */
	upstreamDead: number;
	/** Early divergence on the per-step global gradient norm, against its mini-batch noise (issue 20). */
	early: {
		/** Steps per window: the medians of log ‖g‖ and of the loss over the last two windows are compared. */
		window: number;
		/** The recent window's median ‖g‖ this many times its lowest window median so far... */
		factor: number;
		/** ...and this many times the window before (still rising, not a level reached long ago)... */
		riseFactor: number;
		/** ...while the loss's recent median is at least this × the window before (it stopped falling)... */
		lossRatio: number;
		/** ...or the LR grew this × over the last window (NaN-safe: no LR, no corroboration). */
		lrRise: number;
		/** The ‖g‖ (and ratio) tests also need this many standard errors of a window median (the run's own noise). */
		noiseZ: number;
		/** ...on this many consecutive steps. */
		holdSteps: number;
		/** Steps before the rule starts (the first steps are not representative). */
		warmupSteps: number;
		/** The reported start: where the window median first rose this × above the low. */
		onsetFactor: number;
		/** Samples whose median update ratio is compared with its lowest such median (rules/ratioRising.ts). */
		ratioWindow: number;
		/** The ratio's median must be this many times its low (plus noiseZ standard errors)... */
		ratioGrowth: number;
		/** ...and at least this (30× the ~1e-3 rule of thumb). */
		ratioFloor: number;
	};
	/** An LR at or above this is already very high: advice never says to raise it (issue 20). */
	hugeLr: number;
	/** Kinds to switch off. */
	disabled: FindingKind[];
	/** An LR to name in actions. */
	suggestedLr: number | null;
}

/** Defaults, documented (with sources) in docs/monitoring.md. */
export const defaultLayerDetectorOptions: Readonly<LayerDetectorOptions> = Object.freeze({
	ratioHigh: 0.1,
	ratioWarmupSteps: 10,
	ratioSevere: 0.25,
	ratioHighAdaptive: 0.05,
	ratioLossSteps: 12,
	ratioLow: 1e-5,
	patience: 3,
	lowPatience: 5,
	deadFraction: 0.5,
	deadSteps: 10,
	vanishRatio: 1e-3,
	explodeFactor: 10,
	explodeWindow: 5,
	explodeWarmup: 3,
	saturatedFraction: 0.5,
	upstreamDead: 0.95,
	early: {
		window: 8,
		factor: 3,
		riseFactor: 1.5,
		lossRatio: 1,
		lrRise: 1.05,
		noiseZ: 4,
		holdSteps: 3,
		warmupSteps: 10,
		onsetFactor: 1.2,
		ratioWindow: 6,
		ratioGrowth: 10,
		ratioFloor: 0.03,
	},
	hugeLr: 1,
	disabled: [],
	suggestedLr: null,
});

/** Partial options as callers pass them. */
export type LayerDetectorConfig = Partial<Omit<LayerDetectorOptions, 'early'>> & {
	early?: Partial<LayerDetectorOptions['early']>;
};
