/**
 * The webview HTML as a pure function (no 'vscode'), so the screenshot and CSP tests render exactly
 * what the extension serves. `getHtml` fills it from a real `vscode.Webview`.
 */
import type { WebviewSurface } from '../../shared/webviewProtocol';

/** The Content-Security-Policy of every LR Scope webview (docs/architecture.md, "HTML and CSP"). */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return (
		`default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; ` +
		`font-src ${cspSource}; script-src 'nonce-${nonce}';`
	);
}

/** What the template needs: where the bundle lives, the CSP source and a fresh nonce. */
export interface HtmlParts {
	cspSource: string;
	scriptUri: string;
	styleUri: string;
	nonce: string;
	surface: WebviewSurface;
}

/** Escapes a value for a double-quoted HTML attribute. */
function attr(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The HTML shell: CSP, the bundled stylesheet and script; data arrives later by message. */
export function renderHtml(p: HtmlParts): string {
	const title = p.surface === 'side' ? 'LR Scope (latest)' : 'LR Scope';
	return /* html */ `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${attr(p.styleUri)}">
	<title>${title}</title>
</head>
<body data-surface="${p.surface}">
	<main id="app" aria-busy="true"><p class="placeholder">Loading LR Scope…</p></main>
	<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
