/** The layer detectors' thresholds and their defaults (sources in docs/monitoring.md). */
import type { FindingKind } from '../types';

/** Thresholds of the layer rules; see `defaultLayerDetectorOptions`. */
export interface LayerDetectorOptions {
	/** ‖Δw‖/‖w‖ per step above this is too high (100× Karpathy's ~1e-3 rule of thumb). */
	ratioHigh: number;
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
	/** Early divergence on the per-step global gradient norm. */
	early: {
		/** EMA β on log ‖g‖ whose running minimum is the low (≈10-step memory, as the loss divergence rule). */
		beta: number;
		/** EMA β on log ‖g‖ for "now" (≈2-step memory: reacts within a few steps, ignores one noisy batch). */
		fastBeta: number;
		/** ‖g‖ (raw and fast EMA) this many times the low... */
		factor: number;
		/** ...and the fast EMA rose on each of the last this many steps (a trend, not a blip). */
		riseSteps: number;
		/** Steps before the running low starts (the first steps are not representative). */
		warmupSteps: number;
		/** The reported start: the first step of the run of raw ‖g‖ above this × the low. */
		onsetFactor: number;
	};
	/** Kinds to switch off. */
	disabled: FindingKind[];
	/** An LR to name in actions. */
	suggestedLr: number | null;
}

/** Defaults, documented (with sources) in docs/monitoring.md. */
export const defaultLayerDetectorOptions: Readonly<LayerDetectorOptions> = Object.freeze({
	ratioHigh: 0.1,
	ratioLow: 1e-5,
	patience: 3,
	lowPatience: 5,
	deadFraction: 0.5,
	deadSteps: 10,
	vanishRatio: 1e-3,
	explodeFactor: 10,
	explodeWindow: 5,
	explodeWarmup: 3,
	early: { beta: 0.9, fastBeta: 0.5, factor: 3, riseSteps: 3, warmupSteps: 10, onsetFactor: 1.2 },
	disabled: [],
	suggestedLr: null,
});

/** Partial options as callers pass them. */
export type LayerDetectorConfig = Partial<Omit<LayerDetectorOptions, 'early'>> & {
	early?: Partial<LayerDetectorOptions['early']>;
};
