/**
 * The fit hook's words (engine/script/fitHook/): the errors of a script's model.fit arguments and
 * loading, and why the script's backend was chosen. The hook decides; these say it.
 */

/** A model.fit `what` (`xs`, `ys`) given as a map without the named input or output. */
export function fitArgMissingText(what: string, name: string): string {
	return `model.fit's ${what} has no entry for "${name}"`;
}

/** A validation dataset whose elements are not `{xs, ys}`. */
export const validationDatasetText = 'the validation dataset must yield {xs, ys} elements';

/** model.fit or fitDataset on a model not compiled. */
export function notCompiledText(method: string): string {
	return `model.${method} was called on a model that is not compiled (call model.compile({optimizer, loss}) first)`;
}

/** A validationSplit that leaves one side empty. */
export function validationSplitEmptyText(split: number, examples: number): string {
	return `validationSplit ${split} leaves no training or no validation examples out of ${examples}`;
}

/** model.fitDataset without a dataset. */
export const noDatasetText = 'model.fitDataset was called without a tf.data dataset';

/** A dataset with no first `{xs, ys}` element. */
export const emptyDatasetText =
	'the dataset passed to model.fitDataset is empty or does not yield {xs, ys} elements';

/** A TypeScript script with no compiler in the workspace. */
export const noTypeScriptCompilerText =
	'running a TypeScript script needs esbuild or typescript installed in the workspace';

/** ES-module syntax in a CommonJS package without esbuild. */
export function esmInCjsText(file: string): string {
	return `${file} uses ES-module syntax in a CommonJS package: running it needs esbuild (npm i -D esbuild), or "type": "module" in package.json`;
}

/** No tfjs module found for the script. */
export const noScriptTfText = 'cannot find the tfjs module the script uses';

/** `--backend tfjs-node` for a script running on another backend. */
export function scriptNoTfjsNodeText(current: string): string {
	return `--backend tfjs-node: @tensorflow/tfjs-node is not loaded in the script (it runs on ${current}); install it next to the script or use --backend auto, wasm or cpu`;
}

/** `--backend wasm` for a script LR Scope's wasm cannot serve. */
export function scriptNoWasmText(problem: string): string {
	return `--backend wasm is not available for this script: ${problem}`;
}

/** `--backend wasm` for a script on its own tfjs-node. */
export const scriptWasmOnNativeText =
	"--backend wasm: the script runs on its own @tensorflow/tfjs-node, and LR Scope's wasm backend cannot be added to that tfjs; use --backend auto, tfjs-node or cpu";

/** The reason for a backend forced by `--backend`. */
export function scriptForcedReason(choice: string): string {
	return `forced by --backend ${choice}`;
}

/** The reason for the script's own tfjs-node under `auto`. */
export const nativeFirstReason = 'native TensorFlow, used first';

/** The reason for tfjs's default backend when wasm cannot serve the script. */
export function tfjsDefaultReason(current: string): string {
	return `${current} (tfjs's default here)`;
}

/** The reason for cpu when wasm cannot serve the script. */
export function cpuBecauseReason(problem: string): string {
	return `cpu: ${problem}`;
}

/** wasm cannot serve a script on another tfjs copy (`version` may be empty). */
export function otherTfjsProblem(version: string): string {
	return `the script's own @tensorflow/tfjs ${version} is not LR Scope's copy, and LR Scope's wasm backend cannot join another tfjs`.replace(
		'  ',
		' ',
	);
}

/** LR Scope's wasm backend did not load for the script. */
export function wasmDidNotLoadProblem(detail: string): string {
	return `@tensorflow/tfjs-backend-wasm did not load (${detail})`;
}

/** What the script's per-model probe measured and where it is cached. */
export function scriptProbeMeasuredText(
	batchSize: number,
	speeds: string,
	cached: boolean,
	cachePath: string,
): string {
	return `speed probe on this model, batch ${batchSize}: ${speeds} steps/s; ${cached ? 'cached' : 'measured now, cached'} in ${cachePath}`;
}

/** The script's per-model probe's pick (`winner`: `wasm on 2 threads`, `cpu`). */
export function scriptProbeNote(winner: string, wasmOnly: boolean, measured: string): string {
	return `${winner} ${wasmOnly ? "is this model's fastest wasm" : 'trains this model fastest'} (${measured})`;
}

/** Tensor shapes, one per input or output: `[100,4] [100,2]`. */
export function shapesText(shapes: readonly (readonly number[])[]): string {
	return shapes.map((s) => `[${s.join(',')}]`).join(' ');
}

/** Validation data the script passed as validationData. */
export function scriptValidationDataNote(shapes: string): string {
	return `validation data: the script's validationData ${shapes}`;
}

/** Validation data held out by the script's validationSplit (the last `held` of `examples`). */
export function scriptValidationSplitNote(split: number, held: number, examples: number): string {
	return `validation data: the script's validationSplit ${split} (last ${held} of ${examples} examples)`;
}

/** Validation data from the first batches of the script's validation dataset. */
export function scriptValidationBatchesNote(batches: number): string {
	return `validation data: the first ${batches} batches of the script's validation dataset`;
}

/**
 * The batch size a script's model.fit trains with and where it came from: `batch size 8
 * (--batch-size; the script's is 32)`, with the partial batch when the data is smaller.
 */
export function scriptBatchSizeText(
	script: number,
	isDefault: boolean,
	override: number | undefined,
	examples: number,
): string {
	const size = override ?? script;
	const from =
		override !== undefined
			? `--batch-size; the script's is ${script}`
			: isDefault
				? 'tfjs default'
				: 'from the script';
	const partial =
		examples < size ? `; ${examples} examples, so one partial batch of ${examples}` : '';
	return `batch size ${size} (${from}${partial})`;
}

/** The data of a script's model.fit call. */
export function scriptFitDataNote(x: string, y: string, batch: string): string {
	return `data: the script's model.fit tensors x ${x}, y ${y}; ${batch}`;
}

/** The data of a script's model.fitDataset call. */
export function scriptDatasetNote(batchSize: number, batchesPerEpoch?: number): string {
	return `data: the script's tf.data dataset (batches of ${batchSize}${batchesPerEpoch ? `, ${batchesPerEpoch} per epoch` : ''})`;
}

/** The script's randomness seeded. */
export function scriptSeededNote(seed: number): string {
	return `the script's randomness (weight initialisers, Math.random, unseeded dataset shuffles) was seeded with --seed ${seed}`;
}

/** The run trained at the script's first fit call and stopped the script there. */
export function firstFitCallNote(method: string, file: string, line: number): string {
	return `ran on the script's first model.${method} call (${file}:${line}); the script was stopped there, so later fit calls and code after it did not run`;
}

/** The start of {@link esmTransformedNote}, to say it once. */
export const esmTransformedPrefix = 'ES-module syntax in';

/** ES-module syntax in a CommonJS package, transformed on load. */
export function esmTransformedNote(file: string): string {
	return `${esmTransformedPrefix} ${file} (a CommonJS package): LR Scope transformed it to CommonJS on load, as babel-node does`;
}

/** No tfjs installed for the script: LR Scope lent the bundled one. */
export function tfjsLentNote(detail: string, version: string): string {
	return `@tensorflow/tfjs is not installed for the script (${detail}); LR Scope lent it the bundled @tensorflow/tfjs ${version}`;
}

/** The backend reason of the script's own tfjs (`request`: the module it required). */
export function scriptOwnTfReason(request: string): string {
	return `the script's own ${request}`;
}

/** The backend reason of the bundled tfjs lent to the script. */
export const tfjsLentReason = 'lent to the script by LR Scope';

/** A backend reason with the backend that ran: `… (wasm backend)`. */
export function withBackendName(reason: string, name: string): string {
	return `${reason} (${name} backend)`;
}

/** The script's backend failed to start: what it trains on instead (the runner's log line). */
export function backendStartFailedLine(detail: string, backend: string): string {
	return `backend: ${detail}; training on ${backend}`;
}

/** A script request whose source is not a script. */
export function notScriptSourceText(kind: string): string {
	return `expected a script source, got "${kind}"`;
}

/** A script request without a script. */
export const noScriptText =
	'no script given (pass the path of your training script, e.g. --script train.js)';

/** A script of a file type LR Scope does not run. */
export function scriptExtensionText(name: string, extensions: readonly string[]): string {
	return `${name} is not a JavaScript/TypeScript file (expected ${extensions.join(', ')})`;
}

/** A script path that does not exist. */
export function scriptNotFoundText(path: string): string {
	return `script not found: ${path}`;
}

/** A script path that is not a file. */
export function scriptNotFileText(path: string): string {
	return `${path} is not a file`;
}

/** A working directory that does not exist. */
export function cwdNotFoundText(cwd: string): string {
	return `working directory not found: ${cwd}`;
}

/** Script arguments that are not all strings. */
export const scriptArgsText = 'script arguments must be a list of strings';

/** A monitor's schedule that does not parse. */
export function badScheduleText(detail: string): string {
	return `bad schedule: ${detail}`;
}

/** A monitor's detector settings that do not parse. */
export function badDetectorSettingsText(detail: string): string {
	return `bad detector settings: ${detail}`;
}

/** The fit hook bundle missing from the build. */
export function hookMissingText(file: string): string {
	return `the LR Scope fit hook is missing (${file}); rebuild with npm run build`;
}

/** The script process did not start. */
export function scriptStartFailedText(detail: string): string {
	return `could not start the script: ${detail}`;
}

/** The script could not run (an error before it started). */
export function scriptCouldNotRunText(detail: string): string {
	return `the script could not run: ${detail}`;
}

/** A script run asked of a source that is not a script (no more known). */
export const scriptSourceExpectedText = 'expected a script source';
