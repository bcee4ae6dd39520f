/** The detectors' per-series and per-(train, val) pair state: smoothers, ring buffer, latches. */
import { Smoother } from '../smoothing';
import type { FindingKind } from '../types';
import type { DetectorOptions } from './options';

/**
 * How long a jump-started, flat excursion counts as a spike before divergence may fire on it
 * (half the default re-arm period): a loss that jumps and stays up that long is a broken run.
 */
export const spikeHoldSteps = 50;

/** Arms a kind after it fired: `healthy` consecutive good records re-arm it. */
export interface Latch {
	armed: boolean;
	healthy: number;
}

/** Per (unit, series) state. Everything is O(1) to update except the spike window's periodic resum. */
export class SeriesState {
	readonly divEma: Smoother;
	readonly plateauEma: Smoother;
	best = Infinity;
	excursionStart: number | null = null;
	// Spike window: ring buffer with a running sum, recomputed every `window` pushes to cancel drift.
	readonly ring: Float64Array;
	ringLen = 0;
	ringPos = 0;
	ringSum = 0;
	sinceResum = 0;
	outliers = 0;
	outlierStart = 0;
	/** Largest raw value over the first spike.patience+1 outliers of the current run of them. */
	outlierPeak = 0;
	// Plateau.
	plateauBest = Infinity;
	plateauBestStep = 0;
	wait = 0;
	/** EW mean square of the raw value's relative deviation from the smoothed one (noise level). */
	noiseVar = 0;
	/** 0.99^n for debiasing `noiseVar` (it starts at 0, which would understate early noise). */
	noisePow = 1;
	lastPlateau = NaN;
	/** The two previous raw values (the noise estimate's second difference). */
	prevRaw = NaN;
	prevRaw2 = NaN;
	/** The last patience + 1 smoothed values, a ring (the plateau's trend test). */
	readonly plateauWindow: number[] = [];
	plateauWindowPos = 0;
	/**
	 * After a plateau finding: a slower average of the raw values (memory ≈ patience, started at the
	 * smoothed value when the finding was raised) that a resumed fall is measured against.
	 */
	plateauSlow = NaN;
	readonly plateauSlowBeta: number;
	/** The plateau latch, looked up once (it is read on every record). */
	readonly plateauLatch: Latch;
	readonly latches = new Map<FindingKind, Latch>();

	constructor(
		readonly series: string,
		readonly unit: 'step' | 'epoch',
		o: DetectorOptions,
	) {
		this.divEma = new Smoother(unit === 'step' ? o.divergence.beta : 0);
		this.plateauEma = new Smoother(unit === 'step' ? o.plateau.beta : 0);
		this.ring = new Float64Array(unit === 'step' ? o.spike.window : 1);
		const patience = unit === 'step' ? o.plateau.patienceSteps : o.plateau.patienceEpochs;
		this.plateauSlowBeta = 1 - 1 / Math.max(2, patience);
		this.plateauLatch = this.latch('plateau');
	}

	latch(kind: FindingKind): Latch {
		let l = this.latches.get(kind);
		if (!l) {
			l = { armed: true, healthy: 0 };
			this.latches.set(kind, l);
		}
		return l;
	}

	pushRing(x: number): void {
		const n = this.ring.length;
		if (this.ringLen < n) {
			this.ring[this.ringPos] = x;
			this.ringLen++;
			this.ringSum += x;
		} else {
			this.ringSum += x - this.ring[this.ringPos];
			this.ring[this.ringPos] = x;
		}
		this.ringPos = (this.ringPos + 1) % n;
		if (++this.sinceResum >= n) {
			this.sinceResum = 0;
			let s = 0;
			for (let i = 0; i < this.ringLen; i++) {
				s += this.ring[i];
			}
			this.ringSum = s;
		}
	}
}

/** Per (train, val) pair of epoch-level series, for overfitting / underfitting. */
export class PairState {
	readonly pending = new Map<number, { t?: number | null; v?: number | null }>();
	bestVal = Infinity;
	bestEpoch = 0;
	trainAtBest = Infinity;
	sinceBest = 0;
	/** The lowest validation value seen, its epoch and the training value then (what is reported). */
	/** Validation noise (second differences of log v, as the plateau rule) and the rise count. */
	prevVal = NaN;
	prevVal2 = NaN;
	valNoiseVar = 0;
	valNoisePow = 1;
	risingCount = 0;
	/** The last log validation values (at most `valTrendMax`), oldest first: the rise trend test. */
	readonly recentLogVal: number[] = [];
	minVal = Infinity;
	minEpoch = 0;
	trainAtMin = Infinity;
	firstTrain: number | null = null;
	// Last `patience + 1` finite (train, val) pairs, as a ring.
	readonly hist: { e: number; t: number; v: number }[] = [];
	histPos = 0;
	/** After an underfitting finding, the training loss must fall 10% below its value then to re-arm. */
	underfitRearmBelow = -Infinity;
	overfitArmed = true;
	underfitArmed = true;
	constructor(
		readonly train: string,
		readonly val: string,
	) {}
}
