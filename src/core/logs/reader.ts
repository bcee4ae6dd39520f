/**
 * What every incremental log reader shares: the `LogReader` interface, bounded notes, and line
 * splitting over raw bytes (for the text formats). Readers never throw on bad input: they skip it
 * and say so in a note.
 */
import type { LogRecord } from '../types';

/** Formats LR Scope reads. */
export type LogFormat = 'jsonl' | 'csv' | 'tfevents';

/** An incremental reader: feed bytes as they arrive, get the records that are now complete. */
export interface LogReader {
	readonly format: LogFormat;
	/** Parses `bytes` (the next bytes of the stream); a partial trailing line/record waits for more. */
	feed(bytes: Uint8Array): LogRecord[];
	/** End of input: parses or reports what is left over (a partial last line/record is a note, not an error). */
	end(): LogRecord[];
	/** Bytes from the start of the stream that are fully processed; a later reader can resume here. */
	readonly consumed: number;
	/** Bytes held back waiting for the rest of a line/record. */
	readonly pendingBytes: number;
	/** All notes so far (what was skipped and why). */
	readonly notes: readonly string[];
	/** Notes added since the last call. */
	takeNotes(): string[];
}

/** Thrown for input that cannot be read at all (missing file, unknown format); readers themselves never throw. */
export class LogInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LogInputError';
	}
}

/**
 * Notes with a cap per kind, so a binary file fed as JSONL gives three examples and a count, not
 * a million lines.
 */
export class Notes {
	private readonly _all: string[] = [];
	private _taken = 0;
	private readonly _counts = new Map<string, number>();
	constructor(private readonly _perKind = 3) {}

	/** Adds a note of `kind`; beyond the cap only counts it. */
	add(kind: string, message: string): void {
		const n = (this._counts.get(kind) ?? 0) + 1;
		this._counts.set(kind, n);
		if (n <= this._perKind) {
			this._all.push(message);
		}
	}

	/** Adds the "…and N more" summaries for kinds over the cap (call once at end of input). */
	summarise(describe: (kind: string) => string = (k) => k): void {
		for (const [kind, n] of this._counts) {
			if (n > this._perKind) {
				this._all.push(`…and ${n - this._perKind} more ${describe(kind)} (${n} in all)`);
				this._counts.set(kind, this._perKind);
			}
		}
	}

	get all(): readonly string[] {
		return this._all;
	}

	take(): string[] {
		const r = this._all.slice(this._taken);
		this._taken = this._all.length;
		return r;
	}
}

/** Words for the non-finite spellings that logs use. */
const nonFiniteWords = new Set([
	'nan',
	'-nan',
	'+nan',
	'inf',
	'+inf',
	'-inf',
	'infinity',
	'+infinity',
	'-infinity',
	'null',
	'none',
]);

/** True when a string spells a non-finite number ("NaN", "Infinity", "-inf", ...). */
export function isNonFiniteWord(s: string): boolean {
	return nonFiniteWords.has(s.trim().toLowerCase());
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** One line's text, or null when it is not valid UTF-8. */
function decodeLine(bytes: Uint8Array): string | null {
	try {
		return decoder.decode(bytes);
	} catch {
		return null;
	}
}

/**
 * Splits a byte stream into complete UTF-8 lines. Holds a partial last line until its newline
 * arrives; drops lines longer than `maxLineBytes` with a note (a file without newlines must not
 * make us buffer it all).
 */
export abstract class LineReader implements LogReader {
	abstract readonly format: LogFormat;
	protected readonly _notes = new Notes();
	protected _lineNo = 0;
	private _consumed = 0;
	private _pending: Uint8Array[] = [];
	private _pendingLen = 0;
	private _skippingLongLine = false;
	private _first = true;
	private _dead = false;

	constructor(protected readonly _maxLineBytes = 8 * 1024 * 1024) {}

	get consumed(): number {
		return this._consumed;
	}
	get pendingBytes(): number {
		return this._pendingLen;
	}
	get notes(): readonly string[] {
		return this._notes.all;
	}
	takeNotes(): string[] {
		return this._notes.take();
	}

	/** Parses one complete line (without its newline), pushing any record to `out`. */
	protected abstract _line(line: string, out: LogRecord[]): void;

	feed(bytes: Uint8Array): LogRecord[] {
		const out: LogRecord[] = [];
		if (bytes.length === 0) {
			return out;
		}
		if (this._first && this._pendingLen === 0) {
			this._first = false;
			if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
				this._dead = true;
				this._notes.add(
					'utf16',
					`the file is UTF-16 encoded; save it as UTF-8 to read it (nothing was read)`,
				);
			} else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
				// A UTF-8 BOM is harmless; drop it so the first key/column name is clean.
				this._consumed += 3;
				bytes = bytes.subarray(3);
			}
		}
		if (this._dead) {
			this._consumed += bytes.length;
			return out;
		}
		const last = bytes.lastIndexOf(10);
		if (last < 0) {
			this._hold(bytes);
			return out;
		}
		let complete: Uint8Array;
		if (this._pendingLen > 0) {
			complete = new Uint8Array(this._pendingLen + last + 1);
			let o = 0;
			for (const p of this._pending) {
				complete.set(p, o);
				o += p.length;
			}
			complete.set(bytes.subarray(0, last + 1), o);
		} else {
			complete = bytes.subarray(0, last + 1);
		}
		const skipFirst = this._skippingLongLine;
		this._pending = [];
		this._pendingLen = 0;
		this._skippingLongLine = false;
		this._consumed += complete.length;
		this._lines(complete, skipFirst, out);
		if (last + 1 < bytes.length) {
			this._hold(bytes.subarray(last + 1));
		}
		return out;
	}

	end(): LogRecord[] {
		const out: LogRecord[] = [];
		if (this._pendingLen > 0 && !this._skippingLongLine && !this._dead) {
			const rest = new Uint8Array(this._pendingLen);
			let o = 0;
			for (const p of this._pending) {
				rest.set(p, o);
				o += p.length;
			}
			this._consumed += rest.length;
			this._pending = [];
			this._pendingLen = 0;
			this._lastLine(rest, out);
		}
		this._notes.summarise((k) => k);
		return out;
	}

	/** The bytes after the last newline at end of input: a final line without a newline, or a partial one. */
	protected _lastLine(rest: Uint8Array, out: LogRecord[]): void {
		this._lines(rest, false, out, true);
	}

	private _hold(bytes: Uint8Array): void {
		if (this._skippingLongLine) {
			this._consumed += bytes.length;
			return;
		}
		// Copy: the caller may reuse its buffer.
		this._pending.push(bytes.slice());
		this._pendingLen += bytes.length;
		if (this._pendingLen > this._maxLineBytes) {
			this._lineNo++;
			this._notes.add(
				'long line',
				`line ${this._lineNo} is longer than ${this._maxLineBytes} bytes; skipped it`,
			);
			this._consumed += this._pendingLen;
			this._pending = [];
			this._pendingLen = 0;
			this._skippingLongLine = true;
		}
	}

	private _lines(bytes: Uint8Array, skipFirst: boolean, out: LogRecord[], isTail = false): void {
		let text: string | null;
		try {
			text = decoder.decode(bytes);
		} catch {
			text = null;
		}
		// When some line is not UTF-8 (text === null), lines are decoded one by one so only the bad
		// ones are skipped; otherwise the whole chunk was decoded at once and is split as a string.
		const end = text !== null ? text.length : bytes.length;
		let start = 0;
		let first = true;
		while (start < end) {
			let nl = text !== null ? text.indexOf('\n', start) : bytes.indexOf(10, start);
			if (nl < 0) {
				nl = end;
			}
			if (first && skipFirst) {
				first = false;
				start = nl + 1;
				continue;
			}
			first = false;
			this._lineNo++;
			let line = text !== null ? text.slice(start, nl) : decodeLine(bytes.subarray(start, nl));
			if (line === null) {
				this._notes.add('non-UTF-8 line', `line ${this._lineNo} is not valid UTF-8; skipped it`);
			} else {
				if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) {
					line = line.slice(0, -1);
				}
				this._dispatch(line, out, isTail);
			}
			start = nl + 1;
		}
	}

	private _dispatch(line: string, out: LogRecord[], isTail: boolean): void {
		if (isTail) {
			if (line.trim() !== '' && !this._tailLine(line, out)) {
				this._notes.add(
					'partial last line',
					`the last line (${this._lineNo}) is incomplete; skipped it (the run may still be writing)`,
				);
			}
			return;
		}
		this._line(line, out);
	}

	/**
	 * A final line without a newline at end of input: parse it if it is complete and return true;
	 * return false (adding nothing) if it looks cut off.
	 */
	protected abstract _tailLine(line: string, out: LogRecord[]): boolean;
}
