/**
 * `lrScope.exportReport`: a stored result as an HTML report, the panel's PNG or CSV, or JSON, to a
 * path from the arguments or a save dialog.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rangeTestCsv as renderReportCsv } from '../core/present/csv';
import { renderReportHtml } from '../core/present/reportHtml';
import type { Log } from './log';
import { exportFromPanel, showPanel } from './panel/registerPanel';
import type { ResultsStore, StoredResult } from './resultsStore';
import type { RunManager } from './runs';
import { resolvePath } from './workspacePaths';

/** What the export needs from the extension (the commands pass their own deps). */
export interface ExportDeps {
	context: vscode.ExtensionContext;
	store: ResultsStore;
	runs: RunManager;
	log: Log;
}

/** Arguments of `lrScope.exportReport`. */
export interface ExportArgs {
	format?: ExportFormat;
	resultId?: string;
	/** Where to write; without it a save dialog asks. */
	uri?: vscode.Uri | string;
}

/** Export formats. */
export type ExportFormat = 'html' | 'png' | 'csv' | 'json';

/** Exports a stored result (the newest by default); resolves with the written path. */
export async function exportReport(
	deps: ExportDeps,
	arg?: ExportArgs,
): Promise<string | undefined> {
	const { store, log } = deps;
	const result = arg?.resultId ? store.get(arg.resultId) : store.list()[0];
	if (!result) {
		void vscode.window.showInformationMessage(
			'LR Scope: nothing to export yet; run an LR range test first.',
		);
		return undefined;
	}
	const format = arg?.format || (await pickFormat(result));
	if (!format) {
		return undefined;
	}
	if (format === 'html' && !result.rangeTest) {
		void vscode.window.showInformationMessage(
			'LR Scope: the HTML report is for range tests; export a sweep as JSON, CSV or PNG.',
		);
		return undefined;
	}
	let bytes: Uint8Array | undefined;
	if (format === 'png' || format === 'csv') {
		bytes = await panelExport(deps, result, format);
		if (!bytes) {
			return undefined;
		}
	} else if (format === 'html') {
		bytes = new TextEncoder().encode(renderReportHtml(result.rangeTest!));
	}
	const target = await exportTarget(arg, result, format);
	if (!target) {
		return undefined;
	}
	// JSON: the whole stored result; non-finite numbers as null, since JSON has no NaN or Infinity.
	bytes ??= new TextEncoder().encode(
		JSON.stringify(
			result,
			(_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
			2,
		),
	);
	await vscode.workspace.fs.writeFile(target, bytes);
	log.info(`exported ${format} to ${target.fsPath}`);
	void vscode.window
		.showInformationMessage(`LR Scope: exported ${path.basename(target.fsPath)}.`, 'Open')
		.then((c) => {
			if (c) {
				void vscode.commands.executeCommand('vscode.open', target);
			}
		});
	return target.fsPath;
}

/** Asks which format to export in; undefined when the pick is dismissed. */
async function pickFormat(result: StoredResult): Promise<ExportFormat | undefined> {
	const picked = await vscode.window.showQuickPick(
		[
			{
				label: 'HTML report',
				description: 'self-contained, with SVG charts',
				format: 'html' as const,
			},
			{ label: 'PNG image', description: 'the panel chart', format: 'png' as const },
			{ label: 'CSV', description: 'lr, loss, smoothed', format: 'csv' as const },
			{ label: 'JSON', description: 'the full result', format: 'json' as const },
		],
		{ title: `LR Scope: export ${result.label}` },
	);
	return picked?.format;
}

/**
 * PNG or CSV from the panel, which owns the rendered chart (and the view the user chose); the
 * curve's CSV without it when it does not answer. Undefined (and an error shown) when neither works.
 */
async function panelExport(
	deps: ExportDeps,
	result: StoredResult,
	format: 'png' | 'csv',
): Promise<Uint8Array | undefined> {
	const { store, log } = deps;
	// The panel owns the rendered chart (and the view the user chose); open it on this result first.
	showPanel(deps.context, store, {
		resultId: result.id,
		focus: result.kind === 'sweep' ? 'sweep' : 'curve',
	});
	let bytes = await exportFromPanel(format);
	if (!bytes && format === 'csv' && result.rangeTest) {
		// The curve's CSV does not need the webview.
		log.warn('export csv: the panel did not answer; writing the curve CSV directly');
		bytes = new TextEncoder().encode(renderReportCsv(result.rangeTest));
	}
	if (!bytes) {
		deps.runs.showError(
			`LR Scope: the panel could not export ${format.toUpperCase()}; wait until the chart is shown and try again.`,
			'internal',
		);
	}
	return bytes;
}

/** Where to write: the argument's path or URI, else a save dialog. */
async function exportTarget(
	arg: ExportArgs | undefined,
	result: StoredResult,
	format: ExportFormat,
): Promise<vscode.Uri | undefined> {
	return arg?.uri
		? typeof arg.uri === 'string'
			? vscode.Uri.file(resolvePath(arg.uri))
			: arg.uri
		: await vscode.window.showSaveDialog({
				title: 'LR Scope: export',
				defaultUri: vscode.Uri.file(
					path.join(
						vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '',
						`lrscope-${result.kind}.${format}`,
					),
				),
				filters: { [format.toUpperCase()]: [format] },
			});
}
