/**
 * Tailing growing logs: `LogFollower` reads only the bytes appended since the last poll (never
 * re-reading from the start) and starts over when the file is truncated or replaced (rotation), or
 * rewritten in place (its first bytes changed).
 * `LogDirFollower` does the same for every event file in a tfjs-node logdir, picking up new files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogRecord } from '../types';
import { chunkBytes, createReader, describeFsError, detectFormat, listLogDir } from './logFile';
import { LogInputError, type LogFormat, type LogReader } from './reader';

/** What one poll found. */
export interface PollResult {
	records: LogRecord[];
	notes: string[];
}

/** Anything that can be polled for new records. */
export interface Poller {
	poll(): Promise<PollResult>;
}

/**
 * Bytes of the file's start kept as its fingerprint. Logs begin with a header or a first record
 * that carries a time or a first loss, so a rewritten file almost always differs within these;
 * one read of this size per poll is the whole cost.
 */
const headBytes = 4096;

/** Options for `LogFollower`. */
export interface FollowOptions {
	format?: LogFormat;
	tagPrefix?: string;
	/** Byte offset to resume from (e.g. `consumed` saved by an earlier follower). */
	offset?: number;
	/** Label for notes; default the file's base name. */
	label?: string;
	/** Upper bound on bytes read per poll, so one poll of a huge backlog stays responsive. */
	maxBytesPerPoll?: number;
}

/** Tails one log file. Call `poll()` periodically; each call returns only what is new. */
export class LogFollower implements Poller {
	private _reader: LogReader | null = null;
	private _format: LogFormat | null;
	private _offset: number;
	private _ino: number | null = null;
	private readonly _label: string;
	private readonly _max: number;
	private _missingNoted = false;
	/** The file's first bytes as last seen (up to `headBytes`): a rewrite in place changes them. */
	private _head: Uint8Array = new Uint8Array(0);

	constructor(
		readonly file: string,
		private readonly _options: FollowOptions = {},
	) {
		this._format = _options.format ?? null;
		this._offset = _options.offset ?? 0;
		this._label = _options.label ?? path.basename(file);
		this._max = _options.maxBytesPerPoll ?? 64 * 1024 * 1024;
	}

	/** Byte offset of the next unread byte (what the reader has fully processed plus what it holds). */
	get offset(): number {
		return this._offset;
	}

	/** The byte offset a new follower could resume from without losing a partial record. */
	get resumeOffset(): number {
		return this._reader ? this._offset - this._reader.pendingBytes : this._offset;
	}

	async poll(): Promise<PollResult> {
		const res: PollResult = { records: [], notes: [] };
		let fh: fs.promises.FileHandle;
		try {
			fh = await fs.promises.open(this.file, 'r');
		} catch (e) {
			if ((e as { code?: string }).code === 'ENOENT') {
				// Not created yet, or being rotated: wait for it.
				if (!this._missingNoted && this._reader !== null) {
					res.notes.push(`${this._label}: the file disappeared; waiting for it to come back`);
				}
				this._missingNoted = true;
				return res;
			}
			throw new LogInputError(describeFsError(this.file, e));
		}
		try {
			this._missingNoted = false;
			const st = await fh.stat();
			if (this._ino !== null && (st.ino !== this._ino || st.size < this._offset)) {
				res.notes.push(
					`${this._label}: the file was truncated or replaced; reading it from the start`,
				);
				this._restart();
			} else if (this._ino !== null && !(await this._sameHead(fh))) {
				// Truncated and written again between two polls, to at least the old size, on the
				// same inode: size and inode cannot tell, the first bytes can.
				res.notes.push(`${this._label}: the file was rewritten; reading it from the start`);
				this._restart();
			}
			this._ino = st.ino;
			if (this._head.length < headBytes && st.size > this._head.length) {
				const hb = new Uint8Array(Math.min(headBytes, st.size));
				const r = await fh.read(hb, 0, hb.length, 0);
				this._head = hb.subarray(0, r.bytesRead);
			}
			if (st.size <= this._offset) {
				return res;
			}
			const buf = new Uint8Array(Math.min(chunkBytes, st.size - this._offset));
			let budget = this._max;
			while (budget > 0) {
				const r = await fh.read(buf, 0, Math.min(buf.length, budget), this._offset);
				if (r.bytesRead === 0) {
					break;
				}
				const chunk = buf.subarray(0, r.bytesRead);
				if (this._reader === null) {
					await this._open(fh, chunk);
					if (this._reader === null) {
						break; // Format not known yet (file too short to tell): try again later.
					}
				}
				this._offset += r.bytesRead;
				budget -= r.bytesRead;
				for (const rec of this._reader.feed(chunk)) {
					res.records.push(rec);
				}
			}
			if (this._reader) {
				for (const n of this._reader.takeNotes()) {
					res.notes.push(`${this._label}: ${n}`);
				}
			}
			return res;
		} finally {
			await fh.close();
		}
	}

	private _restart(): void {
		this._reader = null;
		this._offset = 0;
		this._head = new Uint8Array(0);
	}

	/** True when the file still starts with the bytes seen before (or nothing was seen yet). */
	private async _sameHead(fh: fs.promises.FileHandle): Promise<boolean> {
		if (this._head.length === 0) {
			return true;
		}
		const now = new Uint8Array(this._head.length);
		const r = await fh.read(now, 0, now.length, 0);
		if (r.bytesRead !== now.length) {
			return false;
		}
		for (let i = 0; i < now.length; i++) {
			if (now[i] !== this._head[i]) {
				return false;
			}
		}
		return true;
	}

	private async _open(fh: fs.promises.FileHandle, head: Uint8Array): Promise<void> {
		if (this._format === null) {
			this._format = detectFormat(this.file, head);
			if (this._format === null) {
				if (head.length < 64 && !head.includes(10)) {
					return;
				}
				throw new LogInputError(
					`cannot tell the format of ${this.file}: expected a .jsonl, .csv or TensorBoard events.out.tfevents.* file`,
				);
			}
		}
		let csvHeader: string | undefined;
		if (this._format === 'csv' && this._offset > 0) {
			// Resuming mid-file: the header is at the start.
			const hb = new Uint8Array(64 * 1024);
			const r = await fh.read(hb, 0, hb.length, 0);
			const text = new TextDecoder('utf-8')
				.decode(hb.subarray(0, r.bytesRead))
				.replace(/^\uFEFF/, '');
			csvHeader = text.split('\n')[0].replace(/\r$/, '');
		}
		this._reader = createReader(this._format, { tagPrefix: this._options.tagPrefix, csvHeader });
	}
}

/** Tails every event file of a tfjs-node logdir, with the same tag naming as `readLogDir`. */
export class LogDirFollower implements Poller {
	private readonly _followers = new Map<string, LogFollower>();
	constructor(readonly dir: string) {}

	async poll(): Promise<PollResult> {
		const res: PollResult = { records: [], notes: [] };
		let files;
		try {
			files = await listLogDir(this.dir);
		} catch (e) {
			if (e instanceof LogInputError && !fs.existsSync(this.dir)) {
				return res;
			}
			throw e;
		}
		for (const f of files) {
			if (!this._followers.has(f.file)) {
				this._followers.set(
					f.file,
					new LogFollower(f.file, { format: 'tfevents', tagPrefix: f.tagPrefix, label: f.label }),
				);
			}
		}
		for (const fl of this._followers.values()) {
			const r = await fl.poll();
			for (const rec of r.records) {
				res.records.push(rec);
			}
			res.notes.push(...r.notes);
		}
		return res;
	}
}

/** A follower for a file or a logdir, whichever `p` is (a missing path is followed as a file). */
export function followPath(p: string): Poller {
	let isDir = false;
	try {
		isDir = fs.statSync(p).isDirectory();
	} catch {
		isDir = false;
	}
	return isDir ? new LogDirFollower(p) : new LogFollower(p);
}
