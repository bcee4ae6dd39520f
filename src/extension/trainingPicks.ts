/**
 * The loss and optimizer picks for a model saved without them (plain `model.save()` keeps no
 * trainingConfig): the first item is the remembered choice, else a guess from the output layer
 * (core/lossGuess.ts), else Adam. Remembered per model in `workspaceState`.
 */
import * as vscode from 'vscode';
import { defaultOptimizerGuess, guessLoss, outputOfTopology } from '../core/lossGuess';

const trainingKey = 'lrScope.trainingChoice.v1';

/** Loss and optimizer for a model saved without them (either may be absent when the model has it). */
export interface TrainingChoice {
	loss?: string;
	optimizer?: string;
}

/** What a model.json says about training: its saved loss/optimizer and its output layer. */
interface ModelTrainingInfo {
	hasLoss: boolean;
	hasOptimizer: boolean;
	topology: unknown;
}

/** Whether every weight file the manifest names exists next to model.json. */
async function weightFilesExist(
	modelUri: vscode.Uri,
	manifest: { paths?: unknown }[] | undefined,
): Promise<boolean> {
	const dir = vscode.Uri.joinPath(modelUri, '..');
	for (const group of Array.isArray(manifest) ? manifest : []) {
		for (const p of Array.isArray(group?.paths) ? group.paths : []) {
			if (typeof p !== 'string') {
				continue;
			}
			try {
				await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, p));
			} catch {
				return false;
			}
		}
	}
	return true;
}

async function readTrainingInfo(uri: vscode.Uri): Promise<ModelTrainingInfo> {
	try {
		const json = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as {
			trainingConfig?: { loss?: unknown; optimizer_config?: unknown };
			modelTopology?: { training_config?: { loss?: unknown; optimizer_config?: unknown } };
			weightsManifest?: { paths?: unknown }[];
		};
		if (!(await weightFilesExist(uri, json.weightsManifest))) {
			// A model that cannot load: no questions about its loss; the runner says what is missing.
			return { hasLoss: true, hasOptimizer: true, topology: undefined };
		}
		const tc = json.trainingConfig ?? json.modelTopology?.training_config;
		return {
			hasLoss: tc?.loss != null,
			hasOptimizer: tc?.optimizer_config != null,
			topology: json.modelTopology,
		};
	} catch {
		// Unreadable: the runner reports what is wrong with it.
		return { hasLoss: true, hasOptimizer: true, topology: undefined };
	}
}

/** Losses offered in the picker (tfjs names), most common first. */
const pickerLosses = [
	'categoricalCrossentropy',
	'sparseCategoricalCrossentropy',
	'binaryCrossentropy',
	'meanSquaredError',
	'meanAbsoluteError',
	'huberLoss',
	'logLoss',
	'hinge',
	'squaredHinge',
	'categoricalHinge',
	'meanAbsolutePercentageError',
	'meanSquaredLogarithmicError',
	'kullbackLeiblerDivergence',
	'poisson',
	'cosineProximity',
];
const pickerOptimizers = ['adam', 'sgd', 'momentum', 'rmsprop', 'adamax', 'adagrad', 'adadelta'];

/** The remembered loss/optimizer for `model`, if any. */
export function rememberedTraining(state: vscode.Memento, model: vscode.Uri): TrainingChoice {
	return state.get<Record<string, TrainingChoice>>(trainingKey, {})[model.toString()] ?? {};
}

async function rememberTraining(
	state: vscode.Memento,
	model: vscode.Uri,
	choice: TrainingChoice,
): Promise<void> {
	const all = {
		...state.get<Record<string, TrainingChoice>>(trainingKey, {}),
		[model.toString()]: choice,
	};
	await state.update(trainingKey, all);
}

/**
 * Asks for the loss and optimizer when the model.json does not hold them (tfjs writes a
 * trainingConfig only with `includeOptimizer: true`). The first item — the one Enter takes — is the
 * choice remembered for this model, else the guess from the output layer (core/lossGuess) and Adam.
 * Returns `{}` when the model has both; undefined when dismissed.
 */
export async function pickTraining(
	state: vscode.Memento,
	model: vscode.Uri,
): Promise<TrainingChoice | undefined> {
	const info = await readTrainingInfo(model);
	if (info.hasLoss && info.hasOptimizer) {
		return {};
	}
	const remembered = rememberedTraining(state, model);
	const name = vscode.workspace.asRelativePath(model);
	const choice: TrainingChoice = {};
	type Item = vscode.QuickPickItem & { value: string };
	const order = (first: (string | undefined)[], all: string[]): string[] => {
		const head = first.filter((v): v is string => !!v);
		return [...new Set([...head, ...all])];
	};
	if (!info.hasLoss) {
		const out = outputOfTopology(info.topology);
		const guess = out ? guessLoss(out) : undefined;
		const items: Item[] = order([remembered.loss, guess?.loss], pickerLosses).map((v) => ({
			label: v,
			value: v,
			description:
				v === remembered.loss
					? 'last used for this model'
					: v === guess?.loss
						? `guessed from ${guess.because}`
						: undefined,
		}));
		const picked = await vscode.window.showQuickPick(items, {
			title: 'LR Scope: loss',
			placeHolder: `${name} was saved without a loss (plain model.save() keeps none)`,
		});
		if (!picked) {
			return undefined;
		}
		choice.loss = picked.value;
	}
	if (!info.hasOptimizer) {
		const items: Item[] = order(
			[remembered.optimizer, defaultOptimizerGuess],
			pickerOptimizers,
		).map((v) => ({
			label: v,
			value: v,
			description:
				v === remembered.optimizer
					? 'last used for this model'
					: v === defaultOptimizerGuess
						? 'default'
						: undefined,
		}));
		const picked = await vscode.window.showQuickPick(items, {
			title: 'LR Scope: optimizer',
			placeHolder: `${name} was saved without an optimizer (it starts fresh either way)`,
		});
		if (!picked) {
			return undefined;
		}
		choice.optimizer = picked.value;
	}
	await rememberTraining(state, model, { ...remembered, ...choice });
	return choice;
}
