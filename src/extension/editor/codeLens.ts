/**
 * CodeLens over `fit`/`fitDataset` calls and optimizer constructors: "▶ LR range test", "suggested
 * 3e-3 (valley) · from range test of train.js · adam · 5 min ago" (only from a result that applies,
 * core/provenance.ts; else "▶ LR range test for this script") and "last run: diverged at step 412 — show". Lookups only: the
 * sites come from the per-version cache and the numbers from the results store, so a lens never
 * waits on a parse or a run.
 */
import * as vscode from 'vscode';
import { adviseLenses } from './advice';
import type { EditorState } from './editorState';
import { Commands } from '../ids';

/** How often lenses that say when their range test ran ("5 min ago") are redrawn. */
const refreshMs = 60_000;

/** The LR Scope CodeLens provider; refreshes when the store or the settings change. */
export class LrCodeLensProvider implements vscode.CodeLensProvider {
	private readonly _onDidChange = new vscode.EventEmitter<void>();
	/** Fired by the results store (through `EditorState`). */
	readonly onDidChangeCodeLenses = this._onDidChange.event;
	private readonly _sub: vscode.Disposable;
	/**
	 * Redraws lenses that say "5 min ago" every minute. Started only once such a lens exists, so a
	 * workspace without range tests has no timer at all (an idle JS workspace must cost nothing).
	 */
	private _timer: NodeJS.Timeout | undefined;

	constructor(private readonly _state: EditorState) {
		this._sub = _state.onDidChange(() => this._onDidChange.fire());
	}

	/** Lenses for `doc`: empty when turned off, cancelled or nothing is found. */
	provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
		if (!this._state.config.editor.codeLens) {
			return [];
		}
		const report = this._state.sites(doc, token);
		if (!report || token.isCancellationRequested) {
			return [];
		}
		const run = this._state.liveRun(doc);
		const lenses = adviseLenses(report, this._state.evidence(doc), run);
		if (!this._timer && lenses.some((l) => l.kind === 'suggestion')) {
			this._timer = setInterval(() => this._onDidChange.fire(), refreshMs);
		}
		return lenses.map((l) => {
			const pos = doc.positionAt(l.start);
			const range = new vscode.Range(pos, pos);
			switch (l.kind) {
				case 'runRangeTest':
					return new vscode.CodeLens(range, {
						title: l.title,
						tooltip:
							'Run an LR range test on this script (zero-config: intercepts its first model.fit)',
						command: Commands.runRangeTestOnScript,
						arguments: [{ scriptPath: doc.uri.fsPath }],
					});
				case 'suggestion':
					return new vscode.CodeLens(range, {
						title: l.title,
						tooltip: l.detail
							? `${l.detail}. Open this range test in the LR Scope panel`
							: 'Open this range test in the LR Scope panel',
						command: Commands.openPanel,
						arguments: [{ resultId: l.resultId, focus: 'curve' }],
					});
				case 'lastRun':
					return new vscode.CodeLens(range, {
						title: l.title,
						tooltip: "Show the run's curves in the LR Scope panel",
						command: Commands.openPanel,
						arguments: [{ focus: 'live' }],
					});
			}
		});
	}

	dispose(): void {
		clearInterval(this._timer);
		this._sub.dispose();
		this._onDidChange.dispose();
	}
}
