/**
 * Zero-config and live runs in the extension: the commands on the active editor's training script
 * (range test from the script's own `fit`, "Train with LR Scope", "Stop Training", "Set Script
 * Arguments…"), passive log watching, the warning notifications and the live-runs status-bar item.
 * `extension.ts` calls `registerLive` once; the returned handles are exposed to tests via the API.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { headlineText } from '../../core/present/headline';
import { sourceText } from '../../core/present/provenance';
import { summarize } from '../commands';
import { originOf } from '../editor/editorState';
import { scriptCwdFor, type Config } from '../config';
import type { Log } from '../log';
import { showPanel } from '../panel/registerPanel';
import type { ResultsStore } from '../resultsStore';
import type { RunManager, RunReport } from '../runs';
import type { RangeTestOptions } from '../../shared/runnerProtocol';
import { requireTrust, untrustedMessage } from '../trust';
import { LogWatcher } from '../watch/logWatcher';
import { LiveStatusBar } from '../warnings/statusBar';
import { WarningCenter } from '../warnings/warningCenter';
import { MonitorManager } from './monitorManager';
import type { MonitorReport } from './monitorManager';
import { formatArgs, formatEnv, parseEnv, splitArgs } from './scriptArgs';
import type { ScriptSettings } from './scriptArgs';
import { ScriptSettingsStore } from './scriptSettingsStore';
import { errorText } from '../../core/present/errorText';
import { Commands, ContextKeys, type CommandId } from '../ids';
import { registerCommand, setContext } from '../registerCommand';

/** Arguments of the script commands (all optional: the active editor's script by default). */
export interface ScriptCommandArgs {
	/** Absolute or workspace-relative path of the script. */
	scriptPath?: string;
	/** Overrides the remembered arguments for this run (a list, or one line as typed in a shell). */
	args?: string[] | string;
	/** Overrides the remembered environment for this run (an object, or `KEY=VALUE …`). */
	env?: Record<string, string> | string;
	/** Range test: options over the settings (e.g. fewer steps). */
	options?: Partial<RangeTestOptions>;
	/** Range test: how long the script may take to reach `model.fit` (default: the setting). */
	fitTimeoutMs?: number;
	/** Monitor: a core ScheduleSpec (JSON) applied per batch without editing the script. */
	schedule?: unknown;
}

/** The handles tests reach through the extension's API. */
export interface LiveFeatures extends vscode.Disposable {
	monitor: MonitorManager;
	watcher: LogWatcher;
	warnings: WarningCenter;
	statusBar: LiveStatusBar;
	scriptSettings: ScriptSettingsStore;
}

/** What `registerLive` needs from the extension. */
export interface LiveDeps {
	context: vscode.ExtensionContext;
	store: ResultsStore;
	runs: RunManager;
	config: Config;
	log: Log;
}

const scriptLanguages = /^(java|type)script(react)?$/;
const scriptExt = /\.(c|m)?(j|t)sx?$/i;

/** Registers the commands, the watcher, the warnings and the status bar. */
export function registerLive(deps: LiveDeps): LiveFeatures {
	const { context, store, runs, config, log } = deps;
	const warnings = new WarningCenter(context, store, config, log);
	const statusBar = new LiveStatusBar(context, store);
	const monitor = new MonitorManager(context.extensionUri, store, runs, config, log, warnings);
	const watcher = new LogWatcher(store, config, log, warnings);
	const scriptSettings = new ScriptSettingsStore(context.workspaceState);
	const sink = { log, showError: (message: string) => runs.showError(message, 'internal') };
	const reg = (id: CommandId, fn: (arg?: any) => unknown): vscode.Disposable =>
		registerCommand(id, fn, sink);
	const setMonitoring = (on: boolean): void => void setContext(ContextKeys.monitoring, on);
	setMonitoring(false);
	const disposables: vscode.Disposable[] = [
		warnings,
		statusBar,
		monitor,
		watcher,
		monitor.onDidChangeMonitoring(setMonitoring),
		reg(Commands.runRangeTestOnScript, (arg?: ScriptCommandArgs | vscode.Uri) =>
			rangeTestOnScript(deps, scriptSettings, arg),
		),
		reg(Commands.trainWithMonitor, (arg?: ScriptCommandArgs | vscode.Uri) =>
			trainWithMonitor(deps, monitor, scriptSettings, arg),
		),
		reg(Commands.stopMonitor, (arg?: { runId?: string }) => {
			const n = monitor.stop(arg?.runId);
			if (n === 0) {
				void vscode.window.showInformationMessage('LR Scope: no training is being monitored.');
			}
			return n;
		}),
		reg(Commands.setScriptArgs, (arg?: ScriptCommandArgs | vscode.Uri) =>
			setScriptArgs(scriptSettings, arg),
		),
	];
	// Watching starts after activation has returned: finding files must not delay it.
	setTimeout(
		() =>
			void watcher
				.start()
				.catch((e: unknown) => log.warn(`watching failed to start: ${String(e)}`)),
		0,
	);
	const all = vscode.Disposable.from(...disposables);
	return { monitor, watcher, warnings, statusBar, scriptSettings, dispose: () => all.dispose() };
}

/** The script a command applies to: its argument, else the active editor's file. */
async function resolveScript(
	arg: ScriptCommandArgs | vscode.Uri | undefined,
): Promise<vscode.Uri | undefined> {
	let uri: vscode.Uri | undefined;
	if (arg instanceof vscode.Uri) {
		uri = arg;
	} else if (arg?.scriptPath) {
		const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
		uri = vscode.Uri.file(
			path.isAbsolute(arg.scriptPath) || !root ? arg.scriptPath : path.join(root, arg.scriptPath),
		);
	} else {
		const doc = vscode.window.activeTextEditor?.document;
		if (doc && (scriptLanguages.test(doc.languageId) || scriptExt.test(doc.uri.fsPath))) {
			uri = doc.uri;
		}
	}
	if (!uri || uri.scheme !== 'file' || !scriptExt.test(uri.fsPath)) {
		void vscode.window.showInformationMessage(
			uri
				? `LR Scope: ${path.basename(uri.fsPath)} is not a JavaScript/TypeScript file on disk; open your training script (e.g. train.js).`
				: 'LR Scope: open a training script (a .js/.ts file that calls model.fit) and run this again.',
		);
		return undefined;
	}
	const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
	if (doc?.isDirty) {
		// The runner reads the file from disk; unsaved edits would silently not run.
		await doc.save();
	}
	return uri;
}

/** Remembered settings, with this call's overrides. Throws a one-line message on bad overrides. */
function effectiveSettings(
	store: ScriptSettingsStore,
	uri: vscode.Uri,
	arg: ScriptCommandArgs | vscode.Uri | undefined,
): ScriptSettings {
	const saved = store.get(uri);
	if (arg instanceof vscode.Uri || !arg) {
		return saved;
	}
	return {
		args:
			arg.args === undefined
				? saved.args
				: typeof arg.args === 'string'
					? splitArgs(arg.args)
					: arg.args,
		env:
			arg.env === undefined ? saved.env : typeof arg.env === 'string' ? parseEnv(arg.env) : arg.env,
	};
}

async function rangeTestOnScript(
	deps: LiveDeps,
	settings: ScriptSettingsStore,
	arg?: ScriptCommandArgs | vscode.Uri,
): Promise<RunReport | undefined> {
	if (!requireTrust()) {
		return { status: 'refused', message: untrustedMessage };
	}
	const uri = await resolveScript(arg);
	if (!uri) {
		return undefined;
	}
	const { args, env } = effectiveSettings(settings, uri, arg);
	const a = arg instanceof vscode.Uri ? undefined : arg;
	const label = vscode.workspace.asRelativePath(uri);
	const report = await deps.runs.run({
		kind: 'rangeTest',
		source: {
			kind: 'script',
			scriptPath: uri.fsPath,
			args,
			...(Object.keys(env).length ? { env } : {}),
			...scriptCwdFor(
				deps.config.monitor.cwd,
				uri.fsPath,
				vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath,
			),
			fitTimeoutMs: a?.fitTimeoutMs ?? deps.config.monitor.fitTimeoutSeconds * 1000,
		},
		...(a?.options ? { options: a.options } : {}),
		label,
		targetUri: uri.toString(),
	});
	if (report.status === 'ok') {
		if (deps.config.openPanelOnResult) {
			showPanel(deps.context, deps.store, {
				resultId: report.result.id,
				focus: 'curve',
				preserveFocus: true,
			});
		}
		void vscode.window.showInformationMessage(summarize(report.result));
	}
	return report;
}

async function trainWithMonitor(
	deps: LiveDeps,
	monitor: MonitorManager,
	settings: ScriptSettingsStore,
	arg?: ScriptCommandArgs | vscode.Uri,
): Promise<MonitorReport | RunReport | undefined> {
	if (!requireTrust()) {
		return { status: 'refused', message: untrustedMessage };
	}
	const uri = await resolveScript(arg);
	if (!uri) {
		return undefined;
	}
	const { args, env } = effectiveSettings(settings, uri, arg);
	let schedule = arg instanceof vscode.Uri ? undefined : arg?.schedule;
	if (arg === undefined || arg instanceof vscode.Uri) {
		const choice = await pickSchedule(deps.store, uri);
		if (choice === null) {
			return undefined;
		}
		schedule = choice;
	}
	const running = monitor.train({
		scriptUri: uri,
		args,
		env,
		...(schedule !== undefined ? { schedule } : {}),
	});
	// Show the live curve as soon as the run exists (the panel streams it), without stealing focus.
	setTimeout(() => {
		const id = monitor.activeIds.at(-1);
		if (id && deps.config.openPanelOnResult) {
			showPanel(deps.context, deps.store, { resultId: id, focus: 'live', preserveFocus: true });
		}
	}, 0);
	return running;
}

/**
 * When the script has a range test, asks whether to train as written or at its suggested LR (a
 * constant schedule applied by the runner, no code edits). `undefined` = as written, `null` = cancelled.
 */
async function pickSchedule(store: ResultsStore, uri: vscode.Uri): Promise<unknown> {
	// Only the script's own range test (core/provenance.ts); its headline, as every surface shows it.
	const result = store.latestRangeTest(uri.toString());
	const h = result?.rangeTest && result.rangeTest.report.headline;
	const lr = h?.lr;
	if (!h || lr === null || lr === undefined || !(lr > 0)) {
		return undefined;
	}
	const asWritten = {
		label: '$(play) Train as written',
		description: "the script's own learning rate and schedule",
	};
	const suggested = {
		label: `$(graph-line) Train at ${headlineText(h)}`,
		description: `constant, from the ${sourceText(originOf(result!), 'script', Date.now())}; the script is not edited`,
	};
	const pick = await vscode.window.showQuickPick([asWritten, suggested], {
		title: `LR Scope: train ${path.basename(uri.fsPath)}`,
		placeHolder: 'Which learning rate?',
	});
	if (!pick) {
		return null;
	}
	return pick === suggested ? { kind: 'constant', lr } : undefined;
}

async function setScriptArgs(
	store: ScriptSettingsStore,
	arg?: ScriptCommandArgs | vscode.Uri,
): Promise<ScriptSettings | undefined> {
	const uri = await resolveScript(arg);
	if (!uri) {
		return undefined;
	}
	const name = path.basename(uri.fsPath);
	if (!(arg instanceof vscode.Uri) && arg && (arg.args !== undefined || arg.env !== undefined)) {
		// Given by a caller (tests, other commands): no input boxes.
		const s = effectiveSettings(store, uri, arg);
		await store.set(uri, s);
		return s;
	}
	const saved = store.get(uri);
	const argsLine = await vscode.window.showInputBox({
		title: `LR Scope: arguments for ${name} (1/2)`,
		prompt: 'Command-line arguments, as you would type them after `node train.js` (quotes work)',
		value: formatArgs(saved.args),
		placeHolder: '--epochs 5 --data ./data.csv',
		ignoreFocusOut: true,
		validateInput: (v) => validate(() => splitArgs(v)),
	});
	if (argsLine === undefined) {
		return undefined;
	}
	const envLine = await vscode.window.showInputBox({
		title: `LR Scope: environment for ${name} (2/2)`,
		prompt: 'Extra environment variables as KEY=VALUE, separated by spaces (empty for none)',
		value: formatEnv(saved.env),
		placeHolder: 'EPOCHS=5 DATA_DIR=./data',
		ignoreFocusOut: true,
		validateInput: (v) => validate(() => parseEnv(v)),
	});
	if (envLine === undefined) {
		return undefined;
	}
	const s: ScriptSettings = { args: splitArgs(argsLine), env: parseEnv(envLine) };
	await store.set(uri, s);
	void vscode.window.showInformationMessage(
		`LR Scope: ${name} will run with ${s.args.length ? formatArgs(s.args) : 'no arguments'}${Object.keys(s.env).length ? ` and ${formatEnv(s.env)}` : ''}.`,
	);
	return s;
}

function validate(fn: () => unknown): string | undefined {
	try {
		fn();
		return undefined;
	} catch (e) {
		return errorText(e);
	}
}
