/**
 * How each tfjs candidate of {@link resolveTf} loads (backend.ts decides the order and the choice):
 * the workspace's and the project's tfjs-node, and the pure-JS tfjs on wasm (LR Scope's training
 * kernels, threads per `wasmThreads`) or cpu. Also the small helpers both files share.
 */
import type { BackendInfo } from '../../core/types';
import type { Tf } from '../sources/sourceTypes';
import { registerWasmTrainingKernels } from './wasmKernels';
import {
	disableWasmThreads,
	prepareWasmThreads,
	wasmThreadsFor,
	wasmThreadsInUse,
} from './wasmKernels/threads';
import {
	wasmKernelsNote,
	wasmThreadedFailedNote,
	wasmThreadsNote,
} from '../../core/present/backendWords';

export type Req = NodeRequire;

/** One candidate backend: what it is and how to load it. */
export interface Attempt {
	kind: 'tfjs-node' | 'wasm' | 'cpu';
	origin: BackendInfo['origin'];
	pkg: string;
	/** Loads it; a wasm attempt takes `threadCap` instead of its own (the per-model probe's pick). */
	load: (threadCap?: number) => Promise<{ tf: Tf; version: string }>;
	/** The file its require resolves from (for the per-model probe's children); pure-JS tfjs only. */
	base?: string;
}

/** What loading the wasm backend noted for the reason (shared by every wasm attempt). */
export interface WasmNotes {
	kernels: string;
	threads: string;
}

/** Resolves `pkg` with `req`, or undefined when not installed there. */
export function tryResolve(req: Req, pkg: string): string | undefined {
	try {
		return req.resolve(pkg);
	} catch {
		return undefined;
	}
}

function versionOf(req: Req, pkg: string): string {
	try {
		return (req(`${pkg}/package.json`) as { version?: string }).version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

/** An error's first line, at most 200 characters. */
export function firstLine(e: unknown): string {
	return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
}

/**
 * tfjs's cpu backend prints a multi-line "Hi, looks like you are running TensorFlow.js in
 * Node.js…" banner to stderr on its first tensor — during the speed probe of a first run, and in
 * front of our one-line errors. The backend line already says which backend runs and why, so the
 * banner is switched off by marking the cpu backend as used (its own `firstUse` flag; a tfjs
 * without it is left alone). Only this process's tfjs is touched, never the user's script's.
 */
export function quietCpuBanner(tf: Tf): void {
	try {
		const b = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
		if (b && typeof b.firstUse === 'boolean') {
			b.firstUse = false;
		}
	} catch {
		// No cpu backend registered: nothing to silence.
	}
}

/**
 * Registers LR Scope's wasm training kernels (src/engine/backend/wasmKernels.ts) on `tf`. Guarded: if
 * registration fails (e.g. a workspace tfjs whose kernel registry differs), wasm simply lacks those
 * gradients and {@link ensureTrainable} falls back to cpu for models that need them.
 */
export function registerWasmTrainingKernelsIfPresent(tf: Tf): boolean {
	try {
		registerWasmTrainingKernels(tf);
		return true;
	} catch {
		return false;
	}
}

/** `pkg` (tfjs-node or -node-gpu) resolved with `req`, on its 'tensorflow' backend. */
export function nodeAttempt(req: Req, origin: BackendInfo['origin'], pkg: string): Attempt {
	return {
		kind: 'tfjs-node',
		origin,
		pkg,
		load: async () => {
			const tf = req(pkg) as Tf;
			await tf.setBackend('tensorflow');
			await tf.ready();
			return { tf, version: versionOf(req, pkg) };
		},
	};
}

/**
 * The pure-JS `@tensorflow/tfjs` resolved with `req`, on wasm (with `req`'s own
 * tfjs-backend-wasm, up to `threadCap` threads) or cpu; what wasm loading found goes to `notes`.
 */
export function jsAttempt(
	req: Req,
	origin: BackendInfo['origin'],
	kind: 'wasm' | 'cpu',
	threadCap: number,
	notes: WasmNotes,
): Attempt {
	return {
		kind,
		origin,
		pkg: kind === 'wasm' ? '@tensorflow/tfjs + @tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs',
		load: async (cap = threadCap) => {
			const tf = req('@tensorflow/tfjs') as Tf;
			quietCpuBanner(tf);
			if (kind === 'wasm') {
				// Registers the 'wasm' backend on the tfjs-core that `req` resolves (same copy as `tf`).
				req('@tensorflow/tfjs-backend-wasm');
				if (registerWasmTrainingKernelsIfPresent(tf)) {
					notes.kernels = wasmKernelsNote;
				}
				notes.threads = await initWasm(tf, req, wasmThreadsFor(cap));
			} else if (!(await tf.setBackend(kind))) {
				throw new Error(`tf.setBackend('${kind}') returned false`);
			}
			await tf.ready();
			return { tf, version: versionOf(req, '@tensorflow/tfjs') };
		},
	};
}

/**
 * Initialises the wasm backend with `threads` threads (the threaded SIMD build, started in Node by
 * wasmKernels/threads.ts); if the threaded build fails to start, retries single-threaded. Returns
 * what ran, for the backend's reason ("wasm on 2 threads").
 */
export async function initWasm(tf: Tf, req: Req, threads: number): Promise<string> {
	const prep = prepareWasmThreads(tf, req, threads);
	let threadedError = '';
	try {
		if (await tf.setBackend('wasm')) {
			await tf.ready();
			const n = wasmThreadsInUse(tf);
			return wasmThreadsNote(n, prep.skipped);
		}
		threadedError = 'setBackend returned false';
	} catch (e) {
		threadedError = firstLine(e);
	} finally {
		prep.done();
	}
	if (prep.requested <= 1) {
		throw new Error(`tf.setBackend('wasm') failed (${threadedError})`);
	}
	disableWasmThreads(tf, req);
	if (!(await tf.setBackend('wasm'))) {
		throw new Error(`tf.setBackend('wasm') returned false`);
	}
	await tf.ready();
	return wasmThreadedFailedNote(threadedError);
}
