/**
 * Per-layer convolution speed, wasm (XNNPACK + LR Scope's gradient kernels, 1 thread) vs PyTorch CPU
 * (1 thread): the forward pass and both gradients of the bench CNNs' main layers
 * (bench/convLayers.ts). It shows the per-core ceiling of the range-test ratios in wasm.bench.ts:
 * XNNPACK's forward convolution is the fastest kernel the bundled backend has (docs/wasm-kernels.md).
 * Env: LRSCOPE_BENCH_TORCH=0 skips PyTorch.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { CONV_LAYERS, convMacs } from './convLayers';

interface Times {
	fwd: number;
	dx: number;
	dW: number;
}

function lastJson<T>(stdout: string): T {
	return JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;
}

export async function run(): Promise<BenchSection> {
	const root = path.join(__dirname, '..');
	const notes: string[] = [];
	const w = spawnSync(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'wasmConvChild.ts')],
		{ cwd: root, encoding: 'utf8', timeout: 600_000 },
	);
	if (w.status !== 0) {
		throw new Error(
			`wasm conv child failed: ${(w.stderr || '').trim().split('\n').slice(-3).join(' / ')}`,
		);
	}
	const wasm = lastJson<{ layers: Times[] }>(w.stdout).layers;
	let torch: Times[] | undefined;
	if (process.env.LRSCOPE_BENCH_TORCH !== '0') {
		const t = spawnSync(
			'/usr/bin/python3',
			[path.join(__dirname, 'torch_conv_layers.py'), JSON.stringify(CONV_LAYERS)],
			{ encoding: 'utf8', timeout: 600_000 },
		);
		if (t.status === 0) {
			const out = lastJson<{ torch: string; layers: Times[] }>(t.stdout);
			torch = out.layers;
			notes.push(`PyTorch ${out.torch} CPU, 1 thread (bench/torch_conv_layers.py)`);
		} else {
			notes.push(
				`PyTorch run failed: ${(t.stderr || t.error?.message || '').trim().split('\n').pop()}`,
			);
		}
	}
	const rows: BenchRow[] = [];
	CONV_LAYERS.forEach((l, i) => {
		const gflops = (ms: number): string => `${((2 * convMacs(l)) / ms / 1e6).toFixed(1)} GFLOP/s`;
		for (const part of ['fwd', 'dx', 'dW'] as const) {
			const label = { fwd: 'forward', dx: 'input gradient', dW: 'weight gradient' }[part];
			const ms = wasm[i][part];
			const t = torch?.[i]?.[part];
			rows.push({
				name: `${l.name}: ${label}, wasm`,
				value: ms,
				unit: 'ms',
				note: gflops(ms),
				...(t !== undefined
					? { ratio: t / ms, baseline: `PyTorch ${t.toFixed(2)} ms, ${gflops(t)}` }
					: {}),
			});
		}
	});
	notes.push(
		'1 thread each; medians of 9 calls after 3 warm-ups; forward with fresh weights per call (as in training); ratio = PyTorch time ÷ wasm time (wasm speed as a fraction of PyTorch)',
	);
	return { title: 'convolution layers: wasm vs PyTorch CPU, 1 thread', rows, notes };
}
