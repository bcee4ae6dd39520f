/**
 * The LR Scope panel (`lrScope.lossCurves`): one instance at a time, revived by the serializer after
 * a reload. It owns its webview and session; it never owns runs (closing it cancels nothing).
 */
import * as vscode from 'vscode';
import type { ResultsStore } from '../resultsStore';
import { Disposable } from '../dispose';
import type { ExportKind, FocusRequest } from '../../shared/webviewProtocol';
import { getHtml, makeNonce, webviewOptions } from './getHtml';
import type { PanelLog } from './panelLog';
import type { SessionActions } from './webviewSession';
import { WebviewSession } from './webviewSession';
import { Views } from '../ids';

/** The single LR Scope panel. */
export class LossCurvePanel extends Disposable {
	/** The panel's viewType (also the `onWebviewPanel:` activation event and serializer key). */
	static readonly viewType = Views.lossCurves;
	/** The open panel, if any. */
	static current: LossCurvePanel | undefined;

	private readonly _session: WebviewSession;

	/** Opens the panel (or reveals the open one) and applies `focus` once its webview is ready. */
	static createOrShow(
		extensionUri: vscode.Uri,
		store: ResultsStore,
		log: PanelLog,
		actions: SessionActions,
		focus?: FocusRequest,
		preserveFocus = false,
	): LossCurvePanel {
		const existing = LossCurvePanel.current;
		if (existing) {
			existing._panel.reveal(undefined, preserveFocus);
			if (focus) {
				existing._session.focus(focus);
			}
			return existing;
		}
		const panel = vscode.window.createWebviewPanel(
			LossCurvePanel.viewType,
			'LR Scope',
			{ viewColumn: vscode.ViewColumn.Active, preserveFocus },
			// Retention is an optimisation we do not need: the view rebuilds from a snapshot,
			// and a retained hidden webview costs memory for nothing (docs/architecture.md, "Lifecycle").
			{ ...webviewOptions(extensionUri), retainContextWhenHidden: false },
		);
		const created = new LossCurvePanel(panel, extensionUri, store, log, actions);
		if (focus) {
			created._session.focus(focus);
		}
		return created;
	}

	/** Rebuilds the panel VS Code restored after a reload (from the serializer). */
	static revive(
		panel: vscode.WebviewPanel,
		extensionUri: vscode.Uri,
		store: ResultsStore,
		log: PanelLog,
		actions: SessionActions,
	): LossCurvePanel {
		// Restored panels keep stale options (e.g. old localResourceRoots). See microsoft/vscode#197103.
		panel.webview.options = webviewOptions(extensionUri);
		LossCurvePanel.current?.dispose();
		return new LossCurvePanel(panel, extensionUri, store, log, actions);
	}

	private constructor(
		private readonly _panel: vscode.WebviewPanel,
		extensionUri: vscode.Uri,
		store: ResultsStore,
		log: PanelLog,
		actions: SessionActions,
	) {
		super();
		LossCurvePanel.current = this;
		this._register(_panel);
		this._session = this._register(
			new WebviewSession(
				{
					webview: _panel.webview,
					get visible() {
						return _panel.visible;
					},
					onDidChangeVisibility: _panel.onDidChangeViewState,
				},
				'panel',
				store,
				log,
				actions,
			),
		);
		this._register(
			_panel.onDidDispose(() => {
				if (LossCurvePanel.current === this) {
					LossCurvePanel.current = undefined;
				}
				this.dispose();
			}),
		);
		_panel.webview.html = getHtml(_panel.webview, extensionUri, makeNonce(), 'panel');
	}

	/** Whether the webview completed its handshake and is visible. */
	get isReady(): boolean {
		return this._session.isLive;
	}

	/** Resolves when the webview is ready (at once if it already is); `false` on timeout. */
	whenReady(timeoutMs: number): Promise<boolean> {
		if (this._session.isLive) {
			return Promise.resolve(true);
		}
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				sub.dispose();
				resolve(false);
			}, timeoutMs);
			const sub = this._session.onDidBecomeReady(() => {
				clearTimeout(timer);
				sub.dispose();
				resolve(true);
			});
		});
	}

	/** Asks the webview for the selected chart as PNG or CSV bytes. */
	requestExport(kind: ExportKind): Promise<Uint8Array | undefined> {
		return this._session.requestExport(kind);
	}

	/**
	 * Test seam: feeds `message` through the same validation and dispatch as a real webview post.
	 * Returns whether it was accepted (false = dropped and logged as malformed).
	 */
	receiveForTest(message: unknown): boolean {
		return this._session.receive(message);
	}

	override dispose(): void {
		if (LossCurvePanel.current === this) {
			LossCurvePanel.current = undefined;
		}
		super.dispose();
	}
}
