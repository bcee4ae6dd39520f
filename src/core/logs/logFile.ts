/**
 * Reading whole log files and tfjs-node logdirs: format detection, chunked streaming through the
 * incremental readers, tag naming for `train/` and `val/` writers, and the `{tag: [[step, value]]}`
 * series shape the CLI prints. Node built-ins are allowed here (core/logs is the I/O edge of core).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogRecord } from '../types';
import { CsvReader } from './csv';
import { JsonlReader } from './jsonl';
import { LogInputError, type LogFormat, type LogReader } from './reader';
import { seriesNames } from './seriesSpool';
import { TfeventsReader, maskedCrc32c } from './tfevents';
import { errorText } from '../present/errorText';

/** Bytes read per chunk; small enough to keep memory flat on huge files. */
export const chunkBytes = 1024 * 1024;

/** Options for creating a reader. */
export interface ReaderOptions {
	/** Tag prefix for event files (the logdir reader passes `val_` for the `val` writer). */
	tagPrefix?: string;
	/** CSV header line, when resuming mid-file. */
	csvHeader?: string;
}

/** A fresh incremental reader for `format`. */
export function createReader(format: LogFormat, options: ReaderOptions = {}): LogReader {
	switch (format) {
		case 'jsonl':
			return new JsonlReader();
		case 'csv':
			return new CsvReader(options.csvHeader);
		case 'tfevents':
			return new TfeventsReader({ tagPrefix: options.tagPrefix });
	}
}

/** True for a TensorBoard event file name (`events.out.tfevents.<time>.<host>...`). */
export function isEventFileName(name: string): boolean {
	return path.basename(name).includes('tfevents');
}

/**
 * The format of a file, from its name, else from its first bytes; null when neither tells.
 * `head` may be empty (then only the name decides).
 */
export function detectFormat(name: string, head: Uint8Array): LogFormat | null {
	const base = path.basename(name).toLowerCase();
	if (isEventFileName(base)) {
		return 'tfevents';
	}
	if (/\.(jsonl|ndjson|json)$/.test(base)) {
		return 'jsonl';
	}
	if (/\.(csv|tsv)$/.test(base)) {
		return 'csv';
	}
	if (head.length >= 12) {
		const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
		if (maskedCrc32c(head.subarray(0, 8)) === dv.getUint32(8, true)) {
			return 'tfevents';
		}
	}
	let i = 0;
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
		i = 3;
	}
	while (
		i < head.length &&
		(head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)
	) {
		i++;
	}
	if (head[i] === 0x7b) {
		return 'jsonl';
	}
	const firstLine = new TextDecoder('utf-8')
		.decode(head.subarray(i, Math.min(head.length, i + 4096)))
		.split('\n')[0];
	if (/^[\w".-]+([,\t;][\w". -]*)+\r?$/.test(firstLine)) {
		return 'csv';
	}
	return null;
}

/** Records plus what was skipped. */
export interface LogReadResult {
	records: LogRecord[];
	notes: string[];
	/** Files read, in order. */
	files: string[];
	bytes: number;
}

/** Options for reading a file or a logdir. */
export interface ReadOptions {
	/** Force a format instead of detecting it. */
	format?: LogFormat;
	/** Tag prefix for event files. */
	tagPrefix?: string;
	/** Label used in notes instead of the file's base name. */
	label?: string;
}

/**
 * Streams one file through its reader, calling `onRecords` per chunk (so callers like `diagnose`
 * never hold the whole log). Returns notes (prefixed with the file's label) and the bytes read.
 */
export async function scanLogFile(
	file: string,
	onRecords: (records: LogRecord[]) => void,
	options: ReadOptions = {},
): Promise<{ notes: string[]; bytes: number }> {
	const label = options.label ?? path.basename(file);
	let fh: fs.promises.FileHandle;
	try {
		fh = await fs.promises.open(file, 'r');
	} catch (e) {
		throw new LogInputError(describeFsError(file, e));
	}
	try {
		const st = await fh.stat();
		if (st.isDirectory()) {
			throw new LogInputError(`${file} is a directory; pass it as a logdir`);
		}
		const buf = new Uint8Array(chunkBytes);
		let pos = 0;
		const first = await fh.read(buf, 0, buf.length, 0);
		if (first.bytesRead === 0) {
			return { notes: [`${label}: the file is empty`], bytes: 0 };
		}
		const format = options.format ?? detectFormat(file, buf.subarray(0, first.bytesRead));
		if (format === null) {
			throw new LogInputError(
				`cannot tell the format of ${file}: expected a .jsonl, .csv or TensorBoard events.out.tfevents.* file`,
			);
		}
		const reader = createReader(format, { tagPrefix: options.tagPrefix });
		let n = first.bytesRead;
		for (;;) {
			pos += n;
			const recs = reader.feed(buf.subarray(0, n));
			if (recs.length > 0) {
				onRecords(recs);
			}
			const r = await fh.read(buf, 0, buf.length, pos);
			n = r.bytesRead;
			if (n === 0) {
				break;
			}
		}
		const tail = reader.end();
		if (tail.length > 0) {
			onRecords(tail);
		}
		return { notes: reader.notes.map((m) => `${label}: ${m}`), bytes: pos };
	} finally {
		await fh.close();
	}
}

/** Reads a whole log file (JSONL, CSV or a TensorBoard event file). */
export async function readLogFile(file: string, options: ReadOptions = {}): Promise<LogReadResult> {
	const records: LogRecord[] = [];
	const r = await scanLogFile(file, (recs) => pushAll(records, recs), options);
	return { records, notes: r.notes, files: [file], bytes: r.bytes };
}

/** One event file of a logdir with the tag prefix its writer implies. */
export interface LogDirFile {
	file: string;
	tagPrefix: string;
	/** Path relative to the logdir, for notes. */
	label: string;
}

/**
 * Event files under a tfjs-node logdir, in reading order. `train/` and files at the top keep their
 * tags; `val/` (or `validation/`) tags get the `val_` prefix; any other sub-directory `d` gets `d/`.
 */
export async function listLogDir(dir: string, maxDepth = 4): Promise<LogDirFile[]> {
	const out: LogDirFile[] = [];
	const walk = async (d: string, depth: number): Promise<void> => {
		let entries: fs.Dirent[];
		try {
			entries = await fs.promises.readdir(d, { withFileTypes: true });
		} catch (e) {
			throw new LogInputError(describeFsError(d, e));
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const e of entries) {
			const p = path.join(d, e.name);
			if (e.isDirectory() && depth < maxDepth) {
				await walk(p, depth + 1);
			} else if (e.isFile() && isEventFileName(e.name)) {
				const rel = path.relative(dir, p);
				out.push({
					file: p,
					tagPrefix: tagPrefixFor(path.dirname(rel)),
					label: rel.split(path.sep).join('/'),
				});
			}
		}
	};
	await walk(dir, 0);
	return out;
}

/** Tag prefix for event files in `relDir` (relative to the logdir). */
export function tagPrefixFor(relDir: string): string {
	const parts = relDir.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
	if (parts.length === 0) {
		return '';
	}
	const top = parts[0].toLowerCase();
	if (parts.length === 1 && top === 'train') {
		return '';
	}
	if (parts.length === 1 && (top === 'val' || top === 'validation')) {
		return 'val_';
	}
	return parts.join('/') + '/';
}

/**
 * Streams every event file under a tfjs-node logdir (see `listLogDir` for tag naming) through
 * `onRecords`.
 */
export async function scanLogDir(
	dir: string,
	onRecords: (records: LogRecord[]) => void,
): Promise<Omit<LogReadResult, 'records'>> {
	const files = await listLogDir(dir);
	if (files.length === 0) {
		throw new LogInputError(`no TensorBoard event files (events.out.tfevents.*) under ${dir}`);
	}
	const notes: string[] = [];
	let bytes = 0;
	for (const f of files) {
		const r = await scanLogFile(f.file, onRecords, {
			format: 'tfevents',
			tagPrefix: f.tagPrefix,
			label: f.label,
		});
		notes.push(...r.notes);
		bytes += r.bytes;
	}
	return { notes, files: files.map((f) => f.file), bytes };
}

/** Streams a file or a logdir, whichever `p` is, through `onRecords` (memory stays flat). */
export async function scanLogPath(
	p: string,
	onRecords: (records: LogRecord[]) => void,
): Promise<Omit<LogReadResult, 'records'>> {
	let st: fs.Stats;
	try {
		st = await fs.promises.stat(p);
	} catch (e) {
		throw new LogInputError(describeFsError(p, e));
	}
	if (st.isDirectory()) {
		return scanLogDir(p, onRecords);
	}
	const r = await scanLogFile(p, onRecords);
	return { notes: r.notes, files: [p], bytes: r.bytes };
}

/** Reads every event file under a tfjs-node logdir (see `listLogDir` for tag naming). */
export async function readLogDir(dir: string): Promise<LogReadResult> {
	const records: LogRecord[] = [];
	const r = await scanLogDir(dir, (recs) => pushAll(records, recs));
	return { records, ...r };
}

/** Reads a file or a logdir, whichever `p` is. */
export async function readLogPath(p: string): Promise<LogReadResult> {
	const records: LogRecord[] = [];
	const r = await scanLogPath(p, (recs) => pushAll(records, recs));
	return { records, ...r };
}

/** One series as `[step, value]` pairs. */
export type SeriesPoints = [number, number | null][];

/**
 * Groups records into `{tag: [[step, value], ...]}` in arrival order. A tag seen at both step and
 * epoch level (a JSONL log with batch and epoch lines) keeps its name for steps and becomes
 * `epoch_<tag>` for epochs, so the two never mix in one series.
 */
export function recordsToSeries(records: Iterable<LogRecord>): Record<string, SeriesPoints> {
	const byUnit = { step: new Map<string, SeriesPoints>(), epoch: new Map<string, SeriesPoints>() };
	for (const r of records) {
		const m = byUnit[r.unit];
		for (const k in r.values) {
			let s = m.get(k);
			if (!s) {
				s = [];
				m.set(k, s);
			}
			s.push([r.step, r.values[k]]);
		}
	}
	const names = seriesNames(byUnit.step.keys(), byUnit.epoch.keys());
	const out: Record<string, SeriesPoints> = {};
	for (const [k, s] of byUnit.step) {
		out[names.step.get(k)!] = s;
	}
	for (const [k, s] of byUnit.epoch) {
		out[names.epoch.get(k)!] = s;
	}
	return out;
}

function pushAll<T>(into: T[], from: T[]): void {
	for (const x of from) {
		into.push(x);
	}
}

/** A one-line reason for a failed open/stat/readdir. */
export function describeFsError(p: string, e: unknown): string {
	const code = (e as { code?: string }).code;
	switch (code) {
		case 'ENOENT':
			return `${p} does not exist`;
		case 'EACCES':
		case 'EPERM':
			return `${p} cannot be read (permission denied)`;
		case 'EISDIR':
			return `${p} is a directory`;
		default:
			return `${p} cannot be read: ${errorText(e)}`;
	}
}
