/**
 * The per-model speed probe of `auto` (src/engine/backend/modelSpeedProbe.ts): which of wasm on all cores,
 * wasm on one thread and cpu trains THIS model fastest, decided before the wasm backend initialises.
 * The decision logic on injected measurements (deterministic: no timed assertions), the runner's
 * choice from it, then real probe children on a tiny model (both backends trained, the cache file
 * written outside the workspace and reused, the runner's model and optimizer untouched), and the
 * CLI end to end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as tfTypes from '@tensorflow/tfjs';
import * as bundledTf from '@tensorflow/tfjs';
import {
	probeThreadCounts,
	resolveTf,
	speedProbeCachePath,
} from '../../src/engine/backend/backend';
import {
	fastestConfig,
	type Measurement,
	modelProbeCacheId,
	type ModelProbeSpec,
	modelProbeSpecOf,
	type ProbeChildRequest,
	type ProbeChildRun,
	probeModelSpeed,
	speedsText,
} from '../../src/engine/backend/modelSpeedProbe';
import { timeModel } from '../../src/engine/backend/modelSpeedProbeChild';
import {
	measuredWhenBusy,
	wasmThreadsInUse,
	wasmThreadsFor,
} from '../../src/engine/backend/wasmKernels/threads';
import { bits, cpuTf, linearSource, stateValues } from './helpers';

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-modelprobe-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => fs.mkdtempSync(path.join(tmp, `c${dirs++}-`));

/** The topology of a small dense classifier, as a model.json holds it. */
function denseSpec(batchSize = 8): ModelProbeSpec {
	const m = bundledTf.sequential({
		layers: [
			bundledTf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }),
			bundledTf.layers.dense({ units: 3, activation: 'softmax' }),
		],
	});
	const topology = JSON.stringify(m.toJSON(null, false));
	m.dispose();
	return { topology, batchSize, optimizer: 'adam', loss: 'categoricalCrossentropy' };
}

const ok = (stepsPerSecond: number): Measurement => ({ stepsPerSecond, steps: 9, loss: 0.5 });

/**
 * A stand-in for the probe children: steps/s per configuration ("wasm 2", "wasm 1", "cpu"), and a
 * record of what each child was asked. `threadsRan` maps asked → real threads (a failed threaded build).
 */
function fakeRun(
	speeds: Record<string, Measurement>,
	threadsRan: (asked: number) => number = (t) => t,
): { run: ProbeChildRun; asked: ProbeChildRequest[] } {
	const asked: ProbeChildRequest[] = [];
	const run: ProbeChildRun = (req) => {
		asked.push(req);
		const threads = threadsRan(req.threads);
		const results: Partial<Record<'wasm' | 'cpu', Measurement>> = {};
		for (const b of req.backends) {
			const m = speeds[b === 'cpu' ? 'cpu' : `wasm ${threads}`];
			if (m) {
				results[b] = m;
			}
		}
		return Promise.resolve({ threads, results });
	};
	return { run, asked };
}

/** The probe of the dense spec with all cores (2) vs one thread, through `run`, cache off unless given. */
function probeTwoAndOne(run: ProbeChildRun, cachePath: string | null = null) {
	return probeModelSpeed({
		spec: denseSpec(),
		base: __filename,
		threadCounts: [2, 1],
		cachePath,
		run,
	});
}

describe('per-model probe: timing one configuration', () => {
	it('stops after one 1-example step that cannot beat a configuration measured before', async () => {
		const tf = await cpuTf();
		// (Any first step counts here; by default only one of ≥ 200 ms, see the next check.)
		const sure = await timeModel(tf, denseSpec(), 50, 1e9, 0);
		assert.equal(sure.atMost, true);
		assert.equal(sure.steps, 1);
		assert.ok(sure.stepsPerSecond > 0 && Number.isFinite(sure.loss));
		assert.match(
			speedsText([{ backend: 'cpu', threads: 0, ...sure }]),
			/^cpu ≤\S+ \(one example; cannot win\)$/,
		);
		// Nothing to beat, or a short first step (its one-time overhead could hide a winner: for a
		// tiny model cpu can beat wasm): timed as before (warm-ups on 1 and 4 examples, then full batches).
		for (const timed of [
			await timeModel(tf, denseSpec(), 50),
			await timeModel(tf, denseSpec(), 50, 1e9),
		]) {
			assert.equal(timed.atMost, undefined);
			assert.ok(timed.steps > 7, `only ${timed.steps} steps`);
		}
	});
});

describe('per-model probe: weights initialised on another backend', () => {
	it('builds on `buildOn`, trains on the current backend; a backend that does not start is skipped', async () => {
		const tf = await cpuTf();
		// A second cpu backend under another name, counting the tensors created on it.
		let created = 0;
		const cpuFactory = tf.findBackendFactory('cpu')!;
		tf.registerBackend('init-spy', () => {
			const b = cpuFactory() as tfTypes.KernelBackend;
			const write = b.write.bind(b);
			b.write = (...args: Parameters<typeof write>) => {
				created++;
				return write(...args);
			};
			return b;
		});
		try {
			const m = await timeModel(tf, denseSpec(), 50, 0, undefined, 'init-spy');
			assert.ok(created > 0, 'no weight was initialised on the build backend');
			assert.equal(tf.getBackend(), 'cpu');
			assert.ok(m.stepsPerSecond > 0 && Number.isFinite(m.loss));
			const fallback = await timeModel(tf, denseSpec(), 50, 0, undefined, 'no-such-backend');
			assert.equal(tf.getBackend(), 'cpu');
			assert.ok(fallback.stepsPerSecond > 0 && Number.isFinite(fallback.loss));
		} finally {
			tf.removeBackend('init-spy');
		}
	});
});

describe('per-model probe: the decision', () => {
	const base = __filename;
	it('picks the fastest configuration that trained, asking one child per thread count', async () => {
		const cases: [Record<string, Measurement>, string][] = [
			[{ 'wasm 2': ok(5.4), 'wasm 1': ok(3.6), cpu: ok(0.004) }, 'wasm 2'],
			[{ 'wasm 2': ok(2.1), 'wasm 1': ok(3.6), cpu: ok(0.5) }, 'wasm 1'],
			[{ 'wasm 2': ok(2.1), 'wasm 1': ok(3.6), cpu: ok(40) }, 'cpu 0'],
			// wasm cannot train it (a missing kernel): cpu, however slow.
			[
				{
					'wasm 2': { stepsPerSecond: 0, steps: 0, error: "Kernel 'X' not registered" },
					cpu: ok(0.01),
				},
				'cpu 0',
			],
		];
		for (const [speeds, want] of cases) {
			const { run, asked } = fakeRun(speeds);
			const r = await probeTwoAndOne(run);
			assert.equal(r.cached, false);
			assert.equal(`${r.best?.backend} ${r.best?.threads}`, want);
			assert.deepEqual(
				asked.map((a) => [a.threads, a.backends]),
				[
					[2, ['wasm']],
					[1, ['wasm', 'cpu']],
				],
			);
			assert.deepEqual(
				r.speeds.map((s) => `${s.backend} ${s.threads}`),
				['wasm 2', 'wasm 1', 'cpu 0'],
			);
		}
	});

	it('ties keep the earlier candidate; nothing trained → no pick and no cache entry', async () => {
		assert.deepEqual(
			fastestConfig([
				{ backend: 'wasm', threads: 2, ...ok(3) },
				{ backend: 'wasm', threads: 1, ...ok(3) },
			]),
			{ backend: 'wasm', threads: 2, ...ok(3) },
		);
		const dir = freshDir();
		const { run } = fakeRun({});
		const r = await probeTwoAndOne(run, speedProbeCachePath({ cacheDir: dir }));
		assert.equal(r.best, undefined);
		assert.ok(r.speeds.every((s) => s.stepsPerSecond === 0 && s.error));
		assert.equal(fs.existsSync(speedProbeCachePath({ cacheDir: dir })), false);
	});

	it('a threaded build that ran single-threaded is one candidate, not two', async () => {
		const { run } = fakeRun({ 'wasm 1': ok(3), cpu: ok(1) }, () => 1);
		const r = await probeTwoAndOne(run);
		assert.deepEqual(
			r.speeds.map((s) => `${s.backend} ${s.threads}`),
			['wasm 1', 'cpu 0'],
		);
		assert.deepEqual(r.best, { backend: 'wasm', threads: 1 });
	});

	it('caches per machine and model: the same model is not measured again, another one is', async () => {
		const cachePath = speedProbeCachePath({ cacheDir: freshDir() });
		const { run, asked } = fakeRun({ 'wasm 2': ok(2), 'wasm 1': ok(7), cpu: ok(1) });
		const o = {
			spec: denseSpec(),
			base,
			threadCounts: [2, 1],
			cachePath,
			run,
			loadPerCore: () => 0.3,
		};
		const first = await probeModelSpeed(o);
		assert.equal(asked.length, 2);
		const cache = JSON.parse(fs.readFileSync(cachePath, 'utf8')) as Record<string, unknown>;
		assert.ok(cache[modelProbeCacheId(o)], Object.keys(cache).join(' | '));
		const second = await probeModelSpeed(o);
		assert.equal(asked.length, 2, 'a cache hit runs no child');
		assert.equal(second.cached, true);
		assert.deepEqual(second.best, first.best);
		assert.deepEqual(second.speeds, first.speeds);
		// Another batch size is another workload.
		await probeModelSpeed({ ...o, spec: denseSpec(16) });
		assert.equal(asked.length, 4);
		// Capped threads: another candidate set, one child.
		await probeModelSpeed({ ...o, threadCounts: [1] });
		assert.equal(asked.length, 5);
		assert.deepEqual(asked[4].backends, ['wasm', 'cpu']);
	});

	it('an answer measured on a busy machine is measured again once the machine is quiet', async () => {
		const cachePath = speedProbeCachePath({ cacheDir: freshDir() });
		// Busy (load 3 per core): one thread looks as fast as two, and that is cached with its load.
		const busy = fakeRun({ 'wasm 2': ok(5), 'wasm 1': ok(6), cpu: ok(1) });
		const o = { spec: denseSpec(), base, threadCounts: [2, 1], cachePath };
		const first = await probeModelSpeed({ ...o, run: busy.run, loadPerCore: () => 3 });
		assert.deepEqual(first.best, { backend: 'wasm', threads: 1 });
		// Still busy: the cached answer stands.
		const stillBusy = await probeModelSpeed({ ...o, run: busy.run, loadPerCore: () => 1.2 });
		assert.equal(stillBusy.cached, true);
		assert.equal(busy.asked.length, 2);
		// Quiet: measured again, and the new answer (two threads) replaces the busy one.
		const quiet = fakeRun({ 'wasm 2': ok(9), 'wasm 1': ok(6), cpu: ok(1) });
		const again = await probeModelSpeed({ ...o, run: quiet.run, loadPerCore: () => 0.1 });
		assert.equal(again.cached, false);
		assert.equal(quiet.asked.length, 2);
		assert.deepEqual(again.best, { backend: 'wasm', threads: 2 });
		// Measured quiet, it stands on a busy machine later.
		const later = await probeModelSpeed({ ...o, run: busy.run, loadPerCore: () => 3 });
		assert.equal(later.cached, true);
		assert.deepEqual(later.best, { backend: 'wasm', threads: 2 });
		assert.equal(measuredWhenBusy(undefined, 0), false, 'an entry without a load stands');
	});

	it('compares all cores with one thread only when the cap is 0 (all cores)', () => {
		const n = wasmThreadsFor(0);
		assert.deepEqual(probeThreadCounts(0), n > 1 ? [n, 1] : [1]);
		assert.deepEqual(probeThreadCounts(1), [1]);
		assert.deepEqual(probeThreadCounts(2), [Math.min(2, n)]);
	});

	it("reads a saved model's spec with plain fs: topology, batch size, optimizer and loss", () => {
		const saved = {
			kind: 'saved' as const,
			modelPath: 'model/model.json',
			data: { kind: 'npy' as const, xPath: 'x.npy', yPath: 'y.npy' },
		};
		const ws = path.join(root, 'examples', 'cnn-images');
		const spec = modelProbeSpecOf(saved, {}, ws);
		assert.ok(spec);
		assert.equal(spec.batchSize, 32);
		assert.equal(spec.optimizer, 'momentum');
		assert.equal(spec.loss, 'categoricalCrossentropy');
		assert.match(spec.topology, /Conv2D/);
		const over = modelProbeSpecOf(saved, { batchSize: 8, optimizer: 'SGD', loss: 'mse' }, ws);
		assert.deepEqual(
			[over?.batchSize, over?.optimizer, over?.loss],
			[8, 'sgd', 'meanSquaredError'],
		);
		assert.equal(modelProbeSpecOf({ kind: 'module', modulePath: 'x.ts' }, {}, ws), undefined);
		assert.equal(modelProbeSpecOf({ ...saved, modelPath: 'nope.json' }, {}, ws), undefined);
	});
});

describe('per-model probe: the runner uses its pick', () => {
	it('cpu wins: wasm is never initialised, and the reason says what was measured', async () => {
		const { run, asked } = fakeRun({ 'wasm 2': ok(2), 'wasm 1': ok(1.5), cpu: ok(9) });
		const dir = freshDir();
		const r = await resolveTf({
			choice: 'auto',
			cacheDir: dir,
			model: denseSpec(),
			probeRun: run,
			wasmThreads: 0,
		});
		assert.equal(r.info.name, 'cpu');
		assert.equal(r.tf.getBackend(), 'cpu');
		assert.equal(r.info.package, '@tensorflow/tfjs');
		assert.equal(asked.length, probeThreadCounts(0).length);
		assert.match(
			r.info.reason,
			/tfjs-node is not installed; cpu trains this model fastest \(speed probe on this model, batch 8: wasm .*cpu 9\.00 steps\/s; measured now, cached in .*lrscope-backend-probe\.json\)$/,
		);
		assert.equal(
			bundledTf.engine().registryFactory.wasm,
			undefined,
			'the wasm backend was not even loaded',
		);
	});

	it('a capped thread count is not probed for threads; wasm on one thread wins and runs so', async () => {
		const { run, asked } = fakeRun({ 'wasm 1': ok(12), cpu: ok(3) });
		const r = await resolveTf({
			choice: 'auto',
			cacheDir: freshDir(),
			model: denseSpec(),
			probeRun: run,
			wasmThreads: 1,
		});
		assert.deepEqual(
			asked.map((a) => [a.threads, a.backends]),
			[[1, ['wasm', 'cpu']]],
		);
		assert.equal(r.info.name, 'wasm');
		assert.equal(wasmThreadsInUse(r.tf), 1);
		assert.match(
			r.info.reason,
			/wasm on 1 thread trains this model fastest \(speed probe on this model, batch 8: wasm 1 thread 12\.0, cpu 3\.00 steps\/s; measured now, cached in .*\); with LR Scope's wasm training kernels; wasm single-threaded$/,
		);
		assert.doesNotMatch(r.info.reason, /trains fastest on this machine/, 'no per-machine probe');
		await r.tf.setBackend('cpu');
	});

	it('--backend wasm takes this model’s fastest wasm thread count, even where cpu would win', async () => {
		const { run, asked } = fakeRun({ 'wasm 2': ok(2), 'wasm 1': ok(5), cpu: ok(9) });
		const r = await resolveTf({
			choice: 'wasm',
			cacheDir: freshDir(),
			model: denseSpec(),
			probeRun: run,
			wasmThreads: 0,
		});
		assert.equal(asked.length, probeThreadCounts(0).length);
		assert.equal(r.info.name, 'wasm');
		assert.equal(wasmThreadsInUse(r.tf), 1);
		assert.match(
			r.info.reason,
			/^forced by the backend setting \(wasm\); wasm 1 thread is this model's fastest wasm \(speed probe on this model, batch 8: .*wasm 1 thread 5\.00, cpu 9\.00 steps\/s; measured now/,
		);
		await r.tf.setBackend('cpu');
	});

	it('a model no candidate trains falls back to the per-machine probe, saying so', async () => {
		const { run } = fakeRun({});
		const r = await resolveTf({
			choice: 'auto',
			cacheDir: freshDir(),
			model: denseSpec(),
			probeRun: run,
			wasmThreads: 1,
			probeBudgetMs: 20,
		});
		assert.match(
			r.info.reason,
			/the per-model speed probe trained on no backend \(.*\); (wasm|cpu) trains fastest on this machine \(speed probe: /,
		);
		await r.tf.setBackend('cpu');
	});
});

describe('per-model probe: real children', () => {
	it('trains the model on wasm and cpu in child processes, caches outside the workspace, leaves the runner’s model alone', async () => {
		const tf = await cpuTf();
		// A model in the runner with optimizer state (Adam slots after one step).
		const src = linearSource(tf, { optimizer: 'adam' });
		try {
			await src.model.trainOnBatch(src.x, src.y);
			const before = bits(await stateValues(tf, src.model));
			const tensors = tf.memory().numTensors;
			const spec: ModelProbeSpec = {
				topology: JSON.stringify(src.model.toJSON(null, false)),
				batchSize: src.batchSize,
				optimizer: 'adam',
				loss: 'meanSquaredError',
			};
			const dir = freshDir();
			const cachePath = speedProbeCachePath({ cacheDir: dir });
			const o = {
				spec,
				base: path.join(root, 'package.json'),
				threadCounts: probeThreadCounts(0),
				cachePath,
				budgetMs: 60,
			};
			const first = await probeModelSpeed(o);
			assert.equal(first.cached, false);
			for (const s of first.speeds) {
				assert.equal(s.error, undefined, `${s.backend} ${s.threads}: ${s.error}`);
				assert.ok(s.stepsPerSecond > 0);
				// Six short steps (1 and a few examples) always; then full batches, unless the predicted
				// full batch does not fit the budget (a loaded machine): then the prediction is the answer.
				assert.ok(s.steps >= (s.estimated ? 6 : 7), `${s.backend} trained ${s.steps} steps`);
				assert.ok(Number.isFinite(s.loss));
			}
			assert.deepEqual(
				first.speeds.map((s) => s.backend),
				[...probeThreadCounts(0).map(() => 'wasm'), 'cpu'],
			);
			assert.deepEqual(first.best, {
				backend: fastestConfig(first.speeds)?.backend,
				threads: fastestConfig(first.speeds)?.threads,
			});
			// The cache lives where it was told (outside the workspace) and answers the next run.
			assert.ok(!path.relative(root, cachePath).match(/^[^.]/), 'not inside the repository');
			assert.ok(fs.existsSync(cachePath));
			const second = await probeModelSpeed(o);
			assert.equal(second.cached, true);
			assert.deepEqual(second.best, first.best);
			// The probe ran elsewhere: this process's model, optimizer and tensors are bit-identical.
			assert.deepEqual(bits(await stateValues(tf, src.model)), before);
			assert.equal(tf.memory().numTensors, tensors);
		} finally {
			src.dispose();
			src.model.dispose();
		}
	});

	it('the CLI on a saved model under auto: per-model probe on the first run, cache on the second', () => {
		const cacheDir = freshDir();
		const run = (): string => {
			const r = spawnSync(
				process.execPath,
				[
					path.join(root, 'bin', 'lrscope.js'),
					'range-test',
					'--model',
					path.join(root, 'examples', 'cnn-images', 'model', 'model.json'),
					'--data',
					['x.npy', 'y.npy'].map((f) => path.join(root, 'examples', 'cnn-images', f)).join(','),
					'--steps',
					'8',
					'--repeat',
					'1',
					'--json',
				],
				{
					encoding: 'utf8',
					timeout: 180000,
					cwd: tmp,
					env: { ...process.env, LRSCOPE_CACHE_DIR: cacheDir, LRSCOPE_WASM_THREADS: '' },
				},
			);
			assert.equal(r.status, 0, r.stderr);
			const reason = (JSON.parse(r.stdout) as { backend: { reason: string } }).backend.reason;
			return reason;
		};
		const first = run();
		assert.match(
			first,
			/(wasm on \d+ threads?|cpu) trains this model fastest \(speed probe on this model, batch 32: wasm .*; measured now, cached in /,
		);
		assert.match(
			run(),
			/trains this model fastest \(speed probe on this model, batch 32: .*; cached in /,
		);
	});
});
