/**
 * Messages between a host (the CLI or the extension) and the engine runner process
 * (`dist/runner.js`, started with child_process.fork; IPC channel), in the webview protocol's shape
 * (webviewProtocol.ts): string tags in one `RunnerMessageType`, one interface per message saying
 * its direction and meaning, the two unions. Every message crossing the boundary is checked on
 * arrival by the guards in `runnerGuards.ts` (the host client and the runner, and the runner for
 * the fit hook's messages). No 'vscode', no tfjs.
 *
 * Flow: the host sends one request (`rangeTest`, `sweep` or `monitor`); the runner answers with
 * `started`, streams progress, logs and findings, and ends with one final message (`result`,
 * `sweepResult`, `monitorEnd` or `error`). `cancel` may come at any time.
 */
import type { TrainLogLike } from '../core/present/monitorLines';
import type { LayerSample, NanOrigin } from '../core/layers/types';
import type { BackendInfo, Finding, LoadedRangeTest, RampKind, SweepResult } from '../core/types';
import { defaultVerifyMode, type VerifyMode } from '../core/verify';

/** Which tfjs backend to use; 'auto' resolves workspace tfjs-node → own tfjs-node → wasm → cpu. */
export type BackendChoice = 'auto' | 'tfjs-node' | 'wasm' | 'cpu';

/** Where the training data comes from (for a saved model). */
export type DataSpec =
	| { kind: 'csv'; path: string; labels: string[]; encoding?: 'auto' | 'ordinal' | 'onehot' }
	| { kind: 'npy'; xPath: string; yPath: string }
	| { kind: 'json'; path: string }
	| { kind: 'module'; path: string };

/** Where the model (and data) come from. */
export type ModelSource =
	| { kind: 'saved'; modelPath: string; data: DataSpec; loss?: string; optimizer?: string }
	| { kind: 'module'; modulePath: string }
	| {
			kind: 'script';
			scriptPath: string;
			args: string[];
			env?: Record<string, string>;
			cwd?: string;
			/** Range test/sweep: how long the script may run before it calls model.fit (default 120 s). */
			fitTimeoutMs?: number;
	  };

/** Range-test options; every field optional on the wire, defaults in docs/engine.md ("Ramp"). */
export interface RangeTestOptions {
	startLr: number;
	endLr: number;
	steps: number;
	ramp: RampKind;
	beta: number;
	divergeFactor: number;
	seed: number;
	/**
	 * Range-test curves (seeds seed…seed+repeat-1). When absent: 3, or `verifyRangeTestRepeats` (1)
	 * when the headline is verified (core/verify.ts): the probes measure what more curves only smooth.
	 */
	repeat: number;
	batchSize?: number;
	/** Record sampled validation-batch loss instead of training loss. */
	validation: boolean;
	/** Optimizer/loss overrides when the model has no trainingConfig. */
	optimizer?: string;
	loss?: string;
	/**
	 * After the range test, train short probes at candidate LRs and make the best one on held-out
	 * loss the headline (core/verify.ts): `off`, `auto` (when it pays), `on`.
	 */
	verify: VerifyMode;
	/**
	 * Probe length in steps; absent: the script's own plan (epochs × steps per epoch) when the
	 * source is a script, else the engine's default.
	 */
	verifySteps?: number;
	/**
	 * Training time to fit in, seconds (engine/training/rangeBudget.ts; default 45, 0 = off): steps and
	 * repeats not given explicitly shrink when the measured step cost needs it.
	 */
	budgetSeconds?: number;
}

export const defaultRangeTestOptions: RangeTestOptions = {
	startLr: 1e-7,
	endLr: 10,
	steps: 100,
	ramp: 'exp',
	beta: 0.98,
	divergeFactor: 4,
	seed: 42,
	// Three curves, the headline from their mean: within budget (0.17 of a 9-LR grid) and closer to the
	// grid's best LR than one curve (docs/algorithms.md, "The headline").
	repeat: 3,
	validation: false,
	// The benchmark's choice (core/verify.ts, bench/suggestion-quality): one line to change there.
	verify: defaultVerifyMode,
};

/** Sweep options. */
export interface SweepOptions {
	/** Explicit LRs; when absent, a log grid around the range test's headline LR. */
	lrs?: number[];
	epochs: number;
	folds: number;
	seed: number;
	batchSize?: number;
	optimizer?: string;
	loss?: string;
}

/** Monitor options: train the user's script for real, streaming logs. */
export interface MonitorOptions {
	/** Optional schedule (core ScheduleSpec as JSON) applied per batch without editing code. */
	schedule?: unknown;
	/** Compute the global gradient norm per batch when cheap. */
	gradNorm: boolean;
	/** Detector thresholds (a core `DetectorConfig` as JSON); defaults when absent. */
	detectors?: Record<string, unknown>;
	/** An LR to name in the detectors' suggested actions (e.g. the last range test's valley). */
	suggestedLr?: number;
	/** Per-layer signals and layer findings (issue 15); on unless `false`. */
	layers?: boolean | LayerSignalOptions;
}

/** How the fit hook samples per-layer signals; defaults in docs/monitoring.md. */
export interface LayerSignalOptions {
	/** A fixed k (sample every k steps) instead of adapting k to the overhead budget. */
	every?: number;
	/** Overhead budget as a fraction of the step time (default 0.05). */
	budget?: number;
}

/**
 * Message tags. Strings, as in the webview protocol (webviewProtocol.ts): they read well in a log,
 * and the runner, the fit hook and the host are separately built bundles.
 */
export const RunnerMessageType = {
	//#region host → runner
	RangeTest: 'rangeTest',
	Sweep: 'sweep',
	Monitor: 'monitor',
	Cancel: 'cancel',
	//#endregion
	//#region runner → host
	Started: 'started',
	Progress: 'progress',
	SweepProgress: 'sweepProgress',
	TrainLog: 'trainLog',
	VerifyProgress: 'verifyProgress',
	Log: 'log',
	Result: 'result',
	SweepResult: 'sweepResult',
	MonitorEnd: 'monitorEnd',
	LayerStats: 'layerStats',
	Finding: 'finding',
	FitCall: 'fitCall',
	Error: 'error',
	//#endregion
} as const;

/**
 * The envelope every runner message has: the `id` of the run it belongs to. A runner takes one
 * request; the host drops a message for another id, and the fit hook's messages are rewritten to
 * the request's id by the runner before they are forwarded.
 */
export interface RunnerEnvelope {
	id: string;
}

/** What every request names besides its source and options. */
interface RunRequestBase extends RunnerEnvelope {
	backend: BackendChoice;
	/** Cap on the wasm backend's threads (0 or absent = all cores, 1 = single-threaded). */
	wasmThreads?: number;
	workspace?: string;
}

/** host → runner: run a range test (then verify its headline when the options ask). */
export interface RangeTestRequest extends RunRequestBase {
	type: typeof RunnerMessageType.RangeTest;
	source: ModelSource;
	options: Partial<RangeTestOptions>;
}

/** host → runner: train a grid of LRs for a few epochs each. */
export interface SweepRequest extends RunRequestBase {
	type: typeof RunnerMessageType.Sweep;
	source: ModelSource;
	options: Partial<SweepOptions>;
}

/** host → runner: train the user's script for real, streaming its logs (monitor mode). */
export interface MonitorRequest extends RunRequestBase {
	type: typeof RunnerMessageType.Monitor;
	source: ModelSource & { kind: 'script' };
	options: Partial<MonitorOptions>;
}

/** host → runner: stop the run `id` after the current batch (a partial result is still sent). */
export interface CancelMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Cancel;
}

/** The requests a runner runs (one per runner process). */
export type RunRequest = RangeTestRequest | SweepRequest | MonitorRequest;

/** Messages the host sends a runner. */
export type ToRunnerMessage = RunRequest | CancelMessage;

/** Error codes the runner reports; the CLI maps 'badInput' to exit 2. */
export type RunnerErrorCode = 'badInput' | 'internal' | 'cancelled' | 'timeout' | 'crashed';

/** runner → host: tfjs is loaded; `total` steps are coming (0 when unknown, e.g. a sweep). */
export interface StartedMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Started;
	backend: BackendInfo;
	total: number;
}

/** runner → host: one range-test step (over all repeats: `step` of `total`). */
export interface ProgressMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Progress;
	step: number;
	total: number;
	lr: number;
	loss: number | null;
	smoothed: number | null;
	repeat?: number;
}

/** Per-epoch progress of one run of a sweep (engine/training/sweep.ts). */
export interface SweepProgress {
	lrIndex: number;
	lrCount: number;
	lr: number;
	epoch: number;
	fold: number;
	loss: number | null;
	valLoss: number | null;
}

/** runner → host: a sweep's run finished an epoch. */
export interface SweepProgressMessage extends RunnerEnvelope, SweepProgress {
	type: typeof RunnerMessageType.SweepProgress;
}

/** runner → host (monitor mode): the logs of one batch or epoch of the user's training. */
export interface TrainLogMessage extends RunnerEnvelope, TrainLogLike {
	type: typeof RunnerMessageType.TrainLog;
}

/**
 * runner → host: verification after the range test: probe training steps done of all candidates'
 * probes.
 */
export interface VerifyProgressMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.VerifyProgress;
	step: number;
	total: number;
	/** 0-based index of the candidate being probed, of `candidates`. */
	candidate: number;
	candidates: number;
	lr: number;
}

/** runner → host: a line for the run's log (backend choice, data notes, warnings). */
export interface LogMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Log;
	level: 'info' | 'warn' | 'error';
	message: string;
}

/**
 * runner → host, final: the range test. The engine builds it with its headline (`suggest`), so the
 * host reads `report.headline` directly.
 */
export interface ResultMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Result;
	result: LoadedRangeTest;
}

/** runner → host, final: the sweep. */
export interface SweepResultMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.SweepResult;
	result: SweepResult;
}

/** runner → host, final (monitor mode): the script ended. */
export interface MonitorEndMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.MonitorEnd;
	exitCode: number;
	epochs: number;
	batches: number;
	stopped?: boolean;
}

/**
 * runner → host (monitor mode): per-layer signals of one step (every k steps, k adapted to the
 * overhead budget), and where a NaN first appeared inside the model (once).
 */
export interface LayerStatsMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.LayerStats;
	sample: LayerSample;
	nan?: NanOrigin;
}

/** runner → host (monitor mode): a detector finding, raised as it happens. */
export interface FindingMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Finding;
	finding: Finding;
}

/**
 * runner → host: a script called `model.fit`/`fitDataset` (0-based `index` over the run); where,
 * when the stack shows it, and whether LR Scope intercepted it (range test/sweep: only the first).
 */
export interface FitCallMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.FitCall;
	method: 'fit' | 'fitDataset';
	index: number;
	intercepted: boolean;
	file?: string;
	line?: number;
	column?: number;
}

/** runner → host, final: the run failed (`detail`: a stack or the script's last output). */
export interface ErrorMessage extends RunnerEnvelope {
	type: typeof RunnerMessageType.Error;
	code: RunnerErrorCode;
	message: string;
	detail?: string;
}

/** Messages a runner (or the fit hook through it) sends the host. */
export type FromRunnerMessage =
	| StartedMessage
	| ProgressMessage
	| SweepProgressMessage
	| TrainLogMessage
	| VerifyProgressMessage
	| LogMessage
	| ResultMessage
	| SweepResultMessage
	| MonitorEndMessage
	| LayerStatsMessage
	| FindingMessage
	| FitCallMessage
	| ErrorMessage;
