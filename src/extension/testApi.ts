/**
 * Whether `activate` hands out its API. The API has test seams (`setTrustOverride`,
 * `panel.receiveForTest`) that would let any other extension switch off the workspace-trust gate,
 * so an installed (Production) extension returns nothing; the extension-host tests run in Test or
 * Development mode and get it. No `vscode` import: the unit tests check this without VS Code.
 */
import type * as vscode from 'vscode';

/** `vscode.ExtensionMode.Production` (vscode.d.ts); a const here so this file needs no `vscode` at run time. */
export const productionMode = 1 as vscode.ExtensionMode.Production;

/** `api` outside Production mode, else undefined. */
export function apiForMode<T>(mode: vscode.ExtensionMode, api: T): T | undefined {
	return mode === productionMode ? undefined : api;
}
