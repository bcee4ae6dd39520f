/**
 * Training speed on the wasm backend with LR Scope's kernels vs the cpu backend and vs PyTorch CPU,
 * on the same CNN and MLP with the same batch sizes (src/engine/wasmKernels/layerZoo.ts,
 * bench/torch_models.py). All ratios are measured in this one run. cpu CNN gets only 2 steps: it is slow.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BenchRow, BenchSection } from './types';
import {
	registerWasmTrainingKernels,
	unwrapWasmSpeedups,
	WASM_WRAPPED_KERNELS,
} from '../src/engine/wasmKernels';
import {
	benchBatch,
	BENCH_SHAPES,
	buildBenchCnn,
	buildBenchMlp,
} from '../src/engine/wasmKernels/layerZoo';

type Kind = 'cnn' | 'mlp';

interface Runner {
	/** Runs `n` training steps; returns the seconds they took. */
	steps(n: number): Promise<number>;
	dispose(): void;
}

/** A model + batch on the current backend, warmed up by `warmup` untimed steps. */
async function runner(kind: Kind, warmup: number): Promise<Runner> {
	const model = kind === 'cnn' ? buildBenchCnn(tf) : buildBenchMlp(tf);
	const { x, y } =
		kind === 'cnn'
			? benchBatch(tf, BENCH_SHAPES.image, BENCH_SHAPES.cnnBatch, 1)
			: benchBatch(tf, [BENCH_SHAPES.mlpInput], BENCH_SHAPES.mlpBatch, 1);
	const r: Runner = {
		async steps(n: number) {
			const t0 = performance.now();
			for (let i = 0; i < n; i++) {
				await model.trainOnBatch(x, y);
			}
			return (performance.now() - t0) / 1000;
		},
		dispose() {
			model.dispose();
			x.dispose();
			y.dispose();
		},
	};
	await r.steps(warmup);
	return r;
}

/**
 * Steps/s of wasm with and without the speedups, measured in alternating blocks so that load from
 * other processes on this shared machine hits both alike.
 */
async function wasmAB(
	kind: Kind,
	blockSteps: number,
	blocks: number,
): Promise<{ fast: number; plain: number }> {
	const fast = await runner(kind, 2);
	unwrapWasmSpeedups(tf);
	const plain = await runner(kind, 2);
	const t = { fast: 0, plain: 0 };
	for (let b = 0; b < blocks; b++) {
		registerWasmTrainingKernels(tf);
		t.fast += await fast.steps(blockSteps);
		unwrapWasmSpeedups(tf);
		t.plain += await plain.steps(blockSteps);
	}
	registerWasmTrainingKernels(tf);
	fast.dispose();
	plain.dispose();
	const n = blockSteps * blocks;
	return { fast: n / t.fast, plain: n / t.plain };
}

async function cpuRate(kind: Kind, warmup: number, n: number): Promise<number> {
	const r = await runner(kind, warmup);
	const s = await r.steps(n);
	r.dispose();
	return n / s;
}

interface TorchResult {
	torch: string;
	threads: number;
	cnn_steps_per_s: number;
	mlp_steps_per_s: number;
}

function runTorch(): TorchResult | string {
	const script = path.join(__dirname, 'torch_models.py');
	const r = spawnSync('/usr/bin/python3', [script, '--seconds', '3'], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (r.status !== 0) {
		return `PyTorch run failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
	}
	try {
		return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as TorchResult;
	} catch {
		return `PyTorch printed no JSON: ${r.stdout.slice(0, 200)}`;
	}
}

/** The wasm section of `npm run bench`. */
export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [];
	await tf.setBackend('wasm');
	await tf.ready();
	const registered = registerWasmTrainingKernels(tf);
	notes.push(`kernels provided on wasm: ${registered.join(', ')}`);
	const { fast: wasmCnn, plain: plainCnn } = await wasmAB('cnn', 4, 4);
	const { fast: wasmMlp, plain: plainMlp } = await wasmAB('mlp', 8, 4);
	notes.push(
		`"missing kernels only" = the backend's native ${WASM_WRAPPED_KERNELS.join('/')} instead of LR Scope's faster paths`,
	);

	await tf.setBackend('cpu');
	const cpuCnn = await cpuRate('cnn', 0, 2);
	const cpuMlp = await cpuRate('mlp', 1, 4);
	await tf.setBackend('wasm');

	const torch = runTorch();
	const b = `CNN conv16-pool-conv32-pool-dense10, 28×28×1, batch ${BENCH_SHAPES.cnnBatch}`;
	const m = `MLP 784-256-128-10, batch ${BENCH_SHAPES.mlpBatch}`;
	rows.push({
		name: 'CNN train steps/s, wasm',
		value: wasmCnn,
		unit: 'steps/s',
		ratio: wasmCnn / cpuCnn,
		baseline: 'cpu',
		note: b,
	});
	rows.push({
		name: 'CNN train steps/s, wasm missing kernels only',
		value: plainCnn,
		unit: 'steps/s',
		ratio: plainCnn / cpuCnn,
		baseline: 'cpu',
	});
	rows.push({ name: 'CNN train steps/s, cpu (2 steps)', value: cpuCnn, unit: 'steps/s' });
	rows.push({
		name: 'MLP train steps/s, wasm',
		value: wasmMlp,
		unit: 'steps/s',
		ratio: wasmMlp / cpuMlp,
		baseline: 'cpu',
		note: m,
	});
	rows.push({
		name: 'MLP train steps/s, wasm missing kernels only',
		value: plainMlp,
		unit: 'steps/s',
		ratio: plainMlp / cpuMlp,
		baseline: 'cpu',
	});
	rows.push({ name: 'MLP train steps/s, cpu', value: cpuMlp, unit: 'steps/s' });
	if (typeof torch === 'string') {
		notes.push(torch);
	} else {
		const tb = `PyTorch ${torch.torch} CPU, ${torch.threads} thread(s)`;
		rows.push({
			name: 'CNN train steps/s, PyTorch CPU',
			value: torch.cnn_steps_per_s,
			unit: 'steps/s',
			note: tb,
		});
		rows.push({
			name: 'CNN wasm vs PyTorch CPU',
			value: wasmCnn / torch.cnn_steps_per_s,
			unit: '×',
			ratio: wasmCnn / torch.cnn_steps_per_s,
			baseline: 'PyTorch CPU',
		});
		rows.push({
			name: 'MLP train steps/s, PyTorch CPU',
			value: torch.mlp_steps_per_s,
			unit: 'steps/s',
			note: tb,
		});
		rows.push({
			name: 'MLP wasm vs PyTorch CPU',
			value: wasmMlp / torch.mlp_steps_per_s,
			unit: '×',
			ratio: wasmMlp / torch.mlp_steps_per_s,
			baseline: 'PyTorch CPU',
		});
	}
	notes.push(
		'wasm runs single-threaded SIMD: the threaded build does not start under Node (see docs/wasm-kernels.md)',
	);
	return { title: 'wasm training kernels: steps/s vs cpu and PyTorch CPU', rows, notes };
}
