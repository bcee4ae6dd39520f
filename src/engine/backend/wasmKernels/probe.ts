/**
 * Helpers for backend selection (called by backend.ts): can this model train on the current
 * backend, and which backend trains fastest on this machine (probed once, cached in a file).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../../sources/sourceTypes';
import { seededTensor } from './layerZoo';
import { machineLoadPerCore, measuredWhenBusy, wasmThreadsInUse } from './threads';

/** Outcome of `probeTrainable`. */
export interface TrainableProbe {
	ok: boolean;
	/** Kernel names the backend lacks for this model (empty when ok, or when it failed otherwise). */
	missing: string[];
	/** First line of the error, when not ok. */
	error?: string;
}

/** Input shape with unknown dims (batch, sequence length) set to 1 or 2. */
function concrete(shape: (number | null)[]): number[] {
	return shape.map((d, i) => (d == null ? (i === 0 ? 2 : 3) : d));
}

/**
 * Runs a forward pass in training mode and the gradients of every trainable weight on a tiny
 * synthetic batch on the CURRENT backend, without touching the weights or the optimizer. Reports
 * missing kernels instead of throwing.
 */
export function probeTrainable(tf: Tf, model: tfTypes.LayersModel): TrainableProbe {
	try {
		tf.tidy(() => {
			// Zeros are valid for every input kind (floats, token ids for an Embedding).
			const xs = model.inputs.map((inp) =>
				tf.zeros(concrete(inp.shape), inp.dtype === 'int32' ? 'int32' : 'float32'),
			);
			const vars = model.trainableWeights.map(
				(w) => (w as unknown as { val: tfTypes.Variable }).val,
			);
			const { grads } = tf.variableGrads(() => {
				const out = model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as
					tfTypes.Tensor | tfTypes.Tensor[];
				const outs = Array.isArray(out) ? out : [out];
				return tf.addN(outs.map((o) => tf.sum(tf.square(o)))) as tfTypes.Scalar;
			}, vars);
			return Object.values(grads);
		});
		return { ok: true, missing: [] };
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		const m = /Kernel '([^']+)' not registered for backend/.exec(msg);
		return { ok: false, missing: m ? [m[1]] : [], error: msg.split('\n')[0] };
	}
}

/** Result of `probeFastestBackend`. */
export interface BackendSpeedProbe {
	/** The fastest candidate that trained the probe model. */
	backend: string;
	/** Training steps/s of the probe model per candidate (0 = could not train). */
	stepsPerSecond: Record<string, number>;
	/** True when read from the cache file rather than measured now. */
	cached: boolean;
	/** What the cache entry is keyed on (tfjs version, CPU model, core count). */
	machineKey: string;
}

/** Options for `probeFastestBackend`. */
export interface SpeedProbeOptions {
	/** Backends to try, in preference order for ties (default: wasm, cpu; only registered ones run). */
	candidates?: string[];
	/** Cache file (JSON); default `<os tmpdir>/lrscope-backend-probe.json`. `null` disables caching. */
	cachePath?: string | null;
	/** Time per backend, ms (default 400; at least 2 steps are always timed). */
	budgetMs?: number;
	/** Called before timing each backend, e.g. to register kernels after `setBackend('wasm')`. */
	prepare?: (backend: string) => void;
	/** The machine's load per core now (default: the 1-minute load average ÷ cores; tests inject it). */
	loadPerCore?: () => number;
}

function machineKey(tf: Tf): string {
	return machineKeyOf(tf.version.tfjs ?? tf.version_core);
}

/** The machine part of a cache key, for tfjs `version` (also used before tfjs is loaded). */
export function machineKeyOf(version: string): string {
	const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
	// Node's version too: it ships V8 (JIT, wasm SIMD), which moves the wasm/cpu balance.
	return `tfjs ${version}; node ${process.version}; ${cpu}; ${os.cpus().length} cores; ${process.arch}`;
}

/** The probe cache file's entries by key; empty when missing, torn or foreign. */
export function readProbeCache(cachePath: string): Record<string, unknown> {
	try {
		const v = JSON.parse(fs.readFileSync(cachePath, 'utf8')) as unknown;
		return typeof v === 'object' && v !== null && !Array.isArray(v)
			? (v as Record<string, unknown>)
			: {};
	} catch {
		return {};
	}
}

/**
 * Adds `entry` under `id` to the cache file (re-read first, so entries another runner wrote in the
 * meantime are kept). Never throws: a read-only folder only costs a re-probe next time.
 */
export function writeProbeCache(cachePath: string, id: string, entry: unknown): void {
	try {
		const cache = readProbeCache(cachePath);
		cache[id] = entry;
		fs.mkdirSync(path.dirname(cachePath), { recursive: true });
		// Write-then-rename: two runners probing at once must not leave a torn file behind.
		const tmp = `${cachePath}.${process.pid}.tmp`;
		fs.writeFileSync(tmp, JSON.stringify(cache, null, 2));
		fs.renameSync(tmp, cachePath);
	} catch {
		// see above
	}
}

/** Default cache file of {@link probeFastestBackend} inside `dir` (default: the OS temp dir). */
export function probeCachePath(dir: string = os.tmpdir()): string {
	return path.join(dir, 'lrscope-backend-probe.json');
}

/**
 * The key a probe result is cached under for these candidates on this machine (tfjs version, node
 * version, CPU, cores, arch, candidate backends, threads of the initialised wasm backend). Exported so tests can seed a cache entry.
 */
export function probeCacheId(tf: Tf, candidates: string[]): string {
	// The wasm thread count too: a capped or single-threaded wasm is a different contender.
	const threads = candidates.includes('wasm') ? `; wasm ${wasmThreadsInUse(tf)} thread(s)` : '';
	return `${machineKey(tf)}; ${candidates.join(',')}${threads}`;
}

/** A small CNN step (conv, pool, dense) — the workload whose speed decides the backend. */
async function timeBackend(tf: Tf, budgetMs: number): Promise<number> {
	const model = tf.sequential();
	model.add(
		tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 8, kernelSize: 3, activation: 'relu' }),
	);
	model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
	model.add(tf.layers.flatten());
	model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
	model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
	model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
	const x = seededTensor(tf, [8, 12, 12, 2], 1);
	const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).toFloat();
	try {
		await model.trainOnBatch(x, y);
		let n = 0;
		const t0 = performance.now();
		while (n < 2 || performance.now() - t0 < budgetMs) {
			await model.trainOnBatch(x, y);
			n++;
		}
		return n / ((performance.now() - t0) / 1000);
	} finally {
		model.dispose();
		x.dispose();
		y.dispose();
	}
}

/**
 * Measures which backend trains a small CNN fastest on this machine, once: the result is cached in
 * a JSON file keyed by tfjs version and CPU, so later runs return at once. Restores the backend that
 * was active before. Backends that fail (missing kernels, failed init) score 0.
 */
export async function probeFastestBackend(
	tf: Tf,
	options: SpeedProbeOptions = {},
): Promise<BackendSpeedProbe> {
	const key = machineKey(tf);
	const cachePath = options.cachePath === undefined ? probeCachePath() : options.cachePath;
	const candidates = (options.candidates ?? ['wasm', 'cpu']).filter(
		(b) => tf.engine().registryFactory[b] != null,
	);
	const cacheId = probeCacheId(tf, candidates);
	const loadNow = (options.loadPerCore ?? machineLoadPerCore)();
	if (cachePath) {
		const hit = readProbeCache(cachePath)[cacheId] as
			| { backend?: unknown; stepsPerSecond?: Record<string, number>; loadPerCore?: unknown }
			| undefined;
		// An answer measured on a busy machine is measured again once it is quiet (threads.ts).
		const stands = hit && !measuredWhenBusy(hit.loadPerCore, loadNow);
		if (stands && typeof hit.backend === 'string' && candidates.includes(hit.backend)) {
			return {
				backend: hit.backend,
				stepsPerSecond: hit.stepsPerSecond ?? {},
				cached: true,
				machineKey: key,
			};
		}
	}
	const before = tf.getBackend();
	const stepsPerSecond: Record<string, number> = {};
	try {
		for (const b of candidates) {
			try {
				if (!(await tf.setBackend(b))) {
					stepsPerSecond[b] = 0;
					continue;
				}
				options.prepare?.(b);
				stepsPerSecond[b] = await timeBackend(tf, options.budgetMs ?? 400);
			} catch {
				stepsPerSecond[b] = 0;
			}
		}
	} finally {
		if (before) {
			await tf.setBackend(before);
		}
	}
	let best = candidates[0] ?? before;
	for (const b of candidates) {
		if ((stepsPerSecond[b] ?? 0) > (stepsPerSecond[best] ?? 0)) {
			best = b;
		}
	}
	if (cachePath) {
		writeProbeCache(cachePath, cacheId, { backend: best, stepsPerSecond, loadPerCore: loadNow });
	}
	return { backend: best, stepsPerSecond, cached: false, machineKey: key };
}
