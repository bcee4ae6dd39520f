/**
 * Quick-picks that turn "run a range test" into a `ModelSource`: the workspace's `layers-model`
 * model.json files, then the data (CSV + label columns, .npy pair, JSON, or a module). The data
 * choice is remembered per model in `workspaceState` (extension storage, never the user's files).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataSpec } from '../shared/runnerProtocol';

const exclude = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}';
const rememberKey = 'lrScope.dataChoice.v1';

/** A model.json found in the workspace and its declared `format`. */
export interface FoundModel {
	uri: vscode.Uri;
	format: string;
}

/** Reads the `format` field of a tfjs model.json ('' when unreadable). */
export async function readModelFormat(uri: vscode.Uri): Promise<string> {
	try {
		const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
		const json = JSON.parse(text) as {
			format?: unknown;
			modelTopology?: { class_name?: unknown; model_config?: unknown };
		};
		if (typeof json.format === 'string') {
			return json.format;
		}
		// Old tfjs writes no `format`; a Keras-style topology means a layers model.
		return json.modelTopology && (json.modelTopology.class_name || json.modelTopology.model_config)
			? 'layers-model'
			: '';
	} catch {
		return '';
	}
}

/** Every model.json in the workspace with its format. */
export async function findModels(): Promise<FoundModel[]> {
	const uris = await vscode.workspace.findFiles('**/*model*.json', exclude, 500);
	const found = await Promise.all(
		uris.map(async (uri) => ({ uri, format: await readModelFormat(uri) })),
	);
	return found
		.filter((m) => m.format !== '')
		.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
}

/** Asks for a layers-model model.json; undefined when dismissed or none exist (with a message). */
export async function pickModel(): Promise<vscode.Uri | undefined> {
	const models = await findModels();
	const layers = models.filter((m) => m.format === 'layers-model');
	if (!layers.length) {
		const graphs = models.length;
		void vscode.window.showInformationMessage(
			graphs
				? `LR Scope: found ${graphs} model.json file(s), but none is a layers model (graph models cannot train). Save the model with model.save() from a tf.LayersModel.`
				: 'LR Scope: no tfjs layers-model model.json found in this workspace. Save one with model.save("file://…"), or use "Run LR Range Test on Module".',
		);
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(
		layers.map((m) => ({
			label: vscode.workspace.asRelativePath(m.uri),
			description: m.format,
			uri: m.uri,
		})),
		{ title: 'LR Scope: choose a model', placeHolder: 'A tfjs layers model (model.json)' },
	);
	return picked?.uri;
}

type DataKind = DataSpec['kind'];

/** Asks for the training data for `model`, offering the remembered choice first. */
export async function pickData(
	state: vscode.Memento,
	model: vscode.Uri,
): Promise<DataSpec | undefined> {
	const remembered = state.get<Record<string, DataSpec>>(rememberKey, {})[model.toString()];
	type Item = vscode.QuickPickItem & { kind2?: DataKind; remembered?: DataSpec };
	const items: Item[] = [];
	if (remembered) {
		items.push({
			label: '$(history) Same data as last time',
			description: describeData(remembered),
			remembered,
		});
		items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
	}
	items.push(
		{ label: '$(table) CSV file', description: 'choose the label column(s)', kind2: 'csv' },
		{ label: '$(file-binary) .npy pair', description: 'x.npy and y.npy', kind2: 'npy' },
		{ label: '$(json) JSON file', description: '{ "xs": [...], "ys": [...] }', kind2: 'json' },
		{ label: '$(file-code) Module', description: 'exports a data function', kind2: 'module' },
	);
	const choice = await vscode.window.showQuickPick(items, {
		title: 'LR Scope: training data',
		placeHolder: `Data for ${vscode.workspace.asRelativePath(model)}`,
	});
	if (!choice) {
		return undefined;
	}
	const spec = choice.remembered ?? (choice.kind2 ? await pickDataOfKind(choice.kind2) : undefined);
	if (spec) {
		await rememberData(state, model, spec);
	}
	return spec;
}

/** Stores the data choice for `model`. */
export async function rememberData(
	state: vscode.Memento,
	model: vscode.Uri,
	spec: DataSpec,
): Promise<void> {
	const all = { ...state.get<Record<string, DataSpec>>(rememberKey, {}), [model.toString()]: spec };
	await state.update(rememberKey, all);
}

/** One-line description of a data spec, for pickers and labels. */
export function describeData(spec: DataSpec): string {
	switch (spec.kind) {
		case 'csv':
			return `${path.basename(spec.path)} (label: ${spec.labels.join(', ')})`;
		case 'npy':
			return `${path.basename(spec.xPath)} + ${path.basename(spec.yPath)}`;
		case 'json':
		case 'module':
			return path.basename(spec.path);
	}
}

async function pickFile(glob: string, title: string): Promise<vscode.Uri | undefined> {
	const uris = await vscode.workspace.findFiles(glob, exclude, 1000);
	if (!uris.length) {
		void vscode.window.showInformationMessage(`LR Scope: no ${glob} files in this workspace.`);
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(
		uris
			.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
			.sort((a, b) => a.label.localeCompare(b.label)),
		{ title },
	);
	return picked?.uri;
}

async function pickDataOfKind(kind: DataKind): Promise<DataSpec | undefined> {
	switch (kind) {
		case 'csv': {
			const uri = await pickFile('**/*.csv', 'LR Scope: CSV file');
			if (!uri) {
				return undefined;
			}
			const labels = await pickCsvLabels(uri);
			return labels ? { kind: 'csv', path: uri.fsPath, labels } : undefined;
		}
		case 'npy': {
			const x = await pickFile('**/*.npy', 'LR Scope: inputs (x) .npy');
			const y = x && (await pickFile('**/*.npy', 'LR Scope: targets (y) .npy'));
			return x && y ? { kind: 'npy', xPath: x.fsPath, yPath: y.fsPath } : undefined;
		}
		case 'json': {
			const uri = await pickFile('**/*.json', 'LR Scope: JSON data file');
			return uri ? { kind: 'json', path: uri.fsPath } : undefined;
		}
		case 'module': {
			const uri = await pickFile('**/*.{js,mjs,cjs,ts}', 'LR Scope: data module');
			return uri ? { kind: 'module', path: uri.fsPath } : undefined;
		}
	}
}

/** The header columns of a CSV file (first line, comma or semicolon separated). */
export function csvHeader(text: string): string[] {
	const first = text.split(/\r?\n/, 1)[0] ?? '';
	const sep = first.includes(',') || !first.includes(';') ? ',' : ';';
	return first
		.split(sep)
		.map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
		.filter((c) => c.length > 0);
}

/** Columns commonly used for the target, to pre-select. */
const likelyLabels = /^(label|labels|target|y|class|outcome)$/i;

async function pickCsvLabels(uri: vscode.Uri): Promise<string[] | undefined> {
	const bytes = await vscode.workspace.fs.readFile(uri);
	const columns = csvHeader(new TextDecoder().decode(bytes.slice(0, 65536)));
	if (columns.length < 2) {
		void vscode.window.showErrorMessage(
			`LR Scope: ${vscode.workspace.asRelativePath(uri)} needs a header row with at least two columns.`,
		);
		return undefined;
	}
	const guess = columns.find((c) => likelyLabels.test(c)) ?? columns[columns.length - 1];
	const picked = await vscode.window.showQuickPick(
		columns.map((c) => ({ label: c, picked: c === guess })),
		{
			title: 'LR Scope: label column(s)',
			placeHolder: 'The columns the model predicts; the others are inputs',
			canPickMany: true,
		},
	);
	if (!picked || !picked.length) {
		return undefined;
	}
	return picked.map((p) => p.label);
}

/** Asks for a module that exports functions building the model and its data. */
export async function pickModule(): Promise<vscode.Uri | undefined> {
	const active = vscode.window.activeTextEditor?.document.uri;
	const uris = await vscode.workspace.findFiles('**/*.{js,mjs,cjs,ts}', exclude, 1000);
	if (!uris.length) {
		void vscode.window.showInformationMessage(
			'LR Scope: no JavaScript/TypeScript modules in this workspace.',
		);
		return undefined;
	}
	const items = uris
		.map((uri) => ({
			label: vscode.workspace.asRelativePath(uri),
			uri,
			description: active && uri.toString() === active.toString() ? 'active editor' : undefined,
		}))
		.sort(
			(a, b) => Number(!!b.description) - Number(!!a.description) || a.label.localeCompare(b.label),
		);
	const picked = await vscode.window.showQuickPick(items, {
		title: 'LR Scope: module that builds the model and data',
		placeHolder: 'exports createModel() and createData()',
	});
	return picked?.uri;
}
