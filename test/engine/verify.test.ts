/** Verified headline on real tiny models (cpu): probes, winner, same start, restore, cancel. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Headline } from '../../src/core/types';
import type { SuggestionReport } from '../../src/core/types';
import { centredCandidates } from '../../src/core/verify';
import { defaultPickRule, defaultPickTolerance, pickScore } from '../../src/core/verifyPick';
import type { Tf } from '../../src/engine/sources/sourceTypes';
import { runProbes } from '../../src/engine/training/probes';
import { verifyHeadline } from '../../src/engine/training/verify';
import { bits, classifierSource, cpuTf, linearSource, stateValues } from './helpers';

let tf: Tf;
before(async () => {
	tf = await cpuTf();
});

const headlineAt = (lr: number): Headline => ({
	lr,
	rule: 'valleyMinimum',
	verdict: 'clear',
	spreadDecades: 0.3,
	repeats: 1,
});
const report = {} as SuggestionReport;

describe('verifyHeadline', () => {
	it('off, no LR or a dataset: undefined without training', async () => {
		const src = linearSource(tf);
		try {
			const state = bits(await stateValues(tf, src.model));
			const h = headlineAt(0.01);
			assert.equal(await verifyHeadline(tf, src, h, report, { mode: 'off', seed: 1 }), undefined);
			const none = { ...h, lr: null, verdict: 'noAnswer' as const };
			assert.equal(await verifyHeadline(tf, src, none, report, { mode: 'on', seed: 1 }), undefined);
			const logs: string[] = [];
			const ds = { ...src, dataset: tf.data.array([{ xs: 1, ys: 1 }]) };
			const r = await verifyHeadline(
				tf,
				ds,
				h,
				report,
				{ mode: 'on', seed: 1 },
				{ onLog: (m) => logs.push(m) },
			);
			assert.equal(r, undefined);
			assert.match(logs.join('\n'), /dataset/);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
		} finally {
			src.dispose();
		}
	});

	it('a tf.data dataset is read into tensors: the same probes as on its tensors', async () => {
		const src = linearSource(tf, { batchSize: 32 });
		try {
			const [x, y] = [src.x, src.y] as tfTypes.Tensor[];
			const rows = [x.unstack(), y.unstack()];
			const xs = tf.data.array(rows[0]);
			const ys = tf.data.array(rows[1]);
			const dataset = tf.data
				.zip({ xs, ys })
				.batch(32) as unknown as tfTypes.data.Dataset<tfTypes.TensorContainer>;
			const state = bits(await stateValues(tf, src.model));
			const n = tf.memory().numTensors;
			const o = { mode: 'on' as const, seed: 4, planSteps: 60, stepsFrom: 'plan' as const };
			const logs: string[] = [];
			const fromDataset = await verifyHeadline(
				tf,
				{ ...src, dataset, batchSize: 7 },
				headlineAt(0.01),
				report,
				o,
				{ onLog: (m) => logs.push(m) },
			);
			const fromTensors = await verifyHeadline(tf, src, headlineAt(0.01), report, o);
			assert.ok(fromDataset && fromTensors);
			assert.deepEqual(fromDataset, fromTensors);
			assert.deepEqual(logs, [
				'verify: the probes train on the tf.data dataset read into memory (256 examples)',
			]);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
			assert.equal(tf.memory().numTensors, n);
			tf.dispose(rows.flat());
		} finally {
			src.dispose();
		}
	});

	it('an LR far past the stability bound loses to the curve LR; weights and SGD state restored', async () => {
		const src = linearSource(tf);
		try {
			const bound = 2 / src.lambdaMax;
			const state = bits(await stateValues(tf, src.model));
			const n = tf.memory().numTensors;
			const steps: number[] = [];
			// Headline 3× past the bound: the candidates above it blow up, one below it wins.
			const curveLr = bound * 3;
			const v = await verifyHeadline(
				tf,
				src,
				headlineAt(curveLr),
				report,
				{ mode: 'on', seed: 3, planSteps: 120, stepsFrom: 'plan' },
				{ onProgress: (p) => steps.push(p.step) },
			);
			assert.ok(v);
			assert.equal(v.curveLr, curveLr);
			assert.equal(v.heldOut, 'slice');
			assert.equal(v.stepsFrom, 'plan');
			assert.equal(v.heldOutExamples, Math.round(256 * 0.2));
			assert.ok(v.lr < bound, `winner ${v.lr} ≥ bound ${bound}`);
			const winner0 = v.candidates.find((c) => c.lr === v.lr)!;
			const top = v.candidates[v.candidates.length - 1];
			assert.ok(top.lr > bound * 3);
			assert.ok(top.heldOutLoss === null || top.heldOutLoss > 1e3 * winner0.heldOutLoss!);
			assert.ok(v.candidates.every((c, i) => i === 0 || c.lr > v.candidates[i - 1].lr));
			const winner = v.candidates.find((c) => c.lr === v.lr)!;
			assert.equal(winner.steps, v.steps);
			const finalists = v.candidates.filter((c) => c.steps === v.steps && c.heldOutLoss !== null);
			// Every finalist was scored half-way too, and the pick compared the projected scores.
			assert.ok(finalists.every((c) => typeof c.halfwayLoss === 'number'));
			assert.equal(v.projectedTo, 120);
			const scores = finalists.map((c) => pickScore(c, defaultPickRule, 120)!);
			assert.deepEqual(
				finalists.map((c) => c.score),
				scores,
			);
			assert.ok(winner.score! <= Math.min(...scores) * (1 + defaultPickTolerance));
			assert.equal(
				v.totalSteps,
				v.candidates.reduce((s, c) => s + c.steps, 0),
			);
			// Range test (100) + probes within a third of a 9 × 120-step grid.
			assert.ok(100 + v.totalSteps <= (9 * 120) / 3, `total ${v.totalSteps}`);
			assert.equal(steps[steps.length - 1], v.totalSteps);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
			assert.equal(tf.memory().numTensors, n);
		} finally {
			src.dispose();
		}
	});

	it('uses the validation data when given; Adam slots and dropout model restored bit for bit', async () => {
		const src = classifierSource(tf, { validation: true });
		try {
			// Train a little first so the optimizer has slots and a step count to restore.
			await src.model.trainOnBatch(
				(src.x as tfTypes.Tensor).slice(0, 16),
				(src.y as tfTypes.Tensor).slice(0, 16),
			);
			const state = bits(await stateValues(tf, src.model));
			const v = await verifyHeadline(tf, src, headlineAt(1e-2), report, { mode: 'auto', seed: 1 });
			assert.ok(v);
			assert.equal(v.heldOut, 'validation');
			assert.equal(v.heldOutExamples, 60);
			assert.equal(v.stepsFrom, 'default');
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
		} finally {
			src.dispose();
		}
	});

	it("a fallback far below the curve's minimum: the candidates are centred on the minimum", async () => {
		const src = linearSource(tf);
		try {
			const h = { ...headlineAt(1e-7), rule: 'stable', verdict: 'noClearValley' } as Headline;
			const withMin = { suggestions: { minimum: { lr: 0.01 } } } as unknown as SuggestionReport;
			const o = { mode: 'on' as const, seed: 1, planSteps: 120, stepsFrom: 'plan' as const };
			const v = await verifyHeadline(tf, src, h, withMin, o);
			assert.ok(v);
			assert.equal(v.curveLr, 1e-7);
			const lrs = v.candidates.map((c) => c.lr);
			assert.deepEqual(
				lrs,
				centredCandidates({ lr: 0.01, origin: 'minimum' }).map((c) => c.lr),
			);
			assert.equal(v.candidates.find((c) => c.lr === 0.01)?.origin, 'minimum');
			assert.ok(v.lr >= Math.pow(10, -3.5), `winner ${v.lr} from the minimum's window`);
			// Without a minimum in the report: around the curve's LR, as before.
			const plain = await verifyHeadline(tf, src, h, report, o);
			assert.ok(plain?.candidates.some((c) => c.lr === 1e-7 && c.origin === 'curve'));
		} finally {
			src.dispose();
		}
	});

	it('a plan too short for the budget: auto skips with a note, on probes anyway', async () => {
		const src = linearSource(tf);
		try {
			const logs: string[] = [];
			const o = { seed: 1, planSteps: 20, rangeTestSteps: 100 };
			const h = headlineAt(0.01);
			const auto = await verifyHeadline(
				tf,
				src,
				h,
				report,
				{ ...o, mode: 'auto' },
				{
					onLog: (m) => logs.push(m),
				},
			);
			assert.equal(auto, undefined);
			assert.match(logs.join('\n'), /20-step plan/);
			const on = await verifyHeadline(tf, src, h, report, { ...o, mode: 'on' });
			assert.ok(on);
			assert.equal(on.stepsFrom, 'option');
			// The shortest schedule whose first round is at least minProbeSteps: every candidate 10
			// steps (half the plan), the best 3 on to the plan's 20.
			assert.equal(on.steps, 20);
			const n = on.candidates.length;
			assert.ok(n > 3);
			assert.equal(on.totalSteps, 10 * n + 10 * 3);
			assert.deepEqual(
				on.candidates.map((c) => c.steps).sort((a, b) => a - b),
				[...Array(n - 3).fill(10), 20, 20, 20],
			);
		} finally {
			src.dispose();
		}
	});

	it('cancel stops the probes and restores the state', async () => {
		const src = linearSource(tf, { optimizer: 'adam' });
		try {
			const state = bits(await stateValues(tf, src.model));
			let calls = 0;
			const v = await verifyHeadline(
				tf,
				src,
				headlineAt(0.01),
				report,
				{ mode: 'on', seed: 1, planSteps: 200 },
				{ isCancelled: () => ++calls > 30 },
			);
			assert.equal(v, undefined);
			assert.equal(calls, 31);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
		} finally {
			src.dispose();
		}
	});
});

describe('runProbes', () => {
	it('a probe’s losses do not depend on the other candidates or on where rounds end', async () => {
		const src = classifierSource(tf);
		try {
			const [x, valX] = [src.x, src.x] as tfTypes.Tensor[];
			const data = { x, y: src.y, valX, valY: src.y };
			const o = { seed: 5, batchSize: 16 };
			const all = await runProbes(
				tf,
				src.model,
				data,
				[1e-3, 1e-2],
				[
					{ end: 10, keep: 2 },
					{ end: 30, keep: 2 },
				],
				o,
			);
			const alone = await runProbes(tf, src.model, data, [1e-2], [{ end: 30, keep: 1 }], o);
			assert.ok(all && alone);
			assert.equal(alone[0].losses[0], all[1].losses[1]);
			assert.notEqual(all[0].losses[1], all[1].losses[1]);
			// keep 1: the worse candidate stops after the first round.
			const halved = await runProbes(
				tf,
				src.model,
				data,
				[1e-4, 1e-2],
				[
					{ end: 10, keep: 1 },
					{ end: 30, keep: 1 },
				],
				o,
			);
			assert.ok(halved);
			assert.deepEqual(
				halved.map((p) => p.steps),
				[10, 30],
			);
			assert.equal(halved[1].losses[1], all[1].losses[1]);
		} finally {
			src.dispose();
		}
	});

	it('climbs above the top candidate while it leads and the budget has room', async () => {
		const src = linearSource(tf);
		try {
			const data = { x: src.x, y: src.y, valX: src.x, valY: src.y };
			const o = { seed: 2, batchSize: 32 };
			// Far below the stability bound every higher LR learns faster: the top leads after round 1.
			const k = Math.floor(Math.log10(2 / src.lambdaMax)) - 3;
			const lrs = [Math.pow(10, k), Math.pow(10, k + 0.5)];
			const rounds = [
				{ end: 10, keep: 2 },
				{ end: 20, keep: 2 },
			];
			// Scheduled: 2 × 10 + 2 × 10 = 40 steps; room for two climbs of 10 steps each.
			const climbed = await runProbes(tf, src.model, data, lrs, rounds, {
				...o,
				climb: { times: 2, budget: 60 },
			});
			assert.ok(climbed);
			assert.deepEqual(
				climbed.map((p) => p.lr),
				[...lrs, Math.pow(10, k + 1), Math.pow(10, k + 1.5)],
			);
			// The climbed ones lead, so they are the finalists; the first two stop after round 1.
			assert.deepEqual(
				climbed.map((p) => p.steps),
				[10, 10, 20, 20],
			);
			// A climbed probe starts from the same state and batch order as any other.
			const alone = await runProbes(tf, src.model, data, [climbed[3].lr], rounds, o);
			assert.ok(alone);
			assert.equal(alone[0].losses[1], climbed[3].losses[1]);
			// No room: no climb.
			const tight = await runProbes(tf, src.model, data, lrs, rounds, {
				...o,
				climb: { times: 2, budget: 49 },
			});
			assert.equal(tight?.length, 2);
		} finally {
			src.dispose();
		}
	});

	it('scores the held-out loss half-way without changing the probe', async () => {
		const src = classifierSource(tf);
		try {
			const [x, valX] = [src.x, src.x] as tfTypes.Tensor[];
			const data = { x, y: src.y, valX, valY: src.y };
			const o = { seed: 5, batchSize: 16 };
			const lrs = [1e-3, 1e-2];
			const plain = await runProbes(tf, src.model, data, lrs, [{ end: 30, keep: 2 }], o);
			const split = await runProbes(
				tf,
				src.model,
				data,
				lrs,
				[
					{ end: 15, keep: 2 },
					{ end: 30, keep: 2 },
				],
				o,
			);
			const mid = await runProbes(tf, src.model, data, lrs, [{ end: 30, keep: 2 }], {
				...o,
				halfway: 15,
			});
			assert.ok(plain && split && mid);
			assert.equal(plain[0].halfwayLoss, undefined);
			for (const i of [0, 1]) {
				// Scoring on the way leaves the last loss as it was, and equals a round ending there.
				assert.equal(mid[i].losses.length, 1);
				assert.equal(mid[i].losses[0], plain[i].losses[0]);
				assert.equal(mid[i].halfwayLoss, split[i].losses[0]);
				assert.notEqual(mid[i].halfwayLoss, mid[i].losses[0]);
			}
			// At a round's end the round's own score is the halfway one.
			const atEnd = await runProbes(tf, src.model, data, lrs, [{ end: 15, keep: 2 }], {
				...o,
				halfway: 15,
			});
			assert.equal(atEnd![1].halfwayLoss, split[1].losses[0]);
		} finally {
			src.dispose();
		}
	});
});
