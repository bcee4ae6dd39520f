/**
 * The one HTML entry of the LR Scope webviews (panel and side view). Data never goes into the
 * HTML: the script posts `ready` and the host answers with a snapshot, so nothing from a result can reach
 * markup or script (docs/architecture.md, "HTML and CSP").
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewSurface } from '../../shared/webviewProtocol';
import { renderHtml } from './htmlTemplate';

/** A fresh CSP nonce; call once per HTML render: a reused nonce would let an old
 * injected script run. */
export function makeNonce(): string {
	return randomBytes(16).toString('base64');
}

/** Folders the webview may load from: the bundle and static media, nothing else, so a webview cannot
 * read the workspace. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
	return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Webview options shared by the panel and the side view; re-applied on revive (microsoft/vscode#197103). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
	return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}

/** HTML for a webview: CSP, the bundled stylesheet and the bundled script, both from `dist/`. */
export function getHtml(
	webview: vscode.Webview,
	extensionUri: vscode.Uri,
	nonce: string,
	surface: WebviewSurface = 'panel',
): string {
	const dist = vscode.Uri.joinPath(extensionUri, 'dist');
	return renderHtml({
		cspSource: webview.cspSource,
		scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
		styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
		nonce,
		surface,
	});
}
