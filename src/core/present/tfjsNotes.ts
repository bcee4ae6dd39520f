import { formatSeconds } from './format';

/**
 * The words of a script run's tfjs: which copy ran (the workspace's, LR Scope's bundled one in its
 * place), why, and what happened when that did not work; what the data and the time budget made a
 * range test do. Used by the fit hook, the script runner and the range test.
 */

/** The bundled tfjs ran in place of the workspace's copy (module aliasing), said once per run. */
export function aliasNote(
	why: string,
	workspaceTf: string,
	ownVersion: string,
	monitor = false,
): string {
	return `${why}, so LR Scope ran the script on its bundled @tensorflow/tfjs ${ownVersion} (every @tensorflow/tfjs* import resolved to it) to use the wasm backend; if the script fails there${monitor ? ' before model.fit' : ''} it runs again on the workspace's ${workspaceTf}${monitor ? " (set LRSCOPE_TFJS_ALIAS=0 to train on the workspace's tfjs from the start)" : ''}`;
}

/** The backend line's reason for the same. */
export function aliasReason(why: string): string {
	return `${why}; LR Scope's bundled @tensorflow/tfjs ran the script in its place`;
}

/** tfjs-node could not load and a stand-in ran the script, said once per run. */
export function standInNote(request: string, failure: string, tfDesc: string): string {
	return `${request} could not be loaded (${failure}); LR Scope ran the script on ${tfDesc} in its place: tf.node is minimal (tensorBoard logs nothing, image decoding is unavailable), file:// model save/load work`;
}

/** The backend line's reason for the stand-in. */
export function standInReason(request: string, tfDesc: string): string {
	return `${request} could not be loaded here; ${tfDesc} stands in for it`;
}

/** How a tfjs copy is named in notes: "the bundled @tensorflow/tfjs 4.22.0" or "the workspace's …". */
export function tfDescription(
	origin: 'workspace' | 'bundled' | 'extension',
	version: string,
): string {
	return `${origin === 'workspace' ? "the workspace's" : 'the bundled'} @tensorflow/tfjs ${version}`;
}

/** tfjs-node's package is there but its install script never put the binary in place. */
export function noBinaryText(request: string, version: string): string {
	return `${request} ${version} is installed without its native binary (its install script did not run or its download failed)`;
}

/** The script failed on the bundled tfjs and ran again on the workspace's own. */
export function fallbackNote(workspaceTf: string, failure: string): string {
	return `the script failed on LR Scope's bundled tfjs (${failure}), so it ran on the workspace's ${workspaceTf} instead, without the wasm backend`;
}

/** The log line when the runner starts the script again on the workspace's tfjs. */
export function fallbackLog(workspaceTf: string): string {
	return `the script failed on LR Scope's bundled tfjs; running it again on the workspace's ${workspaceTf}`;
}

/** Fewer examples than one batch: every step trains on all of them. */
export function partialBatchNote(examples: number, batchSize: number): string {
	return `the data has ${examples} training examples, fewer than one batch of ${batchSize}: every step trains on all ${examples} (one partial batch, as tfjs's fit does), so the batch size is ${examples}`;
}

/** The model's tfjs has no trainOnBatch (0.x): each step is a one-batch fit. */
export function fitStepNote(version: string): string {
	return `this tfjs${version ? ` (${version})` : ''} has no model.trainOnBatch, so each step is model.fit on exactly one batch (one epoch, no shuffling), its loss read by a callback`;
}

/** What the time budget chose (engine/training/rangeBudget.ts). */
export function budgetNote(b: {
	stepSeconds: number;
	budgetSeconds: number;
	steps: number;
	repeat: number;
	fromSteps: number;
	fromRepeat: number;
}): string {
	const runs = b.repeat === 1 ? 'one run' : `${b.repeat} runs`;
	const per =
		b.stepSeconds >= 0.1 ? formatSeconds(b.stepSeconds) : `${Math.round(b.stepSeconds * 1000)} ms`;
	return `time budget: a step takes ${per} here, so ${runs} of ${b.steps} steps instead of ${b.fromRepeat} × ${b.fromSteps}, to train for about ${Math.round(b.budgetSeconds)} s; pass --steps and --repeat (or --budget 0) to choose yourself`;
}

/** Why a script runs aliased: the workspace's tfjs (`theirs`: package and version) is another copy. */
export function otherTfjsCopyWhy(theirs: string): string {
	return `the workspace's ${theirs} is another copy than LR Scope's, which LR Scope's wasm backend cannot join`;
}

/** Why a script runs aliased: the workspace's tfjs-node has no native binary. */
export function noNativeBinaryWhy(theirs: string): string {
	return `${theirs} is installed without its native binary`;
}

/** A tf.node API the stand-in for tfjs-node does not provide. */
export function tfNodeUnavailableText(name: string): string {
	return `tf.node.${name} needs the real @tensorflow/tfjs-node, which could not be loaded here; LR Scope substituted the plain @tensorflow/tfjs (install tfjs-node for the workspace to use ${name})`;
}
