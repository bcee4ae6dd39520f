/**
 * The words of choosing a tfjs backend: why this one ran (the reason's parts), what the speed probes
 * measured, and the errors when none can run or wasm cannot train the model. The engine
 * (engine/backend/) decides; these say it.
 */
import { formatRate, formatWholeSeconds } from './format';

/** A backend the speed probe tried: wasm on `threads` threads, or cpu. */
export interface ProbeConfigWords {
	backend: 'wasm' | 'cpu';
	threads: number;
}

/** A probe configuration: `wasm 2 threads`, `wasm 1 thread`, `cpu`. */
export function probeConfigText(c: ProbeConfigWords): string {
	return c.backend === 'cpu' ? 'cpu' : `wasm ${c.threads} thread${c.threads === 1 ? '' : 's'}`;
}

/** A configuration as the winner of a probe: `wasm on 2 threads`, `cpu`. */
export function probeWinnerText(c: ProbeConfigWords): string {
	return c.backend === 'cpu' ? 'cpu' : probeConfigText(c).replace(/^wasm /, 'wasm on ');
}

/** One configuration's measurement (steps/s; 0 when it did not train). */
export interface ConfigSpeedWords extends ProbeConfigWords {
	stepsPerSecond: number;
	error?: string;
	atMost?: boolean;
	estimated?: boolean;
}

/** The per-model probe's speeds: `wasm 2 threads 5.40, wasm 1 thread 3.60, cpu ≈0.00400 (estimated)`. */
export function modelSpeedsText(speeds: readonly ConfigSpeedWords[]): string {
	return speeds
		.map((s) => {
			const label = probeConfigText(s);
			if (s.stepsPerSecond <= 0) {
				return `${label} did not train (${s.error ?? 'unknown error'})`;
			}
			const v = formatRate(s.stepsPerSecond);
			if (s.atMost) {
				return `${label} ≤${v} (one example; cannot win)`;
			}
			return s.estimated ? `${label} ≈${v} (estimated)` : `${label} ${v}`;
		})
		.join(', ');
}

/** The per-machine probe's speeds: `wasm 41.2, cpu 3.10` (steps/s). */
export function machineSpeedsText(stepsPerSecond: Record<string, number>): string {
	return Object.entries(stepsPerSecond)
		.map(([b, v]) => `${b} ${formatRate(v)}`)
		.join(', ');
}

/** Where a speed probe's answer came from. */
export function probeCacheText(cached: boolean, cachePath: string): string {
	return cached ? `cached in ${cachePath}` : `measured now, cached in ${cachePath}`;
}

/** What the per-model probe measured: `speed probe on this model, batch 32: … steps/s`. */
export function modelProbeMeasuredText(batchSize: number, speeds: string): string {
	return `speed probe on this model, batch ${batchSize}: ${speeds} steps/s`;
}

/** The per-model probe's pick under a forced wasm: the fastest thread count. */
export function fastestWasmNote(best: ProbeConfigWords, measured: string, how: string): string {
	return `${probeConfigText(best)} is this model's fastest wasm (${measured}; ${how})`;
}

/** The per-model probe's pick under `auto`. */
export function fastestForModelNote(best: ProbeConfigWords, measured: string, how: string): string {
	return `${probeWinnerText(best)} trains this model fastest (${measured}; ${how})`;
}

/** The per-model probe trained on none of the candidates (`wasmOnly`: of the wasm thread counts). */
export function modelProbeNothingNote(wasmOnly: boolean, measured: string): string {
	return wasmOnly
		? `the per-model speed probe trained on no wasm thread count (${measured})`
		: `the per-model speed probe trained on no backend (${measured})`;
}

/** The per-machine probe's pick. */
export function fastestOnMachineNote(backend: string, speeds: string, how: string): string {
	return `${backend} trains fastest on this machine (speed probe: ${speeds} steps/s; ${how})`;
}

/** The per-machine probe failed: wasm stays. */
export function speedProbeFailedNote(detail: string): string {
	return `the speed probe failed (${detail}), so wasm`;
}

/** The reason's first part for a backend the user chose. */
export function forcedBackendReason(choice: string): string {
	return `forced by the backend setting (${choice})`;
}

/** The reason's first part for the workspace's own tfjs. */
export function workspaceBackendReason(pkg: string): string {
	return `the workspace has ${pkg}`;
}

/** Why the bundled backends were tried: no tfjs-node. */
export const tfjsNodeMissingReason = 'tfjs-node is not installed';

/** A candidate that failed to load, for the reason of the one that did. */
export function backendLoadFailedReason(origin: string, pkg: string, detail: string): string {
	return `${origin} ${pkg} failed to load (${detail})`;
}

/** The reason when nothing else is to say. */
export const firstAvailableReason = 'first available backend';

/** The reason's parts joined: `a; b; c`, or {@link firstAvailableReason}. */
export function backendReasonText(parts: readonly string[]): string {
	return parts.join('; ') || firstAvailableReason;
}

/** wasm ran with LR Scope's training kernels registered. */
export const wasmKernelsNote = "with LR Scope's wasm training kernels";

/** How many threads wasm runs on; `skipped` says why not several, when it was asked for. */
export function wasmThreadsNote(threads: number, skipped?: string): string {
	return threads > 1
		? `wasm on ${threads} threads (cap: setting lrScope.wasmThreads)`
		: `wasm single-threaded${skipped ? ` (${skipped})` : ''}`;
}

/** wasm fell back to one thread when its threaded build did not start. */
export function wasmThreadedFailedNote(detail: string): string {
	return `wasm single-threaded (the threaded build did not start: ${detail})`;
}

/** Kernels wasm lacks for the model (when the probe has no error of its own). */
export function missingKernelText(kernels: readonly string[]): string {
	return `missing kernel ${kernels.join(', ')}`;
}

/** wasm could not train the model under `auto`: cpu took over (`before`: the reason so far). */
export function wasmCannotTrainReason(before: string, detail: string): string {
	return `${before ? before + '; ' : ''}wasm cannot train this model (${detail}), so cpu`;
}

/** wasm, chosen by the user, cannot train the model. */
export function wasmCannotTrainText(detail: string): string {
	return `the wasm backend cannot train this model (${detail}); use --backend cpu or auto`;
}

/** The backend the user chose is not installed (tfjs-node). */
export function backendUnavailableText(choice: string): string {
	return `backend "${choice}" is not available: @tensorflow/tfjs-node is not installed in the workspace or next to LR Scope (use --backend auto, wasm or cpu)`;
}

/** No backend loaded; `failures` are {@link backendLoadFailedReason}s. */
export function noBackendText(failures: readonly string[]): string {
	return `no usable TensorFlow.js backend (${failures.join('; ')}); install one in the workspace: npm install @tensorflow/tfjs (or @tensorflow/tfjs-node)`;
}

/** Why a configuration has no speed: the probe never got to it. */
export const notMeasuredText = 'not measured';

/** A probe child that ran out of time. */
export function probeTimedOutText(seconds: number): string {
	return `did not finish in the probe's ${formatWholeSeconds(seconds)}`;
}

/** A probe child that exited before it reported (`code` null: killed), with its last stderr line. */
export function probeExitedText(code: number | null, lastLine?: string): string {
	return `the probe process exited (${code ?? 'killed'})${lastLine ? `: ${lastLine.slice(0, 200)}` : ''}`;
}

/** Why wasm stays single-threaded: the backend's worker script is not the one LR Scope knows. */
export const unknownWorkerScriptText = 'unknown tfjs-backend-wasm worker script';

/** Why wasm stays single-threaded: its threaded build is not there. */
export function threadedBuildMissingText(detail: string): string {
	return `threaded build not found (${detail})`;
}
