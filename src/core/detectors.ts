/**
 * Live-run detectors over a stream of `LogRecord`s: non-finite, divergence, spike, plateau/stall,
 * overfitting and underfitting. Incremental: every record costs O(series in the record) amortised —
 * running sums and ring buffers, never a rescan of history. Rules and defaults: docs/detectors.md.
 * This file is the set (feed, latches, pairing); options, state and one file per rule are in
 * detectors/, the action texts in present/detectorActions.ts.
 */
import { feedDivergence } from './detectors/divergence';
import { feedNonFinite } from './detectors/nonFinite';
import {
	resolveDetectorOptions,
	type DetectorConfig,
	type DetectorOptions,
} from './detectors/options';
import { feedOverfitting } from './detectors/overfitting';
import { feedPlateau } from './detectors/plateau';
import type { RuleContext } from './detectors/rule';
import { feedSpike } from './detectors/spike';
import { PairState, SeriesState } from './detectors/state';
import { feedUnderfitting } from './detectors/underfitting';
import type { Finding, FindingKind, LogRecord } from './types';

/**
 * A set of detectors over one run. Feed records in order with `feed`; each call returns only the
 * findings that are new. One finding per (kind, series, unit) until that kind recovers — see
 * docs/detectors.md for what recovery means per kind.
 */
export class DetectorSet implements RuleContext {
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

	on(kind: FindingKind): boolean {
		return !this._disabled.has(kind);
	}

	/** Counts a healthy record for `kind`; re-arms it after enough in a row. */
	healthy(s: SeriesState, kind: FindingKind): void {
		const l = s.latch(kind);
		if (!l.armed) {
			l.healthy++;
			if (l.healthy >= (s.unit === 'step' ? this.options.rearmSteps : this.options.rearmEpochs)) {
				l.armed = true;
				l.healthy = 0;
			}
		}
	}

	unhealthy(s: SeriesState, kind: FindingKind): boolean {
		const l = s.latch(kind);
		l.healthy = 0;
		if (l.armed) {
			l.armed = false;
			return true;
		}
		return false;
	}

	private _feedSeries(s: SeriesState, step: number, x: number | null, out: Finding[]): void {
		if (x === null) {
			feedNonFinite(this, s, step, out);
			return;
		}
		this.healthy(s, 'nonFinite');
		const diverged = feedDivergence(this, s, step, x, out);
		feedSpike(this, s, step, x, diverged, out);
		feedPlateau(this, s, step, x, diverged, out);
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

	pairExplains(s: SeriesState): boolean {
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
		if (p.firstTrain === null) {
			p.firstTrain = t;
		}
		feedOverfitting(this, p, e, t, v, out);
		feedUnderfitting(this, p, e, t, v, out);
	}
}

function finite(v: number | null | undefined): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
