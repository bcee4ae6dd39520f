/**
 * One process of bench/wasm.bench.ts: times `runRangeTest` on one backend configuration (wasm with
 * N threads, or cpu) for the range-test benchmark models, and prints one JSON line:
 * `{ backend, threads, rates: { key: steps/s }, cpuRates: { key: steps per CPU-second }, profile?: { key: { kernel: ms/step } } }`.
 * A separate process per configuration because the wasm backend's thread count is fixed when it
 * initialises (once per process).
 *
 * Usage: node --import tsx bench/wasmRangeChild.ts '{"backend":"wasm","threads":2,"models":["small"],"seconds":2}'
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { runRangeTest } from '../src/engine/training/rangeTest';
import type { LoadedSource } from '../src/engine/sources/sourceTypes';
import { registerWasmTrainingKernels } from '../src/engine/backend/wasmKernels';
import { RANGE_BENCH_MODELS } from '../src/engine/backend/wasmKernels/benchModels';
import { seededTensor } from '../src/engine/backend/wasmKernels/layerZoo';
import { startWasm } from '../src/engine/backend/wasmKernels/threads';

interface ChildConfig {
	backend: 'wasm' | 'cpu';
	threads: number;
	models: string[];
	/** Target seconds of timed range test per model (steps chosen from a warm-up). */
	seconds: number;
	/** Fixed timed steps per model (overrides `seconds`; the cpu backend on big CNNs). */
	steps?: Record<string, number>;
	/**
	 * Time ONE `trainOnBatch` step instead of a range test, without warm-up: the cpu backend on the
	 * big CNNs, where one step takes minutes (a range test needs ≥ 2 steps, plus a warm-up).
	 */
	singleStep?: boolean;
	/** Also profile one training step per model (kernel times). */
	profile?: boolean;
}

function oneHot(n: number, classes: number, seed: number): tf.Tensor {
	return tf.tidy(() => {
		const u = seededTensor(tf, [n], seed, 0, classes);
		return tf
			.oneHot(
				tf
					.floor(u)
					.toInt()
					.clipByValue(0, classes - 1) as tf.Tensor1D,
				classes,
			)
			.toFloat();
	});
}

/** Wall and CPU seconds (this process, all threads) of a range test of `steps` steps on `model` (all steps recorded). */
async function timeRangeTest(
	model: tf.LayersModel,
	x: tf.Tensor,
	y: tf.Tensor,
	batch: number,
	steps: number,
): Promise<{ wall: number; cpu: number }> {
	const loaded: LoadedSource = {
		model,
		x,
		y,
		batchSize: batch,
		optimizerName: 'sgd',
		lossName: 'categoricalCrossentropy',
		notes: [],
		dispose: () => undefined,
	};
	const t0 = performance.now();
	const c0 = process.cpuUsage();
	const r = await runRangeTest(
		tf,
		loaded,
		// One pass, like the PyTorch loop (the range test's default is 3 repeats).
		{ startLr: 1e-5, endLr: 1e-2, steps, repeat: 1, divergeFactor: 1e9, seed: 3 },
		{ onProgress: () => undefined },
	);
	const wall = (performance.now() - t0) / 1000;
	const c = process.cpuUsage(c0);
	if (r.lrs.length !== steps) {
		throw new Error(`range test recorded ${r.lrs.length} of ${steps} steps`);
	}
	return { wall, cpu: (c.user + c.system) / 1e6 };
}

/** Kernel ms per training step (tf.profile of one trainOnBatch), plus "JS/other" = wall − kernels. */
async function profileStep(
	model: tf.LayersModel,
	xb: tf.Tensor,
	yb: tf.Tensor,
): Promise<Record<string, number>> {
	const reps = 3;
	const by: Record<string, number> = {};
	let wall = 0;
	for (let i = 0; i < reps; i++) {
		const t0 = performance.now();
		const info = await tf.profile(async () => {
			await model.trainOnBatch(xb, yb);
		});
		wall += performance.now() - t0;
		for (const k of info.kernels) {
			by[k.name] = (by[k.name] ?? 0) + Number(k.kernelTimeMs);
		}
	}
	const out: Record<string, number> = {};
	let sum = 0;
	for (const [k, v] of Object.entries(by)) {
		out[k] = v / reps;
		sum += v / reps;
	}
	out['(wall per step incl. profiler)'] = wall / reps;
	out['(JS dispatch + profiler = wall − kernels)'] = wall / reps - sum;
	return out;
}

async function main(): Promise<void> {
	const cfg = JSON.parse(process.argv[2]) as ChildConfig;
	let threads = 1;
	if (cfg.backend === 'wasm') {
		threads = await startWasm(tf, createRequire(__filename), cfg.threads);
		registerWasmTrainingKernels(tf);
	} else {
		await tf.setBackend('cpu');
	}
	tf.env().set('PROD', true);
	const rates: Record<string, number> = {};
	const cpuRates: Record<string, number> = {};
	const profile: Record<string, Record<string, number>> = {};
	for (const key of cfg.models) {
		const spec = RANGE_BENCH_MODELS.find((m) => m.key === key);
		if (!spec) {
			throw new Error(`unknown bench model ${key}`);
		}
		const n = spec.batch * 4;
		const x = seededTensor(tf, [n, ...spec.inputShape], 11, 0, 1);
		const y = oneHot(n, 10, 12);
		const model = spec.build(tf);
		model.compile({ optimizer: tf.train.sgd(1e-3), loss: 'categoricalCrossentropy' });
		if (cfg.singleStep) {
			const xb = x.slice(0, spec.batch);
			const yb = y.slice(0, spec.batch);
			const t0 = performance.now();
			const c0 = process.cpuUsage();
			await model.trainOnBatch(xb, yb);
			const c = process.cpuUsage(c0);
			rates[key] = 1000 / (performance.now() - t0);
			cpuRates[key] = 1e6 / (c.user + c.system);
			tf.dispose([xb, yb, x, y]);
			model.dispose();
			continue;
		}
		const fixed = cfg.steps?.[key];
		// Warm-up (kernel setup, XNNPACK operator caches, JIT), also the rate estimate.
		const warmSteps = fixed !== undefined ? 2 : 3;
		const warm = await timeRangeTest(model, x, y, spec.batch, warmSteps);
		const steps =
			fixed ?? Math.max(4, Math.min(400, Math.round((cfg.seconds * warmSteps) / warm.wall)));
		const s = await timeRangeTest(model, x, y, spec.batch, steps);
		rates[key] = steps / s.wall;
		cpuRates[key] = steps / s.cpu;
		if (cfg.profile) {
			const xb = x.slice(0, spec.batch);
			const yb = y.slice(0, spec.batch);
			profile[key] = await profileStep(model, xb, yb);
			tf.dispose([xb, yb]);
		}
		model.optimizer.dispose();
		model.dispose();
		tf.dispose([x, y]);
	}
	process.stdout.write(
		`${JSON.stringify({ backend: cfg.backend, threads, rates, cpuRates, ...(cfg.profile ? { profile } : {}) })}\n`,
	);
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
		process.exit(1);
	},
);
