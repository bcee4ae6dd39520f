/**
 * The runs the log watcher follows (logWatcher.ts finds them): one per log file or TensorBoard
 * logdir, each with its follower and detectors, polled one poll at a time, shown as finished by a
 * one-shot timer after `idleMs` without data, and polled every `pollMs` while, and only while, some
 * run is running.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LogFollower } from '../../core/logs/follow';
import { errorText } from '../../core/present/errorText';
import type { Config } from '../config';
import type { Log } from '../log';
import type { ResultsStore } from '../resultsStore';
import type { WarningCenter } from '../warnings/warningCenter';
import { detectorsFor, followerFor, newFollowed, startWatchedRun, type Followed } from './followed';
import type { LogWatcherOptions } from './fsWatchers';
import { watchRunId, watchTargetFor, type WatchTarget } from './watchTarget';
import { safeSize } from './workspaceFiles';

/** The followed runs, keyed by the path of their file or logdir. */
export class FollowedRuns {
	private readonly _followed = new Map<string, Followed>();
	private _pollTimer: NodeJS.Timeout | undefined;
	private _limitNoted = false;

	constructor(
		private readonly _store: ResultsStore,
		private readonly _config: Config,
		private readonly _log: Log,
		private readonly _warnings: WarningCenter,
		private readonly _options: LogWatcherOptions,
		/** Whether watching is armed: the fallback poll timer runs only then. */
		private readonly _watching: () => boolean,
	) {}

	/** Followed runs (paths → run ids), for tests and the log. */
	get list(): { path: string; runId: string; kind: WatchTarget['kind'] }[] {
		return [...this._followed.values()].map((f) => ({
			path: f.target.path,
			runId: f.runId,
			kind: f.target.kind,
		}));
	}

	/** Whether the run `file` belongs to is followed already. */
	has(file: string): boolean {
		return this._followed.has(watchTargetFor(file).path);
	}

	/** Stops the fallback poll timer (watching was disarmed). */
	stopPolling(): void {
		clearInterval(this._pollTimer);
		this._pollTimer = undefined;
	}

	/** Forgets every run; their runs stay in the store, finished. */
	forget(): void {
		for (const f of this._followed.values()) {
			if (this._store.getLive(f.runId)?.status === 'running') {
				this._store.setLiveStatus(f.runId, 'finished');
			}
		}
		for (const f of this._followed.values()) {
			clearTimeout(f.idleTimer);
		}
		this._followed.clear();
	}

	/**
	 * Follows the run `file` belongs to (creating it on first sight). `initial`: found by a search,
	 * not an event, so an old log must not notify about its history.
	 */
	track(file: string, initial: boolean): Followed | undefined {
		const target = watchTargetFor(file);
		const existing = this._followed.get(target.path);
		if (existing) {
			return existing;
		}
		if (this._followed.size >= this._options.maxRuns) {
			if (!this._limitNoted) {
				this._limitNoted = true;
				this._log.warn(
					`watching at most ${this._options.maxRuns} logs; narrow lrScope.watch.globs to pick which`,
				);
			}
			return undefined;
		}
		let quiet = false;
		if (initial) {
			try {
				quiet = Date.now() - fs.statSync(file).mtimeMs > this._options.staleMs;
			} catch {
				quiet = false;
			}
		}
		const runId = watchRunId(target);
		const detectors = detectorsFor(this._config, this._log);
		const f = newFollowed(target, runId, detectors, quiet, this._options.maxBytesPerPoll);
		this._followed.set(target.path, f);
		this._armIdle(f);
		queueMicrotask(() => this._updatePollTimer());
		const rel = vscode.workspace.asRelativePath(target.path);
		if (this._store.getLive(runId)) {
			// Followed before watching was switched off and on: keep its records, add only new ones.
			f.follower = followerFor(target, this._options.maxBytesPerPoll, safeSize(target.path));
			f.polls = 1;
			this._store.setLiveStatus(runId, 'running');
		} else {
			startWatchedRun(this._store, target, runId);
		}
		this._log.info(
			`following ${rel} (${target.kind}${quiet ? ', history only until it grows' : ''})`,
		);
		void this.poll(f);
		return f;
	}

	/** The fallback poll timer runs while, and only while, some followed run is running. */
	private _updatePollTimer(): void {
		const running =
			this._watching() &&
			[...this._followed.values()].some(
				(f) => !f.failed && this._store.getLive(f.runId)?.status === 'running',
			);
		if (running && !this._pollTimer) {
			this._pollTimer = setInterval(() => void this.pollAll(), this._options.pollMs);
		} else if (!running && this._pollTimer) {
			clearInterval(this._pollTimer);
			this._pollTimer = undefined;
		}
	}

	/** (Re)starts the one-shot timer that shows a silent run as finished. */
	private _armIdle(f: Followed): void {
		clearTimeout(f.idleTimer);
		f.idleTimer = setTimeout(() => {
			f.idleTimer = undefined;
			if (
				this._followed.get(f.target.path) === f &&
				this._store.getLive(f.runId)?.status === 'running'
			) {
				this._store.setLiveStatus(f.runId, 'finished');
			}
			this._updatePollTimer();
		}, this._options.idleMs);
		// Never keeps the extension host alive on its own.
		f.idleTimer.unref?.();
	}

	/** Polls every followed run once. */
	pollAll(): Promise<void[]> {
		return Promise.all([...this._followed.values()].map((f) => this.poll(f)));
	}

	/** One poll at a time per run; a request during a poll runs one more poll right after. */
	poll(f: Followed): Promise<void> {
		if (f.polling) {
			f.again = true;
			return f.polling;
		}
		f.polling = (async () => {
			do {
				f.again = false;
				const behind = await this._pollOnce(f);
				// A long backlog (the first poll of a long log) is read slice by slice.
				f.again ||= behind;
			} while (f.again && this._followed.get(f.target.path) === f);
		})().finally(() => {
			f.polling = undefined;
		});
		return f.polling;
	}

	/** One poll; true when the follower stopped at its byte budget (more is waiting). */
	private async _pollOnce(f: Followed): Promise<boolean> {
		if (f.failed) {
			return false;
		}
		let res;
		try {
			res = await f.follower.poll();
		} catch (e) {
			f.failed = true;
			this._log.warn(`cannot follow ${f.target.path}: ${errorText(e)}`);
			this._store.setLiveStatus(f.runId, 'failed');
			this._updatePollTimer();
			return false;
		}
		if (this._followed.get(f.target.path) !== f) {
			return false; // stopped while reading
		}
		const first = f.polls++ === 0;
		for (const n of res.notes) {
			this._log.info(`[watch] ${n}`);
		}
		let run = this._store.getLive(f.runId);
		if (!run && res.records.length > 0) {
			// "Clear Results" removed the run while we follow the file: show it again with what is new.
			run = startWatchedRun(this._store, f.target, f.runId);
		}
		const behind = f.follower instanceof LogFollower && f.follower.offset < safeSize(f.target.path);
		if (res.records.length === 0) {
			return behind;
		}
		if (!first) {
			// The log grew after we found it: it is a live training now, its problems are news.
			f.quiet = false;
		}
		f.lastData = Date.now();
		this._armIdle(f);
		if (run && run.status !== 'running') {
			this._store.setLiveStatus(f.runId, 'running');
		}
		this._updatePollTimer();
		const findings = f.detectors.feedAll(res.records);
		this._store.appendLive(f.runId, res.records, findings);
		if (findings.length && !f.quiet) {
			this._warnings.onFindings(f.runId, findings);
		}
		return behind;
	}
}
