/**
 * Per-layer training signals (issue 15): what the fit hook measures inside the model in monitor
 * mode, and the layer finding kinds. Pure data; no tfjs. Signals and thresholds: docs/monitoring.md.
 */

/** Where a non-finite value first showed up inside the model. */
export type NanWhere = 'weight' | 'gradient' | 'output' | 'loss';

/** The first non-finite value of a run, located (once per run). */
export interface NanOrigin {
	/** The step whose update met it. */
	step: number;
	/** The layer, or `null` when every layer was finite and only the loss was not. */
	layer: string | null;
	where: NanWhere;
}

/**
 * One sample of every tracked layer at one step (after that step's update). Arrays are aligned with
 * `layers`; `null` means "not applicable" (no weights, no ReLU) or non-finite.
 */
export interface LayerSample {
	step: number;
	/** Layer names in forward order (trainable layers and activation layers). */
	layers: string[];
	/** Trainable parameters per layer (0 for activation-only layers). */
	params: number[];
	/** ‖g‖₂ of the layer's gradient (all its trainable variables together). */
	gradNorm: (number | null)[];
	/** ‖w‖₂ after the update. */
	weightNorm: (number | null)[];
	/** ‖Δw‖₂ / ‖w‖₂ of this step's update (the optimizer's real step, snapshots before/after). */
	updateRatio: (number | null)[];
	/** Fraction of ReLU units that never activate on the probe batch. */
	dead: (number | null)[];
	/** Fraction of sigmoid/tanh activations within 1% of their bounds on the probe batch. */
	saturated: (number | null)[];
	/** Steps until the next sample (k, adapted at run time to the overhead budget). */
	every: number;
	/** Measured cost of this sample relative to a training step (0.03 = 3 %). */
	overhead?: number;
	/**
	 * The optimizer's tfjs class name ('Adam', 'SGD', 'Momentum', …), when known: an adaptive
	 * optimizer's update ratio has its own scale (issue 20; rules/updateRatioHigh.ts).
	 */
	optimizer?: string;
}

/** Layer finding kinds, in the order the docs list them. */
export const layerFindingKinds = [
	'updateRatioHigh',
	'notLearning',
	'deadUnits',
	'saturation',
	'vanishingGradients',
	'explodingGradients',
	'earlyDivergence',
	'nanOrigin',
] as const;

/** A finding about a layer (or about the gradients across layers). */
export type LayerFindingKind = (typeof layerFindingKinds)[number];

/** Severity per layer kind: a NaN or exploding gradients break the run; the rest waste it or warn early. */
export const layerFindingSeverity: Readonly<Record<LayerFindingKind, 'error' | 'warning'>> =
	Object.freeze({
		updateRatioHigh: 'warning',
		notLearning: 'warning',
		deadUnits: 'warning',
		saturation: 'warning',
		vanishingGradients: 'warning',
		explodingGradients: 'error',
		earlyDivergence: 'warning',
		nanOrigin: 'error',
	});

/** Why raising the LR or re-initialising a bias would be wrong advice now, if it would be (issue 20). */
export type RunState =
	| { kind: 'diverged' }
	| { kind: 'hugeLr'; lr: number }
	/** An update ratio already said the LR is too high (an updateRatioHigh finding fired). */
	| { kind: 'ratioHigh' }
	| null;
