/**
 * The status-bar item for live runs (monitored scripts and watched logs): how many are running, and
 * a warning icon with the count of runs that have findings. Clicking opens the panel's Live tab on
 * the newest run with a problem (else the newest run). Hidden while there are no live runs.
 */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { showPanel } from '../panel/registerPanel';
import type { ResultsStore } from '../resultsStore';
import { InternalCommands, StatusBarItems } from '../ids';
import { registerCommand } from '../registerCommand';

/** The command the item runs (internal, not contributed: it only opens the panel on a run). */

/** Keeps the item in sync with the store's live runs. */
export class LiveStatusBar extends Disposable {
	private readonly _item: vscode.StatusBarItem;
	private _pending: NodeJS.Timeout | undefined;

	constructor(
		context: vscode.ExtensionContext,
		private readonly _store: ResultsStore,
	) {
		super();
		this._item = this._register(
			vscode.window.createStatusBarItem(StatusBarItems.live, vscode.StatusBarAlignment.Left, 9),
		);
		this._item.name = 'LR Scope live runs';
		this._item.command = InternalCommands.showLiveRuns;
		this._register(
			registerCommand(InternalCommands.showLiveRuns, () => {
				const runs = this._store.liveRuns();
				const target = [...runs].reverse().find((r) => r.findings.length > 0) ?? runs.at(-1);
				showPanel(context, this._store, {
					...(target ? { resultId: target.id } : {}),
					focus: 'live',
				});
				return target?.id;
			}),
		);
		this._register(
			this._store.onDidChange((e) => {
				// Appends without findings cannot change the text: skip them (they arrive per batch).
				if (e.kind === 'live' && e.findings.length === 0) {
					return;
				}
				this._schedule();
			}),
		);
		this._register({ dispose: () => clearTimeout(this._pending) });
		this.update();
	}

	private _schedule(): void {
		if (this._pending === undefined) {
			this._pending = setTimeout(() => {
				this._pending = undefined;
				this.update();
			}, 50);
		}
	}

	/** The item's current text ('' when hidden), for tests. */
	get text(): string {
		return this._visible ? this._item.text : '';
	}

	private _visible = false;

	/** Recomputes the item now. */
	update(): void {
		const runs = this._store.liveRuns();
		const running = runs.filter((r) => r.status === 'running');
		const withProblems = runs.filter((r) => r.findings.length > 0);
		if (runs.length === 0) {
			this._item.hide();
			this._visible = false;
			return;
		}
		const icon = withProblems.length > 0 ? '$(warning)' : '$(pulse)';
		const problems = withProblems.length > 0 ? ` · ${withProblems.length} with problems` : '';
		this._item.text = `${icon} LR Scope: ${running.length} live${problems}`;
		const lines = runs.map(
			(r) =>
				`${r.findings.length ? '⚠' : '•'} ${r.label} (${r.origin}, ${r.status}${r.findings.length ? `, ${r.findings.map((f) => f.kind).join(', ')}` : ''})`,
		);
		this._item.tooltip = `${lines.slice(-10).join('\n')}\nClick to show the live curves.`;
		this._item.backgroundColor = withProblems.some((r) =>
			r.findings.some((f) => f.severity === 'error'),
		)
			? new vscode.ThemeColor('statusBarItem.warningBackground')
			: undefined;
		this._item.show();
		this._visible = true;
	}
}
