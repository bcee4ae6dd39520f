/**
 * What the user sees while runs go: the progress notification's messages (and the runner's log
 * lines) from the runner's messages, and the status-bar item with the newest run's step counter,
 * which cancels the runs when clicked. `RunManager` (runs.ts) owns the runs themselves.
 */
import * as vscode from 'vscode';
import { formatLr } from '../core/present/format';
import {
	progressLine,
	progressLineSeconds,
	startingText,
	sweepProgressText,
} from '../core/present/progress';
import { backendLogLine } from '../core/present/words';
import { verifyProgressText } from '../core/present/verify';
import type { FromRunnerMessage } from '../shared/runnerProtocol';
import { Commands, StatusBarItems } from './ids';
import type { Log } from './log';

/** A run in progress. */
export interface ActiveRun {
	id: string;
	label: string;
	abort: AbortController;
	step: number;
	total: number;
}

/** The progress notification of one run. */
export type RunProgress = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Turns runner messages into progress reports and log lines, counting the steps on `active`;
 * `afterEach` runs after every message (the status-bar counter).
 */
export function progressReporter(
	active: ActiveRun,
	progress: RunProgress,
	log: Log,
	afterEach: () => void,
): (m: FromRunnerMessage) => void {
	let reported = 0;
	const t0 = Date.now();
	let lastLine = t0;
	return (m: FromRunnerMessage): void => {
		switch (m.type) {
			case 'started':
				active.total = m.total;
				log.info(backendLogLine(m.backend));
				progress.report({ message: startingText(m.backend.name) });
				break;
			case 'progress': {
				active.step = m.step + 1;
				active.total = m.total;
				// `increment` is relative; report only the growth since the last message.
				const pct = m.total > 0 ? (100 * active.step) / m.total : 0;
				const loss = m.smoothed ?? m.loss;
				progress.report({
					message: progressLine('', active.step, m.total, m.lr, loss),
					increment: Math.max(0, pct - reported),
				});
				reported = Math.max(reported, pct);
				if (Date.now() - lastLine >= progressLineSeconds * 1000) {
					// A long run shows in the log every few seconds, not only as a notification.
					lastLine = Date.now();
					log.info(
						progressLine('range test', active.step, m.total, m.lr, loss, (lastLine - t0) / 1000),
					);
				}
				break;
			}
			case 'verifyProgress':
				// The probes after the range test: a counter of their own ("verifying 3 candidates ·
				// step 120/400"); the bar stays full from the range test.
				active.step = m.step;
				active.total = m.total;
				progress.report({ message: `${verifyProgressText(m)} · lr ${formatLr(m.lr)}` });
				break;
			case 'sweepProgress':
				active.step = m.lrIndex + 1;
				active.total = m.lrCount;
				progress.report({ message: sweepProgressText(m.lrIndex, m.lrCount, m.lr, m.epoch) });
				break;
			case 'log':
				log[m.level === 'error' ? 'error' : m.level === 'warn' ? 'warn' : 'info'](
					`[runner] ${m.message}`,
				);
				break;
			default:
				break;
		}
		afterEach();
	};
}

/** The runs' status-bar item: hidden without runs, else the newest run's counter. */
export class RunStatusBar implements vscode.Disposable {
	private readonly _item = vscode.window.createStatusBarItem(
		StatusBarItems.run,
		vscode.StatusBarAlignment.Left,
		10,
	);

	constructor() {
		this._item.name = 'LR Scope run';
		this._item.command = Commands.cancelRun;
	}

	/** Shows `runs` (oldest first). */
	show(runs: readonly ActiveRun[]): void {
		if (!runs.length) {
			this._item.hide();
			return;
		}
		const run = runs[runs.length - 1];
		const counter = run.total > 0 ? ` ${run.step}/${run.total}` : '';
		this._item.text = `$(sync~spin) LR Scope${counter}`;
		this._item.tooltip = `${run.label}${runs.length > 1 ? ` (+${runs.length - 1} more)` : ''} — click to cancel`;
		this._item.show();
	}

	dispose(): void {
		this._item.dispose();
	}
}
