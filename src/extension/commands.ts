/**
 * The registration of the run, panel, export and housekeeping commands (ids in ids.ts; the export
 * itself in exportReport.ts). Run commands accept an optional argument object so tests, CodeLens
 * and other commands can run them without quick-picks.
 */
import * as vscode from 'vscode';
import { formatLr } from '../core/present/format';
import {
	headlineEvidenceText,
	headlineSummary,
	headlineText,
	verdictText,
} from '../core/present/headline';
import { stopReasonText } from '../core/present/words';
import type {
	DataSpec,
	ModelSource,
	RangeTestOptions,
	SweepOptions,
} from '../shared/runnerProtocol';
import type { Config } from './config';
import type { CommandId } from './ids';
import { Commands } from './ids';
import type { ExportArgs } from './exportReport';
import { exportReport } from './exportReport';
import { registerCommand } from './registerCommand';
import { resolvePath } from './workspacePaths';
import type { Log } from './log';
import { showPanel } from './panel/registerPanel';
import type { PanelFocus } from './panel/registerPanel';
import {
	describeData,
	pickData,
	pickModel,
	pickModule,
	readModelFormat,
	rememberData,
} from './pickers';
import { pickTraining, rememberedTraining } from './trainingPicks';
import type { ResultsStore, StoredResult } from './resultsStore';
import type { RunManager, RunReport } from './runs';
import { requireTrust, untrustedMessage } from './trust';

/** Arguments of `lrScope.runRangeTest` / `lrScope.runSweep` for a saved model (paths may be workspace-relative). */
export interface SavedModelArgs {
	modelPath: string;
	data?: DataSpec;
	options?: Partial<RangeTestOptions> & Partial<SweepOptions>;
	loss?: string;
	optimizer?: string;
}

/** Arguments of `lrScope.runRangeTestOnModule` (and `lrScope.runSweep` on a module). */
export interface ModuleArgs {
	modulePath: string;
	options?: Partial<RangeTestOptions> & Partial<SweepOptions>;
}

/** What the commands need from the extension. */
export interface CommandDeps {
	context: vscode.ExtensionContext;
	store: ResultsStore;
	runs: RunManager;
	config: Config;
	log: Log;
}

/** Registers every command; dispose to unregister. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
	const { context, store, runs, log } = deps;
	const sink = { log, showError: (message: string) => runs.showError(message, 'internal') };
	const reg = (id: CommandId, fn: (...args: any[]) => unknown): vscode.Disposable =>
		registerCommand(id, fn, sink);
	return vscode.Disposable.from(
		reg(Commands.runRangeTest, (arg?: SavedModelArgs | vscode.Uri) =>
			runOnSavedModel(deps, 'rangeTest', arg),
		),
		reg(Commands.runSweep, (arg?: SavedModelArgs | ModuleArgs | vscode.Uri) =>
			isModuleArgs(arg) ? runOnModule(deps, 'sweep', arg) : runOnSavedModel(deps, 'sweep', arg),
		),
		reg(Commands.runRangeTestOnModule, (arg?: ModuleArgs | vscode.Uri) =>
			runOnModule(deps, 'rangeTest', arg),
		),
		reg(Commands.openPanel, (arg?: { resultId?: string; focus?: PanelFocus }) => {
			showPanel(context, store, { resultId: arg?.resultId, focus: arg?.focus });
		}),
		reg(Commands.suggestSchedule, (arg?: { resultId?: string }) => {
			const result = arg?.resultId ? store.get(arg.resultId) : store.latestRangeTest();
			if (!result?.rangeTest) {
				void vscode.window
					.showInformationMessage(
						'LR Scope: run an LR range test first; the schedule is built from its suggestions.',
						'Run LR Range Test',
					)
					.then((c) => {
						if (c) {
							void vscode.commands.executeCommand(Commands.runRangeTest);
						}
					});
				return undefined;
			}
			showPanel(context, store, { resultId: result.id, focus: 'schedule' });
			return result.id;
		}),
		reg(Commands.exportReport, (arg?: ExportArgs) => exportReport(deps, arg)),
		reg(Commands.clearResults, async (arg?: { confirm?: boolean }) => {
			const n = store.list().length;
			if (arg?.confirm !== false) {
				const ok = await vscode.window.showWarningMessage(
					`LR Scope: delete ${n} stored result(s) of this workspace?`,
					{ modal: true },
					'Clear',
				);
				if (ok !== 'Clear') {
					return 0;
				}
			}
			await store.clear();
			log.info(`cleared ${n} result(s)`);
			return n;
		}),
		reg(Commands.showLog, () => log.show()),
		reg(Commands.cancelRun, () => {
			const n = runs.cancelAll();
			if (!n) {
				void vscode.window.showInformationMessage('LR Scope: no run is going.');
			}
			return n;
		}),
	);
}

function isModuleArgs(arg: unknown): arg is ModuleArgs {
	return (
		typeof arg === 'object' && arg !== null && typeof (arg as ModuleArgs).modulePath === 'string'
	);
}

function isSavedModelArgs(arg: unknown): arg is SavedModelArgs {
	return (
		typeof arg === 'object' && arg !== null && typeof (arg as SavedModelArgs).modelPath === 'string'
	);
}

function resolveData(spec: DataSpec): DataSpec {
	switch (spec.kind) {
		case 'npy':
			return { ...spec, xPath: resolvePath(spec.xPath), yPath: resolvePath(spec.yPath) };
		default:
			return { ...spec, path: resolvePath(spec.path) };
	}
}

async function runOnSavedModel(
	deps: CommandDeps,
	kind: 'rangeTest' | 'sweep',
	arg?: SavedModelArgs | vscode.Uri,
): Promise<RunReport | undefined> {
	if (!requireTrust()) {
		return { status: 'refused', message: untrustedMessage };
	}
	let modelUri: vscode.Uri | undefined;
	let data: DataSpec | undefined;
	let extra: Pick<SavedModelArgs, 'options' | 'loss' | 'optimizer'> = {};
	if (arg instanceof vscode.Uri) {
		modelUri = arg;
	} else if (isSavedModelArgs(arg)) {
		modelUri = vscode.Uri.file(resolvePath(arg.modelPath));
		data = arg.data && resolveData(arg.data);
		extra = arg;
	} else {
		modelUri = await pickModel();
	}
	if (!modelUri) {
		return undefined;
	}
	if (!data) {
		// Checked before asking for data: a graph model cannot train, whatever the data.
		const format = await readModelFormat(modelUri);
		if (format && format !== 'layers-model') {
			deps.runs.showError(
				`LR Scope: ${vscode.workspace.asRelativePath(modelUri)} is a ${format}; only layers models can train. Save the model with model.save() from a tf.LayersModel.`,
				'badInput',
			);
			return { status: 'failed', code: 'badInput', message: `${format} cannot train` };
		}
		data = await pickData(deps.context.workspaceState, modelUri);
		if (!data) {
			return undefined;
		}
		// A model saved with plain model.save() has no loss or optimizer: ask, with a guess.
		const training = await pickTraining(deps.context.workspaceState, modelUri);
		if (!training) {
			return undefined;
		}
		extra = { ...extra, ...training };
	} else {
		await rememberData(deps.context.workspaceState, modelUri, data);
		// No quick-picks with arguments: the remembered choice, else the runner's own guess.
		const remembered = rememberedTraining(deps.context.workspaceState, modelUri);
		extra = {
			...extra,
			loss: extra.loss ?? remembered.loss,
			optimizer: extra.optimizer ?? remembered.optimizer,
		};
	}
	const source: ModelSource = {
		kind: 'saved',
		modelPath: modelUri.fsPath,
		data,
		...(extra.loss ? { loss: extra.loss } : {}),
		...(extra.optimizer ? { optimizer: extra.optimizer } : {}),
	};
	const label = `${vscode.workspace.asRelativePath(modelUri)} · ${describeData(data)}`;
	return finish(
		deps,
		await deps.runs.run({
			kind,
			source,
			options: extra.options,
			label,
			targetUri: modelUri.toString(),
		}),
	);
}

async function runOnModule(
	deps: CommandDeps,
	kind: 'rangeTest' | 'sweep',
	arg?: ModuleArgs | vscode.Uri,
): Promise<RunReport | undefined> {
	if (!requireTrust()) {
		return { status: 'refused', message: untrustedMessage };
	}
	const uri =
		arg instanceof vscode.Uri
			? arg
			: isModuleArgs(arg)
				? vscode.Uri.file(resolvePath(arg.modulePath))
				: await pickModule();
	if (!uri) {
		return undefined;
	}
	const source: ModelSource = { kind: 'module', modulePath: uri.fsPath };
	const options = isModuleArgs(arg) ? arg.options : undefined;
	return finish(
		deps,
		await deps.runs.run({
			kind,
			source,
			options,
			label: vscode.workspace.asRelativePath(uri),
			targetUri: uri.toString(),
		}),
	);
}

/** After a run: open the panel on the result and say what it found. */
function finish(deps: CommandDeps, report: RunReport): RunReport {
	if (report.status !== 'ok' && !(report.status === 'cancelled' && report.result)) {
		return report;
	}
	const result = report.result!;
	if (deps.config.openPanelOnResult) {
		showPanel(deps.context, deps.store, {
			resultId: result.id,
			focus: result.kind === 'sweep' ? 'sweep' : 'curve',
		});
	}
	void vscode.window.showInformationMessage(summarize(result));
	return report;
}

/**
 * One-line summary of a stored result, for the notification after a run. A range test says its
 * headline (core/headline.ts) exactly as the lens, hover, quick fix and panel write it; when the
 * verdict is not clear it says the verdict, not a confident suggestion.
 */
export function summarize(result: StoredResult): string {
	if (result.rangeTest) {
		const r = result.rangeTest;
		const h = r.report.headline;
		const facts = `${stopReasonText[r.stopReason]} · ${r.backend.name}`;
		if (h.lr === null) {
			return `LR Scope: ${verdictText(h) ?? headlineText(h)} · ${facts}. Try more steps or a wider LR range.`;
		}
		const evidence = headlineEvidenceText(h);
		return `LR Scope: ${headlineSummary(h, 'suggested LR')}${evidence ? ` · ${evidence}` : ''} · ${facts}.`;
	}
	if (result.sweep) {
		const b = result.sweep.best;
		return b
			? `LR Scope: sweep best LR ${formatLr(b.lr)} (${result.sweep.results.length} LRs).`
			: 'LR Scope: the sweep found no usable LR.';
	}
	return 'LR Scope: done.';
}
