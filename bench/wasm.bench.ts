/**
 * Range-test speed on the bundled wasm backend (LR Scope's kernels, 1 thread and all threads) vs the
 * cpu backend and vs PyTorch CPU (1 thread and all threads), on the range-test benchmark models of
 * src/engine/backend/wasmKernels/benchModels.ts (RANGE_BENCH_MODELS: small CNN, MNIST-style CNN, CIFAR-style
 * CNN with batch norm, MLP) and their PyTorch twins (bench/torch_cnn.py).
 *
 * Each configuration runs in its own process (bench/wasmRangeChild.ts; the wasm thread count is
 * fixed when the backend initialises), timing `runRangeTest` for ~`seconds` per model after a
 * warm-up. The configurations are run in `rounds` interleaved rounds (order rotated each round) so
 * that load from other processes on a shared machine hits them alike; each cell is the median over
 * rounds. cpu is timed once, for a few steps (its big CNNs take seconds per step).
 *
 * Env: LRSCOPE_BENCH_ROUNDS (default 3), LRSCOPE_BENCH_SECONDS (per model and run, default 1.5),
 * LRSCOPE_BENCH_TORCH=0 skips PyTorch, LRSCOPE_BENCH_CPU=0 skips the cpu backend.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';
import { RANGE_BENCH_MODELS } from '../src/engine/backend/wasmKernels/benchModels';
import { wasmThreadsFor } from '../src/engine/backend/wasmKernels/threads';

interface ChildOut {
	threads: number;
	torch?: string;
	rates: Record<string, number>;
	cpuRates: Record<string, number>;
	profile?: Record<string, Record<string, number>>;
}

type Config = 'wasm1' | 'wasmN' | 'torch1' | 'torchN';

const root = path.join(__dirname, '..');
const keys = RANGE_BENCH_MODELS.map((m) => m.key);
/**
 * Timed steps on the cpu backend (range tests after a 2-step warm-up). The big CNNs take minutes per
 * step there (one 64-image step of the MNIST-style CNN: > 3 min on the shared machine), so they get
 * ONE timed `trainOnBatch` step, no warm-up (0 in this table).
 */
const cpuSteps: Record<string, number> = { small: 4, mnist: 0, cifar: 0, mlp: 8 };

function lastJson(stdout: string): ChildOut {
	return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildOut;
}

function runWasm(
	backend: 'wasm' | 'cpu',
	threads: number,
	seconds: number,
	extra: Record<string, unknown> = {},
): ChildOut {
	const cfg = { backend, threads, models: keys, seconds, ...extra };
	const r = spawnSync(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'wasmRangeChild.ts'), JSON.stringify(cfg)],
		{ cwd: root, encoding: 'utf8', timeout: backend === 'cpu' ? 600_000 : 900_000 },
	);
	if (r.status !== 0) {
		throw new Error(
			`${backend} ×${threads} run failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' / ')}`,
		);
	}
	return lastJson(r.stdout);
}

function runTorch(threads: number, seconds: number): ChildOut {
	const r = spawnSync(
		'/usr/bin/python3',
		[
			path.join(__dirname, 'torch_cnn.py'),
			'--threads',
			String(threads),
			'--seconds',
			String(seconds),
		],
		{ encoding: 'utf8', timeout: 600_000 },
	);
	if (r.status !== 0) {
		throw new Error(
			`PyTorch run failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
		);
	}
	return lastJson(r.stdout);
}

const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length === 0 ? NaN : s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** The wasm section of `npm run bench`. */
export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [];
	const rounds = Number(process.env.LRSCOPE_BENCH_ROUNDS ?? 3);
	const seconds = Number(process.env.LRSCOPE_BENCH_SECONDS ?? 1.5);
	const withTorch = process.env.LRSCOPE_BENCH_TORCH !== '0';
	const withCpu = process.env.LRSCOPE_BENCH_CPU !== '0';
	const n = wasmThreadsFor();
	const load0 = os.loadavg()[0];
	const configs: Config[] = [
		'wasm1',
		'wasmN',
		...(withTorch ? (['torch1', 'torchN'] as const) : []),
	];
	const got: Record<Config, ChildOut[]> = { wasm1: [], wasmN: [], torch1: [], torchN: [] };
	let torchVersion = '';
	let profile: ChildOut['profile'];
	for (let r = 0; r < rounds; r++) {
		for (let k = 0; k < configs.length; k++) {
			const c = configs[(k + r) % configs.length];
			process.stderr.write(`  wasm bench: round ${r + 1}/${rounds} ${c}\n`);
			try {
				if (c === 'wasm1' || c === 'wasmN') {
					const out = runWasm('wasm', c === 'wasm1' ? 1 : n, seconds, {
						profile: c === 'wasm1' && r === 0,
					});
					profile ??= out.profile;
					got[c].push(out);
				} else {
					const out = runTorch(c === 'torch1' ? 1 : n, seconds);
					torchVersion = out.torch ?? '';
					got[c].push(out);
				}
			} catch (e) {
				notes.push(e instanceof Error ? e.message : String(e));
				if (c.startsWith('torch')) {
					configs.splice(configs.indexOf('torch1'), 2);
					k = configs.length;
				}
			}
		}
	}
	let cpu: ChildOut | undefined;
	if (withCpu) {
		cpu = { threads: 1, rates: {}, cpuRates: {} };
		for (const key of keys) {
			process.stderr.write(`  wasm bench: cpu backend, ${key} (${cpuSteps[key] || 1} step(s))\n`);
			try {
				const out = runWasm('cpu', 1, seconds, {
					models: [key],
					steps: { [key]: cpuSteps[key] },
					singleStep: cpuSteps[key] === 0,
				});
				cpu.rates[key] = out.rates[key];
				cpu.cpuRates[key] = out.cpuRates[key];
			} catch (e) {
				notes.push(`cpu ${key}: ${e instanceof Error ? e.message : String(e)}`);
			}
		}
	}
	const load1 = os.loadavg()[0];
	const med = (c: Config, key: string, cpuTime = false): number =>
		median(got[c].map((o) => (cpuTime ? o.cpuRates : o.rates)[key]).filter(Number.isFinite));
	/** Median over rounds of the per-round ratio a/b (both measured in the same round). */
	const ratio = (a: Config, b: Config, key: string, cpuTime = false): number =>
		median(
			got[a]
				.map((o, i) => {
					const p = got[b][i];
					return p
						? (cpuTime ? o.cpuRates : o.rates)[key] / (cpuTime ? p.cpuRates : p.rates)[key]
						: NaN;
				})
				.filter(Number.isFinite),
		);
	const nThreadsSeen = got.wasmN[0]?.threads ?? n;
	for (const spec of RANGE_BENCH_MODELS) {
		const k = spec.key;
		const w1 = med('wasm1', k);
		const wN = med('wasmN', k);
		rows.push({ name: `${k}: wasm 1 thread`, value: w1, unit: 'steps/s', note: spec.title });
		rows.push({
			name: `${k}: wasm ${nThreadsSeen} threads`,
			value: wN,
			unit: 'steps/s',
			ratio: ratio('wasmN', 'wasm1', k),
			baseline: 'wasm 1 thread',
		});
		if (cpu?.rates[k] !== undefined) {
			rows.push({
				name: `${k}: cpu backend (${cpuSteps[k] ? `${cpuSteps[k]}-step range test` : '1 trainOnBatch'})`,
				value: cpu.rates[k],
				unit: 'steps/s',
				note: `wasm 1 thread = ${(w1 / cpu.rates[k]).toFixed(1)}× cpu`,
			});
		}
		if (got.torch1.length > 0) {
			const t1 = med('torch1', k);
			const tN = med('torchN', k);
			rows.push({ name: `${k}: PyTorch 1 thread`, value: t1, unit: 'steps/s' });
			rows.push({ name: `${k}: PyTorch ${n} threads`, value: tN, unit: 'steps/s' });
			rows.push({
				name: `${k}: wasm ÷ PyTorch, 1 thread`,
				value: ratio('wasm1', 'torch1', k),
				unit: '×',
				note: `per CPU-second: ${ratio('wasm1', 'torch1', k, true).toFixed(3)}×`,
			});
			rows.push({
				name: `${k}: wasm ÷ PyTorch, ${n} threads`,
				value: ratio('wasmN', 'torchN', k),
				unit: '×',
			});
		}
	}
	notes.push(
		`wall-clock steps/s of runRangeTest (SGD, LR 1e-5→1e-2), median of ${rounds} interleaved rounds; ratios are medians of per-round ratios`,
	);
	notes.push(
		`threads: os.availableParallelism() = ${n}; wasm threaded SIMD build started in Node by src/engine/backend/wasmKernels/threads.ts`,
	);
	if (torchVersion) {
		notes.push(`PyTorch ${torchVersion} CPU (bench/torch_cnn.py, same models, LR-finder loop)`);
	}
	notes.push(
		`load average (1 min) ${load0.toFixed(1)} at start, ${load1.toFixed(1)} at end, on ${os.cpus().length} cores`,
	);
	if (profile) {
		for (const [k, p] of Object.entries(profile)) {
			const top = Object.entries(p)
				.filter(([name]) => !name.startsWith('('))
				.sort((a, b) => b[1] - a[1])
				.slice(0, 8)
				.map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
				.join(', ');
			const wall = p['(wall per step incl. profiler)'] ?? NaN;
			const js = p['(JS dispatch + profiler = wall − kernels)'] ?? NaN;
			notes.push(
				`profile ${k} (wasm 1 thread, ms/step, tf.profile): wall ${wall.toFixed(1)}; ${top}; JS dispatch ${js.toFixed(1)}`,
			);
		}
	}
	return { title: 'range tests on wasm (1 and all threads) vs cpu and PyTorch CPU', rows, notes };
}
