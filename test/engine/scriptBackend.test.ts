/**
 * Script runs on the right backend, reproducibly:
 * - a script on LR Scope's own tfjs (lent, linked, or the tfjs-node stand-in) gets the same `auto`
 *   choice a saved model gets (wasm with LR Scope's training kernels, or cpu, by the speed probe);
 * - `--backend wasm|cpu|tfjs-node` is honoured (or refused in one line), and the result says why;
 * - `--seed` seeds the script's own initialisers: same seed → identical curve, other seed → not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ScriptRequest } from '../../src/engine/script/scriptRunner';
import type { BackendChoice, FromRunnerMessage } from '../../src/shared/runnerProtocol';
import { earlyThreads } from '../../src/engine/script/fitHook/earlyWasm';
import { wasmThreadsFor } from '../../src/engine/backend/wasmKernels/threads';
import { run, scriptsDir } from './scriptHelpers';

function req(
	script: string,
	backend: BackendChoice,
	options: { steps: number; seed?: number } = { steps: 10 },
): ScriptRequest {
	return {
		type: 'rangeTest',
		id: `rt-${script}-${backend}`,
		source: { kind: 'script', scriptPath: path.join(scriptsDir, script), args: [] },
		options,
		backend,
	};
}

async function result(r: ScriptRequest) {
	const { final } = await run(r);
	assert.equal(final.type, 'result', JSON.stringify(final).slice(0, 600));
	return (final as Extract<FromRunnerMessage, { type: 'result' }>).result;
}

describe('script runs: backend', () => {
	it('an aliased script starts wasm before it runs: one thread on up to 2 cores, else all (capped)', () => {
		assert.equal(earlyThreads(0, 1), 1);
		assert.equal(earlyThreads(0, 2), 1);
		assert.equal(earlyThreads(0, 8), wasmThreadsFor(0));
		assert.equal(earlyThreads(3, 8), wasmThreadsFor(3));
	});

	it('tfjs-node stand-in, CNN (mnist-node shape): auto takes the per-model speed probe’s pick, threads included, wasm with LR Scope’s kernels', async () => {
		const res = await result(req('mnistNode/main.js', 'auto'));
		const reason = res.backend.reason;
		assert.match(reason, /@tensorflow\/tfjs-node could not be loaded here/);
		// The script's own model, timed in probe children as a saved model is: wasm on all cores,
		// wasm on one thread (when there is more than one core) and cpu; wasm then starts on the pick.
		const cores = Math.min(8, os.availableParallelism());
		const m =
			/(wasm on (\d+) threads?|cpu) trains this model fastest \(speed probe on this model, batch 32: (wasm \d+ threads?[^,]*, )+cpu/.exec(
				reason,
			);
		assert.ok(m, reason);
		assert.ok(reason.includes(`wasm ${cores} thread${cores === 1 ? '' : 's'} `), reason);
		assert.equal(res.backend.name, m[1] === 'cpu' ? 'cpu' : 'wasm');
		if (m[1] !== 'cpu') {
			assert.match(reason, /with LR Scope's wasm training kernels/);
			const threads = Number(m[2]);
			// What really initialised: the threaded build on the picked count, or the plain build for one.
			assert.match(
				reason,
				threads > 1 ? new RegExp(`; wasm on ${threads} threads`) : /; wasm single-threaded/,
			);
		}
		assert.equal(res.losses.length, 10);
		assert.ok(res.losses.slice(0, 3).every((l) => Number.isFinite(l)));
	});

	it('--wasm-threads 1 caps a script’s wasm to the single-threaded build (no thread probe)', async () => {
		const res = await result({ ...req('mnistNode/main.js', 'wasm'), wasmThreads: 1 });
		assert.equal(res.backend.name, 'wasm');
		assert.match(res.backend.reason, /batch 32: wasm 1 thread [\d.]+, cpu/);
		assert.doesNotMatch(res.backend.reason, /wasm \d+ threads/);
		assert.match(res.backend.reason, /; wasm single-threaded/);
		assert.ok(res.losses.slice(0, 3).every((l) => Number.isFinite(l)));
	});

	it('--backend wasm is honoured for the stand-in CNN (conv/pool gradients from LR Scope’s kernels)', async () => {
		const res = await result(req('mnistNode/main.js', 'wasm'));
		assert.equal(res.backend.name, 'wasm');
		// Forced wasm still takes this model's fastest thread count (the probe compares only wasm).
		assert.match(
			res.backend.reason,
			/forced by --backend wasm; wasm on \d+ threads? is this model's fastest wasm \(speed probe on this model, batch 32: .*; with LR Scope's wasm training kernels/,
		);
		assert.ok(res.losses.slice(0, 3).every((l) => Number.isFinite(l)));
	});

	it('a script on plain @tensorflow/tfjs: --backend cpu and wasm honoured, auto probes; tfjs-node refused in one line', async () => {
		const cpu = await result(req('healthy.js', 'cpu'));
		assert.equal(cpu.backend.name, 'cpu');
		assert.match(cpu.backend.reason, /forced by --backend cpu/);
		const wasm = await result(req('healthy.js', 'wasm'));
		assert.equal(wasm.backend.name, 'wasm');
		const auto = await result(req('healthy.js', 'auto'));
		// The winner may be wasm on a thread count ("wasm on 1 thread trains this model fastest").
		assert.match(
			auto.backend.reason,
			new RegExp(`${auto.backend.name}( on \\d+ threads?)? trains (this model )?fastest`),
		);

		const { final } = await run(req('healthy.js', 'tfjs-node'));
		assert.equal(final.type, 'error');
		const e = final as Extract<FromRunnerMessage, { type: 'error' }>;
		assert.equal(e.code, 'badInput');
		assert.match(
			e.message,
			/^--backend tfjs-node: @tensorflow\/tfjs-node is not loaded in the script/,
		);
		assert.ok(!e.message.includes('\n'));
	});
});

describe('script runs: monitor', () => {
	it('monitoring the stand-in CNN trains on the same auto choice (started says which and why)', async () => {
		const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-mnist-'));
		try {
			const r = await run({
				type: 'monitor',
				id: 'mon-mnist',
				source: {
					kind: 'script',
					scriptPath: path.join(scriptsDir, 'mnistNode', 'main.js'),
					args: [],
					cwd,
				},
				options: {},
				backend: 'auto',
			});
			const started = r.messages.find((m) => m.type === 'started') as
				Extract<FromRunnerMessage, { type: 'started' }> | undefined;
			assert.ok(started, 'no started message');
			const m = /(wasm|cpu) trains fastest on this machine/.exec(started.backend.reason);
			assert.ok(m, started.backend.reason);
			assert.equal(started.backend.name, m[1]);
			assert.equal(r.final.type, 'monitorEnd', JSON.stringify(r.final).slice(0, 400));
			assert.ok(r.messages.some((x) => x.type === 'trainLog'));
			// The script's own model.save('file://./model-out') went to its cwd, not the fixture.
			assert.ok(fs.existsSync(path.join(cwd, 'model-out', 'model.json')));
		} finally {
			fs.rmSync(cwd, { recursive: true, force: true });
		}
	});
});

describe('script runs: --seed', () => {
	// babelProject's model uses tfjs's default, unseeded initialisers (glorotUniform).
	const curve = async (seed: number) =>
		(await result(req('babelProject/train.js', 'cpu', { steps: 15, seed }))).losses;

	it('same seed → identical curve; another seed → a different one', async () => {
		const a = await curve(7);
		const b = await curve(7);
		const c = await curve(8);
		assert.deepEqual(a, b);
		assert.notDeepEqual(a, c);
	});
});
