/**
 * Wires the in-editor suggestions (CodeLens, hover, diagnostics, quick fixes) for JS/TS files, and
 * `lrScope.runRangeTestOnScript` when no other module registered it. The LR-site finder is loaded
 * from `dist/lrSites.js` on first use, never at activation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { summarize } from '../commands';
import type { Config } from '../config';
import type { Log } from '../log';
import type { ResultsStore } from '../resultsStore';
import type { RunManager, RunReport } from '../runs';
import { requireTrust, untrustedMessage } from '../trust';
import { LrCodeLensProvider } from './codeLens';
import { LrDiagnostics } from './diagnostics';
import { EditorState, editorCommands } from './editorState';
import { LrHoverProvider } from './hover';
import { LrQuickFixProvider } from './quickFixes';
import { SiteCache, documentSelector } from './siteCache';

/** What the editor features need besides the store. */
export interface EditorDeps {
	runs: RunManager;
	config: Config;
}

/** Handles the editor features expose to tests (through the extension's API). */
export interface EditorFeatures extends vscode.Disposable {
	cache: SiteCache;
	diagnostics: LrDiagnostics;
}

/** Arguments of `lrScope.runRangeTestOnScript`. */
export interface ScriptArgs {
	scriptPath: string;
	args?: string[];
}

/** Registers every editor feature; dispose to remove them all. */
export function registerEditorFeatures(
	context: vscode.ExtensionContext,
	store: ResultsStore,
	log: Log,
	deps: EditorDeps,
): EditorFeatures {
	const cache = new SiteCache(path.join(context.extensionPath, 'dist', 'lrSites.js'), log);
	const state = new EditorState(cache, store, deps.config);
	const lenses = new LrCodeLensProvider(state);
	const diagnostics = new LrDiagnostics(state);
	const disposables: vscode.Disposable[] = [
		state,
		lenses,
		diagnostics,
		vscode.languages.registerCodeLensProvider(documentSelector, lenses),
		vscode.languages.registerHoverProvider(documentSelector, new LrHoverProvider(state)),
		vscode.languages.registerCodeActionsProvider(documentSelector, new LrQuickFixProvider(state), {
			providedCodeActionKinds: LrQuickFixProvider.providedCodeActionKinds,
		}),
	];
	try {
		disposables.push(
			vscode.commands.registerCommand(
				editorCommands.runRangeTestOnScript,
				(arg?: ScriptArgs | vscode.Uri) => runOnScript(log, deps, arg),
			),
		);
	} catch (e) {
		// The zero-config module registered it first: use theirs.
		log.info(
			`${editorCommands.runRangeTestOnScript} is registered elsewhere (${e instanceof Error ? e.message : String(e)})`,
		);
	}
	const all = vscode.Disposable.from(...disposables);
	return { cache, diagnostics, dispose: () => all.dispose() };
}

/** Zero-config range test on a script: the runner intercepts its first `model.fit`. */
async function runOnScript(
	log: Log,
	deps: EditorDeps,
	arg?: ScriptArgs | vscode.Uri,
): Promise<RunReport | undefined> {
	if (!requireTrust()) {
		return { status: 'refused', message: untrustedMessage };
	}
	const uri =
		arg instanceof vscode.Uri
			? arg
			: arg?.scriptPath
				? vscode.Uri.file(arg.scriptPath)
				: vscode.window.activeTextEditor?.document.uri;
	if (!uri || uri.scheme !== 'file') {
		void vscode.window.showInformationMessage(
			'LR Scope: open a training script (a .js/.ts file that calls model.fit) and run this again.',
		);
		return undefined;
	}
	const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
	if (doc?.isDirty) {
		// The runner reads the file from disk; unsaved edits would silently not be tested.
		await doc.save();
	}
	const args = arg instanceof vscode.Uri ? [] : (arg?.args ?? []);
	const label = vscode.workspace.asRelativePath(uri);
	log.info(`range test on script ${label}`);
	const report = await deps.runs.run({
		kind: 'rangeTest',
		source: { kind: 'script', scriptPath: uri.fsPath, args, cwd: path.dirname(uri.fsPath) },
		label,
		targetUri: uri.toString(),
	});
	if (report.status === 'ok') {
		if (deps.config.openPanelOnResult) {
			void vscode.commands.executeCommand(editorCommands.openPanel, {
				resultId: report.result.id,
				focus: 'curve',
			});
		}
		void vscode.window.showInformationMessage(summarize(report.result));
	}
	return report;
}
