/**
 * LR Scope's entry point: only wires things up (the parts live in their own files). Activation is lazy (commands, the side
 * view and the panel serializer activate it); the extension host never loads tfjs — every run is a
 * runner process owned by the `RunManager`.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Config } from './config';
import { Log } from './log';
import { registerLive } from './monitor/registerLive';
import type { LiveFeatures } from './monitor/registerLive';
import { registerPanel } from './panel/registerPanel';
import { LossCurvePanel } from './panel/lossCurvePanel';
import { ResultsStore } from './resultsStore';
import { registerEditorFeatures } from './editor/registerEditorFeatures';
import type { EditorFeatures } from './editor/registerEditorFeatures';
import { RunManager } from './runs';
import { apiForMode } from './testApi';
import { setTrustOverride } from './trust';
import { errorText } from '../core/present/errorText';
import { ContextKeys, SettingSections } from './ids';
import { setContext } from './registerCommand';

/**
 * What `activate` returns — only outside Production mode (see testApi.ts): used by the
 * extension-host tests.
 */
export interface LrScopeApi {
	store: ResultsStore;
	runs: RunManager;
	config: Config;
	/** Test seam: simulate an untrusted (false) or trusted (true) workspace; undefined = real state. */
	setTrustOverride: (value: boolean | undefined) => void;
	/** The open LR Scope panel, for tests: feed it raw webview messages, see if it is loaded. */
	panel: {
		/** Whether a panel is open and has completed its `ready` handshake. */
		isReady(): boolean;
		/** Passes `message` through the panel's inbound validation; undefined when no panel is open. */
		receiveForTest(message: unknown): boolean | undefined;
	};
	/** CodeLens/hover/diagnostics/quick fixes: the site cache and diagnostics, for tests. */
	editor: EditorFeatures;
	/** Monitor mode, log watching, warnings and the live status bar, for tests. */
	live: LiveFeatures;
}

/** Called by VS Code on the first activation event. */
export function activate(context: vscode.ExtensionContext): LrScopeApi | undefined {
	const log = new Log();
	context.subscriptions.push(log);
	try {
		const config = new Config();
		const store = new ResultsStore(context);
		const runs = new RunManager(context.extensionUri, store, config, log);
		runs.runnerEnv = { LRSCOPE_CACHE_DIR: context.globalStorageUri.fsPath };
		context.subscriptions.push(store, runs);
		context.subscriptions.push(registerPanel(context, store, log));
		context.subscriptions.push(registerCommands({ context, store, runs, config, log }));
		// The script commands the editor's lenses and quick fixes call (runRangeTestOnScript, …).
		const live = registerLive({ context, store, runs, config, log });
		context.subscriptions.push(live);
		const editor = registerEditorFeatures(context, store, log, { config });
		context.subscriptions.push(editor);

		const setHasResults = (): void =>
			void setContext(ContextKeys.hasResults, store.list().length > 0);
		setHasResults();
		void setContext(ContextKeys.running, false);
		context.subscriptions.push(
			store.onDidChange((e) => {
				if (e.kind === 'results') {
					setHasResults();
				}
			}),
			runs.onDidChangeRunning((running) => void setContext(ContextKeys.running, running)),
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration(SettingSections.root)) {
					// Settings are read fresh at the start of each run; a running test keeps its options.
					log.info('settings changed; they apply to the next run');
				}
			}),
		);
		log.info(
			`LR Scope ${String(context.extension.packageJSON.version)} activated (node ${process.version})`,
		);
		const panel = {
			isReady: () => LossCurvePanel.current?.isReady ?? false,
			receiveForTest: (message: unknown) => LossCurvePanel.current?.receiveForTest(message),
		};
		// Test seams (trust override, raw webview messages) only for the extension-host tests.
		return apiForMode(context.extensionMode, {
			store,
			runs,
			config,
			setTrustOverride,
			panel,
			editor,
			live,
		});
	} catch (e) {
		// VS Code swallows activation errors; tell the user.
		log.error('activation failed', e);
		void vscode.window
			.showErrorMessage(`LR Scope failed to start: ${errorText(e)}`, 'Show log')
			.then((c) => {
				if (c) {
					log.show();
				}
			});
		return undefined;
	}
}

/** Runs are disposed through `context.subscriptions` (which cancels and kills their runners). */
export function deactivate(): void {
	// Nothing beyond the subscriptions.
}
