/**
 * Messages between a host (the CLI or the extension) and the engine runner process
 * (`dist/runner.js`, started with child_process.fork; IPC channel). Both sides validate on arrival.
 * No 'vscode', no tfjs.
 */
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

/** host → runner */
export type ToRunnerMessage =
	| {
			type: 'rangeTest';
			id: string;
			source: ModelSource;
			options: Partial<RangeTestOptions>;
			backend: BackendChoice;
			/** Cap on the wasm backend's threads (0 or absent = all cores, 1 = single-threaded). */
			wasmThreads?: number;
			workspace?: string;
	  }
	| {
			type: 'sweep';
			id: string;
			source: ModelSource;
			options: Partial<SweepOptions>;
			backend: BackendChoice;
			/** Cap on the wasm backend's threads (0 or absent = all cores, 1 = single-threaded). */
			wasmThreads?: number;
			workspace?: string;
	  }
	| {
			type: 'monitor';
			id: string;
			source: ModelSource & { kind: 'script' };
			options: Partial<MonitorOptions>;
			backend: BackendChoice;
			/** Cap on the wasm backend's threads (0 or absent = all cores, 1 = single-threaded). */
			wasmThreads?: number;
			workspace?: string;
	  }
	| { type: 'cancel'; id: string };

/** Error codes the runner reports; the CLI maps 'badInput' to exit 2. */
export type RunnerErrorCode = 'badInput' | 'internal' | 'cancelled' | 'timeout' | 'crashed';

/** runner → host */
export type FromRunnerMessage =
	| { type: 'started'; id: string; backend: BackendInfo; total: number }
	| {
			type: 'progress';
			id: string;
			step: number;
			total: number;
			lr: number;
			loss: number | null;
			smoothed: number | null;
			repeat?: number;
	  }
	| {
			type: 'sweepProgress';
			id: string;
			lrIndex: number;
			lrCount: number;
			lr: number;
			epoch: number;
			fold: number;
			loss: number | null;
			valLoss: number | null;
	  }
	| {
			type: 'trainLog';
			id: string;
			unit: 'batch' | 'epoch';
			step: number;
			epoch: number;
			values: Record<string, number | null>;
			lr?: number;
			gradNorm?: number;
	  }
	/** Verification after the range test: probe training steps done of all candidates' probes. */
	| {
			type: 'verifyProgress';
			id: string;
			step: number;
			total: number;
			/** 0-based index of the candidate being probed, of `candidates`. */
			candidate: number;
			candidates: number;
			lr: number;
	  }
	| { type: 'log'; id: string; level: 'info' | 'warn' | 'error'; message: string }
	/** The engine builds a range test with its headline (`suggest`), so the host reads it directly. */
	| { type: 'result'; id: string; result: LoadedRangeTest }
	| { type: 'sweepResult'; id: string; result: SweepResult }
	| {
			type: 'monitorEnd';
			id: string;
			exitCode: number;
			epochs: number;
			batches: number;
			stopped?: boolean;
	  }
	/**
	 * Monitor mode, per-layer signals of one step (every k steps, k adapted to the overhead budget),
	 * and where a NaN first appeared inside the model (once).
	 */
	| { type: 'layerStats'; id: string; sample: LayerSample; nan?: NanOrigin }
	/** A detector finding in a monitored run (raised as it happens). */
	| { type: 'finding'; id: string; finding: Finding }
	/**
	 * A script called `model.fit`/`fitDataset` (0-based `index` over the run); where, when the stack
	 * shows it, and whether LR Scope intercepted it (range test/sweep: only the first).
	 */
	| {
			type: 'fitCall';
			id: string;
			method: 'fit' | 'fitDataset';
			index: number;
			intercepted: boolean;
			file?: string;
			line?: number;
			column?: number;
	  }
	| { type: 'error'; id: string; code: RunnerErrorCode; message: string; detail?: string };
