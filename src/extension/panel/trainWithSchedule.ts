/**
 * The panel's "Train script with this schedule": chooses which training script to run and hands it
 * to `lrScope.trainWithMonitor` with the designer's schedule, which the runner applies per batch
 * without editing the script.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { ResultsStore } from '../resultsStore';
import type { PanelLog } from './panelLog';
import { Commands } from '../ids';

const scriptExt = /\.(c|m)?(j|t)sx?$/i;

/** How many workspace scripts the quick-pick lists at most (a monorepo has thousands). */
const maxPickFiles = 500;

/**
 * Runs the chosen script in monitor mode with `spec`. The script is, in order: the selected
 * result's script (a range test run on a script), the active or a visible editor's JS/TS file when
 * there is exactly one, else the user picks one (editors first, then workspace files).
 */
export async function trainWithSchedule(
	store: ResultsStore,
	log: PanelLog,
	spec: ScheduleSpec,
	resultId?: string,
): Promise<unknown> {
	const script = resultScript(store, resultId) ?? (await pickScript(spec));
	if (!script) {
		return undefined;
	}
	log.info(`training ${script.fsPath} with a ${spec.kind} schedule from the designer`);
	return vscode.commands.executeCommand(Commands.trainWithMonitor, {
		scriptPath: script.fsPath,
		schedule: spec,
	});
}

/** The script a stored result was measured on, if it was a script and is still a file URI. */
function resultScript(store: ResultsStore, resultId: string | undefined): vscode.Uri | undefined {
	const r = resultId ? store.get(resultId) : undefined;
	if (!r) {
		return undefined;
	}
	if (r.source.kind === 'script' && scriptExt.test(r.source.scriptPath)) {
		return vscode.Uri.file(r.source.scriptPath);
	}
	if (r.targetUri) {
		const uri = vscode.Uri.parse(r.targetUri);
		if (uri.scheme === 'file' && scriptExt.test(uri.fsPath)) {
			return uri;
		}
	}
	return undefined;
}

/** Scripts open in editors: the active one first (while the panel has focus, none is active). */
function editorScripts(): vscode.Uri[] {
	const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
	const seen = new Map<string, vscode.Uri>();
	for (const e of editors) {
		const uri = e?.document.uri;
		if (uri && uri.scheme === 'file' && scriptExt.test(uri.fsPath)) {
			seen.set(uri.toString(), uri);
		}
	}
	return [...seen.values()];
}

async function pickScript(spec: ScheduleSpec): Promise<vscode.Uri | undefined> {
	const open = editorScripts();
	if (open.length === 1) {
		return open[0];
	}
	const files = await vscode.workspace.findFiles(
		'**/*.{js,ts,mjs,cjs}',
		'{**/node_modules/**,**/dist/**,**/out/**,**/.vscode-test/**}',
		maxPickFiles,
	);
	const openKeys = new Set(open.map((u) => u.toString()));
	const rest = files
		.filter((u) => !openKeys.has(u.toString()))
		.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
	const items = [...open, ...rest].map((uri) => ({
		label: path.basename(uri.fsPath),
		description: vscode.workspace.asRelativePath(uri),
		detail: openKeys.has(uri.toString()) ? 'open in an editor' : undefined,
		uri,
	}));
	if (items.length === 0) {
		void vscode.window.showInformationMessage(
			'LR Scope: no JavaScript/TypeScript files in this workspace; open your training script (e.g. train.js) and try again.',
		);
		return undefined;
	}
	const pick = await vscode.window.showQuickPick(items, {
		title: `LR Scope: train with the ${spec.kind} schedule`,
		placeHolder: 'Which training script? (the script is not edited)',
		matchOnDescription: true,
	});
	return pick?.uri;
}
