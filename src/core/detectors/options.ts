/** The detectors' options: one interface per rule, the defaults, validation, and severities. */
import { layerFindingSeverity } from '../layers/types';
import type { Finding, FindingKind } from '../types';

/** Options of the divergence rule (smoothed loss > k·best after warm-up, or above `maxLoss`). */
export interface DivergenceOptions {
	/** Fire when the smoothed loss exceeds `k` times the best smoothed loss (LR-finder rule, fastai k = 4). */
	k: number;
	/** EMA β for step-level series (epoch-level series are not smoothed). */
	beta: number;
	/** Finite points to see before the k·best rule may fire. */
	warmupSteps: number;
	warmupEpochs: number;
	/** Absolute cap on the smoothed loss; `null` turns it off. */
	maxLoss: number | null;
	/** The reported start step is the first of the consecutive raw values above `onsetFactor`·best. */
	onsetFactor: number;
}

/** Options of the spike rule (llm-foundry KillLossSpike). Step-level series only. */
export interface SpikeOptions {
	/** Window of previous finite losses whose mean is the reference. */
	window: number;
	/** A loss ≥ `multiplier`·mean(window) is an outlier. */
	multiplier: number;
	/** Fire when more than `patience` consecutive losses are outliers. */
	patience: number;
}

/** Options of the plateau/stall rule (Keras ReduceLROnPlateau logic on the smoothed series). */
export interface PlateauOptions {
	patienceSteps: number;
	patienceEpochs: number;
	/** Improvement needed to count as progress: relative (fraction of the best) or absolute. */
	minDelta: number;
	mode: 'rel' | 'abs';
	/** EMA β for step-level series before comparing (batch losses are too noisy raw). */
	beta: number;
	/** Progress must also exceed `noiseZ` standard deviations of the smoothed series' own noise. */
	noiseZ: number;
	/**
	 * After a plateau finding, a relative drop this large (and beyond the noise) of the smoothed
	 * series within one patience window re-arms it.
	 */
	rearmDrop: number;
}

/** Options of the epoch-level overfitting rule. */
export interface OverfittingOptions {
	/** Epochs since the best validation loss before firing. */
	patience: number;
	/** Relative change that counts as rising / falling / improving. */
	minDelta: number;
}

/** Options of the epoch-level underfitting rule. */
export interface UnderfittingOptions {
	/** Window (epochs) over which both losses must be flat. */
	patience: number;
	/** Relative improvement over the window below which a series is flat. */
	flatDelta: number;
	/** "High": the training loss is still ≥ `highRatio` × its first-epoch value... */
	highRatio: number;
	/** ...or, when set, ≥ this absolute value (replaces the ratio test). */
	highLoss: number | null;
}

/** All detector options; see `defaultDetectorOptions` and docs/detectors.md. */
export interface DetectorOptions {
	/** Which series the detectors watch. Default: names ending in "loss" (case-insensitive). */
	isMonitored: (series: string) => boolean;
	/** A learning rate to name in suggested actions (e.g. the range test's valley). */
	suggestedLr: number | null;
	/** Healthy records needed before a fired kind may fire again for the same series. */
	rearmSteps: number;
	rearmEpochs: number;
	/** Kinds to switch off. */
	disabled: FindingKind[];
	divergence: DivergenceOptions;
	spike: SpikeOptions;
	plateau: PlateauOptions;
	overfitting: OverfittingOptions;
	underfitting: UnderfittingOptions;
}

/** Options as passed by callers: every field optional, nested groups too. */
export type DetectorConfig = Partial<
	Omit<DetectorOptions, 'divergence' | 'spike' | 'plateau' | 'overfitting' | 'underfitting'>
> & {
	divergence?: Partial<DivergenceOptions>;
	spike?: Partial<SpikeOptions>;
	plateau?: Partial<PlateauOptions>;
	overfitting?: Partial<OverfittingOptions>;
	underfitting?: Partial<UnderfittingOptions>;
};

/** Defaults, documented in docs/detectors.md. */
export const defaultDetectorOptions: Readonly<DetectorOptions> = Object.freeze<DetectorOptions>({
	isMonitored: (s: string) => /loss$/i.test(s),
	suggestedLr: null,
	rearmSteps: 100,
	rearmEpochs: 3,
	disabled: [],
	divergence: {
		k: 4,
		beta: 0.9,
		warmupSteps: 10,
		warmupEpochs: 2,
		maxLoss: null,
		onsetFactor: 1.2,
	},
	spike: { window: 100, multiplier: 2, patience: 4 },
	plateau: {
		patienceSteps: 200,
		patienceEpochs: 5,
		minDelta: 1e-3,
		mode: 'rel',
		beta: 0.98,
		noiseZ: 2,
		rearmDrop: 0.05,
	},
	overfitting: { patience: 3, minDelta: 0.02 },
	underfitting: { patience: 5, flatDelta: 0.01, highRatio: 0.5, highLoss: null },
});

/** Severity of each kind: errors mean the run is broken, warnings that it is wasting time. */
export const findingSeverity: Readonly<Record<FindingKind, Finding['severity']>> = Object.freeze({
	nonFinite: 'error',
	divergence: 'error',
	spike: 'warning',
	plateau: 'warning',
	overfitting: 'warning',
	underfitting: 'warning',
	...layerFindingSeverity,
});

/** Merges a partial config over the defaults, validating numbers (throws RangeError naming the field). */
export function resolveDetectorOptions(config: DetectorConfig = {}): DetectorOptions {
	const d = defaultDetectorOptions;
	const o: DetectorOptions = {
		...d,
		...stripUndefined(config),
		disabled: [...(config.disabled ?? d.disabled)],
		divergence: { ...d.divergence, ...stripUndefined(config.divergence ?? {}) },
		spike: { ...d.spike, ...stripUndefined(config.spike ?? {}) },
		plateau: { ...d.plateau, ...stripUndefined(config.plateau ?? {}) },
		overfitting: { ...d.overfitting, ...stripUndefined(config.overfitting ?? {}) },
		underfitting: { ...d.underfitting, ...stripUndefined(config.underfitting ?? {}) },
	};
	const positive: [string, number][] = [
		['divergence.k', o.divergence.k],
		['divergence.onsetFactor', o.divergence.onsetFactor],
		['spike.window', o.spike.window],
		['spike.multiplier', o.spike.multiplier],
		['plateau.patienceSteps', o.plateau.patienceSteps],
		['plateau.patienceEpochs', o.plateau.patienceEpochs],
		['overfitting.patience', o.overfitting.patience],
		['underfitting.patience', o.underfitting.patience],
		['underfitting.highRatio', o.underfitting.highRatio],
	];
	const nonNegative: [string, number][] = [
		['rearmSteps', o.rearmSteps],
		['rearmEpochs', o.rearmEpochs],
		['divergence.warmupSteps', o.divergence.warmupSteps],
		['divergence.warmupEpochs', o.divergence.warmupEpochs],
		['spike.patience', o.spike.patience],
		['plateau.minDelta', o.plateau.minDelta],
		['plateau.noiseZ', o.plateau.noiseZ],
		['plateau.rearmDrop', o.plateau.rearmDrop],
		['overfitting.minDelta', o.overfitting.minDelta],
		['underfitting.flatDelta', o.underfitting.flatDelta],
	];
	checkAll(positive, (v) => v > 0, 'a positive number');
	checkAll(nonNegative, (v) => v >= 0, 'a number ≥ 0');
	for (const [name, v] of [
		['divergence.beta', o.divergence.beta],
		['plateau.beta', o.plateau.beta],
	] as const) {
		if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
			throw new RangeError(`detector option ${name} must be in [0, 1), got ${String(v)}`);
		}
	}
	if (o.plateau.mode !== 'rel' && o.plateau.mode !== 'abs') {
		throw new RangeError(
			`detector option plateau.mode must be "rel" or "abs", got ${String(o.plateau.mode)}`,
		);
	}
	o.spike.window = Math.max(1, Math.floor(o.spike.window));
	return o;
}

/** Throws a RangeError naming the first option that is not a finite number passing `ok`. */
function checkAll(options: [string, number][], ok: (v: number) => boolean, what: string): void {
	for (const [name, v] of options) {
		if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
			throw new RangeError(`detector option ${name} must be ${what}, got ${String(v)}`);
		}
	}
}

function stripUndefined<T extends object>(x: T): Partial<T> {
	const r: Partial<T> = {};
	for (const k of Object.keys(x) as (keyof T)[]) {
		if (x[k] !== undefined) {
			r[k] = x[k];
		}
	}
	return r;
}
