/**
 * Monitor mode in the extension ("LR Scope: Train with LR Scope"): trains the user's script for
 * real in a runner process (`type: 'monitor'`), streams its batch/epoch logs into a live run in the
 * results store (batched, ~10 appends a second at most) and hands the runner's detector findings to
 * the `WarningCenter`. "Stop Training" kills the script's whole process group. A script that
 * throws, exits non-zero or is killed ends the live run as failed with a readable error and
 * "Show log"; the editor never waits on it.
 */
import type { LayerSample } from '../../core/layers/types';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, LogRecord } from '../../core/types';
import { RunnerError, runInRunner } from '../../host/client';
import type {
	FromRunnerMessage,
	MonitorOptions,
	TrainLogMessage,
} from '../../shared/runnerProtocol';
import { errorText } from '../../core/present/errorText';
import { scriptCwdFor, type Config } from '../config';
import { Disposable } from '../dispose';
import type { Log } from '../log';
import type { LiveRun, ResultsStore } from '../resultsStore';
import type { RunManager } from '../runs';
import { toDetectorConfig } from '../warnings/detectorSettings';
import type { WarningCenter } from '../warnings/warningCenter';

/** What a monitor request asks for. */
export interface MonitorRequest {
	scriptUri: vscode.Uri;
	args: string[];
	env: Record<string, string>;
	/** A core ScheduleSpec (JSON) applied per batch without editing the script. */
	schedule?: unknown;
}

/** How a monitored training ended (returned by `lrScope.trainWithMonitor`). */
export interface MonitorReport {
	runId: string;
	status: LiveRun['status'];
	exitCode?: number;
	batches?: number;
	epochs?: number;
	findings: Finding[];
	/** The readable error when the run failed. */
	error?: string;
}

interface ActiveMonitor {
	id: string;
	abort: AbortController;
	label: string;
}

/** A train log as a store record (`lr` and `gradNorm` become series next to the losses). */
export function trainLogToRecord(m: TrainLogMessage): LogRecord {
	const values: Record<string, number | null> = { ...m.values };
	if (m.lr !== undefined) {
		values.lr = m.lr;
	}
	if (m.gradNorm !== undefined) {
		values.grad_norm = m.gradNorm;
	}
	return { step: m.step, unit: m.unit === 'batch' ? 'step' : 'epoch', values };
}

/** Owns monitored trainings. */
export class MonitorManager extends Disposable {
	private readonly _active = new Map<string, ActiveMonitor>();
	private _seq = 0;
	private readonly _onDidChangeMonitoring = this._register(new vscode.EventEmitter<boolean>());
	/** Fires with whether any training is being monitored. */
	readonly onDidChangeMonitoring = this._onDidChangeMonitoring.event;

	constructor(
		private readonly _extensionUri: vscode.Uri,
		private readonly _store: ResultsStore,
		private readonly _runs: RunManager,
		private readonly _config: Config,
		private readonly _log: Log,
		private readonly _warnings: WarningCenter,
	) {
		super();
		this._register({ dispose: () => this.stop() });
	}

	/** Ids of the trainings being monitored. */
	get activeIds(): string[] {
		return [...this._active.keys()];
	}

	/** Stops one monitored training (or all); returns how many were asked to stop. */
	stop(runId?: string): number {
		let n = 0;
		for (const m of this._active.values()) {
			if (runId === undefined || m.id === runId) {
				m.abort.abort();
				n++;
			}
		}
		return n;
	}

	/** Trains the script to its end (or until stopped); never throws. */
	async train(req: MonitorRequest): Promise<MonitorReport> {
		const id = `monitor-${Date.now().toString(36)}-${(++this._seq).toString(36)}`;
		const scriptPath = req.scriptUri.fsPath;
		const name = path.basename(scriptPath);
		const label = `${vscode.workspace.asRelativePath(req.scriptUri)} (training)`;
		const abort = new AbortController();
		this._active.set(id, { id, abort, label });
		if (this._active.size === 1) {
			this._onDidChangeMonitoring.fire(true);
		}
		this._store.startLive({ id, label, origin: 'monitor', targetUri: req.scriptUri.toString() });
		const findings: Finding[] = [];
		const buffer = new LiveBuffer(this._store, this._warnings, id);
		const seen: { lastError?: string } = {};
		const onMessage = (m: FromRunnerMessage): void => {
			if (m.type === 'finding') {
				findings.push(m.finding);
			}
			if (!buffer.take(m)) {
				this._logMessage(name, m, seen);
			}
		};
		const workspace =
			vscode.workspace.getWorkspaceFolder(req.scriptUri)?.uri.fsPath ??
			vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
		this._log.info(
			`training ${label} with LR Scope (run ${id})${req.args.length ? ` args: ${req.args.join(' ')}` : ''}`,
		);
		const report: MonitorReport = { runId: id, status: 'running', findings };
		try {
			const outcome = await runInRunner(
				{
					type: 'monitor',
					id,
					source: {
						kind: 'script',
						scriptPath,
						args: req.args,
						...(Object.keys(req.env).length ? { env: req.env } : {}),
						...scriptCwdFor(this._config.monitor.cwd, scriptPath, workspace),
					},
					options: this._monitorOptions(req),
					backend: this._config.backend,
					...(workspace ? { workspace } : {}),
				},
				{
					runnerPath:
						this._runs.runnerPathOverride ??
						vscode.Uri.joinPath(this._extensionUri, 'dist', 'runner.js').fsPath,
					onMessage,
					signal: abort.signal,
					timeoutMs:
						this._config.monitor.timeoutMinutes > 0
							? this._config.monitor.timeoutMinutes * 60_000
							: undefined,
					graceMs: 5000,
					cwd: workspace,
					env: this._runs.runnerEnv,
					// The script's own output: the log shows it (the runner caps megabytes of it).
					onOutput: (_stream, text) => this._log.info(`[${name}] ${text.trimEnd()}`),
				},
			);
			buffer.flush();
			this._readOutcome(report, outcome, name, seen.lastError);
		} catch (e) {
			buffer.flush();
			this._readFailure(report, e, name, abort.signal.aborted);
		} finally {
			buffer.dispose();
			this._active.delete(id);
			if (this._active.size === 0) {
				this._onDidChangeMonitoring.fire(false);
			}
		}
		this._store.setLiveStatus(id, report.status);
		this._announce(report, name);
		this._log.info(`run ${id} ${report.status}${report.error ? `: ${report.error}` : ''}`);
		return report;
	}

	/** The runner's monitor options: settings, the script's own range test's LR, a schedule. */
	private _monitorOptions(req: MonitorRequest): Partial<MonitorOptions> {
		// The script's own range test's headline (what its lens says), for the detectors' advice.
		const ownTest = this._store.latestRangeTest(req.scriptUri.toString())?.rangeTest;
		const lrHint = (ownTest && ownTest.report.headline.lr) ?? undefined;
		const settings = this._config.monitor;
		return {
			gradNorm: settings.gradNorm,
			layers: settings.layers,
			detectors: toDetectorConfig(this._config.detectors) as Record<string, unknown>,
			...(lrHint !== undefined ? { suggestedLr: lrHint } : {}),
			...(req.schedule !== undefined ? { schedule: req.schedule } : {}),
		};
	}

	/** Runner messages that are not data: the log says them (the last error is kept). */
	private _logMessage(name: string, m: FromRunnerMessage, seen: { lastError?: string }): void {
		switch (m.type) {
			case 'started':
				this._log.info(
					`[${name}] backend ${m.backend.name} (${m.backend.package} ${m.backend.version}): ${m.backend.reason}`,
				);
				return;
			case 'fitCall':
				this._log.info(
					`[${name}] ${m.method} call #${m.index + 1}${m.line ? ` at line ${m.line}` : ''}`,
				);
				return;
			case 'log':
				if (m.level === 'error') {
					seen.lastError = m.message;
				}
				this._log[m.level === 'error' ? 'error' : m.level === 'warn' ? 'warn' : 'info'](
					`[${name}] ${m.message}`,
				);
				return;
			default:
				return;
		}
	}

	/** The runner's final message as the report's status, counts and error. */
	private _readOutcome(
		report: MonitorReport,
		outcome: FromRunnerMessage,
		name: string,
		lastError: string | undefined,
	): void {
		if (outcome.type !== 'monitorEnd') {
			report.status = 'failed';
			report.error = `the runner ended with ${outcome.type} instead of the end of training`;
			return;
		}
		report.exitCode = outcome.exitCode;
		report.batches = outcome.batches;
		report.epochs = outcome.epochs;
		if (outcome.stopped) {
			report.status = 'cancelled';
		} else if (outcome.exitCode === 0) {
			report.status = 'finished';
			if (outcome.batches === 0 && lastError === undefined) {
				this._log.warn(
					`[${name}] finished without a single training batch (did it call model.fit?)`,
				);
			}
		} else {
			report.status = 'failed';
			report.error = lastError ?? `${name} exited with code ${outcome.exitCode}`;
		}
	}

	/** A runner that threw: cancelled (asked to stop) or failed with its message. */
	private _readFailure(report: MonitorReport, e: unknown, name: string, aborted: boolean): void {
		const err = e instanceof RunnerError ? e : new RunnerError('internal', errorText(e));
		if (err.code === 'cancelled' || (aborted && err.code !== 'timeout')) {
			report.status = 'cancelled';
			return;
		}
		report.status = 'failed';
		report.error = err.message;
		if (err.detail) {
			this._log.error(`[${name}] ${err.detail}`);
		}
	}

	/** Tells the user how the training ended (failed: an error with "Show log"; finished: a summary). */
	private _announce(report: MonitorReport, name: string): void {
		if (report.status === 'failed') {
			this._runs.showError(
				`LR Scope: training ${name} failed: ${firstLine(report.error ?? 'unknown error')}`,
				'crashed',
			);
		} else if (report.status === 'finished') {
			const findings = report.findings;
			const problems = findings.length
				? `; ${findings.length} problem(s): ${[...new Set(findings.map((f) => f.kind))].join(', ')}`
				: '; no problems found';
			void vscode.window.showInformationMessage(
				`LR Scope: ${name} finished training (${report.batches ?? 0} batches, ${report.epochs ?? 0} epochs${problems}).`,
			);
		}
	}
}

/**
 * Batches a live run's records and layer samples into the store (~10 appends a second at most:
 * batches arrive hundreds a second) and hands findings to the warnings at once.
 */
class LiveBuffer {
	private _records: LogRecord[] = [];
	private _layers: LayerSample[] = [];
	private _timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly _store: ResultsStore,
		private readonly _warnings: WarningCenter,
		private readonly _id: string,
	) {}

	/** Takes a data message (train log, layer stats, finding); false for anything else. */
	take(m: FromRunnerMessage): boolean {
		switch (m.type) {
			case 'trainLog':
				this._records.push(trainLogToRecord(m));
				this._timer ??= setTimeout(() => this.flush(), 100);
				return true;
			case 'layerStats':
				this._layers.push(m.sample);
				this._timer ??= setTimeout(() => this.flush(), 100);
				return true;
			case 'finding':
				this.flush([m.finding]);
				return true;
			default:
				return false;
		}
	}

	flush(newFindings: Finding[] = []): void {
		clearTimeout(this._timer);
		this._timer = undefined;
		if (this._records.length || newFindings.length || this._layers.length) {
			const records = this._records;
			const layers = this._layers;
			this._records = [];
			this._layers = [];
			this._store.appendLive(this._id, records, newFindings, layers);
		}
		if (newFindings.length) {
			this._warnings.onFindings(this._id, newFindings);
		}
	}

	dispose(): void {
		clearTimeout(this._timer);
	}
}

function firstLine(s: string): string {
	const line = s.split('\n')[0];
	return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
