/**
 * Diagnostics on LR literals outside the range supported by the range test that applies to them
 * (the script's own or a linked one, same optimizer: core/provenance.ts; the message names it), and on the `fit`
 * line of a run that diverged or stalled. One `DiagnosticCollection('lrScope')`, `source` "LR
 * Scope", stable codes from `diagnosticCodes`. Refreshed (debounced) when a document changes, and
 * for every open document when results or settings change; entries are deleted on close. A run's
 * diagnostic is dropped once the file is edited after it: the run no longer describes that code.
 */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { diagnosticCollection } from '../ids';
import { adviseDiagnostics, diagnosticSource } from './advice';
import type { EditorState } from './editorState';
import { documentSelector } from './siteCache';

/** Debounce for typing: re-judge 250 ms after the last keystroke, not on every one. */
const typingDelayMs = 250;

/** Owns the `lrScope` diagnostic collection. */
export class LrDiagnostics extends Disposable {
	/** The collection (tests read it through `vscode.languages.getDiagnostics`). */
	readonly collection = this._register(
		vscode.languages.createDiagnosticCollection(diagnosticCollection),
	);
	private readonly _timers = new Map<string, NodeJS.Timeout>();
	/** Live runs whose diagnostics the user made stale by editing the file, per document. */
	private readonly _staleRuns = new Map<string, Set<string>>();

	constructor(private readonly _state: EditorState) {
		super();
		this._register(vscode.workspace.onDidOpenTextDocument((d) => this.update(d)));
		this._register(
			vscode.workspace.onDidChangeTextDocument((e) => {
				if (e.contentChanges.length === 0 || !this._handles(e.document)) {
					return;
				}
				const key = e.document.uri.toString();
				const run = this._state.liveRun(e.document);
				if (run) {
					const stale = this._staleRuns.get(key) ?? new Set<string>();
					stale.add(run.id);
					this._staleRuns.set(key, stale);
				}
				clearTimeout(this._timers.get(key));
				this._timers.set(
					key,
					setTimeout(() => {
						this._timers.delete(key);
						this.update(e.document);
					}, typingDelayMs),
				);
			}),
		);
		this._register(
			vscode.workspace.onDidCloseTextDocument((d) => {
				const key = d.uri.toString();
				clearTimeout(this._timers.get(key));
				this._timers.delete(key);
				this._staleRuns.delete(key);
				this.collection.delete(d.uri);
				this._state.cache.delete(d.uri);
			}),
		);
		this._register(_state.onDidChange(() => this.updateAll()));
		this._register({ dispose: () => this._timers.forEach((t) => clearTimeout(t)) });
		this.updateAll();
	}

	private _handles(doc: vscode.TextDocument): boolean {
		return vscode.languages.match(documentSelector, doc) > 0;
	}

	/** Re-judges every open document. */
	updateAll(): void {
		for (const doc of vscode.workspace.textDocuments) {
			this.update(doc);
		}
	}

	/** Re-judges one document now. */
	update(doc: vscode.TextDocument): void {
		if (!this._handles(doc) || !this._state.config.editor.diagnostics) {
			this.collection.delete(doc.uri);
			return;
		}
		const report = this._state.sites(doc);
		if (!report || (!report.sites.length && !report.fits.length)) {
			this.collection.delete(doc.uri);
			return;
		}
		const run = this._state.liveRun(doc);
		const fresh = run && !this._staleRuns.get(doc.uri.toString())?.has(run.id) ? run : undefined;
		const diags = adviseDiagnostics(report, this._state.evidence(doc), fresh).map((a) => {
			const d = new vscode.Diagnostic(
				new vscode.Range(doc.positionAt(a.start), doc.positionAt(a.end)),
				a.message,
				a.severity === 'warning'
					? vscode.DiagnosticSeverity.Warning
					: vscode.DiagnosticSeverity.Information,
			);
			d.code = a.code;
			d.source = diagnosticSource;
			return d;
		});
		this.collection.set(doc.uri, diags);
	}
}
