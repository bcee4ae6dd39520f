/**
 * Range-test overhead: steps/s of `runRangeTest` vs a bare `trainOnBatch` loop over pre-sliced
 * batches, same backend, model, batch size and step count, measured alternately in one run
 * (best of `reps`, CPU time, GC between runs). Per available backend (cpu, wasm) for an MLP and a small CNN. The same
 * models trained by PyTorch (bench/torch_reference.py) give the outside reference: its own
 * LR-finder-loop overhead, and tfjs's range-test throughput relative to PyTorch's.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernelsIfPresent } from '../src/engine/backend';
import { disposeBatch, tensorBatches } from '../src/engine/batching';
import { runRangeTest } from '../src/engine/rangeTest';
import type { LoadedSource } from '../src/engine/sourceTypes';
import type { BenchRow, BenchSection } from './types';

const batch = 64;
const nBatches = 16;

/**
 * Steps and alternating repetitions per backend: the pure-JS cpu backend is ~5-50× slower than wasm,
 * so it gets fewer steps (the CNN on cpu just a few) to keep the whole section near two minutes.
 */
const plan: Record<string, Record<'mlp' | 'cnn', { steps: number; reps: number }>> = {
	cpu: { mlp: { steps: 30, reps: 4 }, cnn: { steps: 3, reps: 2 } },
	wasm: { mlp: { steps: 100, reps: 5 }, cnn: { steps: 25, reps: 3 } },
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

async function bareLoop(c: Case, xs: tf.Tensor[], ys: tf.Tensor[]): Promise<number> {
	const m = compiled(c);
	const t0 = cpuSeconds();
	for (let i = 0; i < c.steps; i++) {
		await m.trainOnBatch(xs[i % xs.length], ys[i % ys.length]);
	}
	const s = c.steps / (cpuSeconds() - t0);
	m.dispose();
	return s;
}

/** The bare loop plus the range test's seeded per-step batch gather: separates data cost from bookkeeping. */
async function gatherLoop(c: Case, x: tf.Tensor, y: tf.Tensor): Promise<number> {
	const m = compiled(c);
	const stream = tensorBatches(tf, x, y, batch, 1);
	const t0 = cpuSeconds();
	for (let i = 0; i < c.steps; i++) {
		const b = (await stream.next())!;
		await m.trainOnBatch(b.x as tf.Tensor, b.y as tf.Tensor);
		disposeBatch(tf, b);
	}
	const s = c.steps / (cpuSeconds() - t0);
	m.dispose();
	return s;
}

async function rangeTestLoop(c: Case, x: tf.Tensor, y: tf.Tensor): Promise<number> {
	const m = compiled(c);
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
	// Small LRs and a huge divergence factor: every run records exactly `steps` steps.
	const r = await runRangeTest(tf, loaded, {
		startLr: 1e-5,
		endLr: 1e-3,
		steps: c.steps,
		divergeFactor: 1e9,
	});
	m.dispose();
	return r.lrs.length / r.seconds;
}

v8.setFlagsFromString('--expose-gc');
/**
 * A full GC before each timed run: otherwise garbage left by one loop is collected (and its CPU
 * time charged) during the next, which biases whichever loop runs second.
 */
const gc = vm.runInNewContext('gc') as () => void;

/** Best of the repetitions: the run least disturbed by the neighbours (standard for noisy timing). */
const best = (xs: number[]): number => Math.max(...xs);

async function measure(
	c: Case,
	reps: number,
): Promise<{ bare: number; gather: number; rt: number }> {
	const n = batch * nBatches;
	const x = tf.randomNormal([n, ...c.inputShape], 0, 1, 'float32', 1);
	const y = tf.tidy(() =>
		tf.oneHot(tf.randomUniform([n], 0, 10, 'int32', 2) as tf.Tensor1D, 10).toFloat(),
	);
	const xs = Array.from({ length: nBatches }, (_v, i) => x.slice(i * batch, batch));
	const ys = Array.from({ length: nBatches }, (_v, i) => y.slice(i * batch, batch));
	// Warm-up (kernel compilation, first-use allocations), then alternate to share machine noise.
	await bareLoop({ ...c, steps: 2 }, xs, ys);
	const bare: number[] = [];
	const rt: number[] = [];
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
				rt.push(await rangeTestLoop(c, x, y));
			}
		}
	}
	tf.dispose([x, y, ...xs, ...ys]);
	return { bare: best(bare), gather: best(gat), rt: best(rt) };
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
		`batch ${batch}, Adam, data ${batch * nBatches} examples; best of alternating runs (steps×reps: ${Object.entries(
			plan,
		)
			.map(([b, p]) => `${b} mlp ${p.mlp.steps}×${p.mlp.reps}, cnn ${p.cnn.steps}×${p.cnn.reps}`)
			.join(
				'; ',
			)}); ratio = bare ÷ range-test steps per CPU-second of this process (target ≤ 1.03)`,
	];
	const rtSpeed: Record<string, number> = {};
	for (const backend of ['cpu', 'wasm']) {
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
					ratio: m.bare / m.gather,
					baseline: 'bare loop',
				});
				rows.push({
					name: `${backend} ${c.name}: range test`,
					value: m.rt,
					unit: 'steps/cpu-s',
					ratio: m.bare / m.rt,
					baseline: 'bare loop',
				});
			} catch (e) {
				notes.push(
					`${backend} ${c.name}: failed (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`,
				);
			}
		}
	}
	try {
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
			for (const backend of ['cpu', 'wasm']) {
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
