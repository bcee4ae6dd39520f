/**
 * The threaded wasm build with LR Scope's kernels split across the main thread and the helper
 * thread (src/engine/backend/wasmKernels/heapPool.ts): every split kernel matches the cpu backend, and a
 * small CNN trains to the same losses as on cpu. Runs in a child process (bench/… style): the wasm
 * thread count is fixed once per process, and the other engine tests use one thread.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

interface ChildOut {
	threads: number;
	diffs: Record<string, number>;
	split: Record<string, boolean>;
	wasmLosses: number[];
	cpuLosses: number[];
}

describe('wasm with 2 threads: kernels shared with the helper thread', () => {
	let out: ChildOut | undefined;
	const child = (): ChildOut => {
		if (!out) {
			const r = spawnSync(
				process.execPath,
				['--import', 'tsx', path.join(__dirname, 'wasmThreadsChild.ts')],
				{ cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', timeout: 300_000 },
			);
			assert.equal(r.status, 0, `child failed: ${r.stderr}`);
			out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ChildOut;
		}
		return out;
	};

	it('runs the threaded build on 2 threads', () => {
		assert.equal(child().threads, 2);
	});

	it('splits each big kernel call with the helper thread, and each matches cpu', () => {
		const { diffs, split } = child();
		assert.equal(Object.keys(diffs).length, 7);
		for (const [what, d] of Object.entries(diffs)) {
			assert.ok(split[what], `${what}: was not split with the helper thread`);
			assert.ok(d <= 1e-5, `${what}: differs from cpu by ${d} (relative to its largest value)`);
		}
	});

	it('trains a small CNN to the losses cpu gives', () => {
		const { wasmLosses, cpuLosses } = child();
		assert.equal(wasmLosses.length, 4);
		assert.ok(wasmLosses[3] < wasmLosses[0], `loss did not fall: ${wasmLosses}`);
		wasmLosses.forEach((l, i) => {
			assert.ok(
				Math.abs(l - cpuLosses[i]) <= 1e-3 * Math.abs(cpuLosses[i]),
				`step ${i}: wasm ${l}, cpu ${cpuLosses[i]}`,
			);
		});
	});
});
