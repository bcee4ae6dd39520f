/**
 * Turns detector findings of live runs (monitor mode and watched logs) into notifications: one per
 * run per problem kind, with "Show curves" (the panel's Live tab on that run) and "Suggest a fix"
 * (the fix text, and the schedule designer or a range test on the script when that helps). The
 * `NotifyPolicy` keeps it to a few toasts a minute; every finding stays in the store regardless, so
 * the panel, the status bar and the editor diagnostics (issue 7) still see it.
 */
import * as vscode from 'vscode';
import type { Finding, FindingKind } from '../../core/types';
import type { Config } from '../config';
import { Disposable } from '../dispose';
import type { Log } from '../log';
import { showPanel } from '../panel/registerPanel';
import type { LiveRun, ResultsStore } from '../resultsStore';
import { NotifyPolicy, notifyOrder } from './notifyPolicy';
import type { NotifyDecision } from './notifyPolicy';
import { Commands, SettingSections } from '../ids';

/** The two actions of a warning notification. */
export const warningActions = { showCurves: 'Show curves', suggestFix: 'Suggest a fix' } as const;

/** Actions of the "Suggest a fix" follow-up. */
export const fixActions = {
	openDesigner: 'Open Schedule Designer',
	runRangeTest: 'Run LR Range Test on This Script',
} as const;

/** A notification that was shown (kept for tests and the log). */
export interface ShownWarning {
	runId: string;
	kind: FindingKind | 'fix';
	severity: Finding['severity'];
	message: string;
	actions: string[];
}

/** What an action did (returned by `runAction`, so tests can check it without clicking). */
export type ActionOutcome =
	| { action: 'showCurves'; runId: string }
	| { action: 'suggestFix'; text: string; offered: string[]; resultId?: string }
	| { action: 'none'; reason: string };

/** Decides, shows and answers the warning notifications. */
export class WarningCenter extends Disposable {
	/** Notifications shown so far, newest last (bounded). */
	readonly shown: ShownWarning[] = [];
	private readonly _policy = new NotifyPolicy();
	private readonly _onDidShow = this._register(new vscode.EventEmitter<ShownWarning>());
	/** Fires for every notification shown. */
	readonly onDidShow = this._onDidShow.event;

	constructor(
		private readonly _context: vscode.ExtensionContext,
		private readonly _store: ResultsStore,
		private readonly _config: Config,
		private readonly _log: Log,
	) {
		super();
		this._configure();
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration(SettingSections.warnings)) {
					this._configure();
				}
			}),
		);
	}

	private _configure(): void {
		this._policy.configure({ level: this._config.warningsNotify });
	}

	/** Test seam: a fresh rate-limit window (see NotifyPolicy.resetWindow). */
	resetRateLimitForTest(): void {
		this._policy.resetWindow();
	}

	/**
	 * Called with a run's new findings (already in the store); shows what the policy allows (one
	 * burst of a run notifies once per severity), the most severe first and, at equal severity, the
	 * loss's own finding before a layer's: a diverging run says "loss is diverging" rather than
	 * whichever detector answered first. The decisions come back in the order of `findings`.
	 */
	onFindings(runId: string, findings: readonly Finding[]): NotifyDecision[] {
		const run = this._store.getLive(runId);
		const decided = new Map<Finding, NotifyDecision>();
		for (const f of notifyOrder(findings)) {
			const d = this._policy.decide(runId, f);
			decided.set(f, d);
			this._log.info(
				`[${run?.label ?? runId}] ${f.severity} ${f.kind} (${f.series}, ${f.unit} ${f.step}): ${f.message} → ${d}`,
			);
			if (d === 'notify' && run) {
				this._notify(run, f);
			}
		}
		return findings.map((f) => decided.get(f)!);
	}

	private _notify(run: LiveRun, f: Finding): void {
		const message = `LR Scope · ${run.label}: ${f.message}`;
		const actions: string[] = [warningActions.showCurves, warningActions.suggestFix];
		this._remember({ runId: run.id, kind: f.kind, severity: f.severity, message, actions });
		const show =
			f.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
		void show(message, ...actions).then((choice) => {
			if (choice === warningActions.showCurves) {
				void this.runAction(run.id, f.kind, 'showCurves');
			} else if (choice === warningActions.suggestFix) {
				void this.runAction(run.id, f.kind, 'suggestFix');
			}
		});
	}

	private _remember(w: ShownWarning): void {
		this.shown.push(w);
		if (this.shown.length > 100) {
			this.shown.shift();
		}
		this._onDidShow.fire(w);
	}

	/** Performs a notification action for a run's finding (what a click does; also a test seam). */
	async runAction(
		runId: string,
		kind: FindingKind,
		action: 'showCurves' | 'suggestFix',
	): Promise<ActionOutcome> {
		const run = this._store.getLive(runId);
		if (!run) {
			return { action: 'none', reason: `the run ${runId} is gone (results were cleared)` };
		}
		if (action === 'showCurves') {
			showPanel(this._context, this._store, { resultId: runId, focus: 'live' });
			return { action: 'showCurves', runId };
		}
		const f = run.findings.find((x) => x.kind === kind) ?? run.findings.at(-1);
		if (!f) {
			return { action: 'none', reason: 'the run has no findings' };
		}
		return this._suggestFix(run, f);
	}

	private async _suggestFix(run: LiveRun, f: Finding): Promise<ActionOutcome> {
		const isScript = run.origin === 'monitor' && run.targetUri !== undefined;
		const rangeTest = run.targetUri ? this._store.latestRangeTest(run.targetUri) : undefined;
		const lrProblem =
			f.kind === 'divergence' ||
			f.kind === 'nonFinite' ||
			f.kind === 'spike' ||
			f.kind === 'plateau' ||
			f.kind === 'updateRatioHigh' ||
			f.kind === 'explodingGradients' ||
			f.kind === 'earlyDivergence';
		const offered: string[] = [];
		let extra = '';
		if (lrProblem && rangeTest) {
			offered.push(fixActions.openDesigner);
			extra = ' The schedule designer starts from your last range test on this script.';
		} else if (lrProblem && isScript) {
			offered.push(fixActions.runRangeTest);
			extra = ' A range test on this script finds an LR that trains without diverging.';
		}
		const text = `LR Scope · fix for ${f.kind} in ${run.label}: ${f.action}${extra}`;
		this._remember({
			runId: run.id,
			kind: 'fix',
			severity: 'info',
			message: text,
			actions: offered,
		});
		void vscode.window.showInformationMessage(text, ...offered).then((choice) => {
			if (choice === fixActions.openDesigner && rangeTest) {
				void vscode.commands.executeCommand(Commands.suggestSchedule, { resultId: rangeTest.id });
			} else if (choice === fixActions.runRangeTest && run.targetUri) {
				void vscode.commands.executeCommand(Commands.runRangeTestOnScript, {
					scriptPath: vscode.Uri.parse(run.targetUri).fsPath,
				});
			}
		});
		return {
			action: 'suggestFix',
			text,
			offered,
			...(rangeTest ? { resultId: rangeTest.id } : {}),
		};
	}
}
