/**
 * Passive watching: training logs the user's runs already write (JSONL/CSV logs, tfjs-node
 * TensorBoard event files), found by the `lrScope.watch.globs` settings, become live runs in the
 * results store, with the core detectors over them. Each file (or TensorBoard logdir) has one
 * core follower that reads only the bytes appended since the last poll, so a growing log is never
 * re-read from the start and a partial last record waits for its remaining bytes.
 *
 * Polls happen on file-system events (debounced) and every `pollMs` as a fallback, one at a time
 * per run. The globs are searched again every `rescanMs`: a recursive watcher misses files written
 * into a directory created a moment before (its watch is not in place yet), and training scripts do
 * exactly that (`mkdir logs/run1` then write). Logs not modified within `staleMs` when first found are shown (their history is read
 * once) but raise no notifications for old problems; new findings notify as usual.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DetectorSet } from '../../core/detectors';
import { LogDirFollower, LogFollower } from '../../core/logs/follow';
import type { Poller } from '../../core/logs/follow';
import type { Config } from '../config';
import { Disposable } from '../dispose';
import type { Log } from '../log';
import type { ResultsStore } from '../resultsStore';
import { toDetectorConfig } from '../warnings/detectorSettings';
import type { WarningCenter } from '../warnings/warningCenter';
import { watchRunId, watchTargetFor } from './watchTarget';
import type { WatchTarget } from './watchTarget';

/** One followed file or logdir. */
interface Followed {
	target: WatchTarget;
	runId: string;
	follower: Poller;
	detectors: DetectorSet;
	/** Findings do not notify until the log grows after discovery (old logs must not storm). */
	quiet: boolean;
	polling: Promise<void> | undefined;
	again: boolean;
	lastData: number;
	failed: boolean;
	polls: number;
}

/** Knobs for tests. */
export interface LogWatcherOptions {
	pollMs: number;
	/** A run with no new data for this long is shown as finished (it becomes running again on data). */
	idleMs: number;
	/** Logs older than this when found do not notify about their history. */
	staleMs: number;
	/** How often the globs are searched again for logs the file-system events missed. */
	rescanMs: number;
	maxRuns: number;
}

const defaults: LogWatcherOptions = {
	pollMs: 2000,
	idleMs: 120_000,
	staleMs: 5 * 60_000,
	rescanMs: 10_000,
	maxRuns: 50,
};

/** Watches the workspace for training logs and follows them. */
export class LogWatcher extends Disposable {
	private readonly _followed = new Map<string, Followed>();
	private _watchers: vscode.Disposable[] = [];
	private _timer: NodeJS.Timeout | undefined;
	private _rescanTimer: NodeJS.Timeout | undefined;
	private _scanning: Promise<void> | undefined;
	private _debounce = new Map<string, NodeJS.Timeout>();
	private _started = false;
	private _limitNoted = false;
	private readonly _options: LogWatcherOptions;

	constructor(
		private readonly _store: ResultsStore,
		private readonly _config: Config,
		private readonly _log: Log,
		private readonly _warnings: WarningCenter,
		options: Partial<LogWatcherOptions> = {},
	) {
		super();
		this._options = { ...defaults, ...options };
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (
					e.affectsConfiguration('lrScope.watch') ||
					e.affectsConfiguration('lrScope.detectors')
				) {
					void this.restart();
				}
			}),
		);
		this._register({ dispose: () => this._stop() });
	}

	/** Whether watching is on (setting `lrScope.watch.enabled` and a workspace folder). */
	get started(): boolean {
		return this._started;
	}

	/** Followed runs (paths → run ids), for tests and the log. */
	get runs(): { path: string; runId: string; kind: WatchTarget['kind'] }[] {
		return [...this._followed.values()].map((f) => ({
			path: f.target.path,
			runId: f.runId,
			kind: f.target.kind,
		}));
	}

	/** Starts watching per the settings (idempotent). */
	async start(): Promise<void> {
		const { enabled, globs } = this._config.watch;
		const folders = vscode.workspace.workspaceFolders ?? [];
		if (!enabled || globs.length === 0 || folders.length === 0 || this._started) {
			return;
		}
		this._started = true;
		for (const folder of folders) {
			for (const glob of globs) {
				const w = vscode.workspace.createFileSystemWatcher(
					new vscode.RelativePattern(folder, glob),
					false,
					false,
					true,
				);
				w.onDidCreate((uri) => this._onEvent(uri));
				w.onDidChange((uri) => this._onEvent(uri));
				this._watchers.push(w);
			}
		}
		this._timer = setInterval(() => this.pollAll(), this._options.pollMs);
		this._rescanTimer = setInterval(() => void this.rescan(), this._options.rescanMs);
		this._log.info(`watching training logs: ${globs.join(', ')}`);
		await this.rescan();
	}

	/** Searches the globs for logs not followed yet (one search at a time). */
	rescan(): Promise<void> {
		this._scanning ??= (async () => {
			for (const glob of this._config.watch.globs) {
				try {
					const found = await vscode.workspace.findFiles(
						glob,
						'**/node_modules/**',
						this._options.maxRuns * 4,
					);
					for (const uri of found) {
						if (this._started && !this._followed.has(watchTargetFor(uri.fsPath).path)) {
							// Found by a search, not an event: an old log must not notify about its history.
							this._track(uri.fsPath, true);
						}
					}
				} catch (e) {
					this._log.warn(
						`watch glob "${glob}" failed: ${e instanceof Error ? e.message : String(e)}`,
					);
				}
			}
		})().finally(() => {
			this._scanning = undefined;
		});
		return this._scanning;
	}

	/**
	 * Applies changed settings: watchers are rebuilt for the new globs; runs already followed keep
	 * their followers (a fresh follower would read their history again). Turning watching off
	 * forgets them (their runs stay in the store, finished).
	 */
	async restart(): Promise<void> {
		this._stop(!this._config.watch.enabled);
		await this.start();
	}

	private _stop(forget = true): void {
		clearInterval(this._timer);
		this._timer = undefined;
		clearInterval(this._rescanTimer);
		this._rescanTimer = undefined;
		for (const t of this._debounce.values()) {
			clearTimeout(t);
		}
		this._debounce.clear();
		for (const w of this._watchers) {
			w.dispose();
		}
		this._watchers = [];
		this._started = false;
		if (!forget) {
			return;
		}
		for (const f of this._followed.values()) {
			if (this._store.getLive(f.runId)?.status === 'running') {
				this._store.setLiveStatus(f.runId, 'finished');
			}
		}
		this._followed.clear();
	}

	private _onEvent(uri: vscode.Uri): void {
		if (uri.scheme !== 'file' || uri.fsPath.split(path.sep).includes('node_modules')) {
			return;
		}
		const key = uri.fsPath;
		// Writers append in many small writes; one poll after they settle reads them all.
		clearTimeout(this._debounce.get(key));
		this._debounce.set(
			key,
			setTimeout(() => {
				this._debounce.delete(key);
				const f = this._track(uri.fsPath, false);
				if (f) {
					void this._poll(f);
				}
			}, 50),
		);
	}

	/** Follows the run `file` belongs to (creating it on first sight). */
	private _track(file: string, initial: boolean): Followed | undefined {
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
		let detectors: DetectorSet;
		try {
			detectors = new DetectorSet(toDetectorConfig(this._config.detectors));
		} catch (e) {
			this._log.warn(
				`detector settings rejected (${e instanceof Error ? e.message : String(e)}); using the defaults`,
			);
			detectors = new DetectorSet();
		}
		const f: Followed = {
			target,
			runId,
			follower:
				target.kind === 'logdir' ? new LogDirFollower(target.path) : new LogFollower(target.path),
			detectors,
			quiet,
			polling: undefined,
			again: false,
			lastData: Date.now(),
			failed: false,
			polls: 0,
		};
		this._followed.set(target.path, f);
		const rel = vscode.workspace.asRelativePath(target.path);
		if (this._store.getLive(runId)) {
			// Followed before watching was switched off and on: keep its records, add only new ones.
			f.follower =
				target.kind === 'logdir'
					? new LogDirFollower(target.path)
					: new LogFollower(target.path, { offset: safeSize(target.path) });
			f.polls = 1;
			this._store.setLiveStatus(runId, 'running');
		} else {
			this._store.startLive({
				id: runId,
				label: `${rel}${target.kind === 'logdir' ? '/' : ''} (watched)`,
				origin: 'watch',
				targetUri: vscode.Uri.file(target.path).toString(),
			});
		}
		this._log.info(
			`following ${rel} (${target.kind}${quiet ? ', history only until it grows' : ''})`,
		);
		void this._poll(f);
		return f;
	}

	/** Polls every followed run once (also used by tests to hurry a poll). */
	pollAll(): Promise<void[]> {
		return Promise.all([...this._followed.values()].map((f) => this._poll(f)));
	}

	/** One poll at a time per run; a request during a poll runs one more poll right after. */
	private _poll(f: Followed): Promise<void> {
		if (f.polling) {
			f.again = true;
			return f.polling;
		}
		f.polling = (async () => {
			do {
				f.again = false;
				await this._pollOnce(f);
			} while (f.again && this._followed.get(f.target.path) === f);
		})().finally(() => {
			f.polling = undefined;
		});
		return f.polling;
	}

	private async _pollOnce(f: Followed): Promise<void> {
		if (f.failed) {
			return;
		}
		let res;
		try {
			res = await f.follower.poll();
		} catch (e) {
			f.failed = true;
			this._log.warn(
				`cannot follow ${f.target.path}: ${e instanceof Error ? e.message : String(e)}`,
			);
			this._store.setLiveStatus(f.runId, 'failed');
			return;
		}
		if (this._followed.get(f.target.path) !== f) {
			return; // stopped while reading
		}
		const first = f.polls++ === 0;
		for (const n of res.notes) {
			this._log.info(`[watch] ${n}`);
		}
		let run = this._store.getLive(f.runId);
		if (!run && res.records.length > 0) {
			// "Clear Results" removed the run while we follow the file: show it again with what is new.
			run = this._store.startLive({
				id: f.runId,
				label: `${vscode.workspace.asRelativePath(f.target.path)}${f.target.kind === 'logdir' ? '/' : ''} (watched)`,
				origin: 'watch',
				targetUri: vscode.Uri.file(f.target.path).toString(),
			});
		}
		if (res.records.length === 0) {
			if (run?.status === 'running' && Date.now() - f.lastData > this._options.idleMs) {
				this._store.setLiveStatus(f.runId, 'finished');
			}
			return;
		}
		if (!first) {
			// The log grew after we found it: it is a live training now, its problems are news.
			f.quiet = false;
		}
		f.lastData = Date.now();
		if (run && run.status !== 'running') {
			this._store.setLiveStatus(f.runId, 'running');
		}
		const findings = f.detectors.feedAll(res.records);
		this._store.appendLive(f.runId, res.records, findings);
		if (findings.length && !f.quiet) {
			this._warnings.onFindings(f.runId, findings);
		}
	}
}

function safeSize(p: string): number {
	try {
		return fs.statSync(p).size;
	} catch {
		return 0;
	}
}
