/** The backend a script's tfjs trains on, chosen before the first intercepted or monitored fit. */
import { createRequire } from 'node:module';
import type * as tfTypes from '@tensorflow/tfjs';
import { errorFirstLine } from '../../../core/present/errorText';
import type { BackendChoice } from '../../../shared/runnerProtocol';
import { pickBySpeed, probeThreadCounts, wasmThreadCap } from '../../backend/backend';
import { wasmThreadsFor, wasmThreadsInUse } from '../../backend/wasmKernels/threads';
import { probeTraining } from '../../backend/trainable';
import { initWasm, registerWasmTrainingKernelsIfPresent } from '../../backend/backendLoad';
import { BadInputError } from '../../../shared/errors';
import type { LoadedSource, Tf } from '../../sources/sourceTypes';
import { probeTrainable } from '../../backend/wasmKernels/probe';
import { pickByModelProbe } from './scriptModelProbe';
import { hookFile, type HookState } from './state';
import {
	cpuBecauseReason,
	nativeFirstReason,
	otherTfjsProblem,
	scriptForcedReason,
	scriptNoTfjsNodeText,
	scriptNoWasmText,
	scriptWasmOnNativeText,
	tfjsDefaultReason,
	wasmDidNotLoadProblem,
} from '../../../core/present/scriptWords';
import {
	missingKernelText,
	wasmCannotTrainReason,
	wasmCannotTrainText,
	wasmKernelsNote,
} from '../../../core/present/backendWords';

/**
 * Whether `tf` is LR Scope's own bundled tfjs (the module instance the hook resolves), judged from
 * the module cache: asking by `require` would load a second tfjs when the script runs on another.
 */
function isOwnTf(tf: Tf): boolean {
	const req = createRequire(hookFile);
	let own: unknown;
	try {
		own = req.cache[req.resolve('@tensorflow/tfjs')]?.exports;
	} catch {
		return false;
	}
	return (
		own !== undefined && (own === tf || (tf as unknown as { default?: unknown }).default === own)
	);
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
export async function chooseScriptBackend(
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
		return onNativeTf(choice, set);
	}
	if (choice === 'tfjs-node') {
		throw new BadInputError(scriptNoTfjsNodeText(current));
	}
	if (choice === 'cpu') {
		await set('cpu');
		return scriptForcedReason('cpu');
	}
	const wasmProblem = wasmProblemOf(st, tf);
	if (wasmProblem) {
		if (choice === 'wasm') {
			throw new BadInputError(scriptNoWasmText(wasmProblem));
		}
		if (current !== 'cpu') {
			return tfjsDefaultReason(current);
		}
		return cpuBecauseReason(wasmProblem);
	}
	const why: string[] = [];
	const picked = await startWasmByProbe(st, tf, model, loaded, why);
	if (picked === 'cpu') {
		await set('cpu');
		return why.join('; ');
	}
	why.push(wasmKernelsNote);
	const p = probeTrainable(tf, model);
	const err = !p.ok
		? (p.error ?? missingKernelText(p.missing))
		: loaded
			? await probeTraining(tf, loaded)
			: null;
	if (err !== null) {
		if (choice === 'wasm') {
			throw new BadInputError(wasmCannotTrainText(err));
		}
		await set('cpu');
		why.push(wasmCannotTrainReason('', err));
	}
	return why.join('; ');
}

/**
 * Starts the script's wasm on the thread count this model trains fastest with. The count is fixed
 * when wasm initialises, so this model's probe (all cores vs one thread vs cpu, in child processes)
 * runs first; without a model to time, wasm starts on all cores (capped by the setting) and the
 * machine's probe decides. Pushes the reasons onto `why`; 'cpu' when cpu trains faster.
 */
async function startWasmByProbe(
	st: HookState,
	tf: Tf,
	model: tfTypes.LayersModel,
	loaded: LoadedSource | undefined,
	why: string[],
): Promise<'wasm' | 'cpu'> {
	const choice: BackendChoice = st.config.backend ?? 'auto';
	const cap = wasmThreadCap({ wasmThreads: st.config.wasmThreads });
	// Wasm started before the script ran (earlyWasm.ts): its thread count is fixed, so the probe
	// compares that count with cpu.
	const early = st.earlyWasm && tf.getBackend() === 'wasm';
	const counts = early ? [wasmThreadsInUse(tf)] : probeThreadCounts(cap);
	const modelPick = loaded
		? await pickByModelProbe(model, loaded, counts, choice === 'wasm')
		: undefined;
	if (modelPick?.backend === 'cpu') {
		why.push(modelPick.note);
		return 'cpu';
	}
	const threadsNote = early
		? st.earlyWasm!.note
		: await startScriptWasm(tf, modelPick?.threads ?? wasmThreadsFor(cap));
	if (choice === 'wasm') {
		why.push(scriptForcedReason('wasm'));
	}
	if (modelPick) {
		why.push(modelPick.note);
	} else if (choice !== 'wasm') {
		const picked = await pickBySpeed(tf, {});
		why.push(picked.note);
		if (picked.backend === 'cpu') {
			return 'cpu';
		}
	}
	if (threadsNote) {
		why.push(threadsNote);
	}
	return 'wasm';
}

/**
 * Puts LR Scope's own tfjs (the script's, here) on wasm with `threads` threads when wasm has not
 * initialised yet (the threaded build needs its setup first, wasmKernels/threads.ts); says what ran.
 * When the script had already started wasm itself, its thread count stays.
 */
async function startScriptWasm(tf: Tf, threads: number): Promise<string | undefined> {
	const registry = (tf.engine() as unknown as { registry?: Record<string, unknown> }).registry;
	if (registry?.wasm !== undefined) {
		if (!(await tf.setBackend('wasm'))) {
			throw new Error("tf.setBackend('wasm') returned false");
		}
		await tf.ready();
		return undefined;
	}
	return initWasm(tf, createRequire(hookFile), threads);
}

/** The script runs on its own tfjs-node: keep it, or move to cpu; wasm cannot join it. */
async function onNativeTf(
	choice: BackendChoice,
	set: (name: string) => Promise<void>,
): Promise<string> {
	if (choice === 'auto' || choice === 'tfjs-node') {
		return choice === 'auto' ? nativeFirstReason : scriptForcedReason('tfjs-node');
	}
	if (choice === 'cpu') {
		await set('cpu');
		return scriptForcedReason('cpu');
	}
	throw new BadInputError(scriptWasmOnNativeText);
}

/**
 * Loads LR Scope's wasm backend package next to the hook and registers its training kernels on `tf`;
 * returns the require it loaded with. Throws when the package does not load.
 */
export function loadOwnWasm(tf: Tf): NodeJS.Require {
	const req = createRequire(hookFile);
	req('@tensorflow/tfjs-backend-wasm');
	registerWasmTrainingKernelsIfPresent(tf);
	return req;
}

/** Why LR Scope's wasm backend cannot serve this script's tfjs; undefined when it can. */
function wasmProblemOf(st: HookState, tf: Tf): string | undefined {
	let wasmProblem: string | undefined;
	if (!isOwnTf(st.tf === tf && st.shimmed ? st.shimmed : tf)) {
		wasmProblem = otherTfjsProblem(tf.version?.tfjs ?? '');
	} else {
		try {
			loadOwnWasm(tf);
		} catch (e) {
			wasmProblem = wasmDidNotLoadProblem(errorFirstLine(e).slice(0, 200));
		}
	}
	return wasmProblem;
}
