/**
 * Grouping records into series without holding them: `lrscope read` on a 500 MB log must not need
 * gigabytes. Each series keeps its summary (points, first/last step, last value, min, non-finite
 * count) in memory and, when points are wanted, spills them as ready-made JSON text to one file
 * per series in a private temp folder. `writeJson` then streams `{"series":{...},"notes":[...]}`
 * from those files. Memory is the write buffers (64 KB per series, 8 MB in all) and one summary
 * per series, whatever the log's size.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogRecord } from '../types';

/** Summary of one series, kept while spooling. */
export interface SeriesSummary {
	points: number;
	firstStep: number;
	lastStep: number;
	/** Last value (null = non-finite). */
	last: number | null;
	/** Smallest finite value (Infinity when none). */
	min: number;
	nonFinite: number;
}

interface SpooledSeries extends SeriesSummary {
	file?: string;
	buf: string[];
	bufChars: number;
}

/** Text buffered per series before it is appended to the series' file. */
const flushChars = 64 * 1024;
/** Text buffered over all series (a log with thousands of tags): past it, every buffer is flushed. */
const flushAllChars = 8 * 1024 * 1024;

/**
 * Series names, as `recordsToSeries` gives them: step-level tags keep their name; an epoch-level
 * tag also seen at step level becomes `epoch_<tag>` (or `epoch/<tag>` if that is taken too).
 */
export function seriesNames(
	stepTags: Iterable<string>,
	epochTags: Iterable<string>,
): { step: Map<string, string>; epoch: Map<string, string> } {
	const step = new Map<string, string>();
	const taken = new Set<string>();
	for (const k of stepTags) {
		step.set(k, k);
		taken.add(k);
	}
	const epoch = new Map<string, string>();
	for (const k of epochTags) {
		const name = step.has(k) && !k.startsWith('epoch_') ? `epoch_${k}` : k;
		const final = taken.has(name) ? `epoch/${k}` : name;
		epoch.set(k, final);
		taken.add(final);
	}
	return { step, epoch };
}

/** Groups records by series; with `keepPoints`, spools the points to temp files for `writeJson`. */
export class SeriesSpool {
	private readonly _byUnit = {
		step: new Map<string, SpooledSeries>(),
		epoch: new Map<string, SpooledSeries>(),
	};
	private _dir: string | undefined;
	private _files = 0;
	private _buffered = 0;
	records = 0;

	constructor(private readonly _keepPoints: boolean) {}

	/** Adds records (in arrival order). */
	add(records: readonly LogRecord[]): void {
		for (const r of records) {
			this.records++;
			const m = this._byUnit[r.unit];
			for (const k in r.values) {
				const v = r.values[k];
				let s = m.get(k);
				if (!s) {
					s = {
						points: 0,
						firstStep: r.step,
						lastStep: r.step,
						last: null,
						min: Infinity,
						nonFinite: 0,
						buf: [],
						bufChars: 0,
					};
					m.set(k, s);
				}
				s.points++;
				s.lastStep = r.step;
				s.last = v;
				if (v === null || !Number.isFinite(v)) {
					s.nonFinite++;
				} else if (v < s.min) {
					s.min = v;
				}
				if (this._keepPoints) {
					const text = `${s.points > 1 ? ',' : ''}[${r.step},${v === null || !Number.isFinite(v) ? 'null' : v}]`;
					s.buf.push(text);
					s.bufChars += text.length;
					this._buffered += text.length;
					if (s.bufChars >= flushChars) {
						this._flush(s);
					} else if (this._buffered >= flushAllChars) {
						for (const m of [this._byUnit.step, this._byUnit.epoch]) {
							for (const x of m.values()) {
								if (x.bufChars > 0) {
									this._flush(x);
								}
							}
						}
					}
				}
			}
		}
	}

	/** The series in output order with their final names. */
	summaries(): [string, SeriesSummary][] {
		const names = seriesNames(this._byUnit.step.keys(), this._byUnit.epoch.keys());
		const out: [string, SeriesSummary][] = [];
		for (const [k, s] of this._byUnit.step) {
			out.push([names.step.get(k)!, s]);
		}
		for (const [k, s] of this._byUnit.epoch) {
			out.push([names.epoch.get(k)!, s]);
		}
		return out;
	}

	/**
	 * Streams `{"series":{"<tag>":[[step,value],...]},"notes":[...]}` plus a newline through
	 * `write`, which should wait for the sink to drain.
	 */
	async writeJson(
		notes: readonly string[],
		write: (chunk: string) => Promise<void>,
	): Promise<void> {
		await write('{"series":{');
		let first = true;
		for (const [name, s] of this.summaries() as [string, SpooledSeries][]) {
			await write(`${first ? '' : ','}${JSON.stringify(name)}:[`);
			first = false;
			if (s.file) {
				const fd = fs.openSync(s.file, 'r');
				try {
					const buf = Buffer.alloc(1024 * 1024);
					for (;;) {
						const n = fs.readSync(fd, buf, 0, buf.length, null);
						if (n === 0) {
							break;
						}
						await write(buf.toString('latin1', 0, n));
					}
				} finally {
					fs.closeSync(fd);
				}
			}
			await write(s.buf.join('') + ']');
		}
		await write(`},"notes":${JSON.stringify(notes)}}\n`);
	}

	/** Deletes the temp files. Safe to call more than once. */
	dispose(): void {
		if (this._dir) {
			fs.rmSync(this._dir, { recursive: true, force: true });
			this._dir = undefined;
		}
	}

	private _flush(s: SpooledSeries): void {
		if (!s.file) {
			this._dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-read-'));
			s.file = path.join(this._dir, `${this._files++}.json`);
		}
		// Only ASCII is spooled (numbers, commas, brackets, "null"), so latin1 is exact.
		fs.appendFileSync(s.file, s.buf.join(''), 'latin1');
		this._buffered -= s.bufChars;
		s.buf = [];
		s.bufChars = 0;
	}
}
