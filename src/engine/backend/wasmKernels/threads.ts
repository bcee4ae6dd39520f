/**
 * Multi-threaded tfjs-backend-wasm under Node (docs/wasm-kernels.md, "Multi-threaded wasm").
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build (XNNPACK's pthreadpool on Emscripten pthreads)
 * but never uses it in Node, for three reasons, each worked around here:
 *  1. `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false when `IS_NODE`: we set it to true.
 *  2. Emscripten starts each pthread worker from a `blob:` URL made of `wasmWorkerContents`, and
 *     sends the worker the main script as a `Blob`. Node's `worker_threads.Worker` rejects `blob:`
 *     URLs (ERR_WORKER_PATH), and the worker's `importScripts` reads files only. We make
 *     `globalThis.Worker` (which Emscripten sets to `worker_threads.Worker` and calls as
 *     `new Worker(url)`) a subclass that starts a `blob:` worker from the same script text with
 *     `{ eval: true }`, and replaces the `Blob` in the worker's `load` message by the path of the
 *     package's own `wasm-out/tfjs-backend-wasm-threaded-simd.js` (the same factory, as a file).
 *  3. The C++ side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *     hyper-threads per core), which in Node is `os.cpus().length / 2`: 1 on a 2-core machine,
 *     whatever `setThreadsCount` asks. While the backend initialises, `os.cpus()` reports
 *     2 × the wanted thread count, so the cap is the count we ask for (the count itself comes
 *     from `os.availableParallelism()` and the user's cap, see {@link wasmThreadsFor}).
 * A single thread uses the plain SIMD build (no pthreads), as before.
 */
import * as os from 'node:os';
import * as wt from 'node:worker_threads';
import type { Tf } from '../../sources/sourceTypes';
import {
	threadedBuildMissingText,
	unknownWorkerScriptText,
} from '../../../core/present/backendWords';

const PKG = '@tensorflow/tfjs-backend-wasm';
const MAIN_SCRIPT = `${PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
const WORKER_SCRIPT = `${PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`;

/** The wasm backend package's thread API (tfjs-backend-wasm 4.x). */
interface WasmPkg {
	setThreadsCount(n: number): void;
	getThreadsCount(): number;
}

/** The cores this process may use: `os.availableParallelism()`, else the CPU count. */
export function coreCount(): number {
	return typeof os.availableParallelism === 'function'
		? os.availableParallelism()
		: os.cpus().length;
}

/** The 1-minute load average per core (0 where the OS does not report one). */
export function machineLoadPerCore(): number {
	return os.loadavg()[0] / Math.max(1, coreCount());
}

/**
 * Whether a cached answer was measured on a busy machine (load ≥ 1 per core) that is quiet now
 * (< 0.5): then threads and backends compete with other work, and one thread can look as fast as
 * all cores, so the answer is measured again. Entries without a load (older caches) stand.
 */
export function measuredWhenBusy(cachedLoadPerCore: unknown, loadPerCoreNow: number): boolean {
	return typeof cachedLoadPerCore === 'number' && cachedLoadPerCore >= 1 && loadPerCoreNow < 0.5;
}

/**
 * Threads to use: `os.availableParallelism()`, capped by the setting `cap` (0 or undefined = no cap,
 * 1 = single-threaded), at most 8 (the Emscripten pool the threaded build pre-creates).
 */
export function wasmThreadsFor(cap?: number): number {
	let n = Math.max(1, Math.min(coreCount(), 8));
	if (cap !== undefined && Number.isFinite(cap) && cap > 0) {
		n = Math.min(n, Math.floor(cap));
	}
	return Math.max(1, n);
}

/** What {@link prepareWasmThreads} did. */
export interface WasmThreadsPrep {
	/** Threads asked for (1: the single-threaded build is used). */
	requested: number;
	/** Why threads are not used, when `requested` > 1 was wanted but cannot be done. */
	skipped?: string;
	/** Call once the backend has initialised (after `await tf.ready()`), success or not. */
	done(): void;
}

let workerText: string | undefined;
let mainScriptPath: string | undefined;
let shimInstalled = false;

/** `globalThis.Worker` as Emscripten's threaded build uses it, able to start its `blob:` workers. */
function installWorkerShim(): void {
	if (shimInstalled) {
		return;
	}
	class NodePthreadWorker extends wt.Worker {
		constructor(url: string | URL, opts?: wt.WorkerOptions) {
			if (typeof url === 'string' && url.startsWith('blob:') && workerText !== undefined) {
				super(workerText, { ...opts, eval: true });
			} else {
				super(url, opts);
			}
			// A pool thread must not keep Node alive: a script (or the runner) exits when its own work
			// is done, as it does on the single-threaded build. Emscripten refs a worker while its
			// pthread runs, and XNNPACK's pool threads run for good, so `ref` is a no-op here. The
			// main thread waits on the pool synchronously while a kernel runs: nothing is cut short.
			this.unref();
		}
		override ref(): void {
			// see the constructor
		}
		override postMessage(msg: unknown, transfer?: readonly wt.TransferListItem[]): void {
			const m = msg as { cmd?: string; urlOrBlob?: unknown } | null;
			if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string' && mainScriptPath) {
				msg = { ...m, urlOrBlob: mainScriptPath };
			}
			super.postMessage(msg, transfer);
		}
	}
	// Emscripten assigns `global.Worker = worker_threads.Worker` when its factory runs; keep ours.
	Object.defineProperty(globalThis, 'Worker', {
		configurable: true,
		get: () => NodePthreadWorker,
		set: () => undefined,
	});
	shimInstalled = true;
}

/**
 * Before the wasm backend initialises (before `tf.setBackend('wasm')`): asks for `threads` threads,
 * using `req` to find the backend package the same way the backend was loaded. With `threads` ≤ 1,
 * or when the package lacks what the workaround needs, nothing changes (single-threaded SIMD).
 * The backend initialises once per process: if it already has, this changes nothing either.
 */
export function prepareWasmThreads(tf: Tf, req: NodeRequire, threads: number): WasmThreadsPrep {
	const noop = (requested: number, skipped?: string): WasmThreadsPrep => ({
		requested,
		skipped,
		done: () => undefined,
	});
	if (threads <= 1) {
		return noop(1);
	}
	if (typeof SharedArrayBuffer === 'undefined') {
		return noop(1, 'no SharedArrayBuffer in this Node');
	}
	let pkg: WasmPkg;
	try {
		pkg = req(PKG) as WasmPkg;
		const text = (req(WORKER_SCRIPT) as { wasmWorkerContents?: unknown }).wasmWorkerContents;
		if (
			typeof text !== 'string' ||
			!text.includes('urlOrBlob') ||
			!text.includes('ENVIRONMENT_IS_NODE')
		) {
			return noop(1, unknownWorkerScriptText);
		}
		// The same escaping tfjs-backend-wasm applies before making its Blob.
		workerText = text.replace(/\n/g, '\\n');
		mainScriptPath = req.resolve(MAIN_SCRIPT);
	} catch (e) {
		return noop(
			1,
			threadedBuildMissingText((e instanceof Error ? e.message : String(e)).split('\n')[0]),
		);
	}
	installWorkerShim();
	tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
	pkg.setThreadsCount(threads);
	// The module object Emscripten's `require("os")` returns (not an ESM namespace copy of it).
	const mutableOs = req('node:os') as { cpus: typeof os.cpus };
	const cpus = mutableOs.cpus;
	try {
		mutableOs.cpus = () => {
			const c = cpus();
			return Array.from({ length: 2 * threads }, (_, i) => c[i % Math.max(1, c.length)]);
		};
	} catch {
		// An `os` whose `cpus` cannot be replaced: the pool is then capped at cores / 2.
	}
	let restored = false;
	return {
		requested: threads,
		done: () => {
			if (!restored) {
				restored = true;
				try {
					mutableOs.cpus = cpus;
				} catch {
					// see above
				}
			}
		},
	};
}

/**
 * Undoes {@link prepareWasmThreads}'s flag so that a retry of the backend's initialisation uses the
 * single-threaded build (after the threaded one failed to start).
 */
export function disableWasmThreads(tf: Tf, req: NodeRequire): void {
	tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
	try {
		(req(PKG) as WasmPkg).setThreadsCount(-1);
	} catch {
		// nothing to undo
	}
}

/**
 * Initialises the wasm backend on `n` threads (benchmarks and tests; the runner's backendLoad.ts
 * also retries single-threaded and explains) and returns the threads it runs on. Throws if it
 * does not initialise.
 */
export async function startWasm(tf: Tf, req: NodeRequire, n: number): Promise<number> {
	const prep = prepareWasmThreads(tf, req, n);
	try {
		if (!(await tf.setBackend('wasm'))) {
			throw new Error('wasm backend did not initialise');
		}
		await tf.ready();
	} finally {
		prep.done();
	}
	return wasmThreadsInUse(tf);
}

/** Threads the initialised wasm backend runs XNNPACK on (1 for the single-threaded build). */
export function wasmThreadsInUse(tf: Tf): number {
	try {
		return wasmThreadsInUseBy(tf.findBackend('wasm'));
	} catch {
		return 1;
	}
}

/** Threads a wasm backend object runs on (1 for the single-threaded build or anything else). */
export function wasmThreadsInUseBy(backend: unknown): number {
	try {
		const b = backend as {
			wasm?: { tfjs?: { getThreadsCount?: () => number }; PThread?: unknown };
		} | null;
		if (!b?.wasm?.PThread) {
			return 1;
		}
		return Math.max(1, b.wasm.tfjs?.getThreadsCount?.() ?? 1);
	} catch {
		return 1;
	}
}
