/**
 * The compact side view (`lrScope.sideView`): the latest range-test curve, its headline
 * suggestion (the webview writes `headlineText`, marked `data-headline`, as every surface does; the
 * host sends no text of its own) and an "Open panel" button. Same bundle and protocol as the panel, `side` surface.
 */
import type * as vscode from 'vscode';
import type { ResultsStore } from '../resultsStore';
import { getHtml, makeNonce, webviewOptions } from './getHtml';
import type { PanelLog } from './panelLog';
import type { SessionActions } from './webviewSession';
import { WebviewSession } from './webviewSession';
import { Views } from '../ids';

/** Provides the side view's webview; one session per resolved view. */
export class SideViewProvider implements vscode.WebviewViewProvider {
	/** The contributed view id. */
	static readonly viewId = Views.sideView;

	private _session: WebviewSession | undefined;

	constructor(
		private readonly _extensionUri: vscode.Uri,
		private readonly _store: ResultsStore,
		private readonly _log: PanelLog,
		private readonly _actions: SessionActions,
	) {}

	/** Called by VS Code when the view is first shown (and again after it was disposed). */
	resolveWebviewView(view: vscode.WebviewView): void {
		this._session?.dispose();
		view.webview.options = webviewOptions(this._extensionUri);
		const session = new WebviewSession(
			{
				webview: view.webview,
				get visible() {
					return view.visible;
				},
				onDidChangeVisibility: view.onDidChangeVisibility,
			},
			'side',
			this._store,
			this._log,
			this._actions,
		);
		this._session = session;
		view.onDidDispose(() => {
			session.dispose();
			if (this._session === session) {
				this._session = undefined;
			}
		});
		view.webview.html = getHtml(view.webview, this._extensionUri, makeNonce(), 'side');
	}

	/** Test seam, as `LossCurvePanel.receiveForTest`. */
	receiveForTest(message: unknown): boolean | undefined {
		return this._session?.receive(message);
	}

	/** Disposes the live session, if any. */
	dispose(): void {
		this._session?.dispose();
		this._session = undefined;
	}
}
