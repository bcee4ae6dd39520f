/**
 * Range test on real (tiny) models on the bundled cpu backend: the suggestion lands in the stable
 * band of a problem whose bound is known, state is restored bit for bit, the same seed gives the
 * same curve, no tensors leak, and the stop rules fire for the right reasons.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BadInputError } from '../../src/shared/errors';
import { headlineOfRepeats } from '../../src/core/headline';
import { debiasedEma } from '../../src/core/smoothing';
import { overallProgress, runRangeTest } from '../../src/engine/training/rangeTest';
import { defaultRangeTestOptions } from '../../src/shared/runnerProtocol';
import type { LoadedSource, Tf } from '../../src/engine/sources/sourceTypes';
import { bits, classifierSource, cpuTf, linearSource, stateValues } from './helpers';

let tf: Tf;
before(async () => {
	tf = await cpuTf();
});

describe('range test on linear regression (known stable LR band)', () => {
	it('suggests LRs inside the SGD stability band 2/λmax and diverges beyond it', async () => {
		const src = linearSource(tf);
		try {
			const bound = 2 / src.lambdaMax;
			// Sanity of the fixture: the bound is where the test claims it is (λmax from power iteration).
			assert.ok(bound > 0.1 && bound < 0.5, `bound ${bound}`);
			const r = await runRangeTest(tf, src, { startLr: 1e-5, endLr: 10, steps: 100 });
			assert.equal(r.stopReason, 'diverged');
			const stopLr = r.lrs[r.lrs.length - 1];
			assert.ok(stopLr > bound, `diverged at ${stopLr}, below the stability bound ${bound}`);
			assert.ok(stopLr < bound * 10, `diverged only at ${stopLr}, far above ${bound}`);
			for (const [name, lr] of [
				['valley', r.report.suggestions.valley?.lr],
				['minimum', r.report.suggestions.minimum?.lr],
				['consensus', r.report.consensus?.lr],
			] as const) {
				assert.ok(
					lr !== undefined && lr > bound / 100 && lr < bound,
					`${name} ${lr} outside (${bound / 100}, ${bound})`,
				);
			}
			assert.equal(r.lrs.length, r.losses.length);
			assert.equal(r.lrs.length, r.smoothed.length);
			// LR set before batch i: the first recorded LR is the start, exactly.
			assert.equal(r.lrs[0], 1e-5);
			assert.equal(r.lossMode, 'train');
		} finally {
			src.dispose();
		}
	});

	it('a linear ramp records linearly spaced LRs and completes below the bound', async () => {
		const src = linearSource(tf);
		try {
			const r = await runRangeTest(tf, src, { startLr: 0, endLr: 0.05, steps: 21, ramp: 'linear' });
			assert.equal(r.stopReason, 'completed');
			assert.equal(r.lrs.length, 21);
			r.lrs.forEach((lr, i) => assert.ok(Math.abs(lr - 0.0025 * i) < 1e-12, `lr[${i}] = ${lr}`));
		} finally {
			src.dispose();
		}
	});
});

describe('state restore', () => {
	for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
		it(`restores every weight and ${optimizer} slot bit for bit, on divergence and on error`, async () => {
			const src = linearSource(tf, { optimizer });
			try {
				// Give the optimizer non-trivial state first: slots, iteration count, Adam's accBeta.
				for (let i = 0; i < 3; i++) {
					await src.model.trainOnBatch(src.x as never, src.y as never);
				}
				const beforeBits = bits(await stateValues(tf, src.model));
				const tensorsBefore = tf.memory().numTensors;
				const r = await runRangeTest(tf, src, { startLr: 1e-4, endLr: 100, steps: 60 });
				assert.notEqual(r.stopReason, 'completed');
				assert.deepEqual(bits(await stateValues(tf, src.model)), beforeBits);
				assert.equal(tf.memory().numTensors, tensorsBefore);

				let calls = 0;
				await assert.rejects(
					runRangeTest(
						tf,
						src,
						{ steps: 50 },
						{
							onProgress: () => {
								if (++calls === 7) {
									throw new Error('boom');
								}
							},
						},
					),
					/boom/,
				);
				assert.deepEqual(bits(await stateValues(tf, src.model)), beforeBits);
				assert.equal(tf.memory().numTensors, tensorsBefore);
			} finally {
				src.dispose();
			}
		});
	}

	it('a fresh Adam optimizer gets no slots left behind (exactly as before)', async () => {
		const src = linearSource(tf, { optimizer: 'adam' });
		try {
			const before = await stateValues(tf, src.model);
			assert.ok(!Object.keys(before).some((k) => k.endsWith('/m')), 'fixture: no slots yet');
			const n = tf.memory().numTensors;
			await runRangeTest(tf, src, { steps: 20 });
			assert.deepEqual(bits(await stateValues(tf, src.model)), bits(before));
			assert.equal(tf.memory().numTensors, n);
		} finally {
			src.dispose();
		}
	});
});

describe('reproducibility, repeats, validation mode', () => {
	it('the same seed gives the identical curve (dropout included); another seed does not', async () => {
		const src = classifierSource(tf);
		try {
			const a = await runRangeTest(tf, src, { steps: 40, seed: 5 });
			const b = await runRangeTest(tf, src, { steps: 40, seed: 5 });
			const c = await runRangeTest(tf, src, { steps: 40, seed: 6 });
			assert.deepEqual(b.losses, a.losses);
			assert.deepEqual(b.smoothed, a.smoothed);
			assert.notDeepEqual(c.losses, a.losses);
		} finally {
			src.dispose();
		}
	});

	it('repeats by default: 3 runs in the spread, the headline from their mean curve; leaks nothing', async () => {
		const src = linearSource(tf);
		try {
			const n = tf.memory().numTensors;
			const curves: { lrs: number[]; smoothed: (number | null)[] }[] = [];
			const overall: number[] = [];
			const r = await runRangeTest(
				tf,
				src,
				{ startLr: 1e-5, steps: 60 },
				{
					onProgress: (p) => {
						const c = (curves[p.repeat] ??= { lrs: [], smoothed: [] });
						c.lrs.push(p.lr);
						c.smoothed.push(p.smoothed);
						overall.push(overallProgress(p, { steps: 60, repeat: 3 }).step);
					},
				},
			);
			assert.equal(defaultRangeTestOptions.repeat, 3);
			assert.equal(r.spread?.runs, 3);
			const c = r.spread?.per.consensus;
			assert.ok(c && c.min <= c.geoMean && c.geoMean <= c.max);
			assert.equal(curves.length, 3);
			// The result keeps the first curve; the headline is the rule on the mean of all three.
			assert.deepEqual(r.smoothed, curves[0].smoothed);
			assert.deepEqual(r.report.headline, headlineOfRepeats(curves, 60));
			assert.equal(r.report.headline?.repeats, 3);
			// It keeps the other runs' raw losses, which smooth back to their curves: the panel's
			// β slider recomputes the mean's headline from them (core `atBeta`).
			assert.equal(r.repeatLosses?.length, 2);
			r.repeatLosses!.forEach((l, k) =>
				assert.deepEqual(debiasedEma(l, r.beta), curves[k + 1].smoothed),
			);
			// Progress over all repeats: repeat k's step i is 60·k + i, strictly increasing, below 180.
			assert.deepEqual(
				overall,
				curves.flatMap((cv, k) => cv.lrs.map((_lr, i) => 60 * k + i)),
			);
			assert.equal(tf.memory().numTensors, n);
			// One run: no spread, the headline of that one curve.
			const one = await runRangeTest(tf, src, { startLr: 1e-5, steps: 60, repeat: 1 });
			assert.equal(one.spread, undefined);
			assert.equal(one.repeatLosses, undefined);
			assert.equal(one.report.headline?.repeats, undefined);
			assert.deepEqual(one.smoothed, r.smoothed);
		} finally {
			src.dispose();
		}
	});

	it('validation mode records a held-out sample loss after each step', async () => {
		const src = linearSource(tf);
		try {
			const n = tf.memory().numTensors;
			const r = await runRangeTest(tf, src, { startLr: 1e-5, steps: 40, validation: true });
			assert.equal(r.lossMode, 'validation');
			assert.ok(
				r.notes.some((x) => /held out/.test(x)),
				r.notes.join('|'),
			);
			// The validation sample is fixed, so at tiny LRs (weights barely move) consecutive losses agree closely.
			assert.ok(
				Math.abs((r.losses[1] as number) - (r.losses[0] as number)) <
					1e-3 * (r.losses[0] as number),
			);
			assert.equal(tf.memory().numTensors, n);
		} finally {
			src.dispose();
		}
	});
});

describe('stop rules and data handling', () => {
	it('stops on a non-finite loss with stopReason nonFinite', async () => {
		const src = linearSource(tf);
		try {
			const r = await runRangeTest(tf, src, {
				startLr: 1e3,
				endLr: 1e30,
				steps: 50,
				divergeFactor: 1e30,
			});
			assert.equal(r.stopReason, 'nonFinite');
			assert.equal(r.losses[r.losses.length - 1], null);
		} finally {
			src.dispose();
		}
	});

	it('cycles through the data when steps exceed batches per epoch', async () => {
		const src = linearSource(tf, { n: 64, batchSize: 32 });
		try {
			const r = await runRangeTest(tf, src, { startLr: 1e-6, endLr: 1e-4, steps: 30 });
			assert.equal(r.stopReason, 'completed');
			assert.equal(r.lrs.length, 30);
		} finally {
			src.dispose();
		}
	});

	it('iterates a dataset batch by batch and reports dataExhausted when it cannot restart', async () => {
		const src = linearSource(tf);
		let passes = 0;
		const ds = tf.data.generator(function* () {
			passes += 1;
			if (passes > 1) {
				return;
			}
			for (let i = 0; i < 4; i++) {
				yield { xs: tf.randomNormal([8, 4]), ys: tf.randomNormal([8, 1]) };
			}
		});
		const loaded: LoadedSource = { ...src, dataset: ds, size: undefined };
		try {
			const n = tf.memory().numTensors;
			const r = await runRangeTest(tf, loaded, { startLr: 1e-6, endLr: 1e-3, steps: 10 });
			assert.equal(r.stopReason, 'dataExhausted');
			assert.equal(r.lrs.length, 4);
			assert.equal(tf.memory().numTensors, n);
		} finally {
			src.dispose();
		}
	});

	it('bad options are BadInputErrors with one-line messages', async () => {
		const src = linearSource(tf, { n: 10 });
		try {
			await assert.rejects(
				runRangeTest(tf, src, { steps: 1 }),
				(e) => e instanceof BadInputError && /--steps/.test(e.message),
			);
			await assert.rejects(
				runRangeTest(tf, src, { startLr: 1, endLr: 0.1 }),
				(e) => e instanceof BadInputError && /--end-lr/.test(e.message),
			);
		} finally {
			src.dispose();
		}
	});

	it('data smaller than one batch trains one partial batch of all examples, and says so', async () => {
		const src = linearSource(tf, { n: 9 });
		try {
			const r = await runRangeTest(tf, src, { batchSize: 32, steps: 6, repeat: 1 });
			assert.equal(r.batchSize, 9);
			assert.equal(r.losses.length, 6);
			assert.ok(r.losses.every((l) => l !== null && Number.isFinite(l)));
			assert.ok(
				r.notes.some((n) =>
					/9 training examples, fewer than one batch of 32.*batch size is 9/.test(n),
				),
				r.notes.join(' | '),
			);
		} finally {
			src.dispose();
		}
	});

	it('a model without trainOnBatch (tfjs 0.x) steps with a one-batch fit, same losses', async () => {
		const losses = async (drop: boolean) => {
			const src = linearSource(tf, { n: 64 });
			if (drop) {
				Object.defineProperty(src.model, 'trainOnBatch', { value: undefined });
			}
			try {
				const r = await runRangeTest(tf, src, { steps: 8, repeat: 1, batchSize: 16 });
				assert.equal(
					r.notes.some((n) => /has no model\.trainOnBatch/.test(n)),
					drop,
				);
				return r.losses;
			} finally {
				src.dispose();
			}
		};
		const a = await losses(false);
		const b = await losses(true);
		assert.equal(b.length, 8);
		b.forEach((l, i) =>
			assert.ok(Math.abs((l ?? NaN) - (a[i] ?? NaN)) < 1e-4, `step ${i}: ${l} vs ${a[i]}`),
		);
	});
});
