/**
 * Per-document cache of LR sites. The finder (and the TypeScript parser inside it) lives in its own
 * bundle, `dist/lrSites.js`, which is `require`d the first time a file that mentions tfjs needs
 * parsing — activation and `dist/extension.js` stay small. A document is parsed at most once per
 * version; other documents are never re-parsed when one changes.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as LrSitesModule from '../../core/lrSites';
import type { LrSiteReport } from '../../core/lrSites';
import type { Log } from '../log';

/** What the cache hands out when a file has nothing to parse. */
export const emptyReport: LrSiteReport = Object.freeze({
	sites: [],
	fits: [],
	usesTfjs: false,
	parseErrors: 0,
}) as LrSiteReport;

/** Same test as `mayHaveLrSites` in the finder, duplicated so a non-tfjs file never loads the parser. */
function mayHaveLrSites(text: string): boolean {
	return (
		text.includes('@tensorflow/tfjs') ||
		text.includes('learningRate') ||
		/\btf\s*\.\s*train\b/.test(text)
	);
}

/** The documents the editor features handle (.js .ts .mjs .cjs .jsx .tsx). */
export const documentSelector: vscode.DocumentFilter[] = [
	'javascript',
	'typescript',
	'javascriptreact',
	'typescriptreact',
].map((language) => ({ language }));

/** Caches `findLrSites` results per document version. */
export class SiteCache {
	private readonly _entries = new Map<string, { version: number; report: LrSiteReport }>();
	private _module: typeof LrSitesModule | undefined;
	private _loadFailed = false;
	/** How many parses ran (tests check that an unchanged document is not parsed again). */
	parses = 0;

	constructor(
		private readonly _bundlePath: string,
		private readonly _log: Log,
	) {}

	/** The lazily loaded finder module (undefined if the bundle cannot load; logged once). */
	finder(): typeof LrSitesModule | undefined {
		if (!this._module && !this._loadFailed) {
			try {
				const started = Date.now();
				// A runtime path on purpose: esbuild must not inline the parser into dist/extension.js.
				// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily by path (see above)
				this._module = require(this._bundlePath) as typeof LrSitesModule;
				this._log.info(
					`LR-site finder loaded from ${path.basename(this._bundlePath)} in ${Date.now() - started} ms`,
				);
			} catch (e) {
				this._loadFailed = true;
				this._log.error(
					`LR Scope could not load its LR-site finder (${this._bundlePath}); editor suggestions are off. Rebuild with "npm run build".`,
					e,
				);
			}
		}
		return this._module;
	}

	/**
	 * Sites of `doc` at its current version; parses only when the version changed. Returns
	 * undefined when `token` is cancelled before the parse (the caller then returns nothing).
	 */
	get(doc: vscode.TextDocument, token?: vscode.CancellationToken): LrSiteReport | undefined {
		const key = doc.uri.toString();
		const hit = this._entries.get(key);
		if (hit && hit.version === doc.version) {
			return hit.report;
		}
		if (token?.isCancellationRequested) {
			return undefined;
		}
		const text = doc.getText();
		let report = emptyReport;
		if (mayHaveLrSites(text)) {
			const finder = this.finder();
			if (finder) {
				try {
					this.parses++;
					report = finder.findLrSites(text, doc.fileName);
				} catch (e) {
					// The parser recovers from bad syntax; a throw here is our bug, not the user's.
					this._log.error(`LR-site finder failed on ${doc.fileName}`, e);
				}
			}
		}
		this._entries.set(key, { version: doc.version, report });
		return report;
	}

	/** Forgets a closed document. */
	delete(uri: vscode.Uri): void {
		this._entries.delete(uri.toString());
	}
}
