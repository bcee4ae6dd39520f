/**
 * The user's script as a process: its output capped (a live head, a rolling tail), its process
 * group killed, and the user's frame picked out of an uncaught error's stack.
 */
import { isLrScopeFile } from './ownFiles';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { formatMegabytes } from '../../core/present/format';

/** Caps captured output: keeps a head budget that streams live and a rolling tail. */
export class OutputTap {
	private _total = 0;
	private _tail = '';
	private _liveLeft: number;
	constructor(
		private readonly _stream: 'stdout' | 'stderr',
		private readonly _emit: (stream: 'stdout' | 'stderr', text: string) => void,
		liveBytes: number,
		private readonly _tailBytes: number,
	) {
		this._liveLeft = liveBytes;
	}
	get total(): number {
		return this._total;
	}
	get tail(): string {
		return this._tail;
	}
	/** Whether some output was not streamed live. */
	get truncated(): boolean {
		return this._liveLeft <= 0;
	}
	push(text: string): void {
		this._total += Buffer.byteLength(text);
		this._tail = (this._tail + text).slice(-this._tailBytes);
		if (this._liveLeft > 0) {
			const part = text.slice(0, this._liveLeft);
			this._liveLeft -= part.length;
			this._emit(this._stream, part);
			if (this._liveLeft <= 0) {
				this._emit(
					this._stream,
					`\n[lrscope: the script prints a lot; its further ${this._stream} is not streamed, the last lines follow when it ends]\n`,
				);
			}
		}
	}
	/** Shows the tail once the process ended, when part of the output was held back. */
	flushTail(): void {
		if (this.truncated) {
			this._emit(
				this._stream,
				`\n[lrscope: ${formatMegabytes(this._total)} of ${this._stream} in total; last ${this._tail.length} characters:]\n${this._tail}`,
			);
		}
	}
}

/** The last lines of output, without tfjs's "install tfjs-node" banner (noise in an error report). */
export function lastLines(text: string, n = 6): string {
	return text
		.split('\n')
		.filter(
			(l) => !/^=+$|^Hi, looks like you are running TensorFlow\.js in Node\.js/.test(l.trim()),
		)
		.join('\n')
		.trimEnd()
		.split('\n')
		.slice(-n)
		.join('\n')
		.trim();
}

/** Script process groups still running, killed when the runner itself is told to stop. */
const liveGroups = new Set<ChildProcess>();

/** Tracks a detached script until it exits, so `killLiveGroups` can stop it and its children. */
export function trackGroup(child: ChildProcess): void {
	liveGroups.add(child);
	child.once('exit', () => liveGroups.delete(child));
}

/**
 * Kills every tracked script's process group. The scripts run detached (their own group, so a
 * terminal's Ctrl-C does not reach them), so they outlive a runner that simply exits: the runner
 * calls this on SIGTERM and when its host disconnects (e.g. `lrscope monitor --timeout`).
 */
export function killLiveGroups(): void {
	for (const child of liveGroups) {
		killGroup(child);
	}
	liveGroups.clear();
}

/** Kills the whole process group of a detached child (and the child itself as a fallback). */
export function killGroup(child: ChildProcess): void {
	if (child.pid === undefined) {
		return;
	}
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// The group is gone already (or the platform has no groups).
	}
	try {
		child.kill('SIGKILL');
	} catch {
		// already dead
	}
}

/** " (train.js:12)" for the first frame of an uncaught error's stack in the user's files. */
export function atUserFrame(stack: string | undefined): string {
	for (const line of (stack ?? '').split('\n').slice(1)) {
		const m = /\(?([^()\s]+):(\d+):\d+\)?\s*$/.exec(line.trim());
		if (
			m &&
			!m[1].startsWith('node:') &&
			!m[1].includes('node_modules') &&
			!m[1].endsWith('fitHook.js') &&
			!isLrScopeFile(m[1])
		) {
			return ` (${path.basename(m[1])}:${m[2]})`;
		}
	}
	return '';
}

/** Lets the pipes drain (bounded: a grandchild that escaped the group must not hang us). */
export function drain(child: ChildProcess): Promise<void> {
	return new Promise<void>((resolve) => {
		const t = setTimeout(resolve, 1000);
		child.once('close', () => {
			clearTimeout(t);
			resolve();
		});
		if (child.stdout?.closed && child.stderr?.closed) {
			clearTimeout(t);
			resolve();
		}
	});
}
