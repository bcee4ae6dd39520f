/**
 * Wires the in-editor suggestions (CodeLens, hover, diagnostics, quick fixes) for JS/TS files and
 * `lrScope.linkResultToScript`. The LR-site finder is loaded from `dist/lrSites.js` on first use,
 * never at activation. (`lrScope.runRangeTestOnScript` is registered once, by the zero-config
 * module, src/extension/monitor/.)
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { linkCandidates } from '../../core/provenance';
import { agoText, targetName } from '../../core/present/provenance';
import type { Config } from '../config';
import type { Log } from '../log';
import type { ResultsStore } from '../resultsStore';
import { LrCodeLensProvider } from './codeLens';
import { LrDiagnostics } from './diagnostics';
import { Commands } from '../ids';
import { EditorState, originOf } from './editorState';
import { LrHoverProvider } from './hover';
import { LrQuickFixProvider } from './quickFixes';
import { ScriptLinks } from './scriptLinks';
import { SiteCache, documentSelector } from './siteCache';

/** What the editor features need besides the store. */
export interface EditorDeps {
	config: Config;
}

/** Handles the editor features expose to tests (through the extension's API). */
export interface EditorFeatures extends vscode.Disposable {
	cache: SiteCache;
	diagnostics: LrDiagnostics;
	/** Models/modules linked to scripts (`lrScope.linkResultToScript`). */
	links: ScriptLinks;
}

/** Arguments of `lrScope.linkResultToScript`; without `targets` a quick-pick asks. */
export interface LinkArgs {
	/** The script (absolute or workspace-relative); default: the active editor's file. */
	scriptPath?: string;
	/** Models/modules to link (paths or URI strings); replaces the script's links. `[]` unlinks all. */
	targets?: string[];
}

/** Registers every editor feature; dispose to remove them all. */
export function registerEditorFeatures(
	context: vscode.ExtensionContext,
	store: ResultsStore,
	log: Log,
	deps: EditorDeps,
): EditorFeatures {
	const cache = new SiteCache(path.join(context.extensionPath, 'dist', 'lrSites.js'), log);
	const links = new ScriptLinks(context.workspaceState);
	const state = new EditorState(cache, store, deps.config, links);
	const lenses = new LrCodeLensProvider(state);
	const diagnostics = new LrDiagnostics(state);
	const disposables: vscode.Disposable[] = [
		links,
		state,
		vscode.commands.registerCommand(Commands.linkResultToScript, (arg?: LinkArgs | vscode.Uri) =>
			linkToScript(store, links, arg),
		),
		lenses,
		diagnostics,
		vscode.languages.registerCodeLensProvider(documentSelector, lenses),
		vscode.languages.registerHoverProvider(documentSelector, new LrHoverProvider(state)),
		vscode.languages.registerCodeActionsProvider(documentSelector, new LrQuickFixProvider(state), {
			providedCodeActionKinds: LrQuickFixProvider.providedCodeActionKinds,
		}),
	];
	const all = vscode.Disposable.from(...disposables);
	return { cache, diagnostics, links, dispose: () => all.dispose() };
}

/** A path or URI string as a URI string (paths relative to the first workspace folder). */
function toUriString(p: string): string {
	if (/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) {
		return p;
	}
	const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	return vscode.Uri.file(path.isAbsolute(p) || !root ? p : path.join(root, p)).toString();
}

/**
 * `lrScope.linkResultToScript`: choose which models/modules (tested in this workspace) may advise on
 * a script's learning rates. A multi-select quick-pick of every tested target, the linked ones
 * ticked; remembered in `workspaceState`. Returns the script's links afterwards (undefined: cancelled).
 */
async function linkToScript(
	store: ResultsStore,
	links: ScriptLinks,
	arg?: LinkArgs | vscode.Uri,
): Promise<string[] | undefined> {
	const uri =
		arg instanceof vscode.Uri
			? arg
			: arg?.scriptPath
				? vscode.Uri.parse(toUriString(arg.scriptPath))
				: vscode.window.activeTextEditor?.document.uri;
	if (!uri) {
		void vscode.window.showInformationMessage(
			'LR Scope: open a training script, then link a model or module to it.',
		);
		return undefined;
	}
	const script = uri.toString();
	const name = path.basename(uri.fsPath);
	let chosen: string[];
	if (!(arg instanceof vscode.Uri) && arg?.targets) {
		chosen = arg.targets.map(toUriString);
	} else {
		const current = new Set(links.get(script));
		const origins = store
			.list()
			.filter((r) => r.kind === 'rangeTest' && r.rangeTest)
			.map((r) => ({ ...originOf(r), label: r.label }));
		const now = Date.now();
		type Item = vscode.QuickPickItem & { target: string };
		const items: Item[] = linkCandidates(origins, script).map((o) => ({
			label: targetName(o.targetUri),
			description: `${o.sourceKind === 'saved' ? 'saved model' : o.sourceKind} · ${o.optimizer ?? 'unknown optimizer'} · ${agoText(o.createdAt, now)}`,
			detail: o.label,
			picked: current.has(o.targetUri!),
			target: o.targetUri!,
		}));
		for (const t of current) {
			if (!items.some((i) => i.target === t)) {
				items.push({
					label: targetName(t),
					description: 'no stored range test',
					picked: true,
					target: t,
				});
			}
		}
		if (!items.length) {
			void vscode.window.showInformationMessage(
				`LR Scope: nothing to link yet. Run a range test on a model or module first; ${name}'s own range tests apply without a link.`,
			);
			return undefined;
		}
		const picked = await vscode.window.showQuickPick(items, {
			canPickMany: true,
			title: `LR Scope: range tests that may advise on ${name}`,
			placeHolder: `Tick the models/modules ${name} trains (same optimizer); untick to unlink`,
		});
		if (!picked) {
			return undefined;
		}
		chosen = picked.map((i) => i.target);
	}
	await links.set(script, chosen);
	const now = links.get(script);
	void vscode.window.showInformationMessage(
		now.length
			? `LR Scope: ${name} now also takes advice from range tests of ${now.map(targetName).join(', ')}.`
			: `LR Scope: ${name} takes advice only from its own range tests.`,
	);
	return [...now];
}
