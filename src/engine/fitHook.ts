/**
 * The preload for zero-config runs (`node --require dist/fitHook.js script.js args…`, started by
 * `scriptRunner.ts`). It patches `fit`/`fitDataset` on the LayersModel/Sequential prototypes of
 * every tfjs the script loads, as it loads, then:
 * - range test / sweep: intercepts the FIRST call and runs the shared range test (or sweep) on that
 *   model, data, batch size and compiled optimizer, reports over IPC and exits without training;
 * - monitor: lets every call train, adding a callback that streams batch/epoch logs, the LR and the
 *   global gradient norm, and optionally applies an LR schedule per batch.
 * A script that requires `@tensorflow/tfjs-node` which cannot load gets the bundled tfjs instead
 * (`shimTfjsNode.ts`); TypeScript scripts are transformed in memory (nothing is written).
 * Does nothing unless the runner set `LRSCOPE_FIT_HOOK` (so importing its types is side-effect free).
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type * as tfTypes from '@tensorflow/tfjs';
import { mulberry32 } from '../core/random';
import { lrAt, PlateauScheduler, type ScheduleSpec } from '../core/schedules';
import { defaultRangeTestOptions } from '../shared/runnerProtocol';
import type { BackendInfo } from '../core/types';
import type {
	FromRunnerMessage,
	RangeTestOptions,
	BackendChoice,
	RunnerErrorCode,
	SweepOptions,
} from '../shared/runnerProtocol';
import { pickBySpeed, probeTraining, registerWasmTrainingKernelsIfPresent } from './backend';
import { BadInputError } from './errors';
import { hasEsmSyntax, packageTypeOf } from './esmInCjs';
import { monitorLayers, type LayerSignalsConfig } from './layerSignals';
import { overallProgress, resolveRangeTestOptions, runRangeTest } from './rangeTest';
import { probeTrainable } from './wasmKernels';
import { makeTfjsNodeShim, registerFileRouters } from './shimTfjsNode';
import { runSweep } from './sweep';
import type { LoadedSource, Tf } from './sourceTypes';
import { getOptimizerLr, setOptimizerLr } from './state';

/** Environment variable carrying the hook's JSON configuration. */
export const hookEnvVar = 'LRSCOPE_FIT_HOOK';
/** File descriptor (a pipe the runner opens) for the one synchronous report: an uncaught error. */
export const statusFd = 4;

/** What the runner asks the preload to do. */
export interface HookConfig {
	mode: 'rangeTest' | 'sweep' | 'monitor';
	id: string;
	scriptPath: string;
	rangeTest?: Partial<RangeTestOptions>;
	sweep?: Partial<SweepOptions>;
	/** Monitor: a parsed schedule applied per batch (reduceOnPlateau per epoch). */
	schedule?: ScheduleSpec;
	/** Monitor: compute the global gradient norm per batch. */
	gradNorm?: boolean;
	/** The backend asked for (`--backend`, or the extension setting); `auto` when absent. */
	backend?: BackendChoice;
	/** Monitor: per-layer signals (layerSignals.ts); on unless `false`. */
	layers?: false | LayerSignalsConfig;
}

/** What the runner learns about an uncaught error (written to `statusFd`). */
export interface UncaughtReport {
	message: string;
	stack?: string;
	/** Whether fit had been called when it happened. */
	afterFit: boolean;
}

type AnyFn = (...args: unknown[]) => unknown;
type Rec = Record<string, unknown>;
interface ModelLike extends tfTypes.LayersModel {
	optimizer: tfTypes.Optimizer;
}

const tfNames = new Set([
	'@tensorflow/tfjs',
	'@tensorflow/tfjs-node',
	'@tensorflow/tfjs-node-gpu',
	'@tensorflow/tfjs-layers',
]);
const hookFile = __filename;
/** dist/.. — where the bundled @tensorflow/tfjs is resolved from. */
const ownRoot = path.dirname(__dirname);

interface HookState {
	config: HookConfig;
	/** The tfjs namespace the script uses (captured as it loads). */
	tf?: Tf;
	/** Where tfjs came from; the backend name is read when needed (it is set lazily by tfjs). */
	backend?: Omit<BackendInfo, 'name' | 'version'>;
	notes: string[];
	fitCalls: number;
	/** Range test/sweep: the first call was taken. */
	intercepted: boolean;
	/** Re-entrancy: Sequential.fit calls the inner model's fit synchronously. */
	inside: boolean;
	globalStep: number;
	globalEpoch: number;
	/** Math.random is seeded (range test / sweep). */
	seeded?: boolean;
	/** The tfjs behind the tfjs-node stand-in. */
	shimmed?: Tf;
}

/** Exits once stdout/stderr have flushed (bounded), so the tail of the script's output is not lost. */
function exitAfterFlush(code: number): void {
	let pending = 2;
	const done = (): void => {
		if (--pending === 0) {
			process.exit(code);
		}
	};
	setTimeout(() => process.exit(code), 2000).unref();
	process.stdout.write('', done);
	process.stderr.write('', done);
}

function send(msg: FromRunnerMessage | Rec, then?: () => void): void {
	if (typeof process.send === 'function' && process.connected) {
		process.send(msg, undefined, {}, () => then?.());
	} else {
		// Run by hand without the runner: print what would have been sent.
		process.stderr.write(`[lrscope] ${JSON.stringify(msg)}\n`);
		then?.();
	}
}

/** Non-finite numbers travel as null. */
function cleanValues(
	logs: Rec | undefined,
	drop: readonly string[] = [],
): Record<string, number | null> {
	const out: Record<string, number | null> = {};
	for (const [k, v] of Object.entries(logs ?? {})) {
		if (drop.includes(k)) {
			continue;
		}
		if (typeof v === 'number') {
			out[k] = Number.isFinite(v) ? v : null;
		}
	}
	return out;
}

/** The first stack frame in the user's code (not tfjs, not node internals, not this hook). */
export function userCallSite(
	stack: string | undefined,
): { file: string; line: number; column: number } | undefined {
	for (const raw of (stack ?? '').split('\n').slice(1)) {
		const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(raw.trim());
		if (!m) {
			continue;
		}
		let file = m[1];
		if (file.startsWith('file://')) {
			file = fileURLToPath(file);
		}
		if (
			file.startsWith('node:') ||
			file.includes(`${path.sep}node_modules${path.sep}`) ||
			file === hookFile ||
			!path.isAbsolute(file)
		) {
			continue;
		}
		return { file, line: Number(m[2]), column: Number(m[3]) };
	}
	return undefined;
}

function describeLoss(loss: unknown): string {
	if (typeof loss === 'string') {
		return loss;
	}
	if (Array.isArray(loss)) {
		return loss.map(describeLoss).join(', ');
	}
	if (typeof loss === 'function') {
		return loss.name || 'custom loss function';
	}
	if (loss && typeof loss === 'object') {
		return Object.values(loss).map(describeLoss).join(', ');
	}
	return 'unknown';
}

type TensorArg = tfTypes.Tensor | tfTypes.Tensor[] | Record<string, tfTypes.Tensor>;

/** Dict inputs (by layer name) become a list in the model's order, as tfjs does. */
function asList(x: TensorArg, names: string[], what: string): tfTypes.Tensor | tfTypes.Tensor[] {
	if (Array.isArray(x) || isTensor(x)) {
		return x as tfTypes.Tensor | tfTypes.Tensor[];
	}
	return names.map((n) => {
		const t = (x as Record<string, tfTypes.Tensor>)[n];
		if (!t) {
			throw new BadInputError(`model.fit's ${what} has no entry for "${n}"`);
		}
		return t;
	});
}

function isTensor(x: unknown): x is tfTypes.Tensor {
	return (
		typeof x === 'object' &&
		x !== null &&
		'shape' in x &&
		'dtype' in x &&
		typeof (x as Rec).dataSync === 'function'
	);
}

function shapeOf(x: tfTypes.Tensor | tfTypes.Tensor[]): string {
	return Array.isArray(x)
		? x.map((t) => `[${t.shape.join(',')}]`).join(' ')
		: `[${x.shape.join(',')}]`;
}

function mapList(
	x: tfTypes.Tensor | tfTypes.Tensor[],
	f: (t: tfTypes.Tensor) => tfTypes.Tensor,
): tfTypes.Tensor | tfTypes.Tensor[] {
	return Array.isArray(x) ? x.map(f) : f(x);
}

/** Concatenates up to `maxBatches` batches of a validation dataset into tensors. */
async function collectDataset(
	tf: Tf,
	ds: tfTypes.data.Dataset<tfTypes.TensorContainer>,
	maxBatches: number,
): Promise<
	| { x: tfTypes.Tensor | tfTypes.Tensor[]; y: tfTypes.Tensor | tfTypes.Tensor[]; batches: number }
	| undefined
> {
	const it = await ds.iterator();
	const xs: (tfTypes.Tensor | tfTypes.Tensor[])[] = [];
	const ys: (tfTypes.Tensor | tfTypes.Tensor[])[] = [];
	for (let i = 0; i < maxBatches; i++) {
		const r = await it.next();
		if (r.done) {
			break;
		}
		const el = r.value as {
			xs?: tfTypes.Tensor | tfTypes.Tensor[];
			ys?: tfTypes.Tensor | tfTypes.Tensor[];
		};
		if (!el || el.xs === undefined || el.ys === undefined) {
			throw new BadInputError('the validation dataset must yield {xs, ys} elements');
		}
		xs.push(el.xs);
		ys.push(el.ys);
	}
	if (xs.length === 0) {
		return undefined;
	}
	const cat = (parts: (tfTypes.Tensor | tfTypes.Tensor[])[]): tfTypes.Tensor | tfTypes.Tensor[] => {
		const out = Array.isArray(parts[0])
			? (parts[0] as tfTypes.Tensor[]).map((_t, k) =>
					tf.concat(parts.map((p) => (p as tfTypes.Tensor[])[k])),
				)
			: tf.concat(parts as tfTypes.Tensor[]);
		parts.forEach((p) => tf.dispose(p));
		return out;
	};
	return { x: cat(xs), y: cat(ys), batches: xs.length };
}

/** Builds the range test's source from the intercepted call's arguments. */
export async function sourceFromFitCall(
	tf: Tf,
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
	notes: string[],
): Promise<LoadedSource> {
	if (!model.optimizer) {
		throw new BadInputError(
			`model.${method} was called on a model that is not compiled (call model.compile({optimizer, loss}) first)`,
		);
	}
	const owned: tfTypes.Tensor[] = [];
	const own = <T extends tfTypes.Tensor | tfTypes.Tensor[]>(t: T): T => {
		owned.push(...(Array.isArray(t) ? t : [t]));
		return t;
	};
	const base = {
		model: model as tfTypes.LayersModel,
		optimizerName: model.optimizer.getClassName(),
		lossName: describeLoss((model as unknown as Rec).loss),
		notes,
		dispose: (): void => {
			owned.forEach((t) => t.isDisposed || t.dispose());
		},
	};
	if (method === 'fit') {
		const [xArg, yArg, cfgArg] = args as [TensorArg, TensorArg, Rec | undefined];
		const cfg = cfgArg ?? {};
		let x = asList(xArg, model.inputNames, 'x');
		let y = asList(yArg, model.outputNames, 'y');
		const batchSize = typeof cfg.batchSize === 'number' ? cfg.batchSize : 32;
		let valX: tfTypes.Tensor | tfTypes.Tensor[] | undefined;
		let valY: tfTypes.Tensor | tfTypes.Tensor[] | undefined;
		const vd = cfg.validationData as TensorArg[] | undefined;
		if (Array.isArray(vd) && vd.length >= 2) {
			valX = asList(vd[0], model.inputNames, 'validationData x');
			valY = asList(vd[1], model.outputNames, 'validationData y');
			notes.push(`validation data: the script's validationData ${shapeOf(valX)}`);
		} else if (
			typeof cfg.validationSplit === 'number' &&
			cfg.validationSplit > 0 &&
			cfg.validationSplit < 1
		) {
			// As tfjs/Keras: the LAST fraction of the examples (before shuffling) is validation.
			const n = (Array.isArray(x) ? x[0] : x).shape[0];
			const splitAt = Math.floor(n * (1 - cfg.validationSplit));
			if (splitAt < 1 || splitAt >= n) {
				throw new BadInputError(
					`validationSplit ${cfg.validationSplit} leaves no training or no validation examples out of ${n}`,
				);
			}
			const [x0, y0] = [x, y];
			valX = own(mapList(x0, (t) => t.slice(splitAt)));
			valY = own(mapList(y0, (t) => t.slice(splitAt)));
			x = own(mapList(x0, (t) => t.slice(0, splitAt)));
			y = own(mapList(y0, (t) => t.slice(0, splitAt)));
			notes.push(
				`validation data: the script's validationSplit ${cfg.validationSplit} (last ${n - splitAt} of ${n} examples)`,
			);
		}
		const n = (Array.isArray(x) ? x[0] : x).shape[0];
		notes.push(
			`data: the script's model.fit tensors x ${shapeOf(x)}, y ${shapeOf(y)}; batch size ${batchSize}${cfg.batchSize === undefined ? ' (tfjs default)' : ' (from the script)'}`,
		);
		return { ...base, x, y, valX, valY, batchSize, size: n };
	}
	const [ds, cfgArg] = args as [tfTypes.data.Dataset<tfTypes.TensorContainer>, Rec | undefined];
	const cfg = cfgArg ?? {};
	if (!ds || typeof (ds as unknown as Rec).iterator !== 'function') {
		throw new BadInputError('model.fitDataset was called without a tf.data dataset');
	}
	// Peek one batch: its size is the batch size, and it doubles as x/y for probes.
	const it = await ds.iterator();
	const first = await it.next();
	const el = first.value as { xs?: TensorArg; ys?: TensorArg } | undefined;
	if (first.done || !el || el.xs === undefined || el.ys === undefined) {
		throw new BadInputError(
			'the dataset passed to model.fitDataset is empty or does not yield {xs, ys} elements',
		);
	}
	const x = own(asList(el.xs, model.inputNames, 'xs'));
	const y = own(asList(el.ys, model.outputNames, 'ys'));
	const batchSize = (Array.isArray(x) ? x[0] : x).shape[0];
	const batchesPerEpoch = typeof cfg.batchesPerEpoch === 'number' ? cfg.batchesPerEpoch : undefined;
	let valX: tfTypes.Tensor | tfTypes.Tensor[] | undefined;
	let valY: tfTypes.Tensor | tfTypes.Tensor[] | undefined;
	const vd = cfg.validationData as unknown;
	if (Array.isArray(vd) && vd.length >= 2) {
		valX = asList(vd[0] as TensorArg, model.inputNames, 'validationData x');
		valY = asList(vd[1] as TensorArg, model.outputNames, 'validationData y');
		notes.push(`validation data: the script's validationData ${shapeOf(valX)}`);
	} else if (vd && typeof (vd as Rec).iterator === 'function') {
		const got = await collectDataset(tf, vd as tfTypes.data.Dataset<tfTypes.TensorContainer>, 16);
		if (got) {
			valX = own(got.x);
			valY = own(got.y);
			notes.push(
				`validation data: the first ${got.batches} batches of the script's validation dataset`,
			);
		}
	}
	notes.push(
		`data: the script's tf.data dataset (batches of ${batchSize}${batchesPerEpoch ? `, ${batchesPerEpoch} per epoch` : ''})`,
	);
	return { ...base, x, y, valX, valY, dataset: ds, batchSize, size: batchesPerEpoch };
}

function isBadInput(e: unknown): boolean {
	return e instanceof BadInputError || (e as Error | undefined)?.name === 'BadInputError';
}

/** Whether `tf` is LR Scope's own bundled tfjs (the same module instance the hook resolves). */
function isOwnTf(tf: Tf): boolean {
	try {
		const own = createRequire(hookFile)('@tensorflow/tfjs') as Tf;
		return own === tf || (tf as unknown as { default?: unknown }).default === own;
	} catch {
		return false;
	}
}

/**
 * Puts the script's tfjs on the backend the request asks for, before the range test or sweep runs
 * (the script built its model and data on tfjs's default backend; tfjs moves tensors to the new
 * backend as they are used). With LR Scope's own tfjs — the tfjs-node stand-in, or tfjs lent to or
 * linked into the script — wasm comes with LR Scope's training kernels and `auto` takes whichever of
 * wasm and cpu trains faster on this machine (the same speed probe a saved model gets), then checks
 * that THIS model trains on wasm (else cpu, saying why). A workspace tfjs-node keeps its native
 * backend under `auto`. Returns why, for the result's backend reason.
 */
async function chooseScriptBackend(
	st: HookState,
	tf: Tf,
	model: tfTypes.LayersModel,
	loaded?: LoadedSource,
): Promise<string> {
	const choice: BackendChoice = st.config.backend ?? 'auto';
	const current = tf.getBackend();
	const set = async (name: string): Promise<void> => {
		if (!(await tf.setBackend(name))) {
			throw new Error(`tf.setBackend('${name}') returned false`);
		}
		await tf.ready();
	};
	if (current === 'tensorflow') {
		if (choice === 'auto' || choice === 'tfjs-node') {
			return choice === 'auto' ? 'native TensorFlow, used first' : 'forced by --backend tfjs-node';
		}
		if (choice === 'cpu') {
			await set('cpu');
			return 'forced by --backend cpu';
		}
		throw new BadInputError(
			"--backend wasm: the script runs on its own @tensorflow/tfjs-node, and LR Scope's wasm backend cannot be added to that tfjs; use --backend auto, tfjs-node or cpu",
		);
	}
	if (choice === 'tfjs-node') {
		throw new BadInputError(
			`--backend tfjs-node: @tensorflow/tfjs-node is not loaded in the script (it runs on ${current}); install it next to the script or use --backend auto, wasm or cpu`,
		);
	}
	if (choice === 'cpu') {
		await set('cpu');
		return 'forced by --backend cpu';
	}
	let wasmProblem: string | undefined;
	if (!isOwnTf(st.tf === tf && st.shimmed ? st.shimmed : tf)) {
		wasmProblem =
			`the script's own @tensorflow/tfjs ${tf.version?.tfjs ?? ''} is not LR Scope's copy, and LR Scope's wasm backend cannot join another tfjs`.replace(
				'  ',
				' ',
			);
	} else {
		try {
			createRequire(hookFile)('@tensorflow/tfjs-backend-wasm');
			registerWasmTrainingKernelsIfPresent(tf);
		} catch (e) {
			wasmProblem = `@tensorflow/tfjs-backend-wasm did not load (${firstLine(e)})`;
		}
	}
	if (wasmProblem) {
		if (choice === 'wasm') {
			throw new BadInputError(`--backend wasm is not available for this script: ${wasmProblem}`);
		}
		if (current !== 'cpu') {
			return `${current} (tfjs's default here)`;
		}
		return `cpu: ${wasmProblem}`;
	}
	await set('wasm');
	const why: string[] = [];
	if (choice === 'wasm') {
		why.push('forced by --backend wasm');
	} else {
		const picked = await pickBySpeed(tf, {});
		why.push(picked.note);
		if (picked.backend === 'cpu') {
			await set('cpu');
			return why.join('; ');
		}
	}
	why.push("with LR Scope's wasm training kernels");
	const p = probeTrainable(tf, model);
	const err = !p.ok
		? (p.error ?? `missing kernel ${p.missing.join(', ')}`)
		: loaded
			? await probeTraining(tf, loaded)
			: null;
	if (err !== null) {
		if (choice === 'wasm') {
			throw new BadInputError(
				`the wasm backend cannot train this model (${err}); use --backend cpu or auto`,
			);
		}
		await set('cpu');
		why.push(`wasm cannot train this model (${err}), so cpu`);
	}
	return why.join('; ');
}

/** Adds why the backend was chosen to the backend's reason. */
function noteBackendChoice(st: HookState, why: string): void {
	const base = st.backend;
	st.backend = {
		...(base ?? backendInfo(originOf(undefined), '@tensorflow/tfjs', '')),
		reason: [base?.reason, why].filter(Boolean).join('; '),
	};
}

/** Range test (or sweep) on the intercepted call; reports and exits the process. */
async function interceptAndRun(
	st: HookState,
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
): Promise<void> {
	const id = st.config.id;
	let loaded: LoadedSource | undefined;
	try {
		const tf = resolveTfForModel(st);
		loaded = await sourceFromFitCall(tf, model, method, args, [...st.notes]);
		noteBackendChoice(st, await chooseScriptBackend(st, tf, model, loaded));
		const backend = currentBackend(st, tf);
		if (st.config.mode === 'sweep') {
			send({ type: 'started', id, backend, total: 0 });
			const result = await runSweep(tf, loaded, st.config.sweep ?? {}, {
				backend,
				onProgress: (p) => send({ type: 'sweepProgress', id, ...p }),
				onLog: (message) => send({ type: 'log', id, level: 'info', message }),
			});
			result.notes = [...new Set([...result.notes, ...loaded.notes])];
			send({ type: 'sweepResult', id, result }, () => exitAfterFlush(0));
			return;
		}
		const opts = st.config.rangeTest ?? {};
		// Progress counts the steps of all repeats (3 by default).
		const o = resolveRangeTestOptions(opts);
		send({ type: 'started', id, backend, total: o.steps * o.repeat });
		const result = await runRangeTest(tf, loaded, opts, {
			backend,
			onProgress: (p) => send({ type: 'progress', id, ...overallProgress(p, o) }),
		});
		result.notes = [...new Set([...result.notes, ...loaded.notes])];
		send({ type: 'result', id, result }, () => exitAfterFlush(0));
	} catch (e) {
		const err = e as Error;
		// Errors while training the script's own model are about its model/data: bad input, not ours.
		const code: RunnerErrorCode = 'badInput';
		const what = st.config.mode === 'sweep' ? 'sweep' : 'range test';
		const msg = isBadInput(e)
			? err.message
			: `the ${what} failed on the script's model: ${err?.message ?? String(e)}`;
		send({ type: 'error', id, code, message: msg, detail: err?.stack }, () => exitAfterFlush(2));
	} finally {
		loaded?.dispose();
	}
}

function backendInfo(
	origin: BackendInfo['origin'],
	pkg: string,
	reason: string,
): Omit<BackendInfo, 'name' | 'version'> {
	return { origin, package: pkg, reason };
}

/** The backend the script's tfjs actually runs on, with where that tfjs came from. */
function currentBackend(st: HookState, tf: Tf): BackendInfo {
	const b =
		st.backend ??
		backendInfo(
			originOf(undefined),
			'@tensorflow/tfjs',
			'the script imported tfjs as an ES module',
		);
	const name = tf.getBackend() ?? 'unknown';
	return {
		name,
		version: tf.version?.tfjs ?? 'unknown',
		...b,
		reason: `${b.reason} (${name} backend)`,
	};
}

/** The tfjs namespace to run the test with: the one the script loaded, else its cached copy. */
function resolveTfForModel(st: HookState): Tf {
	if (st.tf) {
		return st.tf;
	}
	// ES-module imports of tfjs bypass Module._load for the top package; CommonJS has it cached.
	const tf =
		loadFrom(st.config.scriptPath, '@tensorflow/tfjs') ?? loadFrom(hookFile, '@tensorflow/tfjs');
	if (!tf) {
		throw new BadInputError('cannot find the tfjs module the script uses');
	}
	st.tf = tf;
	return tf;
}

function loadFrom(from: string, name: string): Tf | undefined {
	try {
		return createRequire(from)(name) as Tf;
	} catch {
		return undefined;
	}
}

/** Monitor mode: the callback added to every fit/fitDataset call. */
function monitorCallback(
	st: HookState,
	tf: Tf,
	model: ModelLike,
	yieldEvery: unknown,
	x?: tfTypes.Tensor | tfTypes.Tensor[],
): tfTypes.CustomCallback {
	const id = st.config.id;
	const schedule = st.config.schedule;
	const plateau = schedule?.kind === 'reduceOnPlateau' ? new PlateauScheduler(schedule) : undefined;
	let lastNorm: number | undefined;
	// Layer signals read the same gradients and report the global norm too (one pass, not two).
	const layers =
		st.config.layers === false
			? undefined
			: monitorLayers(tf, model, st.config.layers ?? {}, () => st.globalStep, x);
	if (layers && st.config.gradNorm !== false) {
		layers.onGradNorm = (n) => (lastNorm = n);
	} else if (!layers && st.config.gradNorm !== false) {
		instrumentGradNorm(tf, model, (n) => (lastNorm = n));
	}
	const opt = (): tfTypes.Optimizer | undefined => model.optimizer;
	if (plateau) {
		setOptimizerLr(model.optimizer, plateau.lr);
	}
	return new tf.CustomCallback(
		{
			onBatchBegin: async () => {
				const o = opt();
				if (schedule && !plateau && o) {
					setOptimizerLr(o, lrAt(schedule, st.globalStep));
				}
			},
			onBatchEnd: async (_batch: number, logs?: tfTypes.Logs) => {
				const o = opt();
				const lr = o ? getOptimizerLr(o) : undefined;
				const msg: FromRunnerMessage = {
					type: 'trainLog',
					id,
					unit: 'batch',
					step: st.globalStep,
					epoch: st.globalEpoch,
					values: cleanValues(logs as Rec, ['batch', 'size']),
				};
				if (lr !== undefined) {
					msg.lr = lr;
				}
				if (lastNorm !== undefined && Number.isFinite(lastNorm)) {
					msg.gradNorm = lastNorm;
				}
				send(msg);
				const ls = layers?.afterBatch(st.globalStep);
				if (ls) {
					send({ type: 'layerStats', id, ...ls });
				}
				st.globalStep++;
			},
			onEpochEnd: async (_epoch: number, logs?: tfTypes.Logs) => {
				const o = opt();
				const lr = o ? getOptimizerLr(o) : undefined;
				const msg: FromRunnerMessage = {
					type: 'trainLog',
					id,
					unit: 'epoch',
					step: st.globalEpoch,
					epoch: st.globalEpoch,
					values: cleanValues(logs as Rec),
				};
				if (lr !== undefined) {
					msg.lr = lr;
				}
				send(msg);
				st.globalEpoch++;
				if (plateau && o) {
					const v =
						(logs as Rec | undefined)?.[
							schedule!.kind === 'reduceOnPlateau' ? schedule!.monitor : 'loss'
						] ?? (logs as Rec | undefined)?.loss;
					setOptimizerLr(o, plateau.step(typeof v === 'number' ? v : null));
				}
			},
		},
		// 'auto' yields to the event loop every ~125 ms so the IPC messages actually leave during fit.
		(yieldEvery ?? 'auto') as tfTypes.ModelFitArgs['yieldEvery'],
	);
}

const instrumented = new WeakSet<object>();

/**
 * Global gradient norm for free-ish: tfjs's `minimize` hands the computed gradients to
 * `applyGradients`, so wrapping it on the model's optimizer instance reads them without a second
 * backward pass; the cost is one sum of squares over the parameters per batch.
 */
function instrumentGradNorm(tf: Tf, model: ModelLike, report: (n: number) => void): void {
	const opt = model.optimizer as unknown as Rec | undefined;
	if (!opt || instrumented.has(opt) || typeof opt.applyGradients !== 'function') {
		return;
	}
	instrumented.add(opt);
	const orig = opt.applyGradients as AnyFn;
	opt.applyGradients = function (this: unknown, grads: unknown, ...rest: unknown[]) {
		try {
			const list: tfTypes.Tensor[] = Array.isArray(grads)
				? (grads as { tensor: tfTypes.Tensor }[]).map((g) => g.tensor)
				: Object.values(grads as Record<string, tfTypes.Tensor>);
			if (list.length > 0) {
				const n = tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g.toFloat()))))));
				report(n.dataSync()[0]);
				n.dispose();
			}
		} catch {
			// A norm we cannot compute must never break the user's training.
		}
		return orig.call(this, grads, ...rest);
	};
}

/** `fit`'s x as a tensor list (the layer signals' probe batch); undefined for fitDataset. */
function probeInput(
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
): tfTypes.Tensor | tfTypes.Tensor[] | undefined {
	if (method !== 'fit' || args[0] == null) {
		return undefined;
	}
	try {
		return asList(args[0] as TensorArg, model.inputNames, 'x');
	} catch {
		return undefined;
	}
}

/** Adds our callback to whatever the script passed as `callbacks` (tfjs accepts several shapes). */
function withCallback(
	tf: Tf,
	user: unknown,
	ours: tfTypes.CustomCallback,
	yieldEvery: unknown,
): unknown[] {
	const Base = Object.getPrototypeOf(tf.Callback.prototype).constructor as new () => unknown;
	if (user == null) {
		return [ours];
	}
	if (user instanceof Base) {
		return [user, ours];
	}
	if (Array.isArray(user) && user.length > 0 && user[0] instanceof Base) {
		return [...user, ours];
	}
	// Config objects ({onBatchEnd...}): tfjs would wrap them in CustomCallbacks; do it for it.
	const list = Array.isArray(user) ? user : [user];
	return [
		...list.map((c) =>
			c instanceof Base
				? c
				: new tf.CustomCallback(
						c as tfTypes.CustomCallbackArgs,
						yieldEvery as tfTypes.ModelFitArgs['yieldEvery'],
					),
		),
		ours,
	];
}

function patchPrototype(st: HookState, proto: Rec | undefined): void {
	if (!proto) {
		return;
	}
	for (const method of ['fit', 'fitDataset'] as const) {
		const orig = proto[method] as AnyFn | undefined;
		if (typeof orig !== 'function' || (orig as unknown as Rec).__lrscope) {
			continue;
		}
		const patched = function (this: ModelLike, ...args: unknown[]): unknown {
			if (st.inside || (st.config.mode !== 'monitor' && st.intercepted)) {
				return orig.apply(this, args);
			}
			const holder: { stack?: string } = {};
			const limit = Error.stackTraceLimit;
			Error.stackTraceLimit = 30;
			Error.captureStackTrace(holder, patched);
			Error.stackTraceLimit = limit;
			const site = userCallSite(holder.stack);
			const index = st.fitCalls++;
			send({
				type: 'fitCall',
				id: st.config.id,
				method,
				index,
				intercepted: st.config.mode !== 'monitor',
				...(site ?? {}),
			});
			if (st.config.mode !== 'monitor') {
				st.intercepted = true;
				if (site) {
					st.notes.push(
						`ran on the script's first model.${method} call (${path.basename(site.file)}:${site.line}); the script was stopped there, so later fit calls and code after it did not run`,
					);
				}
				void interceptAndRun(st, this, method, args);
				// The script awaits a fit that never settles; the process exits once the result is sent.
				return new Promise(() => {});
			}
			const tf = resolveTfForModel(st);
			const cfgIndex = method === 'fit' ? 2 : 1;
			const cfg = { ...((args[cfgIndex] as Rec | undefined) ?? {}) };
			cfg.callbacks = withCallback(
				tf,
				cfg.callbacks,
				monitorCallback(st, tf, this, cfg.yieldEvery, probeInput(this, method, args)),
				cfg.yieldEvery,
			);
			const callArgs = [...args];
			while (callArgs.length < cfgIndex) {
				callArgs.push(undefined);
			}
			callArgs[cfgIndex] = cfg;
			const call = (): unknown => {
				st.inside = true;
				try {
					return orig.apply(this, callArgs);
				} finally {
					st.inside = false;
				}
			};
			if (index > 0) {
				return call();
			}
			// The first fit: put the script's tfjs on the requested backend (as a range test does),
			// then say which one trains.
			return (async () => {
				try {
					noteBackendChoice(st, await chooseScriptBackend(st, tf, this));
				} catch (e) {
					send({
						type: 'log',
						id: st.config.id,
						level: 'warn',
						message: `backend: ${firstLine(e)}; training on ${tf.getBackend()}`,
					});
				}
				send({ type: 'started', id: st.config.id, backend: currentBackend(st, tf), total: 0 });
				for (const n of st.notes) {
					send({ type: 'log', id: st.config.id, level: 'info', message: n });
				}
				return call();
			})();
		};
		(patched as unknown as Rec).__lrscope = true;
		proto[method] = patched;
	}
}

function patchTf(st: HookState, mod: unknown): void {
	const m = mod as Rec | undefined;
	if (!m) {
		return;
	}
	patchPrototype(st, (m.LayersModel as { prototype?: Rec } | undefined)?.prototype);
	patchPrototype(st, (m.Sequential as { prototype?: Rec } | undefined)?.prototype);
	if (st.seeded) {
		const data = m.data as { Dataset?: { prototype?: Rec } } | undefined;
		seedShuffle(data?.Dataset?.prototype);
	}
}

/** `dataset.shuffle(bufferSize)` without a seed takes one from the (seeded) Math.random. */
function seedShuffle(proto: Rec | undefined): void {
	const orig = proto?.shuffle as AnyFn | undefined;
	if (!proto || typeof orig !== 'function' || (orig as unknown as Rec).__lrscope) {
		return;
	}
	const patched = function (this: unknown, ...args: unknown[]): unknown {
		if (args[1] === undefined || args[1] === null) {
			args[1] = String(Math.floor(Math.random() * 2 ** 32));
		}
		return orig.apply(this, args);
	};
	(patched as unknown as Rec).__lrscope = true;
	proto.shuffle = patched;
}

function originOf(file: string | undefined): BackendInfo['origin'] {
	return file && file.startsWith(ownRoot + path.sep) ? 'bundled' : 'workspace';
}

function resolveFrom(parent: { filename?: string } | undefined, name: string): string | undefined {
	try {
		return createRequire(parent?.filename ?? path.join(process.cwd(), 'noop.js')).resolve(name);
	} catch {
		return undefined;
	}
}

/** Installs the Module._load hook that patches tfjs as it loads and stands in for tfjs-node. */
function installLoadHook(st: HookState): void {
	const M = Module as unknown as {
		_load: (request: string, parent: unknown, isMain: boolean) => unknown;
	};
	const origLoad = M._load;
	M._load = function (request: string, parent: unknown, isMain: boolean): unknown {
		if (!tfNames.has(request)) {
			return origLoad.call(this, request, parent, isMain);
		}
		const p = parent as { filename?: string } | undefined;
		if (request === '@tensorflow/tfjs-layers') {
			const mod = origLoad.call(this, request, parent, isMain);
			patchTf(st, mod);
			return mod;
		}
		try {
			const mod = origLoad.call(this, request, parent, isMain) as Tf;
			patchTf(st, mod);
			if (!st.tf) {
				st.tf = mod;
				const isNode = request !== '@tensorflow/tfjs';
				st.backend = backendInfo(
					originOf(resolveFrom(p, request)),
					request,
					`the script's own ${request}`,
				);
				if (!isNode) {
					registerFileRouters(mod);
				}
			}
			return mod;
		} catch (e) {
			if (request === '@tensorflow/tfjs') {
				// No tfjs next to the script: lend it the bundled one.
				const tf = loadBundledTf(st, p);
				st.notes.push(
					`@tensorflow/tfjs is not installed for the script (${firstLine(e)}); LR Scope lent it the bundled @tensorflow/tfjs ${tf.version.tfjs}`,
				);
				return tf;
			}
			const tf = loadBundledTf(st, p);
			const shim = makeTfjsNodeShim(tf);
			st.shimmed = tf;
			st.notes.push(
				`${request} could not be loaded (${firstLine(e)}); LR Scope ran the script on the bundled @tensorflow/tfjs ${tf.version.tfjs} in its place: tf.node is minimal (tensorBoard logs nothing, image decoding is unavailable), file:// model save/load work`,
			);
			st.tf = shim;
			st.backend = backendInfo(
				'bundled',
				'@tensorflow/tfjs',
				`${request} could not be loaded here; the bundled @tensorflow/tfjs stands in for it`,
			);
			return shim;
		}
	};
}

function firstLine(e: unknown): string {
	const m = e instanceof Error ? e.message : String(e);
	return m.split('\n')[0].slice(0, 200);
}

/** The workspace's @tensorflow/tfjs (next to the script) when present, else the bundled one. */
function loadBundledTf(st: HookState, parent: { filename?: string } | undefined): Tf {
	const file =
		resolveFrom(parent, '@tensorflow/tfjs') ??
		resolveFrom({ filename: hookFile }, '@tensorflow/tfjs');
	if (!file) {
		throw new Error('LR Scope could not find a bundled @tensorflow/tfjs to lend the script');
	}
	const tf = createRequire(hookFile)(file) as Tf;
	patchTf(st, tf);
	registerFileRouters(tf);
	if (!st.tf) {
		st.tf = tf;
		st.backend = backendInfo(originOf(file), '@tensorflow/tfjs', 'lent to the script by LR Scope');
	}
	return tf;
}

/** Loads esbuild (the script's, else ours) or TypeScript for in-memory TS → CJS transforms. */
function tsTransformer(scriptPath: string): (code: string, file: string) => string {
	for (const from of [scriptPath, hookFile]) {
		try {
			const esbuild = createRequire(from)('esbuild') as {
				transformSync: (c: string, o: Rec) => { code: string };
			};
			return (code, file) =>
				esbuild.transformSync(code, {
					loader: file.endsWith('x') ? 'tsx' : 'ts',
					format: 'cjs',
					target: 'node20',
					sourcemap: 'inline',
					sourcefile: file,
				}).code;
		} catch {
			// try the next place
		}
	}
	for (const from of [scriptPath, hookFile]) {
		try {
			const ts = createRequire(from)('typescript') as {
				transpileModule: (c: string, o: Rec) => { outputText: string };
				ModuleKind: Rec;
				ScriptTarget: Rec;
			};
			return (code, file) =>
				ts.transpileModule(code, {
					fileName: file,
					compilerOptions: {
						module: ts.ModuleKind.CommonJS,
						target: ts.ScriptTarget.ES2022,
						esModuleInterop: true,
						inlineSourceMap: true,
					},
				}).outputText;
		} catch {
			// try the next place
		}
	}
	return () => {
		throw new BadInputError(
			'running a TypeScript script needs esbuild or typescript installed in the workspace',
		);
	};
}

/** TS files load through an in-memory transform: resolution stays relative to the real file. */
function installTsLoader(scriptPath: string): void {
	const exts = (
		Module as unknown as {
			_extensions: Record<
				string,
				(m: { _compile: (c: string, f: string) => void }, f: string) => void
			>;
		}
	)._extensions;
	let transform: ((code: string, file: string) => string) | undefined;
	for (const ext of ['.ts', '.cts', '.tsx']) {
		if (exts[ext]) {
			continue;
		}
		exts[ext] = (m, file) => {
			transform ??= tsTransformer(scriptPath);
			m._compile(transform(fs.readFileSync(file, 'utf8'), file), file);
		};
	}
}

/**
 * `.js` files that use `import`/`export` in a CommonJS package (no `"type": "module"`) — scripts
 * written for babel-node — are transformed to CommonJS in memory as they load, so extension-less and
 * directory imports (`import * as d from './date_format'`) resolve as under babel-node instead of
 * failing in Node's ESM loader. Real ES modules (`.mjs`, `"type": "module"`) and files in
 * node_modules stay on Node's own loaders.
 */
function installEsmInCjsLoader(scriptPath: string, st: HookState): void {
	const exts = (
		Module as unknown as {
			_extensions: Record<
				string,
				(m: { _compile: (c: string, f: string) => void }, f: string) => void
			>;
		}
	)._extensions;
	const orig = exts['.js'];
	let transform: ((code: string, file: string) => string) | undefined;
	exts['.js'] = function (m, file) {
		if (!file.includes(`${path.sep}node_modules${path.sep}`) && packageTypeOf(file) !== 'module') {
			const code = fs.readFileSync(file, 'utf8');
			if (hasEsmSyntax(code)) {
				transform ??= esmTransformer(scriptPath);
				const out = transform(code, file);
				if (!st.notes.some((n) => n.startsWith('ES-module syntax in'))) {
					st.notes.push(
						`ES-module syntax in ${path.basename(file)} (a CommonJS package): LR Scope transformed it to CommonJS on load, as babel-node does`,
					);
				}
				m._compile(out, file);
				return;
			}
		}
		orig.call(this, m, file);
	};
}

/** esbuild (the script's, else ours) as a JS ESM → CJS transform; without it, a clear error. */
function esmTransformer(scriptPath: string): (code: string, file: string) => string {
	for (const from of [scriptPath, hookFile]) {
		try {
			const esbuild = createRequire(from)('esbuild') as {
				transformSync: (c: string, o: Rec) => { code: string };
			};
			return (code, file) =>
				esbuild.transformSync(code, {
					loader: file.endsWith('x') ? 'jsx' : 'js',
					format: 'cjs',
					target: 'node20',
					sourcemap: 'inline',
					sourcefile: file,
				}).code;
		} catch {
			// try the next place
		}
	}
	return (_code, file) => {
		throw new BadInputError(
			`${path.basename(file)} uses ES-module syntax in a CommonJS package: running it needs esbuild (npm i -D esbuild), or "type": "module" in package.json`,
		);
	};
}

/**
 * Range test / sweep: the script's own randomness is seeded from `--seed` for the whole run, so
 * the same seed gives the same curve. tfjs's unseeded initialisers (glorotUniform, …), random ops
 * and `tf.util.shuffle` draw their seeds from `Math.random`, which becomes a seeded generator before
 * the script starts; `dataset.shuffle(n)` without a seed (which tfjs seeds from the clock) gets one
 * from that generator (see patchTf). Monitor runs are left alone: that is the user's real training.
 */
function seedScriptRandomness(st: HookState): void {
	const seed = st.config.rangeTest?.seed ?? st.config.sweep?.seed ?? defaultRangeTestOptions.seed;
	// A different stream from the range test's own data order and dropout (seed.ts offsets those).
	Math.random = mulberry32((Math.imul(seed, 0x9e3779b1) ^ 0x2545f491) >>> 0);
	st.seeded = true;
	st.notes.push(
		`the script's randomness (weight initialisers, Math.random, unseeded dataset shuffles) was seeded with --seed ${seed}`,
	);
}

/** Kills this process when the runner that started it dies (even if the script blocks its loop). */
function installReaper(): void {
	process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
	// An open IPC channel keeps a process alive: the script must still end when its work does.
	(process.channel as { unref?: () => void } | undefined)?.unref?.();
	try {
		const w = new Worker(
			`const { workerData } = require('node:worker_threads');
			setInterval(() => {
				try { process.kill(workerData.parent, 0); } catch { process.kill(workerData.self, 'SIGKILL'); }
			}, 500);`,
			{ eval: true, workerData: { parent: process.ppid, self: process.pid } },
		);
		w.unref();
	} catch {
		// Without a worker the 'disconnect' handler still covers runners that die with an event loop running.
	}
}

/** Reports an uncaught error synchronously (the process is about to exit). */
function installUncaughtReport(st: HookState): void {
	process.on('uncaughtExceptionMonitor', (err) => {
		const report: UncaughtReport = {
			message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
			stack: err instanceof Error ? err.stack : undefined,
			afterFit: st.fitCalls > 0,
		};
		try {
			fs.writeSync(statusFd, JSON.stringify(report) + '\n');
		} catch {
			// No status pipe (run by hand): Node prints the error anyway.
		}
	});
}

function install(): void {
	const raw = process.env[hookEnvVar];
	if (!raw) {
		return;
	}
	delete process.env[hookEnvVar];
	const config = JSON.parse(raw) as HookConfig;
	const st: HookState = {
		config,
		notes: [],
		fitCalls: 0,
		intercepted: false,
		inside: false,
		globalStep: 0,
		globalEpoch: 0,
	};
	installReaper();
	installUncaughtReport(st);
	if (config.mode !== 'monitor') {
		seedScriptRandomness(st);
	}
	installTsLoader(config.scriptPath);
	installEsmInCjsLoader(config.scriptPath, st);
	installLoadHook(st);
}

install();
