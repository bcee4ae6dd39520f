/**
 * The contract between the script runner (`engine/script/scriptRunner.ts`) and the fit hook it preloads
 * into the user's script (`engine/script/fitHook.ts`): how the configuration travels, where an uncaught
 * error is reported, and what the hook sends over IPC.
 */
import type { ScheduleSpec } from '../core/schedules/spec';
import type {
	BackendChoice,
	FromRunnerMessage,
	LayerSignalOptions,
	RangeTestOptions,
	SweepOptions,
} from './runnerProtocol';

/** Environment variable carrying the hook's JSON configuration ({@link HookConfig}). */
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
	/** Cap on the wasm backend's threads (0 or absent = all cores, 1 = single-threaded). */
	wasmThreads?: number;
	/** Monitor: per-layer signals (engine/layers/layerSignals.ts); on unless `false`. */
	layers?: false | LayerSignalOptions;
	/**
	 * Present: resolve the script's `@tensorflow/tfjs*` imports to LR Scope's bundled copy, because
	 * the workspace's copy (`workspaceTf`) cannot use its wasm backend (`why`); engine/script/tfAlias.ts.
	 */
	tfAlias?: { workspaceTf: string; why: string };
}

/** What the runner learns about an uncaught error (one JSON line on `statusFd`). */
export interface UncaughtReport {
	message: string;
	stack?: string;
	/** Whether fit had been called when it happened. */
	afterFit: boolean;
}

/**
 * What the hook sends over IPC: the runner's own messages (checked by `isFromRunnerMessage`); the
 * runner rewrites `id` and forwards them.
 */
export type HookMessage = FromRunnerMessage;
