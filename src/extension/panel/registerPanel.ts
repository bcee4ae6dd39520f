/**
 * Entry points of the LR Scope panel for the rest of the extension: registration (serializer for
 * the `lrScope.lossCurves` panel and the `lrScope.sideView` view provider), showing the panel, and
 * exporting the panel's chart as PNG or CSV bytes.
 */
import { errorText } from '../../core/present/errorText';
import * as vscode from 'vscode';
import type { ResultsStore } from '../resultsStore';
import { Config } from '../config';
import type { PanelTab } from '../../shared/webviewProtocol';
import { LossCurvePanel } from './lossCurvePanel';
import type { PanelLog } from './panelLog';
import { SideViewProvider } from './sideView';
import { trainWithSchedule } from './trainWithSchedule';
import type { SessionActions } from './webviewSession';

/** Which part of the panel to bring forward. */
export type PanelFocus = PanelTab;

/** Options for `showPanel`. */
export interface ShowPanelOptions {
	/** Select this stored result (a range test or sweep id from the results store). */
	resultId?: string;
	/** Bring this tab forward. */
	focus?: PanelFocus;
	/** Keep the keyboard focus where it is (e.g. when a run opens the panel by itself). */
	preserveFocus?: boolean;
}

/** How long `exportFromPanel` waits for a freshly opened panel to load. */
const readyTimeoutMs = 20_000;

/** Set by `registerPanel`; the panel needs the log and store after activation. */
let registered:
	| { context: vscode.ExtensionContext; store: ResultsStore; log: PanelLog; side: SideViewProvider }
	| undefined;

function actionsFor(context: vscode.ExtensionContext, store: ResultsStore): SessionActions {
	const config = new Config();
	return {
		openPanel: (resultId) => showPanel(context, store, resultId ? { resultId } : {}),
		defaultBeta: () => config.rangeTest.beta ?? 0.98,
		trainWithSchedule: (spec, resultId) => {
			const log = registered?.log ?? silentLog;
			trainWithSchedule(store, log, spec, resultId).catch((e: unknown) =>
				log.error(`train with schedule failed: ${errorText(e)}`),
			);
		},
	};
}

/** Registers the panel serializer and the side view provider; dispose to unregister both. */
export function registerPanel(
	context: vscode.ExtensionContext,
	store: ResultsStore,
	log: PanelLog,
): vscode.Disposable {
	const actions = actionsFor(context, store);
	const side = new SideViewProvider(context.extensionUri, store, log, actions);
	registered = { context, store, log, side };
	return vscode.Disposable.from(
		vscode.window.registerWebviewPanelSerializer(LossCurvePanel.viewType, {
			// The webview restores its own UI state (getState); results come from the store on `ready`.
			async deserializeWebviewPanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
				LossCurvePanel.revive(panel, context.extensionUri, store, log, actions);
			},
		}),
		vscode.window.registerWebviewViewProvider(SideViewProvider.viewId, side),
		side,
		new vscode.Disposable(() => {
			LossCurvePanel.current?.dispose();
			registered = undefined;
		}),
	);
}

/** Opens (or reveals) the LR Scope panel, optionally selecting a result and a tab. */
export function showPanel(
	context: vscode.ExtensionContext,
	store: ResultsStore,
	opts: ShowPanelOptions = {},
): void {
	const log = registered?.log ?? silentLog;
	const focus =
		opts.resultId || opts.focus ? { resultId: opts.resultId, tab: opts.focus } : undefined;
	LossCurvePanel.createOrShow(
		context.extensionUri,
		store,
		log,
		actionsFor(context, store),
		focus,
		opts.preserveFocus ?? false,
	);
}

/**
 * Asks the panel's webview to render the selected chart as PNG or CSV. Opens the panel (without
 * taking focus) when it is closed or hidden, since only a loaded webview can draw. `undefined` when
 * the panel cannot answer (nothing selected, not registered, timeout).
 */
export async function exportFromPanel(kind: 'png' | 'csv'): Promise<Uint8Array | undefined> {
	if (!registered) {
		return undefined;
	}
	const { context, store, log } = registered;
	let panel = LossCurvePanel.current;
	if (!panel?.isReady) {
		showPanel(context, store, { preserveFocus: true });
		panel = LossCurvePanel.current;
	}
	if (!panel || !(await panel.whenReady(readyTimeoutMs))) {
		log.warn(`export ${kind}: the panel did not load within ${readyTimeoutMs} ms`);
		return undefined;
	}
	return panel.requestExport(kind);
}

const silentLog: PanelLog = {
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
};
