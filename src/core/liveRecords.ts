/**
 * A live run's records in bounded memory. A monitored training or a watched log can run for
 * millions of steps; the extension host must not keep them all. `LiveRecords` keeps:
 * - the newest `recentCap` records at full resolution (the live edge the chart and the user look at);
 * - every epoch-level record (one per epoch: few, and the view places validation points on them);
 * - older step records as min/max buckets: per bucket and series, the smallest and the largest value
 *   and the first non-finite one (so every spike and every NaN stays visible, as `decimateMinMax`
 *   keeps them). When there are more than `historyCap` buckets, neighbours merge and each bucket
 *   covers twice as many steps.
 * Findings are not kept here: the store keeps every finding exactly.
 */
import type { LogRecord } from './types';

/** Sizes of a `LiveRecords`. */
export interface LiveRecordsOptions {
	/** Newest records kept exactly. */
	recentCap: number;
	/** Buckets of older step records; each holds at most 2 + 1 points per series. */
	historyCap: number;
}

/** Defaults: ~50k exact records and ≤ 4k buckets — a few tens of MB for a run of any length. */
export const defaultLiveRecordsOptions: LiveRecordsOptions = {
	recentCap: 50_000,
	historyCap: 4_000,
};

interface Point {
	seq: number;
	step: number;
	v: number | null;
}

interface SeriesExtremes {
	min?: Point;
	max?: Point;
	bad?: Point;
}

interface Bucket {
	firstSeq: number;
	/** Step records in this bucket. */
	n: number;
	series: Map<string, SeriesExtremes>;
}

interface Entry {
	seq: number;
	rec: LogRecord;
}

/** Bounded storage of a live run's records (see the file comment). */
export class LiveRecords {
	private readonly _opts: LiveRecordsOptions;
	private _recent: (Entry | undefined)[] = [];
	private _head = 0;
	private _size = 0;
	private readonly _epochs: Entry[] = [];
	private _buckets: Bucket[] = [];
	/** Step records per bucket (doubles on every merge). */
	private _bucketSpan = 1;
	private _seq = 0;
	private _total = 0;
	private _steps = 0;

	constructor(options: Partial<LiveRecordsOptions> = {}) {
		this._opts = { ...defaultLiveRecordsOptions, ...options };
		this._recent = new Array<Entry | undefined>(this._opts.recentCap);
	}

	/** Records ever added. */
	get total(): number {
		return this._total;
	}

	/** Step-level records ever added. */
	get stepCount(): number {
		return this._steps;
	}

	/** Records held now (bounded). */
	get held(): number {
		let n = this._size + this._epochs.length;
		for (const b of this._buckets) {
			n += b.series.size * 3;
		}
		return n;
	}

	/** Adds records in arrival order. Never spreads its argument: any batch size is fine. */
	push(records: readonly LogRecord[]): void {
		for (const rec of records) {
			this._total++;
			if (rec.unit === 'step') {
				this._steps++;
			}
			const e: Entry = { seq: this._seq++, rec };
			if (this._size === this._opts.recentCap) {
				const old = this._recent[this._head]!;
				this._recent[this._head] = e;
				this._head = (this._head + 1) % this._opts.recentCap;
				this._retire(old);
			} else {
				this._recent[(this._head + this._size) % this._opts.recentCap] = e;
				this._size++;
			}
		}
	}

	/** Everything held, in arrival order: decimated history, epochs, then the recent records. */
	toArray(): LogRecord[] {
		const old: Entry[] = [];
		for (const b of this._buckets) {
			bucketEntries(b, old);
		}
		const out: LogRecord[] = [];
		let i = 0;
		let j = 0;
		while (i < old.length || j < this._epochs.length) {
			if (j >= this._epochs.length || (i < old.length && old[i].seq < this._epochs[j].seq)) {
				out.push(old[i++].rec);
			} else {
				out.push(this._epochs[j++].rec);
			}
		}
		for (let k = 0; k < this._size; k++) {
			out.push(this._recent[(this._head + k) % this._opts.recentCap]!.rec);
		}
		return out;
	}

	/** A record leaving the exact window. */
	private _retire(e: Entry): void {
		if (e.rec.unit === 'epoch') {
			this._epochs.push(e);
			return;
		}
		let b = this._buckets[this._buckets.length - 1];
		if (!b || b.n >= this._bucketSpan) {
			b = { firstSeq: e.seq, n: 0, series: new Map() };
			this._buckets.push(b);
			if (this._buckets.length > this._opts.historyCap) {
				this._mergePairs();
				b = this._buckets[this._buckets.length - 1];
			}
		}
		b.n++;
		for (const k in e.rec.values) {
			const v = e.rec.values[k];
			const p: Point = { seq: e.seq, step: e.rec.step, v };
			let s = b.series.get(k);
			if (!s) {
				s = {};
				b.series.set(k, s);
			}
			if (v === null || !Number.isFinite(v)) {
				s.bad ??= p;
			} else {
				if (!s.min || v < (s.min.v as number)) {
					s.min = p;
				}
				if (!s.max || v > (s.max.v as number)) {
					s.max = p;
				}
			}
		}
	}

	private _mergePairs(): void {
		const merged: Bucket[] = [];
		for (let i = 0; i < this._buckets.length; i += 2) {
			const a = this._buckets[i];
			const b = this._buckets[i + 1];
			if (!b) {
				merged.push(a);
				continue;
			}
			for (const [k, sb] of b.series) {
				const sa = a.series.get(k);
				if (!sa) {
					a.series.set(k, sb);
					continue;
				}
				if (sb.min && (!sa.min || (sb.min.v as number) < (sa.min.v as number))) {
					sa.min = sb.min;
				}
				if (sb.max && (!sa.max || (sb.max.v as number) > (sa.max.v as number))) {
					sa.max = sb.max;
				}
				sa.bad ??= sb.bad;
			}
			a.n += b.n;
			merged.push(a);
		}
		this._buckets = merged;
		this._bucketSpan *= 2;
	}
}

/** A bucket's points as records, one per distinct source record, in arrival order. */
function bucketEntries(b: Bucket, out: Entry[]): void {
	const bySeq = new Map<number, Entry>();
	for (const [k, s] of b.series) {
		for (const p of [s.min, s.max, s.bad]) {
			if (!p) {
				continue;
			}
			let e = bySeq.get(p.seq);
			if (!e) {
				e = { seq: p.seq, rec: { step: p.step, unit: 'step', values: {} } };
				bySeq.set(p.seq, e);
			}
			e.rec.values[k] = p.v;
		}
	}
	const entries = [...bySeq.values()].sort((x, y) => x.seq - y.seq);
	for (const e of entries) {
		out.push(e);
	}
}

/**
 * At most about `max` records, evenly thinned, keeping the last record (the live edge) and every
 * epoch record. For views: the chart decimates again anyway.
 */
export function thinRecords(records: readonly LogRecord[], max: number): LogRecord[] {
	const n = records.length;
	if (n <= max) {
		return records.slice();
	}
	const stride = Math.ceil(n / max);
	const out: LogRecord[] = [];
	for (let i = 0; i < n; i++) {
		const rec = records[i];
		if (i % stride === 0 || i === n - 1 || rec.unit === 'epoch') {
			out.push(rec);
		}
	}
	return out;
}
