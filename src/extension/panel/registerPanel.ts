/**
 * Entry points of the LR Scope panel for the rest of the extension: registration (serializer for
 * the `lrScope.lossCurves` panel and the `lrScope.sideView` view provider), showing the panel, and
 * exporting the panel's chart as PNG or CSV bytes.
 */
import * as vscode from 'vscode';
import type { ResultsStore } from '../resultsStore';

/** The logging surface the panel needs; `Log` from `../log` satisfies it structurally. */
export interface PanelLog {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

/** Which part of the panel to bring forward. */
export type PanelFocus = 'curve' | 'schedule' | 'sweep' | 'live';

/** Options for `showPanel`. */
export interface ShowPanelOptions {
	/** Select this stored result (a range test or sweep id from the results store). */
	resultId?: string;
	/** Bring this tab forward. */
	focus?: PanelFocus;
}

/** Registers the panel serializer and the side view provider; dispose to unregister both. */
export function registerPanel(
	_context: vscode.ExtensionContext,
	_store: ResultsStore,
	_log: PanelLog,
): vscode.Disposable {
	return new vscode.Disposable(() => undefined);
}

/** Opens (or reveals) the LR Scope panel, optionally selecting a result and a tab. */
export function showPanel(
	_context: vscode.ExtensionContext,
	_store: ResultsStore,
	_opts?: ShowPanelOptions,
): void {
	// Filled in by the panel implementation.
}

/** Asks the panel's webview to render the selected chart as PNG or CSV; `undefined` when unavailable. */
export async function exportFromPanel(_kind: 'png' | 'csv'): Promise<Uint8Array | undefined> {
	return undefined;
}
