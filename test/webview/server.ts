/**
 * A stand-in for VS Code's webview host in the render checks: serves the panel/side-view page built
 * by the extension's own `renderHtml` (real CSP, this server's origin as the cspSource) and dist/.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { renderHtml } from '../../src/extension/panel/htmlTemplate';
import type { WebviewSurface } from '../../src/shared/webviewProtocol';

const root = path.resolve(__dirname, '../..');

/** Serves dist/ and the page; the CSP source is this server's origin (as a webview's cspSource). */
export async function serveWebview(nonce: string): Promise<{ origin: string; close(): void }> {
	let origin = '';
	const server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', origin);
			if (url.pathname === '/panel.html' || url.pathname === '/side.html') {
				const surface: WebviewSurface = url.pathname === '/side.html' ? 'side' : 'panel';
				let html = renderHtml({
					cspSource: origin,
					nonce,
					surface,
					scriptUri: `${origin}/dist/webview.js`,
					styleUri: `${origin}/dist/webview.css`,
				});
				// VS Code applies the theme before the page script runs; a nonce'd script plays that part here.
				const theme = url.searchParams.get('theme') ?? 'dark';
				html = html.replace(
					'<main',
					`<script nonce="${nonce}">window.__applyTheme(${JSON.stringify(theme)});</script>\n\t<main`,
				);
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.end(html);
				return;
			}
			if (url.pathname.startsWith('/dist/')) {
				const file = path.join(root, 'dist', path.basename(url.pathname));
				try {
					const body = await readFile(file);
					res.writeHead(200, {
						'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript',
					});
					res.end(body);
				} catch {
					res.writeHead(404).end();
				}
				return;
			}
			// Chromium asks for a favicon; VS Code's webviews never do.
			res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { origin, close: () => server.close() };
}
