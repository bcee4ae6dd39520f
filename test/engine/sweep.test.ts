/** LR sweep on real tiny models (cpu): best LR, same start for every LR, folds, grid, cancel, restore. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Tf } from '../../src/engine/sources/sourceTypes';
import {
	averageCurves,
	defaultGridFactors,
	pickBest,
	runSweep,
} from '../../src/engine/training/sweep';
import { bits, cpuTf, linearSource, stateValues } from './helpers';

let tf: Tf;
before(async () => {
	tf = await cpuTf();
});

describe('runSweep', () => {
	it('trains each LR from the same start, picks the lowest final validation loss, restores everything', async () => {
		const src = linearSource(tf);
		try {
			const bound = 2 / src.lambdaMax;
			const state = bits(await stateValues(tf, src.model));
			const n = tf.memory().numTensors;
			const lrs = [bound / 100, bound / 10, bound / 3, bound * 4];
			const r = await runSweep(tf, src, { lrs, epochs: 3 });
			assert.deepEqual(
				r.results.map((x) => x.lr),
				lrs,
			);
			// 256 examples, 20% held out → 205 train → 6 batches of 32 per epoch.
			r.results.forEach((x) => assert.equal(x.batches, 18));
			assert.equal(r.totalBatches, 72);
			const finite = r.results.filter((x) => x.finalValLoss !== null);
			const lowest = finite.reduce((a, b) => (b.finalValLoss! < a.finalValLoss! ? b : a));
			assert.equal(r.best?.lr, lowest.lr);
			// Beyond the stability bound SGD blows up; below it, a larger LR learns faster in 3 epochs.
			assert.equal(r.best?.lr, bound / 3);
			const unstable = r.results[3];
			assert.ok(
				unstable.finalLoss === null || unstable.finalLoss > r.results[0].finalLoss!,
				JSON.stringify(unstable),
			);
			assert.ok(r.results[0].finalValLoss! > r.results[1].finalValLoss!);
			assert.equal(r.results[0].curve.length, 3);
			assert.equal(r.results[0].valCurve?.length, 3);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
			assert.equal(tf.memory().numTensors, n);
			// Same start and same data order: the same LR twice gives the same numbers.
			const again = await runSweep(tf, src, { lrs: [lrs[1]], epochs: 3 });
			assert.deepEqual(again.results[0].curve, r.results[1].curve);
		} finally {
			src.dispose();
		}
	});

	it('k-fold: every fold trains on the rest, curves are averaged, cost counts all folds', async () => {
		const src = linearSource(tf, { n: 192 });
		try {
			const r = await runSweep(tf, src, { lrs: [0.01, 0.05], epochs: 2, folds: 3 });
			assert.equal(r.folds, 3);
			// Each fold trains on 128 examples → 4 batches/epoch × 2 epochs × 3 folds.
			r.results.forEach((x) => assert.equal(x.batches, 24));
			assert.ok(r.notes.some((x) => /3-fold/.test(x)));
			assert.ok(r.results.every((x) => x.finalValLoss !== null));
		} finally {
			src.dispose();
		}
	});

	it('without --lrs, the grid is the range-test consensus × 1/10 … 10', async () => {
		const src = linearSource(tf);
		try {
			const r = await runSweep(tf, src, { epochs: 1 });
			assert.ok(r.gridCenter !== undefined && r.gridCenter > 0);
			assert.deepEqual(
				r.results.map((x) => x.lr),
				defaultGridFactors.map((f) => r.gridCenter! * f),
			);
			assert.ok(r.totalBatches > 5 * 6, 'includes the range test batches');
		} finally {
			src.dispose();
		}
	});

	it('cancel returns the LRs that finished and restores state', async () => {
		const src = linearSource(tf);
		try {
			const state = bits(await stateValues(tf, src.model));
			let progress = 0;
			const r = await runSweep(
				tf,
				src,
				{ lrs: [0.001, 0.01, 0.1], epochs: 2 },
				{ onProgress: () => void progress++, isCancelled: () => progress >= 3 },
			);
			assert.equal(r.cancelled, true);
			assert.equal(r.results.length, 1);
			assert.deepEqual(bits(await stateValues(tf, src.model)), state);
		} finally {
			src.dispose();
		}
	});
});

describe('sweep helpers', () => {
	it('pickBest prefers validation loss, falls back to training loss, ignores nulls', () => {
		const run = (lr: number, finalLoss: number | null, finalValLoss: number | null) => ({
			lr,
			finalLoss,
			finalValLoss,
			batches: 1,
			curve: [],
		});
		assert.deepEqual(pickBest([run(1, 0.1, 0.5), run(2, 0.3, 0.2), run(3, null, null)]), { lr: 2 });
		assert.deepEqual(pickBest([run(1, 0.4, null), run(2, 0.3, null)]), { lr: 2 });
		assert.equal(pickBest([run(1, null, null)]), null);
	});
	it('averageCurves is the element-wise mean, null where any fold is null', () => {
		assert.deepEqual(
			averageCurves([
				[1, 2, null],
				[3, 4, 5],
			]),
			[2, 3, null],
		);
	});
});
