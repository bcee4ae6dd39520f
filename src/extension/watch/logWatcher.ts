/**
 * Passive watching: training logs the user's runs already write (JSONL/CSV logs, tfjs-node
 * TensorBoard event files), found by the `lrScope.watch.globs` settings, become live runs in the
 * results store, with the core detectors over them. Each file (or TensorBoard logdir) has one
 * core follower that reads only the bytes appended since the last poll, so a growing log is never
 * re-read from the start and a partial last record waits for its remaining bytes.
 *
 * Nothing is periodic (issue 11: every JavaScript workspace activates LR Scope for its editor
 * hints, so an idle watcher must cost nothing). Watching is *armed* on start: file-system watchers
 * for the globs, for new folders and for package.json files, which cost nothing until something
 * changes. It becomes *active* — the globs are searched once for existing logs — when a workspace
 * package.json depends on `@tensorflow/*`, or when a matching log appears. Polls happen on
 * file-system events (debounced), one at a time per run, each reading at most `maxBytesPerPoll`
 * and continuing until caught up. A recursive watcher can miss files written into a folder created
 * a moment before (its watch is not in place yet), and training scripts do exactly that (`mkdir
 * logs/run1` then write): a new folder is therefore listed once, shortly after it appears. A run
 * with no new data for `idleMs` is shown as finished by a one-shot timer re-armed on data; while
 * some run is running, runs are also polled every `pollMs` (events are not guaranteed). Logs not
 * modified within `staleMs` when first found are shown (their history is read once) but raise no
 * notifications for old problems; new findings notify as usual.
 *
 * This class arms, activates and searches (finding logs); `FollowedRuns` (followedRuns.ts) owns
 * the runs found: their followers, polls and timers.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../../core/present/errorText';
import type { Config } from '../config';
import { Disposable } from '../dispose';
import { SettingSections } from '../ids';
import type { Log } from '../log';
import type { ResultsStore } from '../resultsStore';
import type { WarningCenter } from '../warnings/warningCenter';
import type { WatchTarget } from './watchTarget';
import { FollowedRuns } from './followedRuns';
import { defaults, type LogWatcherOptions, watchFolder } from './fsWatchers';
import {
	isIgnoredPath,
	listFiles,
	globToRegExp,
	shallowPackageJsons,
	usesTfjs,
} from './workspaceFiles';

/** Watches the workspace for training logs and follows them (the runs: followedRuns.ts). */
export class LogWatcher extends Disposable {
	private readonly _runs: FollowedRuns;
	private _watchers: vscode.Disposable[] = [];
	private _active = false;
	private _scanning: Promise<void> | undefined;
	private _globRes: RegExp[] = [];
	private _debounce = new Map<string, NodeJS.Timeout>();
	private _started = false;
	private readonly _options: LogWatcherOptions;

	constructor(
		store: ResultsStore,
		private readonly _config: Config,
		private readonly _log: Log,
		warnings: WarningCenter,
		options: Partial<LogWatcherOptions> = {},
	) {
		super();
		this._options = { ...defaults, ...options };
		this._runs = new FollowedRuns(
			store,
			_config,
			_log,
			warnings,
			this._options,
			() => this._started,
		);
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (
					e.affectsConfiguration(SettingSections.watch) ||
					e.affectsConfiguration(SettingSections.detectors)
				) {
					void this.restart();
				}
			}),
		);
		this._register({ dispose: () => this._stop() });
	}

	/** Whether watching is armed (setting `lrScope.watch.enabled` and a workspace folder). */
	get started(): boolean {
		return this._started;
	}

	/**
	 * Whether watching is active: the workspace uses tfjs or a matching log appeared. Until then
	 * only file-system watchers exist (no search, no timer).
	 */
	get active(): boolean {
		return this._active;
	}

	/** Followed runs (paths → run ids), for tests and the log. */
	get runs(): { path: string; runId: string; kind: WatchTarget['kind'] }[] {
		return this._runs.list;
	}

	/** Arms watching per the settings (idempotent); see the file comment. */
	async start(): Promise<void> {
		const { enabled, globs } = this._config.watch;
		const folders = vscode.workspace.workspaceFolders ?? [];
		if (!enabled || globs.length === 0 || folders.length === 0 || this._started) {
			return;
		}
		this._started = true;
		this._globRes = globs.map(globToRegExp);
		for (const folder of folders) {
			this._watchers.push(
				...watchFolder(folder, globs, {
					onLog: (uri) => this._onEvent(uri),
					onCreate: (uri) => this._onCreate(uri),
					onPackageJson: (uri) => {
						if (!this._active && !isIgnoredPath(uri.fsPath) && usesTfjs(uri.fsPath)) {
							void this._activate(`${vscode.workspace.asRelativePath(uri)} uses tfjs`);
						}
					},
				}),
			);
		}
		this._log.info(`watching for training logs: ${globs.join(', ')}`);
		// The workspace's own package.json files (top level and one folder down): no search.
		const pkg = folders.flatMap((f) => shallowPackageJsons(f.uri.fsPath)).find(usesTfjs);
		if (pkg) {
			await this._activate(`${vscode.workspace.asRelativePath(pkg)} uses tfjs`);
		}
	}

	/** Active watching: the globs are searched once for logs that exist already. */
	private async _activate(why: string): Promise<void> {
		if (this._active || !this._started) {
			return;
		}
		this._active = true;
		this._log.info(`following training logs (${why})`);
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
						if (this._started && !this._runs.has(uri.fsPath)) {
							// Found by a search, not an event: an old log must not notify about its history.
							this._runs.track(uri.fsPath, true);
						}
					}
				} catch (e) {
					this._log.warn(`watch glob "${glob}" failed: ${errorText(e)}`);
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
		this._active = false;
		this._runs.stopPolling();
		for (const t of this._debounce.values()) {
			clearTimeout(t);
		}
		this._debounce.clear();
		for (const w of this._watchers) {
			w.dispose();
		}
		this._watchers = [];
		this._started = false;
		if (forget) {
			this._runs.forget();
		}
	}

	private _onEvent(uri: vscode.Uri): void {
		if (uri.scheme !== 'file' || isIgnoredPath(uri.fsPath)) {
			return;
		}
		const key = uri.fsPath;
		// Writers append in many small writes; one poll after they settle reads them all.
		clearTimeout(this._debounce.get(key));
		this._debounce.set(
			key,
			setTimeout(() => {
				this._debounce.delete(key);
				if (!this._active) {
					// A matching log appeared: watching becomes active (and finds its siblings).
					void this._activate(`${vscode.workspace.asRelativePath(uri)} appeared`);
				}
				const f = this._runs.track(uri.fsPath, false);
				if (f) {
					void this._runs.poll(f);
				}
			}, 50),
		);
	}

	/** Something was created: if it is a new folder, list it once for logs its writer just wrote. */
	private _onCreate(uri: vscode.Uri): void {
		if (uri.scheme !== 'file' || isIgnoredPath(uri.fsPath) || path.extname(uri.fsPath) !== '') {
			return;
		}
		const key = `dir:${uri.fsPath}`;
		clearTimeout(this._debounce.get(key));
		this._debounce.set(
			key,
			setTimeout(() => {
				this._debounce.delete(key);
				for (const file of listFiles(uri.fsPath, 3, 500)) {
					const rel = vscode.workspace.asRelativePath(file, false).split(path.sep).join('/');
					if (this._globRes.some((re) => re.test(rel))) {
						this._onEvent(vscode.Uri.file(file));
					}
				}
			}, this._options.newFolderDelayMs),
		);
	}

	/** Polls every followed run once (also used by tests to hurry a poll). */
	pollAll(): Promise<void[]> {
		return this._runs.pollAll();
	}
}
