/**
 * The one HTML shell of the LR Scope webviews (panel and side view). Data never goes into the
 * HTML: the script posts `ready` and the host answers with a snapshot (STYLE 21).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewSurface } from '../../shared/webviewProtocol';

/** A fresh CSP nonce; call once per HTML render (STYLE 20). */
export function makeNonce(): string {
	return randomBytes(16).toString('base64');
}

/** Folders the webview may load from: the bundle and static media, nothing else (STYLE 22). */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
	return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Webview options shared by the panel and the side view; re-applied on revive (microsoft/vscode#197103). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
	return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
}

/** The Content-Security-Policy of every LR Scope webview. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return (
		`default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; ` +
		`font-src ${cspSource}; script-src 'nonce-${nonce}';`
	);
}

/** HTML for a webview: CSP, the bundled stylesheet and the bundled script, both from `dist/`. */
export function getHtml(
	webview: vscode.Webview,
	extensionUri: vscode.Uri,
	nonce: string,
	surface: WebviewSurface = 'panel',
): string {
	const dist = vscode.Uri.joinPath(extensionUri, 'dist');
	const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
	const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
	const title = surface === 'side' ? 'LR Scope (latest)' : 'LR Scope';
	return /* html */ `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${styleUri.toString()}">
	<title>${title}</title>
</head>
<body data-surface="${surface}">
	<main id="app" aria-busy="true"><p class="placeholder">Loading LR Scope…</p></main>
	<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
