/**
 * Which tfjs runs the test, resolved the way ESLint resolves eslint: the user's copy first.
 *
 * `auto` tries, in order:
 *  1. the workspace's `@tensorflow/tfjs-node`, then `-node-gpu` (native TensorFlow, fastest);
 *  2. the workspace's `@tensorflow/tfjs` — with the workspace's own `@tensorflow/tfjs-backend-wasm`
 *     when it has one, else its cpu backend. Never with *our* wasm backend: that package would
 *     load our tfjs-core, a second copy next to the workspace's (tensors and kernels registered on
 *     one copy are not the other's). A module or script in the workspace imports the workspace's
 *     tfjs, so the model it builds must be trained by that same copy;
 *  3. the project's own optional `@tensorflow/tfjs-node`;
 *  4. the bundled `@tensorflow/tfjs` + `@tensorflow/tfjs-backend-wasm` (the .wasm binaries are found
 *     next to the package's `dist/` in Node, no path setup needed);
 *  5. the bundled `@tensorflow/tfjs` on cpu.
 * A forced choice (`tfjs-node`, `wasm`, `cpu`) takes the first candidate of that kind, or fails
 * with a one-line {@link BadInputError}. The result says what ran and why (`BackendInfo.reason`).
 *
 * Under `auto`, when no tfjs-node loaded and the pure-JS tfjs offers both wasm and cpu, the fastest
 * configuration is used. With `model` (a saved model's topology, known before any backend
 * initialises) that is decided for THIS model, threads included, before wasm initialises:
 * `probeModelSpeed` (modelSpeedProbe.ts) times it in short child processes on wasm with all cores,
 * wasm with one thread (only when the thread count is not capped by the user and there is more than
 * one core) and cpu, and the runner then initialises the winner. Without `model` (a module source),
 * or when the per-model probe cannot train the model anywhere, wasm is initialised on the capped
 * thread count and `probeFastestBackend` (a small CNN's training step) picks wasm or cpu per
 * machine. Both answers are cached in one JSON file outside the workspace (`cacheDir`, else
 * `$LRSCOPE_CACHE_DIR`, else the OS temp dir; keyed by tfjs version, node version, CPU, the
 * candidates, and for the per-model probe a hash of the model). tfjs-node, when it loads, is always
 * used first and is never probed.
 *
 * The bundled wasm backend runs on `os.availableParallelism()` threads (at most 8) by default, capped
 * by `wasmThreads` (setting `lrScope.wasmThreads`, env `LRSCOPE_WASM_THREADS`; 0 = all cores, 1 =
 * single-threaded): tfjs-backend-wasm's threaded SIMD build, which does not start in Node by itself,
 * is started by wasmKernels/threads.ts; if it fails, wasm runs single-threaded and the reason says so.
 *
 * wasm 4.22 lacks gradient kernels (LR Scope registers its own, src/engine/backend/wasmKernels.ts), so after
 * the model is loaded {@link ensureTrainable} checks that THIS model trains on wasm: the model's
 * gradients on a zero batch (`probeTrainable`, names a missing kernel) and one 1-example training
 * step with its loss and optimizer (state restored). Under `auto` a failure falls back to cpu with
 * the reason.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendInfo } from '../../core/types';
import type { BackendChoice } from '../../shared/runnerProtocol';
import {
	type Attempt,
	firstLine,
	jsAttempt,
	nodeAttempt,
	type Req,
	tryResolve,
	type WasmNotes,
} from './backendLoad';
import { BadInputError } from '../../shared/errors';
import type { Tf } from '../sources/sourceTypes';
import {
	probeWinner,
	type ModelProbeSpec,
	type ProbeChildRun,
	type ProbeConfig,
	probeModelSpeed,
	speedsText as modelSpeedsText,
} from './modelSpeedProbe';
import { probeCachePath, probeFastestBackend } from './wasmKernels/probe';
import { wasmThreadsFor } from './wasmKernels/threads';
import {
	backendLoadFailedReason,
	backendReasonText,
	backendUnavailableText,
	fastestForModelNote,
	fastestOnMachineNote,
	fastestWasmNote,
	forcedBackendReason,
	machineSpeedsText,
	modelProbeMeasuredText,
	modelProbeNothingNote,
	noBackendText,
	probeCacheText,
	speedProbeFailedNote,
	tfjsNodeMissingReason,
	workspaceBackendReason,
} from '../../core/present/backendWords';

/** What {@link resolveTf} returns: the tfjs instance (backend set and ready) and what it is. */
export interface ResolvedTf {
	tf: Tf;
	info: BackendInfo;
	/** How to load the bundled tfjs on cpu, for the wasm → cpu fallback. */
	choice: BackendChoice;
}

/** Options for {@link resolveTf}. */
export interface ResolveOptions {
	choice: BackendChoice;
	/** Workspace folder whose node_modules are searched first. */
	workspace?: string;
	/** For tests: a require function standing in for the project's own `require`. */
	ownRequire?: NodeRequire;
	/**
	 * Folder for the per-machine speed-probe cache (a host's global storage, never the workspace).
	 * Default: `$LRSCOPE_CACHE_DIR`, else the OS temp dir.
	 */
	cacheDir?: string;
	/** Time per backend for a speed probe that is not cached yet, ms (default 400). */
	probeBudgetMs?: number;
	/**
	 * Under `auto`: the model to time for the per-model speed probe (see file comment); without it
	 * the per-machine probe decides.
	 */
	model?: ModelProbeSpec;
	/** For tests: runs one per-model probe child (default: a real child process). */
	probeRun?: ProbeChildRun;
	/**
	 * Cap on the bundled wasm backend's threads (setting `lrScope.wasmThreads`): 0 = all
	 * cores (`os.availableParallelism()`), 1 = single-threaded. Default: `$LRSCOPE_WASM_THREADS`, else 0.
	 */
	wasmThreads?: number;
}

/**
 * The wasm thread cap for these options: `wasmThreads`, else `$LRSCOPE_WASM_THREADS`, else 0 (all
 * cores). Anything that is not a positive number means all cores.
 */
export function wasmThreadCap(opts: Pick<ResolveOptions, 'wasmThreads'>): number {
	const v = opts.wasmThreads ?? Number(process.env.LRSCOPE_WASM_THREADS || 0);
	return Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** The speed-probe cache file for these options (see {@link ResolveOptions.cacheDir}). */
export function speedProbeCachePath(opts: Pick<ResolveOptions, 'cacheDir'> = {}): string {
	return probeCachePath(opts.cacheDir ?? (process.env.LRSCOPE_CACHE_DIR || os.tmpdir()));
}

/** The candidates in order (see file comment), and why tfjs-node was not among them. */
function candidates(
	own: Req,
	ws: Req | undefined,
	threadCap: number,
	notes: WasmNotes,
): { attempts: Attempt[]; skipped: string[] } {
	const attempts: Attempt[] = [];
	const skipped: string[] = [];
	if (ws) {
		attempts.push(...workspaceCandidates(own, ws, threadCap, notes));
	}
	if (tryResolve(own, '@tensorflow/tfjs-node')) {
		attempts.push(nodeAttempt(own, 'extension', '@tensorflow/tfjs-node'));
	} else {
		skipped.push(tfjsNodeMissingReason);
	}
	attempts.push(jsAttempt(own, 'bundled', 'wasm', threadCap, notes));
	attempts.push(jsAttempt(own, 'bundled', 'cpu', threadCap, notes));
	return { attempts, skipped };
}

/** The workspace's own tfjs-node, -node-gpu and pure-JS tfjs (wasm only with its own backend). */
function workspaceCandidates(own: Req, ws: Req, threadCap: number, notes: WasmNotes): Attempt[] {
	const attempts: Attempt[] = [];
	// A workspace that resolves to our own copy (e.g. the examples inside this project) is not "the
	// workspace's tfjs": report it as bundled and keep the bundled order.
	const theirs = (pkg: string): boolean => {
		const p = tryResolve(ws, pkg);
		return Boolean(p) && p !== tryResolve(own, pkg);
	};
	for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
		if (theirs(pkg)) {
			attempts.push(nodeAttempt(ws, 'workspace', pkg));
		}
	}
	if (theirs('@tensorflow/tfjs')) {
		// Workspace tfjs only with the workspace's own backends (one tfjs-core copy per process).
		if (tryResolve(ws, '@tensorflow/tfjs-backend-wasm')) {
			attempts.push(jsAttempt(ws, 'workspace', 'wasm', threadCap, notes));
		}
		attempts.push(jsAttempt(ws, 'workspace', 'cpu', threadCap, notes));
	}
	return attempts;
}

/** What the attempts so far found, for the reason of the one that loads. */
interface Findings {
	skipped: string[];
	failures: string[];
	notes: WasmNotes;
}

/** Resolves and initialises tfjs (see file comment for the order). */
export async function resolveTf(opts: ResolveOptions): Promise<ResolvedTf> {
	const own: Req = opts.ownRequire ?? createRequire(__filename);
	const ws: Req | undefined = opts.workspace
		? createRequire(path.join(opts.workspace, 'package.json'))
		: undefined;
	const notes: WasmNotes = { kernels: '', threads: '' };
	// All cores unless capped (on an idle 2-core machine 2 threads beat 1 on every bench model);
	// under `auto` the per-model probe may still choose one thread (see file comment).
	const threadCap = wasmThreadCap(opts);
	const { attempts, skipped } = candidates(own, ws, threadCap, notes);
	// Where each pure-JS tfjs resolves from, for the per-model probe's children (unknown for an
	// injected require: no per-model probe then).
	for (const a of attempts) {
		if (a.kind !== 'tfjs-node') {
			a.base =
				a.origin === 'workspace'
					? path.join(opts.workspace ?? '', 'package.json')
					: opts.ownRequire
						? undefined
						: __filename;
		}
	}
	const eligible = attempts.filter((a) => {
		if (opts.choice === 'auto') {
			return true;
		}
		// A forced wasm/cpu skips the workspace's tfjs-node but not the workspace's pure-JS tfjs.
		return a.kind === opts.choice;
	});
	if (eligible.length === 0) {
		throw new BadInputError(backendUnavailableText(opts.choice));
	}
	const failures: string[] = [];
	for (const [i, a] of eligible.entries()) {
		try {
			return await loadAttempt(a, eligible[i + 1], opts, { skipped, failures, notes });
		} catch (e) {
			failures.push(backendLoadFailedReason(a.origin, a.pkg, firstLine(e)));
		}
	}
	// Nothing loaded: the user can fix this by installing tfjs, so it is bad input with an action.
	throw new BadInputError(noBackendText(failures));
}

/**
 * Loads `a`; under `auto`, when `next` is cpu of the same tfjs as wasm `a`, keeps whichever
 * trains faster here: per model and thread count before loading when `opts.model` is given, else
 * per machine after loading (the speed probes). Throws when `a` does not load.
 */
async function loadAttempt(
	a: Attempt,
	next: Attempt | undefined,
	opts: ResolveOptions,
	found: Findings,
): Promise<ResolvedTf> {
	const probed =
		opts.choice === 'auto' && a.kind === 'wasm' && next?.kind === 'cpu' && next.origin === a.origin;
	let modelPick: ModelPick | undefined;
	if (probed && opts.model && a.base) {
		modelPick = await pickForModel(opts.model, a.base, opts);
	} else if (opts.choice === 'wasm' && a.kind === 'wasm' && opts.model && a.base) {
		// Forced wasm still takes the thread count this model trains fastest on (same probe, cached).
		modelPick = await pickForModel(opts.model, a.base, opts, true);
	}
	const chosen = modelPick?.config?.backend === 'cpu' && next ? next : a;
	const { tf, version } = await chosen.load(modelPick?.config?.threads);
	let kind = chosen.kind;
	let pkg = chosen.pkg;
	let probeNote = modelPick?.note;
	if (probed && next && !modelPick?.config) {
		// wasm or cpu of the same tfjs: whichever trains faster here (cached per machine).
		const picked = await pickBySpeed(tf, opts);
		probeNote = probeNote ? `${probeNote}; ${picked.note}` : picked.note;
		if (picked.backend === 'cpu' && (await tf.setBackend('cpu'))) {
			await tf.ready();
			kind = 'cpu';
			pkg = next.pkg;
		}
	}
	return {
		tf,
		choice: opts.choice,
		info: {
			name: tf.getBackend(),
			origin: a.origin,
			package: pkg,
			version,
			reason: reasonText(a, kind, opts.choice, probeNote, found),
		},
	};
}

/** Why this backend: forced, the workspace's, or what was skipped or failed; then what loading noted. */
function reasonText(
	a: Attempt,
	kind: Attempt['kind'],
	choice: BackendChoice,
	probeNote: string | undefined,
	found: Findings,
): string {
	const why: string[] = [];
	if (choice !== 'auto') {
		why.push(forcedBackendReason(choice));
	} else if (a.origin === 'workspace') {
		why.push(workspaceBackendReason(a.pkg));
	} else {
		why.push(...found.skipped.filter(() => a.kind !== 'tfjs-node'));
	}
	why.push(...found.failures);
	if (probeNote) {
		why.push(probeNote);
	}
	if (kind === 'wasm' && found.notes.kernels) {
		why.push(found.notes.kernels);
	}
	if (kind === 'wasm' && found.notes.threads) {
		why.push(found.notes.threads);
	}
	return backendReasonText(why);
}

/** What the per-model probe decided (no `config`: it could not decide), and the reason's words. */
interface ModelPick {
	config?: ProbeConfig;
	note: string;
}

/**
 * The wasm thread counts the per-model probe compares: all cores and one when the user left the
 * cap at 0 (all cores) and there is more than one core, else only the capped count.
 */
export function probeThreadCounts(cap: number): number[] {
	const n = wasmThreadsFor(cap);
	return cap === 0 && n > 1 ? [n, 1] : [n];
}

/** Runs (or reads from the cache) the per-model probe for `spec` with the tfjs that `base` resolves. */
async function pickForModel(
	spec: ModelProbeSpec,
	base: string,
	opts: ResolveOptions,
	wasmOnly = false,
): Promise<ModelPick> {
	const cachePath = speedProbeCachePath(opts);
	const r = await probeModelSpeed({
		spec,
		base,
		threadCounts: probeThreadCounts(wasmThreadCap(opts)),
		cachePath,
		budgetMs: opts.probeBudgetMs,
		run: opts.probeRun,
	});
	const measured = modelProbeMeasuredText(spec.batchSize, modelSpeedsText(r.speeds));
	if (wasmOnly) {
		const best = probeWinner(r, true);
		return best
			? {
					config: { backend: 'wasm', threads: best.threads },
					note: fastestWasmNote(best, measured, probeCacheText(r.cached, cachePath)),
				}
			: { note: modelProbeNothingNote(true, measured) };
	}
	if (!r.best) {
		return { note: modelProbeNothingNote(false, measured) };
	}
	const how = probeCacheText(r.cached, cachePath);
	return { config: r.best, note: fastestForModelNote(r.best, measured, how) };
}

/**
 * Runs (or reads from the cache) the wasm-vs-cpu speed probe on `tf` (wasm active, LR Scope's
 * kernels registered) and says what it found. A probe that fails keeps wasm.
 */
export async function pickBySpeed(
	tf: Tf,
	opts: Pick<ResolveOptions, 'cacheDir' | 'probeBudgetMs'>,
): Promise<{ backend: 'wasm' | 'cpu'; note: string }> {
	const cachePath = speedProbeCachePath(opts);
	try {
		const p = await probeFastestBackend(tf, {
			candidates: ['wasm', 'cpu'],
			cachePath,
			budgetMs: opts.probeBudgetMs,
		});
		const backend = p.backend === 'cpu' ? 'cpu' : 'wasm';
		const how = probeCacheText(p.cached, cachePath);
		return {
			backend,
			note: fastestOnMachineNote(backend, machineSpeedsText(p.stepsPerSecond), how),
		};
	} catch (e) {
		return { backend: 'wasm', note: speedProbeFailedNote(firstLine(e)) };
	}
}
