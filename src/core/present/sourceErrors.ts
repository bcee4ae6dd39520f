/**
 * The errors of loading a model source: a saved model.json and its weight shards, a JS/TS module
 * exporting a model and data, the loss and optimizer it is compiled with. The engine
 * (engine/sources/) decides; these say what is wrong and what to do. Data files: dataErrors.ts.
 */

/** What `typeof` says of a value, with null named. */
const kindOf = (value: unknown): string => (value === null ? 'null' : typeof value);

/** An optimizer name tfjs does not know. */
export function unknownOptimizerText(name: string, known: readonly string[]): string {
	return `unknown optimizer '${name}': use one of ${known.join(', ')}`;
}

/** A loss name tfjs does not know; `from` says where it came from (`--loss`, `model.js loss`). */
export function unknownLossText(name: string, from: string, known: readonly string[]): string {
	return `unknown loss '${name}' (${from}): use one of ${known.join(', ')}`;
}

/** No loss to compile with. */
export function needLossText(what: string): string {
	return `${what} has no loss: give --loss (e.g. categoricalCrossentropy, meanSquaredError)`;
}

/** No optimizer to compile with. */
export function needOptimizerText(what: string, known: readonly string[]): string {
	return `${what} has no optimizer: give --optimizer (${known.join(', ')})`;
}

/** A model path that does not exist. */
export function modelNotFoundText(path: string): string {
	return `model file not found: ${path}`;
}

/** A model path that is a folder. */
export function modelPathIsFolderText(path: string): string {
	return `${path} is a folder: give the path of its model.json`;
}

/** The advice of a model.json over its size limit. */
export const modelJsonSizeAdvice =
	'a tfjs model.json holds only the topology and the weights manifest (weights go in .bin shards) — is this the right file?';

/** JSON that is not an object. */
export function notModelJsonText(name: string): string {
	return `${name} is not a tfjs model.json (expected an object with modelTopology)`;
}

/** A graph model, which cannot be trained. */
export function graphModelText(name: string): string {
	return (
		`cannot train a graph model (${name} has format 'graph-model', which is inference-only): ` +
		'save a layers model with model.save() or convert with --output_format tfjs_layers_model'
	);
}

/** A model.json without modelTopology. */
export function noTopologyText(name: string): string {
	return `${name} has no modelTopology: not a tfjs layers model`;
}

/** A model.json of another format than layers-model. */
export function modelFormatText(name: string, format: string): string {
	return `${name} has format '${format}': only 'layers-model' can be trained`;
}

/** A weightsManifest that is not an array. */
export function manifestNotArrayText(name: string): string {
	return `${name}: weightsManifest must be an array`;
}

/** A weightsManifest entry without paths or weights. */
export function manifestEntryText(name: string): string {
	return `${name}: malformed weightsManifest entry (needs paths and weights)`;
}

/** A weight shard named in the manifest that is not there. */
export function weightFileMissingText(file: string, name: string, dir: string): string {
	return `weight file '${file}' named in ${name} is missing (looked in ${dir})`;
}

/** Weight shards of another size than their manifest group needs. */
export function weightBytesText(
	files: readonly string[],
	bytes: number,
	name: string,
	need: number,
): string {
	return (
		`weight files ${files.join(', ')} hold ${bytes} bytes but ${name} needs ${need}: ` +
		'a shard is truncated or belongs to another model'
	);
}

/** A layer class tfjs does not know. */
export function unknownLayerClassText(name: string, className: string): string {
	return `${name} uses layer class '${className}' that tfjs does not know (a custom layer?): use --module and register it`;
}

/** tfjs refused to build the model; `detail` is its first line. */
export function modelBuildFailedText(name: string, detail: string): string {
	return `could not build the model from ${name}: ${detail}`;
}

/** A data module's tensors with no examples. */
export const tensorsEmptyText =
	'data is empty: the data function returned tensors with no examples';

/** Data tensors of different lengths (`index`: which tensor, inputs then labels). */
export function tensorCountMismatchText(examples: number, other: number, index: number): string {
	return `data tensors disagree on the number of examples: ${examples} vs ${other} (tensor ${index})`;
}

/** File data for a model with several inputs or outputs. */
export function multiInputFileDataText(inputs: number, outputs: number): string {
	return (
		`the model has ${inputs} inputs and ${outputs} outputs; file data feeds one of each: ` +
		'use a data module returning arrays of tensors'
	);
}

/** A module exporting no model. */
export function noModelExportText(name: string): string {
	return `${name} exports no model: export createModel(tf) (or model), see docs/sources.md`;
}

/** A module's model export that is not a LayersModel. */
export function notLayersModelText(name: string, key: string): string {
	return `${name}: ${key} must be (or return) a tf.LayersModel (tf.sequential() / tf.model())`;
}

/** A module exporting no data. */
export function noDataExportText(name: string): string {
	return `${name} exports no data: export createData(tf) (or data) returning {x, y}`;
}

/** A data export that returned something else than data (`origin`: `data.js createData()`). */
export function dataExportKindText(origin: string, value: unknown): string {
	return `${origin} must return {x, y} (tensors or arrays) or a tf.data.Dataset, got ${kindOf(value)}`;
}

/** A data export's object without x and y. */
export function dataExportKeysText(origin: string, keys: readonly string[]): string {
	return `${origin} must return {x, y} (or {xs, ys}); got keys ${keys.join(', ') || 'none'}`;
}

/** A script source given to the loader of models and modules. */
export function scriptSourceText(file: string): string {
	return `script sources (${file}) run through the fit hook, not loadSource`;
}

/** A model source of an unknown kind. */
export function unknownSourceKindText(kind: string): string {
	return `unknown model source kind '${kind}'`;
}

/** A data spec of an unknown kind. */
export function unknownDataKindText(kind: string): string {
	return `unknown data kind '${kind}'`;
}

/** A module path that does not exist. */
export function moduleNotFoundText(path: string): string {
	return `module not found: ${path}`;
}

/** A module of a file type LR Scope does not load. */
export function moduleExtensionText(name: string): string {
	return `${name}: a module must be .js, .cjs, .mjs, .ts, .mts or .cts`;
}

/** A TypeScript or ES module without esbuild to compile it. */
export function esbuildMissingText(name: string): string {
	return `${name}: TypeScript/ES modules need esbuild; install it in the workspace (npm i -D esbuild)`;
}

/** A module esbuild could not compile; `at` is the first error's place, when it has one. */
export function moduleCompileText(
	name: string,
	detail: string,
	at?: { file: string; line: number; column: number },
): string {
	const where = at ? ` (${at.file}:${at.line}:${at.column})` : '';
	return `${name} does not compile: ${detail}${where}`;
}

/** A module that threw while it was loaded. */
export function moduleThrewText(name: string, detail: string): string {
	return `${name} threw while loading: ${detail}`;
}

/** A module's factory export that threw. */
export function factoryThrewText(name: string, exportName: string, detail: string): string {
	return `${name}: ${exportName}() threw: ${detail}`;
}
