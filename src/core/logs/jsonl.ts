/**
 * JSONL training logs: one object per line with a numeric `step` (or `batch` / `epoch`) and numeric
 * series. Non-finite values arrive as `null`, bare `NaN`/`Infinity`/`-Infinity` tokens (Python's
 * json.dumps) or the strings "NaN"/"Infinity"/"-Infinity"; all become `null`. See docs/logs.md.
 */
import type { LogRecord } from '../types';
import { LineReader, isNonFiniteWord } from './reader';

/** Keys that are positions or clocks, not series. */
const reservedKeys = new Set([
	'step',
	'batch',
	'epoch',
	'wall_time',
	'walltime',
	'time',
	'timestamp',
	'size',
]);

/** Bare non-finite tokens outside strings; strings are matched first so their contents stay intact. */
const bareTokens = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/** Incremental JSONL reader (see `LogReader`). */
export class JsonlReader extends LineReader {
	readonly format = 'jsonl' as const;
	private _lastStep = -1;
	private _batchOffset = 0;
	private _lastBatch = -1;

	protected _line(line: string, out: LogRecord[]): void {
		const o = this._parse(line);
		if (o === undefined) {
			if (line.trim() !== '') {
				this._notes.add('unparsable line', `line ${this._lineNo} is not a JSON object; skipped it`);
			}
			return;
		}
		this._record(o, out);
	}

	protected _tailLine(line: string, out: LogRecord[]): boolean {
		const o = this._parse(line);
		if (o === undefined) {
			return false;
		}
		this._record(o, out);
		return true;
	}

	private _parse(line: string): Record<string, unknown> | undefined {
		let v: unknown;
		try {
			v = JSON.parse(line);
		} catch {
			if (!/NaN|Infinity/.test(line)) {
				return undefined;
			}
			try {
				v = JSON.parse(line.replace(bareTokens, (m) => (m.charCodeAt(0) === 34 ? m : 'null')));
			} catch {
				return undefined;
			}
		}
		return v !== null && typeof v === 'object' && !Array.isArray(v)
			? (v as Record<string, unknown>)
			: undefined;
	}

	private _record(o: Record<string, unknown>, out: LogRecord[]): void {
		let step: number;
		let unit: 'step' | 'epoch' = 'step';
		if (isNum(o.step)) {
			step = o.step;
		} else if (isNum(o.batch)) {
			// tfjs/Keras `batch` restarts every epoch; keep a running offset so steps stay global.
			if (o.batch < this._lastBatch) {
				this._batchOffset += this._lastBatch + 1;
			}
			this._lastBatch = o.batch;
			step = this._batchOffset + o.batch;
		} else if (isNum(o.epoch)) {
			step = o.epoch;
			unit = 'epoch';
		} else {
			this._notes.add(
				'no step',
				`line ${this._lineNo} has no numeric "step", "batch" or "epoch"; numbered it after the previous step`,
			);
			step = this._lastStep + 1;
		}
		if (unit === 'step') {
			this._lastStep = step;
		}
		const values: Record<string, number | null> = {};
		let any = false;
		for (const k in o) {
			if (reservedKeys.has(k)) {
				continue;
			}
			const v = o[k];
			if (typeof v === 'number') {
				values[k] = Number.isFinite(v) ? v : null;
				any = true;
			} else if (v === null || (typeof v === 'string' && isNonFiniteWord(v))) {
				values[k] = null;
				any = true;
			}
		}
		if (any) {
			out.push({ step, unit, values });
		}
	}
}

function isNum(x: unknown): x is number {
	return typeof x === 'number' && Number.isFinite(x);
}
