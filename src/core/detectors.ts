/**
 * Live-run detectors over a stream of `LogRecord`s: non-finite, divergence, spike, plateau/stall,
 * overfitting and underfitting. Incremental: every record costs O(series in the record) amortised —
 * running sums and ring buffers, never a rescan of history. Rules and defaults: docs/detectors.md.
 */
import { layerFindingSeverity } from './layers/types';
import type { Finding, FindingKind, LogRecord } from './types';
import { formatLr, formatNum } from './present/format';

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
	underfitting: { patience: 3, flatDelta: 0.01, highRatio: 0.5, highLoss: null },
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
	for (const [name, v] of positive) {
		if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
			throw new RangeError(`detector option ${name} must be a positive number, got ${String(v)}`);
		}
	}
	for (const [name, v] of nonNegative) {
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
			throw new RangeError(`detector option ${name} must be a number ≥ 0, got ${String(v)}`);
		}
	}
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

function stripUndefined<T extends object>(x: T): Partial<T> {
	const r: Partial<T> = {};
	for (const k of Object.keys(x) as (keyof T)[]) {
		if (x[k] !== undefined) {
			r[k] = x[k];
		}
	}
	return r;
}

/**
 * How long a jump-started, flat excursion counts as a spike before divergence may fire on it
 * (half the default re-arm period): a loss that jumps and stays up that long is a broken run.
 */
const spikeHoldSteps = 50;

/** Debiased EMA (ALGORITHMS.md smoothing); non-finite inputs do not advance it. */
class Ema {
	private _avg = 0;
	private _t = 0;
	private _pow = 1;
	constructor(private readonly _beta: number) {}
	push(x: number): number {
		this._avg = this._beta * this._avg + (1 - this._beta) * x;
		this._t++;
		this._pow *= this._beta;
		return this._beta === 0 ? x : this._avg / (1 - this._pow);
	}
	get count(): number {
		return this._t;
	}
}

/** Arms a kind after it fired: `healthy` consecutive good records re-arm it. */
interface Latch {
	armed: boolean;
	healthy: number;
}

/** Per (unit, series) state. Everything is O(1) to update except the spike window's periodic resum. */
class SeriesState {
	readonly divEma: Ema;
	readonly plateauEma: Ema;
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
		this.divEma = new Ema(unit === 'step' ? o.divergence.beta : 0);
		this.plateauEma = new Ema(unit === 'step' ? o.plateau.beta : 0);
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
class PairState {
	readonly pending = new Map<number, { t?: number | null; v?: number | null }>();
	bestVal = Infinity;
	bestEpoch = 0;
	trainAtBest = Infinity;
	sinceBest = 0;
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

/**
 * A set of detectors over one run. Feed records in order with `feed`; each call returns only the
 * findings that are new. One finding per (kind, series, unit) until that kind recovers — see
 * docs/detectors.md for what recovery means per kind.
 */
export class DetectorSet {
	readonly options: DetectorOptions;
	private readonly _series = new Map<string, SeriesState>();
	private readonly _pairs = new Map<string, PairState>();
	private readonly _all: Finding[] = [];
	private readonly _disabled: Set<FindingKind>;
	private _monitoredCache = new Map<string, boolean>();

	constructor(config: DetectorConfig = {}) {
		this.options = resolveDetectorOptions(config);
		this._disabled = new Set(this.options.disabled);
	}

	/** Every finding raised so far, in order. */
	get findings(): readonly Finding[] {
		return this._all;
	}

	/** Sets the learning rate named in later actions (e.g. after a range test finishes). */
	setSuggestedLr(lr: number | null): void {
		this.options.suggestedLr = lr !== null && Number.isFinite(lr) && lr > 0 ? lr : null;
	}

	/** Feeds one record; returns the findings it caused. */
	feed(record: LogRecord): Finding[] {
		const out: Finding[] = [];
		const unit = record.unit === 'epoch' ? 'epoch' : 'step';
		if (unit === 'epoch') {
			// Pairs first: an over/underfitting finding explains (and so suppresses) a plateau on the same record.
			for (const name in record.values) {
				if (this._isMonitored(name)) {
					this._feedPair(name, record.step, finite(record.values[name]), out);
				}
			}
		}
		for (const name in record.values) {
			if (!this._isMonitored(name)) {
				continue;
			}
			const key = unit + '\0' + name;
			let s = this._series.get(key);
			if (!s) {
				s = new SeriesState(name, unit, this.options);
				this._series.set(key, s);
			}
			this._feedSeries(s, record.step, finite(record.values[name]), out);
		}
		for (const f of out) {
			this._all.push(f);
		}
		return out;
	}

	/** Feeds many records; the same findings as feeding them one at a time. */
	feedAll(records: Iterable<LogRecord>): Finding[] {
		const out: Finding[] = [];
		for (const r of records) {
			for (const f of this.feed(r)) {
				out.push(f);
			}
		}
		return out;
	}

	private _isMonitored(name: string): boolean {
		let m = this._monitoredCache.get(name);
		if (m === undefined) {
			m = this.options.isMonitored(name);
			if (this._monitoredCache.size > 10_000) {
				// A log with unbounded distinct names must not grow memory without bound.
				this._monitoredCache = new Map();
			}
			this._monitoredCache.set(name, m);
		}
		return m;
	}

	private _on(kind: FindingKind): boolean {
		return !this._disabled.has(kind);
	}

	/** Counts a healthy record for `kind`; re-arms it after enough in a row. */
	private _healthy(s: SeriesState, kind: FindingKind): void {
		const l = s.latch(kind);
		if (!l.armed) {
			l.healthy++;
			if (l.healthy >= (s.unit === 'step' ? this.options.rearmSteps : this.options.rearmEpochs)) {
				l.armed = true;
				l.healthy = 0;
			}
		}
	}

	private _unhealthy(s: SeriesState, kind: FindingKind): boolean {
		const l = s.latch(kind);
		l.healthy = 0;
		if (l.armed) {
			l.armed = false;
			return true;
		}
		return false;
	}

	private _feedSeries(s: SeriesState, step: number, x: number | null, out: Finding[]): void {
		const o = this.options;
		const unitWord = s.unit === 'step' ? 'step' : 'epoch';
		if (x === null) {
			if (this._on('nonFinite') && this._unhealthy(s, 'nonFinite')) {
				out.push(
					this._finding(
						'nonFinite',
						s,
						step,
						step,
						`${s.series} became NaN/Infinity at ${unitWord} ${step}; training cannot recover from this on its own.`,
						this._actionNonFinite(),
					),
				);
			}
			return;
		}
		this._healthy(s, 'nonFinite');

		// Divergence: smoothed > k·best after warm-up, or above the absolute cap.
		const sm = s.divEma.push(x);
		if (sm < s.best) {
			s.best = sm;
		}
		if (x > o.divergence.onsetFactor * s.best) {
			if (s.excursionStart === null) {
				s.excursionStart = step;
			}
		} else {
			s.excursionStart = null;
		}
		const warm =
			s.divEma.count > (s.unit === 'step' ? o.divergence.warmupSteps : o.divergence.warmupEpochs);
		// A jump that then stays flat is a spike until it has lasted long enough or grows further:
		// the spike rule reports it (it may recover), and divergence fires only if it persists.
		const jumpHold =
			s.outliers > 0 &&
			s.unit === 'step' &&
			this._on('spike') &&
			s.excursionStart !== null &&
			s.outlierStart - s.excursionStart <= 3 &&
			s.outliers <= spikeHoldSteps &&
			x <= 1.5 * s.outlierPeak;
		const overK = warm && sm > o.divergence.k * s.best && !jumpHold;
		const overCap = o.divergence.maxLoss !== null && sm > o.divergence.maxLoss;
		let diverged = false;
		if (this._on('divergence')) {
			if (overK || overCap) {
				diverged = true;
				if (this._unhealthy(s, 'divergence')) {
					const start = s.excursionStart ?? step;
					const what = s.unit === 'step' ? 'smoothed value' : 'value';
					const why = overK
						? `its ${what} ${formatNum(sm)} is over ${o.divergence.k}× the best so far (${formatNum(s.best)})`
						: `its ${what} ${formatNum(sm)} is above the cap ${formatNum(o.divergence.maxLoss)}`;
					out.push(
						this._finding(
							'divergence',
							s,
							start,
							step,
							`${s.series} is diverging from ${unitWord} ${start}: ${why} at ${unitWord} ${step}.`,
							this._actionDivergence(),
						),
					);
				}
			} else {
				this._healthy(s, 'divergence');
			}
		}

		// Spike (step-level): > patience consecutive losses ≥ multiplier × mean of the previous window.
		if (s.unit === 'step' && this._on('spike')) {
			if (s.ringLen === s.ring.length) {
				const mean = s.ringSum / s.ringLen;
				if (x >= o.spike.multiplier * mean) {
					if (s.outliers === 0) {
						s.outlierStart = step;
						s.outlierPeak = x;
					} else if (s.outliers <= o.spike.patience) {
						s.outlierPeak = Math.max(s.outlierPeak, x);
					}
					s.outliers++;
					if (s.outliers > o.spike.patience && !diverged && this._unhealthy(s, 'spike')) {
						out.push(
							this._finding(
								'spike',
								s,
								s.outlierStart,
								step,
								`${s.series} spiked at step ${s.outlierStart}: ${s.outliers} steps in a row at ≥ ${o.spike.multiplier}× the mean of the previous ${s.ring.length} (${formatNum(mean)}).`,
								this._actionSpike(s.outlierStart),
							),
						);
					}
				} else {
					s.outliers = 0;
					this._healthy(s, 'spike');
				}
			}
			s.pushRing(x);
		}

		// Plateau / stall: no improvement of the (smoothed) series by more than minDelta for patience.
		// A spike's outliers (≥ multiplier × the window mean) are not the series' level: they would
		// lift the smoothed value and the noise estimate and fake a stall afterwards.
		const outlier = s.unit === 'step' && s.outliers > 0;
		if (this._on('plateau') && !outlier) {
			if (s.lastPlateau === s.lastPlateau && s.lastPlateau !== 0) {
				const r = (x - s.lastPlateau) / s.lastPlateau;
				s.noiseVar = 0.99 * s.noiseVar + 0.01 * r * r;
				s.noisePow *= 0.99;
			}
			const p = s.plateauEma.push(x);
			s.lastPlateau = p;
			// Noise in the smoothed series must not count as progress: require twice its std too.
			const beta = s.unit === 'step' ? o.plateau.beta : 0;
			const noiseVar = s.noisePow < 1 ? s.noiseVar / (1 - s.noisePow) : 0;
			const noiseRel = o.plateau.noiseZ * Math.sqrt(noiseVar * ((1 - beta) / (1 + beta)));
			// No "best" before the smoother has warmed up (~1/(1−β) values): its first outputs are
			// little more than the raw, noisy values, and a lucky low one would look like a best
			// that nothing later beats.
			const warm = s.plateauEma.count >= Math.ceil(1 / (1 - beta));
			const absBest = Math.abs(s.plateauBest);
			const need =
				o.plateau.mode === 'rel'
					? s.plateauBest - Math.max(o.plateau.minDelta, noiseRel) * absBest
					: s.plateauBest - Math.max(o.plateau.minDelta, noiseRel * absBest);
			const latch = s.plateauLatch;
			// One finding per genuine stall: after a finding, only a real resumption of progress — the
			// smoothed value falling rearmDrop (and well beyond the noise) below a slower average with a
			// memory of about one patience — re-arms it; a converged run creeping down does not.
			if (!latch.armed && s.plateauSlow === s.plateauSlow) {
				const b = s.plateauSlowBeta;
				const slow = (s.plateauSlow = b * s.plateauSlow + (1 - b) * x);
				const drop = Math.max(o.plateau.rearmDrop, 2 * Math.SQRT2 * noiseRel);
				if (p < slow - drop * Math.abs(slow)) {
					latch.armed = true;
					s.plateauBest = p;
					s.plateauBestStep = step;
					s.wait = 0;
				}
			}
			if (!warm) {
				// warming up: neither a best nor a wait yet
			} else if (p < need || s.plateauBest === Infinity) {
				s.plateauBest = p;
				s.plateauBestStep = step;
				s.wait = 0;
			} else {
				s.wait++;
				const patience = s.unit === 'step' ? o.plateau.patienceSteps : o.plateau.patienceEpochs;
				// A diverging or NaN series is already reported; a "stall" on top would be noise.
				// Likewise for an epoch series whose train/val pair already has an over/underfitting finding.
				const broken =
					!s.latch('divergence').armed ||
					!s.latch('nonFinite').armed ||
					diverged ||
					this._pairExplains(s);
				if (s.wait >= patience && !broken) {
					const l = s.latch('plateau');
					if (l.armed) {
						l.armed = false;
						s.plateauSlow = p;
						const how =
							o.plateau.mode === 'rel'
								? `${formatNum(o.plateau.minDelta * 100)}%`
								: formatNum(o.plateau.minDelta);
						out.push(
							this._finding(
								'plateau',
								s,
								s.plateauBestStep,
								step,
								`${s.series} has not improved by more than ${how} for ${s.wait} ${unitWord}s (best ${formatNum(s.plateauBest)} at ${unitWord} ${s.plateauBestStep}).`,
								this._actionPlateau(),
							),
						);
					}
				}
			}
		}
	}

	private _feedPair(name: string, epoch: number, x: number | null, out: Finding[]): void {
		const isVal = name.startsWith('val_');
		const train = isVal ? name.slice(4) : name;
		const val = isVal ? name : 'val_' + name;
		let p = this._pairs.get(train);
		if (!p) {
			p = new PairState(train, val);
			this._pairs.set(train, p);
		}
		let slot = p.pending.get(epoch);
		if (!slot) {
			slot = {};
			p.pending.set(epoch, slot);
			if (p.pending.size > 64) {
				// Train-only logs never complete a pair; keep memory bounded.
				const first = p.pending.keys().next().value as number;
				p.pending.delete(first);
			}
		}
		if (isVal) {
			slot.v = x;
		} else {
			slot.t = x;
		}
		if (slot.t === undefined || slot.v === undefined) {
			return;
		}
		p.pending.delete(epoch);
		if (slot.t === null || slot.v === null) {
			return;
		}
		this._pairEpoch(p, epoch, slot.t, slot.v, out);
	}

	private _pairExplains(s: SeriesState): boolean {
		if (s.unit !== 'epoch') {
			return false;
		}
		const isVal = s.series.startsWith('val_');
		const p = this._pairs.get(isVal ? s.series.slice(4) : s.series);
		if (p === undefined) {
			return false;
		}
		// A paired validation series is judged by the over/underfitting rules, which know the train side.
		return (isVal && p.firstTrain !== null) || !p.overfitArmed || !p.underfitArmed;
	}

	private _pairEpoch(p: PairState, e: number, t: number, v: number, out: Finding[]): void {
		const o = this.options;
		const of = o.overfitting;
		if (p.firstTrain === null) {
			p.firstTrain = t;
		}
		if (v < p.bestVal * (1 - of.minDelta) || p.bestVal === Infinity) {
			p.bestVal = v;
			p.bestEpoch = e;
			p.trainAtBest = t;
			p.sinceBest = 0;
			p.overfitArmed = true;
		} else {
			p.sinceBest++;
			const rising = v > p.bestVal * (1 + of.minDelta);
			const trainFalling = t < p.trainAtBest * (1 - of.minDelta);
			if (
				this._on('overfitting') &&
				p.overfitArmed &&
				p.underfitArmed &&
				p.sinceBest >= of.patience &&
				rising &&
				trainFalling
			) {
				p.overfitArmed = false;
				out.push({
					kind: 'overfitting',
					series: p.val,
					step: p.bestEpoch,
					unit: 'epoch',
					severity: findingSeverity.overfitting,
					message: `${p.val} has risen for ${p.sinceBest} epochs since its best (${formatNum(p.bestVal)} at epoch ${p.bestEpoch}) while ${p.train} kept falling (${formatNum(p.trainAtBest)} → ${formatNum(t)}): the model is overfitting.`,
					action: this._actionOverfitting(p.bestEpoch),
					detectedAt: e,
				});
			}
		}

		// Underfitting: both flat over the window and the training loss still high.
		const uf = o.underfitting;
		const cap = uf.patience + 1;
		if (p.hist.length < cap) {
			p.hist.push({ e, t, v });
		} else {
			p.hist[p.histPos] = { e, t, v };
			p.histPos = (p.histPos + 1) % cap;
		}
		if (!p.underfitArmed && t < p.underfitRearmBelow) {
			p.underfitArmed = true;
		}
		if (this._on('underfitting') && p.underfitArmed && p.hist.length === cap) {
			const oldest = p.hist[p.histPos % cap];
			const flatT = oldest.t - t < uf.flatDelta * Math.abs(oldest.t);
			const flatV =
				oldest.v - v < uf.flatDelta * Math.abs(oldest.v) &&
				v - oldest.v < uf.flatDelta * Math.abs(oldest.v) * 5;
			const high =
				uf.highLoss !== null ? t >= uf.highLoss : t >= uf.highRatio * (p.firstTrain ?? t);
			if (flatT && flatV && high) {
				p.underfitArmed = false;
				p.underfitRearmBelow = 0.9 * t;
				const why =
					uf.highLoss !== null
						? `above ${formatNum(uf.highLoss)}`
						: `still ${formatNum((t / (p.firstTrain ?? t)) * 100)}% of its first-epoch value`;
				out.push({
					kind: 'underfitting',
					series: p.train,
					step: oldest.e,
					unit: 'epoch',
					severity: findingSeverity.underfitting,
					message: `${p.train} and ${p.val} have both been flat for ${uf.patience} epochs since epoch ${oldest.e} and the training loss is high (${formatNum(t)}, ${why}): the model is underfitting.`,
					action: this._actionUnderfitting(),
					detectedAt: e,
				});
			}
		}
	}

	private _finding(
		kind: FindingKind,
		s: SeriesState,
		step: number,
		detectedAt: number,
		message: string,
		action: string,
	): Finding {
		return {
			kind,
			series: s.series,
			step,
			unit: s.unit,
			severity: findingSeverity[kind],
			message,
			action,
			detectedAt,
		};
	}

	private _lrHint(prefix: string): string {
		const lr = this.options.suggestedLr;
		return lr !== null ? `${prefix} ~${formatLr(lr)} (the range test's suggestion)` : '';
	}

	private _actionNonFinite(): string {
		const hint = this._lrHint(', e.g.');
		return `Lower the learning rate${hint}, add gradient clipping (clipNorm), and check the inputs and loss for NaN, log(0) or division by zero.`;
	}

	private _actionDivergence(): string {
		const hint = this._lrHint(' to');
		return hint
			? `Lower the learning rate${hint}, or add warm-up / gradient clipping.`
			: 'Lower the learning rate 3–10× (or run an LR range test), or add warm-up / gradient clipping.';
	}

	private _actionSpike(start: number): string {
		const hint = this._lrHint(', e.g.');
		return `Check the batches around step ${start} for bad data; if spikes recur, lower the learning rate${hint}, add warm-up or clip gradients.`;
	}

	private _actionPlateau(): string {
		const hint = this._lrHint('; if it is far above');
		return `Reduce the learning rate (×0.1, as ReduceLROnPlateau does)${hint ? hint + ', try that' : ''}, or stop if the model has converged.`;
	}

	private _actionOverfitting(bestEpoch: number): string {
		const hint = this._lrHint(', e.g.');
		return `Stop at epoch ${bestEpoch} (early stopping that restores the best weights), or lower the learning rate${hint}, or regularise (dropout, weight decay, more data or augmentation).`;
	}

	private _actionUnderfitting(): string {
		const hint = this._lrHint(', e.g.');
		return `Raise the learning rate if it is low${hint}, train longer, or give the model more capacity / less regularisation.`;
	}
}

function finite(v: number | null | undefined): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
