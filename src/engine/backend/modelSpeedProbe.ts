/**
 * The per-model speed probe of `auto` (backend.ts): which of wasm on all cores, wasm on one thread
 * and cpu trains THIS model fastest on this machine, decided BEFORE the runner initialises its wasm
 * backend (the wasm thread count is fixed when the backend initialises, once per process).
 *
 * Each wasm thread count is timed in its own short child process (modelSpeedProbeChild.ts) that
 * builds the model from its topology (a saved model's `modelTopology`, weights freshly initialised:
 * only the speed matters) and trains it on a synthetic batch of the run's batch size with the run's
 * optimizer; the last child also times cpu. The runner's own model, optimizer and data are never
 * touched: they do not exist yet when the probe runs. The answer is cached in the speed-probe cache
 * file (outside the workspace) under the machine, a hash of the model (topology, batch size,
 * optimizer, loss) and the candidates, so the same model costs nothing the second time.
 *
 * Time: a child first times warmed-up steps on 1 and on 4 examples and predicts a full-batch step
 * (fixed part + per-example part). When the prediction fits `budgetMs` it times full-batch steps for
 * `budgetMs` after a warm-up; else (cpu on a large CNN) the prediction is the answer, marked
 * "estimated". A backend timed after another in the same child stops after one 1-example step that
 * cannot beat it (`atMost`). A child that does not finish in its time limit is stopped; what it did
 * not measure counts as not trainable.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ModelSource } from '../../shared/runnerProtocol';
import { firstLine } from './backendLoad';
import { DEFAULT_BATCH_SIZE } from '../sources/data/encode';
import {
	normalizeLossName,
	normalizeOptimizerName,
	parseTrainingConfig,
	readModelJson,
} from '../sources/modelLoad';
import { machineKeyOf, readProbeCache, writeProbeCache } from './wasmKernels/probe';
import { machineLoadPerCore, measuredWhenBusy } from './wasmKernels/threads';
import {
	modelSpeedsText,
	notMeasuredText,
	probeConfigText,
	probeExitedText,
	probeTimedOutText,
} from '../../core/present/backendWords';

/** What the per-model probe trains: the model's topology and how the run trains it. */
export interface ModelProbeSpec {
	/** The Keras topology JSON (`modelTopology` of a model.json, or `model.toJSON()`). */
	topology: string;
	batchSize: number;
	/** Optimizer name (default adam, LR Scope's default for a model saved without one). */
	optimizer?: string;
	/** Loss name (default meanSquaredError; the loss is a small part of a step). */
	loss?: string;
}

/** One timing of one backend in a probe child. */
export interface Measurement {
	/** Training steps per second at the spec's batch size (0: could not train). */
	stepsPerSecond: number;
	/** Training steps run (warm-up included). */
	steps: number;
	/** True when predicted from steps on 1 and 4 examples (a full batch would not fit the budget). */
	estimated?: boolean;
	/**
	 * True when `stepsPerSecond` is only an upper bound: one step on ONE example was already too slow
	 * to beat a configuration measured before it (a full batch takes at least as long), so timing
	 * stopped there (cpu on a large CNN: seconds per example).
	 */
	atMost?: boolean;
	/** The last step's loss (finite when it trained). */
	loss?: number;
	/** Why it could not train. */
	error?: string;
}

/** A candidate configuration: wasm on `threads` threads, or cpu (`threads` 0). */
export interface ProbeConfig {
	backend: 'wasm' | 'cpu';
	threads: number;
}

/** A candidate and its measurement. */
export type ConfigSpeed = ProbeConfig & Measurement;

/** What one probe child is asked to do. */
export interface ProbeChildRequest {
	/** File tfjs is resolved from (`createRequire`): the runner's own file, or the workspace's package.json. */
	base: string;
	/** wasm threads to initialise with (when `backends` has wasm). */
	threads: number;
	/** Backends to time, in order. */
	backends: ('wasm' | 'cpu')[];
	spec: ModelProbeSpec;
	budgetMs: number;
}

/** What one probe child found: the wasm threads that really ran, and a measurement per backend. */
export interface ProbeChildResult {
	threads: number;
	results: Partial<Record<'wasm' | 'cpu', Measurement>>;
}

/** Runs one probe child (default {@link forkProbeChild}; tests inject timings). */
export type ProbeChildRun = (req: ProbeChildRequest) => Promise<ProbeChildResult>;

/** Options for {@link probeModelSpeed}. */
export interface ModelSpeedOptions {
	spec: ModelProbeSpec;
	/** See {@link ProbeChildRequest.base}. */
	base: string;
	/** wasm thread counts to compare, e.g. `[2, 1]` (all cores and one), or `[k]` when capped. */
	threadCounts: number[];
	/** Cache file; null disables caching. */
	cachePath: string | null;
	/** Time per candidate after its warm-up, ms (default 400). */
	budgetMs?: number;
	run?: ProbeChildRun;
	/** For tests: the machine's load per core now (default: the 1-minute load average ÷ cores). */
	loadPerCore?: () => number;
}

/** Result of {@link probeModelSpeed}. */
export interface ModelSpeedResult {
	/** The fastest candidate that trained; undefined when none did. */
	best?: ProbeConfig;
	/** Every candidate measured, in the order tried. */
	speeds: ConfigSpeed[];
	cached: boolean;
	cachePath: string | null;
}

/** A 16-hex-digit hash of what decides the model's speed (see file comment). */
export function modelSignature(spec: ModelProbeSpec): string {
	const canonical = JSON.stringify({
		topology: JSON.parse(spec.topology) as unknown,
		batchSize: spec.batchSize,
		optimizer: spec.optimizer ?? 'adam',
		loss: spec.loss ?? 'meanSquaredError',
	});
	return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** "wasm 2 threads", "wasm 1 thread", "cpu". */
export function configLabel(c: ProbeConfig): string {
	return probeConfigText(c);
}

/** The fastest candidate that trained (ties: the earlier one); undefined when none trained. */
export function fastestConfig(speeds: ConfigSpeed[]): ConfigSpeed | undefined {
	let best: ConfigSpeed | undefined;
	for (const s of speeds) {
		if (s.stepsPerSecond > 0 && (!best || s.stepsPerSecond > best.stepsPerSecond)) {
			best = s;
		}
	}
	return best;
}

/** The tfjs version `base` resolves to ("unknown" when it cannot tell). */
function tfjsVersionAt(base: string): string {
	try {
		return (
			(createRequire(base)('@tensorflow/tfjs/package.json') as { version?: string }).version ??
			'unknown'
		);
	} catch {
		return 'unknown';
	}
}

/** The cache key: machine, model signature, candidates. */
export function modelProbeCacheId(
	o: Pick<ModelSpeedOptions, 'spec' | 'base' | 'threadCounts'>,
): string {
	const candidates = [
		...o.threadCounts.map((t) => configLabel({ backend: 'wasm', threads: t })),
		'cpu',
	];
	return `${machineKeyOf(tfjsVersionAt(o.base))}; model ${modelSignature(o.spec)}; ${candidates.join(', ')}`;
}

function isConfigSpeed(v: unknown): v is ConfigSpeed {
	const s = v as ConfigSpeed;
	return (
		typeof s === 'object' &&
		s !== null &&
		(s.backend === 'wasm' || s.backend === 'cpu') &&
		typeof s.threads === 'number' &&
		typeof s.stepsPerSecond === 'number'
	);
}

/**
 * Times the model on each candidate (or reads the answer from the cache) and says which is fastest.
 * One child per wasm thread count, one after another (never two at once: they would slow each
 * other down); the last child also times cpu. Never throws: a failed child scores 0.
 */
export async function probeModelSpeed(o: ModelSpeedOptions): Promise<ModelSpeedResult> {
	const id = modelProbeCacheId(o);
	const loadNow = (o.loadPerCore ?? machineLoadPerCore)();
	if (o.cachePath) {
		const hit = readProbeCache(o.cachePath)[id] as
			{ speeds?: unknown; loadPerCore?: unknown } | undefined;
		const speeds = Array.isArray(hit?.speeds) ? hit.speeds.filter(isConfigSpeed) : [];
		const best = fastestConfig(speeds);
		if (best && !measuredWhenBusy(hit?.loadPerCore, loadNow)) {
			return { best: pick(best), speeds, cached: true, cachePath: o.cachePath };
		}
	}
	const run = o.run ?? forkProbeChild;
	const budgetMs = o.budgetMs ?? 400;
	const speeds: ConfigSpeed[] = [];
	for (const [i, threads] of o.threadCounts.entries()) {
		const last = i === o.threadCounts.length - 1;
		const backends: ('wasm' | 'cpu')[] = last ? ['wasm', 'cpu'] : ['wasm'];
		let r: ProbeChildResult;
		try {
			r = await run({ base: o.base, threads, backends, spec: o.spec, budgetMs });
		} catch (e) {
			r = { threads, results: {} };
			for (const b of backends) {
				r.results[b] = { stepsPerSecond: 0, steps: 0, error: firstLine(e) };
			}
		}
		for (const b of backends) {
			const m = r.results[b] ?? { stepsPerSecond: 0, steps: 0, error: notMeasuredText };
			const config: ProbeConfig =
				b === 'cpu' ? { backend: 'cpu', threads: 0 } : { backend: 'wasm', threads: r.threads };
			// A threaded build that did not start ran single-threaded: one entry per real configuration.
			if (!speeds.some((s) => s.backend === config.backend && s.threads === config.threads)) {
				speeds.push({ ...config, ...m });
			}
		}
	}
	const best = fastestConfig(speeds);
	if (best && o.cachePath) {
		writeProbeCache(o.cachePath, id, { speeds, loadPerCore: loadNow });
	}
	return { best: best && pick(best), speeds, cached: false, cachePath: o.cachePath };
}

const pick = (c: ProbeConfig): ProbeConfig => ({ backend: c.backend, threads: c.threads });

/**
 * The configuration a probe result picks: the fastest that trained, or with `wasmOnly` (a forced
 * `--backend wasm`) the fastest wasm thread count; undefined when none trained.
 */
export function probeWinner(r: ModelSpeedResult, wasmOnly: boolean): ConfigSpeed | undefined {
	return fastestConfig(wasmOnly ? r.speeds.filter((c) => c.backend === 'wasm') : r.speeds);
}

/** "wasm 2 threads 5.40, wasm 1 thread 3.60, cpu ≈0.00400 (estimated)" (steps/s). */
export function speedsText(speeds: ConfigSpeed[]): string {
	return modelSpeedsText(speeds);
}

/** Where the probe child is: next to this file (tests, under tsx) or next to the bundle (dist/). */
function probeChildEntry(): { file: string; execArgv: string[] } {
	if (__filename.endsWith('.ts')) {
		return { file: path.join(__dirname, 'modelSpeedProbeChild.ts'), execArgv: ['--import', 'tsx'] };
	}
	return { file: path.join(__dirname, 'speedProbe.js'), execArgv: [] };
}

/**
 * Runs one probe child (modelSpeedProbeChild.ts) and collects what it measured. Stops it after a
 * time limit (4 s + 8 × the budget per backend); what it measured by then still counts.
 */
export function forkProbeChild(req: ProbeChildRequest): Promise<ProbeChildResult> {
	const { file, execArgv } = probeChildEntry();
	const limitMs = 4000 + 8 * req.budgetMs * req.backends.length;
	return new Promise((resolve) => {
		const result: ProbeChildResult = {
			threads: req.backends.includes('wasm') ? 1 : 0,
			results: {},
		};
		let stderr = '';
		let settled = false;
		const child = fork(file, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
		const finish = (why?: string): void => {
			if (settled) {
				return;
			}
			settled = true;
			clearTimeout(timer);
			for (const b of req.backends) {
				result.results[b] ??= { stepsPerSecond: 0, steps: 0, error: why ?? notMeasuredText };
			}
			if (child.exitCode === null) {
				child.kill('SIGKILL');
			}
			resolve(result);
		};
		const timer = setTimeout(() => finish(probeTimedOutText(limitMs / 1000)), limitMs);
		child.stderr?.on('data', (d: Buffer) => {
			stderr = (stderr + d.toString()).slice(-2000);
		});
		child.on('message', (m: ProbeChildMessage) => {
			if (m.type === 'ready') {
				result.threads = m.threads;
			} else if (m.type === 'measured') {
				result.results[m.backend] = m.measurement;
			} else if (m.type === 'failed') {
				finish(m.error);
			} else if (m.type === 'done') {
				finish();
			}
		});
		child.on('error', (e) => finish(firstLine(e)));
		// 'close', not 'exit': by then the IPC channel has delivered everything the child sent.
		child.on('close', (code) => {
			const last = stderr.trim().split('\n').pop();
			finish(probeExitedText(code, last));
		});
		child.send(req);
	});
}

/** Messages a probe child sends. */
export type ProbeChildMessage =
	| { type: 'ready'; threads: number }
	| { type: 'measured'; backend: 'wasm' | 'cpu'; measurement: Measurement }
	| { type: 'failed'; error: string }
	| { type: 'done' };

/**
 * The per-model probe spec of a saved model (its model.json's topology, the run's batch size,
 * optimizer and loss), read with plain `fs` before any tfjs backend initialises. Undefined for other
 * sources, or when the file cannot be read (loading the source reports that properly).
 */
export function modelProbeSpecOf(
	source: ModelSource,
	options: { batchSize?: number; optimizer?: string; loss?: string },
	workspace: string | undefined,
): ModelProbeSpec | undefined {
	if (source.kind !== 'saved') {
		return undefined;
	}
	try {
		const { json } = readModelJson(path.resolve(workspace ?? process.cwd(), source.modelPath));
		const topology = json.modelTopology as Record<string, unknown>;
		const rawConfig = json.trainingConfig ?? topology.training_config;
		const tc = rawConfig != null ? parseTrainingConfig(rawConfig) : undefined;
		const lossArg = source.loss ?? options.loss;
		const optArg = source.optimizer ?? options.optimizer;
		return {
			topology: JSON.stringify(topology),
			batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
			optimizer: (optArg && normalizeOptimizerName(optArg)) || tc?.optimizer?.name,
			loss: (lossArg && normalizeLossName(lossArg)) || tc?.loss,
		};
	} catch {
		return undefined;
	}
}
