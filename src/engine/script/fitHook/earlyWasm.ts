/**
 * Starts LR Scope's wasm backend before the script runs. A script builds its model and data before
 * its first `fit`, on whatever backend is active then: tfjs's cpu, unless wasm already started — and
 * on cpu an LSTM's default orthogonal recurrent initializer alone takes ~22 s where wasm takes ~0.8 s
 * (lstm-text-generation, docs/zero-config.md run E). So for a script whose tfjs imports resolve to
 * LR Scope's bundled tfjs (`tfAlias`) under backend `auto` or `wasm`, the hook loads that tfjs, starts
 * wasm ({@link earlyThreads}) and only then lets the main module run (`Module.runMain` waits for
 * it). The per-model probe at the first `fit` then compares that thread count with cpu
 * (scriptBackend.ts). Anything that fails here is left to the first `fit`, as before. (Not an
 * `--import` preload with top-level await: with any `--import`, Node 20 runs the main entry through
 * the ESM loader, where a `.ts` script fails with ERR_UNKNOWN_FILE_EXTENSION.)
 */
import { createRequire } from 'node:module';
import { initWasm } from '../../backend/backendLoad';
import { wasmThreadCap } from '../../backend/backend';
import { coreCount, wasmThreadsFor } from '../../backend/wasmKernels/threads';
import type { Tf } from '../../sources/sourceTypes';
import { loadOwnWasm } from './scriptBackend';
import { hookFile, type HookState } from './state';

type RunMain = (...args: unknown[]) => unknown;

/** Defers the script's main module until wasm started, when the config asks for it (see above). */
export function installEarlyWasm(st: HookState, loadOwnTf: () => Tf): void {
	const choice = st.config.backend ?? 'auto';
	if (!st.config.tfAlias || (choice !== 'auto' && choice !== 'wasm')) {
		return;
	}
	const M = createRequire(hookFile)('node:module') as { runMain?: RunMain };
	const runMain = M.runMain;
	if (typeof runMain !== 'function') {
		return;
	}
	M.runMain = function (this: unknown, ...args: unknown[]): void {
		M.runMain = runMain;
		void startWasm(st, loadOwnTf).finally(() => runMain.apply(this, args));
	};
}

/**
 * The thread count wasm starts on before the model is known: one on a machine of up to 2 cores,
 * where a second wasm thread rarely pays (the per-model probes of the real-script bench on 2 cores:
 * one thread trained faster on 6 of its 7 models and on every small one; docs/zero-config.md runs E, F),
 * else all cores (capped by the setting).
 */
export function earlyThreads(cap: number, cores = coreCount()): number {
	return cores <= 2 ? 1 : wasmThreadsFor(cap);
}

/** Loads the bundled tfjs and puts it on wasm; on any failure tfjs stays where it was. */
async function startWasm(st: HookState, loadOwnTf: () => Tf): Promise<void> {
	try {
		const tf = loadOwnTf();
		const req = loadOwnWasm(tf);
		const cap = wasmThreadCap({ wasmThreads: st.config.wasmThreads });
		st.earlyWasm = { note: await initWasm(tf, req, earlyThreads(cap)) };
	} catch {
		// The first fit chooses the backend and says why (scriptBackend.ts).
	}
}
