/**
 * CSV training logs with a header row (Keras CSVLogger, pandas `to_csv`, hand-written loggers).
 * The position column is `step`, `batch`, `iteration`/`iter` or `epoch` (first found, case-insensitive);
 * every other column whose cells are numbers is a series. See docs/logs.md.
 */
import type { LogRecord } from '../types';
import { LineReader, isNonFiniteWord } from './reader';

const stepNames = ['step', 'global_step', 'batch', 'iteration', 'iter'];
const skipNames = new Set(['wall_time', 'walltime', 'time', 'timestamp', 'size']);

/** Incremental CSV reader (see `LogReader`). */
export class CsvReader extends LineReader {
	readonly format = 'csv' as const;
	private _header: string[] | null = null;
	private _headerLine = '';
	private _sep = ',';
	private _stepCol = -1;
	private _unit: 'step' | 'epoch' = 'step';
	private _lastStep = -1;

	/** `header`: the header line, when resuming mid-file (the follower reads it from the file's start). */
	constructor(header?: string, maxLineBytes?: number) {
		super(maxLineBytes);
		if (header !== undefined) {
			this._setHeader(header);
		}
	}

	/** Column names, once the header has been read. */
	get header(): readonly string[] | null {
		return this._header;
	}

	protected _line(line: string, out: LogRecord[]): void {
		if (line.trim() === '') {
			return;
		}
		if (this._header === null) {
			this._setHeader(line);
			return;
		}
		if (line === this._headerLine) {
			// Appending loggers sometimes repeat the header; it is not data.
			return;
		}
		if (!this._row(line, out)) {
			this._notes.add(
				'bad row',
				`line ${this._lineNo} has a different number of columns than the header; skipped it`,
			);
		}
	}

	protected _tailLine(line: string, out: LogRecord[]): boolean {
		if (this._header === null) {
			this._setHeader(line);
			return true;
		}
		return this._row(line, out);
	}

	private _setHeader(line: string): void {
		this._headerLine = line;
		this._sep = line.includes(',')
			? ','
			: line.includes('\t')
				? '\t'
				: line.includes(';')
					? ';'
					: ',';
		this._header = splitCsv(line, this._sep).map((h) => h.trim());
		const lower = this._header.map((h) => h.toLowerCase());
		for (const n of stepNames) {
			const i = lower.indexOf(n);
			if (i >= 0) {
				this._stepCol = i;
				this._unit = 'step';
				return;
			}
		}
		const e = lower.indexOf('epoch');
		if (e >= 0) {
			this._stepCol = e;
			this._unit = 'epoch';
			return;
		}
		this._notes.add(
			'no step column',
			`the header has no step/batch/epoch column; numbered rows in order`,
		);
	}

	/** Parses a data row; false when its column count does not match the header. */
	private _row(line: string, out: LogRecord[]): boolean {
		const header = this._header as string[];
		const cells = splitCsv(line, this._sep);
		if (cells.length !== header.length) {
			return false;
		}
		let step: number;
		if (this._stepCol >= 0) {
			step = Number(cells[this._stepCol]);
			if (cells[this._stepCol].trim() === '' || !Number.isFinite(step)) {
				this._notes.add(
					'bad step',
					`line ${this._lineNo} has no numeric ${header[this._stepCol]}; skipped it`,
				);
				return true;
			}
		} else {
			step = this._lastStep + 1;
		}
		this._lastStep = step;
		const values: Record<string, number | null> = {};
		let any = false;
		for (let i = 0; i < cells.length; i++) {
			if (i === this._stepCol || skipNames.has(header[i].toLowerCase())) {
				continue;
			}
			const c = cells[i].trim();
			if (c === '') {
				continue;
			}
			const v = Number(c);
			if (Number.isFinite(v)) {
				values[header[i]] = v;
				any = true;
			} else if (isNonFiniteWord(c) || !Number.isNaN(v)) {
				// `!isNaN` here is ±Infinity: a number that overflows a double (1e400) is non-finite,
				// as JSON.parse makes it in the JSONL reader — never silently dropped.
				values[header[i]] = null;
				any = true;
			}
		}
		if (any) {
			out.push({ step, unit: this._unit, values });
		}
		return true;
	}
}

/** Splits one CSV line, honouring double quotes (RFC 4180, without embedded newlines). */
export function splitCsv(line: string, sep: string): string[] {
	if (!line.includes('"')) {
		return line.split(sep);
	}
	const cells: string[] = [];
	let cur = '';
	let q = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (q) {
			if (ch === '"') {
				if (line[i + 1] === '"') {
					cur += '"';
					i++;
				} else {
					q = false;
				}
			} else {
				cur += ch;
			}
		} else if (ch === '"') {
			q = true;
		} else if (ch === sep) {
			cells.push(cur);
			cur = '';
		} else {
			cur += ch;
		}
	}
	cells.push(cur);
	return cells;
}
