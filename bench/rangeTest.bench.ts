/**
 * Range-test overhead: steps/s of `runRangeTest` vs a bare `trainOnBatch` loop over pre-sliced
 * batches — the very batches the range test draws (same seed and order) — on the same backend, model,
 * batch size and step count. Everything is warmed up first, then the loops alternate (order rotated,
 * GC before each), each timed in CPU seconds of this process; the reported ratio is the median of
 * the per-repetition ratios. Per available backend (cpu, wasm) for an MLP and a small CNN. The same
 * models trained by PyTorch (bench/torch_reference.py) give the outside reference: its own
 * LR-finder-loop overhead, and tfjs's range-test throughput relative to PyTorch's.
 *
 * `LRSCOPE_BENCH_BACKENDS=wasm` limits the backends, `LRSCOPE_BENCH_TORCH=0` skips PyTorch.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernelsIfPresent } from '../src/engine/backend/backendLoad';
import { disposeBatch, tensorBatches } from '../src/engine/training/batching';
import { runRangeTest } from '../src/engine/training/rangeTest';
import type { LoadedSource } from '../src/engine/sources/sourceTypes';
import type { BenchRow, BenchSection } from './types';

const batch = 64;
const nBatches = 16;
const seed = 7;

/**
 * Steps and alternating repetitions per backend: the pure-JS cpu backend is ~5-50× slower than wasm,
 * so it gets fewer steps (the CNN on cpu just a few) to keep the whole section near two minutes.
 */
const plan: Record<string, Record<'mlp' | 'cnn', { steps: number; reps: number }>> = {
	cpu: { mlp: { steps: 40, reps: 5 }, cnn: { steps: 4, reps: 3 } },
	wasm: { mlp: { steps: 200, reps: 5 }, cnn: { steps: 60, reps: 5 } },
};
const torchPlan = { mlp: 150, cnn: 30, reps: 3 };

interface Case {
	key: 'mlp' | 'cnn';
	name: string;
	steps: number;
	inputShape: number[];
	build(): tf.LayersModel;
}

const cases: Case[] = [
	{
		key: 'mlp',
		name: 'MLP 32-64-64-10',
		steps: 0,
		inputShape: [32],
		build: () =>
			tf.sequential({
				layers: [
					tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }),
					tf.layers.dense({ units: 64, activation: 'relu' }),
					tf.layers.dense({ units: 10, activation: 'softmax' }),
				],
			}),
	},
	{
		key: 'cnn',
		name: 'CNN 16x16 conv8-pool-dense10',
		steps: 0,
		inputShape: [16, 16, 1],
		build: () =>
			tf.sequential({
				layers: [
					tf.layers.conv2d({
						filters: 8,
						kernelSize: 3,
						activation: 'relu',
						inputShape: [16, 16, 1],
					}),
					tf.layers.maxPooling2d({ poolSize: 2 }),
					tf.layers.flatten(),
					tf.layers.dense({ units: 10, activation: 'softmax' }),
				],
			}),
	},
];

/** The model and its optimizer (a passed-in optimizer is not the model's to dispose). */
function disposeModel(m: tf.LayersModel): void {
	m.optimizer.dispose();
	m.dispose();
}

function compiled(c: Case): tf.LayersModel {
	const m = c.build();
	m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
	return m;
}

/**
 * CPU seconds used by this process (user + system). Why CPU time, not wall time: the machines this
 * runs on are shared (load average often far above the core count), and wall-clock ratios then
 * swing by ±30% between identical runs; tfjs cpu/wasm (no threads) and PyTorch with one thread
 * are single-threaded, so CPU time measures the same work without the neighbours' noise.
 */
function cpuSeconds(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
}

/** Training batches for the bare loops: exactly the ones the range test sees (same seed, same order). */
async function rangeTestBatches(
	x: tf.Tensor,
	y: tf.Tensor,
	steps: number,
): Promise<{ xs: tf.Tensor[]; ys: tf.Tensor[] }> {
	const stream = tensorBatches(tf, x, y, batch, seed);
	const xs: tf.Tensor[] = [];
	const ys: tf.Tensor[] = [];
	for (let i = 0; i < steps; i++) {
		const b = (await stream.next())!;
		xs.push(b.x as tf.Tensor);
		ys.push(b.y as tf.Tensor);
	}
	return { xs, ys };
}

/** The bare loop: `trainOnBatch` over pre-gathered batches, nothing else. */
async function bareLoop(c: Case, xs: tf.Tensor[], ys: tf.Tensor[]): Promise<number> {
	const m = compiled(c);
	const t0 = cpuSeconds();
	for (let i = 0; i < c.steps; i++) {
		await m.trainOnBatch(xs[i % xs.length], ys[i % ys.length]);
	}
	const s = c.steps / (cpuSeconds() - t0);
	disposeModel(m);
	return s;
}

/** The bare loop plus the range test's seeded batch stream: separates data cost from bookkeeping. */
async function gatherLoop(c: Case, x: tf.Tensor, y: tf.Tensor): Promise<number> {
	const m = compiled(c);
	const t0 = cpuSeconds();
	const stream = tensorBatches(tf, x, y, batch, seed);
	for (let i = 0; i < c.steps; i++) {
		const b = (await stream.next())!;
		await m.trainOnBatch(b.x as tf.Tensor, b.y as tf.Tensor);
		disposeBatch(tf, b);
	}
	const s = c.steps / (cpuSeconds() - t0);
	disposeModel(m);
	return s;
}

/**
 * `runRangeTest` itself, timed in CPU seconds around the whole call like the bare loop (snapshot,
 * restore and suggestions included). Why not the result's `seconds`: that is wall time, and on a
 * loaded machine wall time is 1.5-3× the CPU time, which made the range test look slower than it is.
 */
async function rangeTestLoop(
	c: Case,
	x: tf.Tensor,
	y: tf.Tensor,
): Promise<{ speed: number; ownShare: number }> {
	const m = compiled(c);
	// CPU time inside trainOnBatch, so the range test's own cost is measured step by step within
	// the same run (immune to the machine's drift between runs, which A/B ratios are not).
	let inTrain = 0;
	const train = m.trainOnBatch.bind(m);
	m.trainOnBatch = async (xb, yb) => {
		const t = cpuSeconds();
		try {
			return await train(xb, yb);
		} finally {
			inTrain += cpuSeconds() - t;
		}
	};
	const loaded: LoadedSource = {
		model: m,
		x,
		y,
		batchSize: batch,
		optimizerName: 'adam',
		lossName: 'categoricalCrossentropy',
		notes: [],
		dispose: () => undefined,
	};
	let progress = 0;
	const t0 = cpuSeconds();
	// Small LRs and a huge divergence factor: every run records exactly `steps` steps.
	const r = await runRangeTest(
		tf,
		loaded,
		{ startLr: 1e-5, endLr: 1e-3, steps: c.steps, divergeFactor: 1e9, seed, repeat: 1 },
		// A progress consumer, as the runner has (it forwards each step over IPC).
		{ onProgress: () => void (progress += 1) },
	);
	const total = cpuSeconds() - t0;
	if (r.lrs.length !== c.steps || progress !== c.steps) {
		throw new Error(`range test recorded ${r.lrs.length} of ${c.steps} steps`);
	}
	disposeModel(m);
	return { speed: r.lrs.length / total, ownShare: total / inTrain };
}

v8.setFlagsFromString('--expose-gc');
/**
 * A full GC before each timed run: otherwise garbage left by one loop is collected (and its CPU
 * time charged) during the next, which biases whichever loop runs second.
 */
const gc = vm.runInNewContext('gc') as () => void;

/** Median (the repetitions' typical value; robust to one disturbed run either way). */
const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

interface Measured {
	bare: number;
	gather: number;
	rt: number;
	/** Median over repetitions of bare ÷ variant, each ratio from one repetition's adjacent runs. */
	gatherRatio: number;
	rtRatio: number;
	rtRatios: number[];
	/** Median of the range test's total CPU time ÷ its CPU time inside trainOnBatch. */
	ownShare: number;
}

async function measure(c: Case, reps: number): Promise<Measured> {
	const n = batch * nBatches;
	const x = tf.randomNormal([n, ...c.inputShape], 0, 1, 'float32', 1);
	const y = tf.tidy(() =>
		tf.oneHot(tf.randomUniform([n], 0, 10, 'int32', 2) as tf.Tensor1D, 10).toFloat(),
	);
	const { xs, ys } = await rangeTestBatches(x, y, c.steps);
	// Warm-up of every path (kernel setup, JIT, first-use allocations) before anything is timed.
	const warm = { ...c, steps: Math.min(3, c.steps) };
	await bareLoop(warm, xs, ys);
	await gatherLoop(warm, x, y);
	await rangeTestLoop({ ...warm, steps: Math.max(2, warm.steps) }, x, y);
	const bare: number[] = [];
	const rt: number[] = [];
	const own: number[] = [];
	const gat: number[] = [];
	for (let r = 0; r < reps; r++) {
		// Rotate the order too, so no loop always runs on a warmer/colder heap.
		const order = ['bare', 'gather', 'rt'];
		for (let k = 0; k < 3; k++) {
			const which = order[(k + r) % 3];
			gc();
			if (which === 'bare') {
				bare.push(await bareLoop(c, xs, ys));
			} else if (which === 'gather') {
				gat.push(await gatherLoop(c, x, y));
			} else {
				const m = await rangeTestLoop(c, x, y);
				rt.push(m.speed);
				own.push(m.ownShare);
			}
		}
	}
	tf.dispose([x, y, ...xs, ...ys]);
	const rtRatios = bare.map((b, i) => b / rt[i]);
	return {
		bare: median(bare),
		gather: median(gat),
		rt: median(rt),
		gatherRatio: median(bare.map((b, i) => b / gat[i])),
		rtRatio: median(rtRatios),
		rtRatios,
		ownShare: median(own),
	};
}

interface TorchOut {
	torch: string;
	mlp: { bareStepsPerSec: number; rangeTestStepsPerSec: number; overheadRatio: number };
	cnn: { bareStepsPerSec: number; rangeTestStepsPerSec: number; overheadRatio: number };
}

/** Runs the benchmark section. */
export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [
		`batch ${batch}, Adam, data ${batch * nBatches} examples; medians of alternating runs (steps×reps: ${Object.entries(
			plan,
		)
			.map(([b, p]) => `${b} mlp ${p.mlp.steps}×${p.mlp.reps}, cnn ${p.cnn.steps}×${p.cnn.reps}`)
			.join(
				'; ',
			)}); ratio = median over repetitions of bare ÷ variant steps per CPU-second of this process (target ≤ 1.03)`,
	];
	const rtSpeed: Record<string, number> = {};
	const backends = (process.env.LRSCOPE_BENCH_BACKENDS ?? 'cpu,wasm').split(',');
	for (const backend of backends) {
		if (!(await tf.setBackend(backend))) {
			notes.push(`${backend}: not available`);
			continue;
		}
		await tf.ready();
		tf.env().set('PROD', true);
		if (backend === 'wasm' && !registerWasmTrainingKernelsIfPresent(tf)) {
			notes.push('wasm: no training kernels registered (CNN may fail)');
		}
		for (const base of cases) {
			const c = { ...base, steps: plan[backend][base.key].steps };
			try {
				const m = await measure(c, plan[backend][base.key].reps);
				rtSpeed[`${backend}/${c.name}`] = m.rt;
				rows.push({
					name: `${backend} ${c.name}: bare trainOnBatch`,
					value: m.bare,
					unit: 'steps/cpu-s',
				});
				rows.push({
					name: `${backend} ${c.name}: bare + seeded gather`,
					value: m.gather,
					unit: 'steps/cpu-s',
					ratio: m.gatherRatio,
					baseline: 'bare loop',
				});
				rows.push({
					name: `${backend} ${c.name}: range test`,
					value: m.rt,
					unit: 'steps/cpu-s',
					ratio: m.rtRatio,
					baseline: 'bare loop',
					note: `per-repetition ratios ${m.rtRatios.map((r) => r.toFixed(2)).join(' ')}`,
				});
				rows.push({
					name: `${backend} ${c.name}: range test ÷ its trainOnBatch`,
					value: m.ownShare,
					unit: '×',
					ratio: m.ownShare,
					baseline: 'CPU inside trainOnBatch, same run, step by step',
				});
			} catch (e) {
				notes.push(
					`${backend} ${c.name}: failed (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`,
				);
			}
		}
	}
	try {
		if (process.env.LRSCOPE_BENCH_TORCH === '0') {
			throw new Error('LRSCOPE_BENCH_TORCH=0');
		}
		const script = path.join(__dirname, 'torch_reference.py');
		const raw = execFileSync(
			'/usr/bin/python3',
			[
				script,
				'--steps',
				String(torchPlan.mlp),
				'--cnn-steps',
				String(torchPlan.cnn),
				'--batch',
				String(batch),
				'--reps',
				String(torchPlan.reps),
			],
			{
				encoding: 'utf8',
				timeout: 120_000,
			},
		);
		const t = JSON.parse(raw.trim().split('\n').pop()!) as TorchOut;
		for (const [key, c] of [
			['mlp', cases[0]],
			['cnn', cases[1]],
		] as const) {
			const ref = t[key];
			rows.push({
				name: `PyTorch ${t.torch} ${c.name}: LR-finder loop`,
				value: ref.rangeTestStepsPerSec,
				unit: 'steps/cpu-s',
				ratio: ref.overheadRatio,
				baseline: 'PyTorch bare loop',
			});
			for (const backend of backends) {
				const ours = rtSpeed[`${backend}/${c.name}`];
				if (ours !== undefined) {
					rows.push({
						name: `tfjs ${backend} range test vs PyTorch (${c.name})`,
						value: ours,
						unit: 'steps/cpu-s',
						ratio: ours / ref.rangeTestStepsPerSec,
						baseline: 'PyTorch LR-finder loop (>1 = tfjs faster)',
					});
				}
			}
		}
	} catch (e) {
		notes.push(
			`PyTorch reference skipped: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
		);
	}
	await tf.setBackend('cpu');
	return {
		title: 'LR range test: overhead vs a bare trainOnBatch loop (same run), PyTorch reference',
		rows,
		notes,
	};
}
