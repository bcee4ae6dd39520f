/**
 * Runs: each range test or sweep owns one runner process (through `runInRunner`). A run shows a
 * cancellable progress notification with a step counter and a status-bar item, has a hard timeout
 * from the settings, and ends in the results store or in an error notification with "Show log".
 * The editor never waits on the runner: a crash or hang only ends that run (docs/architecture.md,
 * "Processes and ownership").
 */
import { errorText } from '../core/present/errorText';
import * as vscode from 'vscode';
import { formatLr, formatSeconds } from '../core/present/format';
import { headlineText } from '../core/present/headline';
import { RunnerError, runInRunner } from '../host/client';
import type { RunnerOutcome } from '../host/client';
import type {
	RunnerErrorCode,
	ModelSource,
	RangeTestOptions,
	SweepOptions,
	BackendChoice,
} from '../shared/runnerProtocol';
import type { Config } from './config';
import { Disposable } from './dispose';
import type { Log } from './log';
import type { ResultsStore, StoredResult } from './resultsStore';
import { progressReporter, RunStatusBar, type ActiveRun, type RunProgress } from './runProgress';

/** What a run request asks for. */
export type RunRequest =
	| {
			kind: 'rangeTest';
			source: ModelSource;
			options?: Partial<RangeTestOptions>;
			label: string;
			targetUri?: string;
	  }
	| {
			kind: 'sweep';
			source: ModelSource;
			options?: Partial<SweepOptions>;
			label: string;
			targetUri?: string;
	  };

/** How a run (or a command that starts one) ended; returned by the run commands. */
export type RunReport =
	| { status: 'ok'; result: StoredResult }
	| { status: 'failed'; code: RunnerErrorCode; message: string }
	| { status: 'cancelled'; result?: StoredResult }
	| { status: 'refused'; message: string };

/** An error notification that was shown (kept for tests and the log). */
export interface ShownError {
	message: string;
	actions: string[];
	code: RunnerErrorCode | 'refused';
}

const showLogAction = 'Show log';

/** Owns every run: start, progress, cancel, timeout, errors. */
export class RunManager extends Disposable {
	private readonly _active = new Map<string, ActiveRun>();
	private readonly _statusBar = this._register(new RunStatusBar());
	private readonly _onDidChangeRunning = this._register(new vscode.EventEmitter<boolean>());
	/** Fires with `true` when the first run starts and `false` when the last one ends. */
	readonly onDidChangeRunning = this._onDidChangeRunning.event;
	private readonly _onDidShowError = this._register(new vscode.EventEmitter<ShownError>());
	/** Fires for every error notification a run shows. */
	readonly onDidShowError = this._onDidShowError.event;
	/** The error notifications shown so far (newest last); bounded. */
	readonly shownErrors: ShownError[] = [];
	/** Test seam: a different runner script (e.g. one that crashes or hangs). */
	runnerPathOverride: string | undefined;
	private _seq = 0;

	/**
	 * Extra environment for every runner process: `LRSCOPE_CACHE_DIR` points the engine's per-machine
	 * backend speed probe at the extension's global storage instead of the OS temp folder.
	 */
	runnerEnv: NodeJS.ProcessEnv = {};

	constructor(
		private readonly _extensionUri: vscode.Uri,
		private readonly _store: ResultsStore,
		private readonly _config: Config,
		private readonly _log: Log,
	) {
		super();
		this._register({ dispose: () => this.cancelAll() });
	}

	/** Whether any run is going. */
	get running(): boolean {
		return this._active.size > 0;
	}

	/** Cancels every run (the runner stops after its current batch, or is killed after a grace period). */
	cancelAll(): number {
		const n = this._active.size;
		for (const run of this._active.values()) {
			run.abort.abort();
		}
		return n;
	}

	/** Runs one request to its end; never throws (failures become notifications and a report). */
	async run(request: RunRequest): Promise<RunReport> {
		const id = `${request.kind}-${Date.now().toString(36)}-${(++this._seq).toString(36)}`;
		const abort = new AbortController();
		const active: ActiveRun = { id, label: request.label, abort, step: 0, total: 0 };
		this._active.set(id, active);
		if (this._active.size === 1) {
			this._onDidChangeRunning.fire(true);
		}
		this._updateStatusBar();
		const title =
			request.kind === 'rangeTest'
				? `LR range test: ${request.label}`
				: `LR sweep: ${request.label}`;
		this._log.info(`${title} started (run ${id})`, request.source);
		try {
			return await vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title, cancellable: true },
				async (progress, token) => {
					token.onCancellationRequested(() => abort.abort());
					return this._execute(request, active, progress);
				},
			);
		} finally {
			this._active.delete(id);
			this._updateStatusBar();
			if (this._active.size === 0) {
				this._onDidChangeRunning.fire(false);
			}
		}
	}

	private async _execute(
		request: RunRequest,
		active: ActiveRun,
		progress: RunProgress,
	): Promise<RunReport> {
		const started = Date.now();
		const onMessage = progressReporter(active, progress, this._log, () => this._updateStatusBar());
		const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
		const backend: BackendChoice = this._config.backend;
		const base = {
			id: active.id,
			source: request.source,
			backend,
			wasmThreads: this._config.wasmThreads,
			workspace,
		};
		const message =
			request.kind === 'rangeTest'
				? {
						...base,
						type: 'rangeTest' as const,
						options: { ...this._config.rangeTest, ...request.options },
					}
				: {
						...base,
						type: 'sweep' as const,
						options: { ...this._config.sweep, ...request.options },
					};
		let outcome: RunnerOutcome;
		try {
			outcome = await runInRunner(message, {
				runnerPath:
					this.runnerPathOverride ??
					vscode.Uri.joinPath(this._extensionUri, 'dist', 'runner.js').fsPath,
				onMessage,
				signal: active.abort.signal,
				timeoutMs: this._config.timeoutSeconds * 1000,
				graceMs: 5000,
				cwd: workspace,
				env: this.runnerEnv,
				onOutput: (stream, text) => this._log.trace(`[runner ${stream}] ${text.trimEnd()}`),
			});
		} catch (e) {
			const err = e instanceof RunnerError ? e : new RunnerError('internal', errorText(e));
			if (err.code === 'cancelled' || (active.abort.signal.aborted && err.code !== 'timeout')) {
				this._log.info(`run ${active.id} cancelled`);
				return { status: 'cancelled' };
			}
			this._log.error(
				`run ${active.id} failed (${err.code}): ${err.message}${err.detail ? `\n${err.detail}` : ''}`,
			);
			this.showError(`LR Scope: ${err.message}`, err.code);
			return { status: 'failed', code: err.code, message: err.message };
		}
		const stored = this._stored(request, active, outcome, started);
		if (!stored) {
			this.showError('LR Scope: the runner ended without a result.', 'internal');
			return { status: 'failed', code: 'internal', message: 'the runner ended without a result' };
		}
		await this._store.add(stored);
		if (stored.rangeTest?.stopReason === 'cancelled') {
			// A cancelled range test still has a useful partial curve: keep it, but say it was cancelled.
			return { status: 'cancelled', result: stored };
		}
		return { status: 'ok', result: stored };
	}

	/** The stored result of a finished run, logged; undefined when the runner sent no result. */
	private _stored(
		request: RunRequest,
		active: ActiveRun,
		outcome: RunnerOutcome,
		started: number,
	): StoredResult | undefined {
		const seconds = formatSeconds((Date.now() - started) / 1000);
		const stored: StoredResult = {
			id: active.id,
			kind: request.kind,
			createdAt: Date.now(),
			label: request.label,
			source: request.source,
			...(request.targetUri ? { targetUri: request.targetUri } : {}),
		};
		if (outcome.type === 'result') {
			stored.rangeTest = outcome.result;
			this._log.info(
				`run ${active.id} finished in ${seconds}: stop reason ${outcome.result.stopReason}, headline ${headlineText(outcome.result.report.headline)}`,
			);
		} else if (outcome.type === 'sweepResult') {
			stored.sweep = outcome.result;
			this._log.info(
				`run ${active.id} finished in ${seconds}: best lr ${formatLr(outcome.result.best?.lr)}`,
			);
		} else {
			this._log.warn(`run ${active.id}: unexpected final message ${outcome.type}`);
			return undefined;
		}
		return stored;
	}

	/** Shows an error notification with a "Show log" action (never modal). */
	showError(message: string, code: ShownError['code'], extraActions: string[] = []): void {
		const actions = [...extraActions, showLogAction];
		const shown: ShownError = { message, actions, code };
		this.shownErrors.push(shown);
		if (this.shownErrors.length > 50) {
			this.shownErrors.shift();
		}
		this._onDidShowError.fire(shown);
		void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
			if (choice === showLogAction) {
				this._log.show();
			}
		});
	}

	private _updateStatusBar(): void {
		this._statusBar.show([...this._active.values()]);
	}
}
