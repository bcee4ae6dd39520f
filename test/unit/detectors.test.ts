import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectorSet } from '../../src/core/detectors';
import { defaultDetectorOptions, resolveDetectorOptions } from '../../src/core/detectors/options';
import type { Finding, LogRecord } from '../../src/core/types';
import { epochRun, healthyLoss, stepRun } from './runGen';

const seeds = [1, 2, 3, 4, 5];
const kinds = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.kind}:${f.series}`);

/** Train falls to 0.2; val falls to its minimum near epoch 13, then rises 0.03/epoch. */
const overTrain = (e: number): number => 0.2 + 2 * Math.exp(-e / 5);
const overVal = (e: number): number => 0.5 + 2 * Math.exp(-e / 5) + (e > 10 ? 0.03 * (e - 10) : 0);
/** First epoch where the noise-free val curve is lowest. */
const overTurn = ((): number => {
	let best = 1;
	for (let e = 1; e <= 30; e++) {
		if (overVal(e) < overVal(best)) {
			best = e;
		}
	}
	return best;
})();

describe('detectors: healthy runs', () => {
	for (const seed of seeds) {
		it(`raises nothing on a healthy noisy step run (seed ${seed})`, () => {
			const d = new DetectorSet();
			assert.deepEqual(kinds(d.feedAll(stepRun(1200, seed, healthyLoss, 0.15))), []);
		});
		it(`raises nothing on healthy epoch-level train/val curves (seed ${seed})`, () => {
			const d = new DetectorSet();
			const recs = epochRun(
				30,
				seed,
				(e) => 0.1 + 2 * Math.exp(-e / 8),
				(e) => 0.2 + 2 * Math.exp(-e / 8),
			);
			assert.deepEqual(kinds(d.feedAll(recs)), []);
		});
	}
	it('ignores isolated one-step spikes (fewer than 5 in a row)', () => {
		const recs = stepRun(
			1000,
			7,
			(t) => (t % 97 === 50 || t % 131 === 0 ? 3 : 1) * healthyLoss(t),
			0.1,
		);
		assert.deepEqual(kinds(new DetectorSet().feedAll(recs)), []);
	});
});

describe('detectors: problems are caught near onset', () => {
	for (const seed of seeds) {
		it(`non-finite at the first NaN (seed ${seed})`, () => {
			const recs = stepRun(500, seed, (t) => (t >= 300 ? NaN : healthyLoss(t)));
			const fs = new DetectorSet().feedAll(recs);
			assert.deepEqual(kinds(fs), ['nonFinite:loss']);
			assert.equal(fs[0].step, 300);
			assert.equal(fs[0].detectedAt, 300);
			assert.equal(fs[0].severity, 'error');
		});
		it(`divergence from step ~400 when the loss grows 10%/step (seed ${seed})`, () => {
			const recs = stepRun(700, seed, (t) =>
				t < 400 ? healthyLoss(t) : healthyLoss(400) * 1.1 ** (t - 400),
			);
			const fs = new DetectorSet().feedAll(recs);
			const div = fs.filter((f) => f.kind === 'divergence');
			assert.equal(div.length, 1, kinds(fs).join());
			assert.ok(div[0].step >= 398 && div[0].step <= 406, `onset ${div[0].step}`);
			assert.ok((div[0].detectedAt as number) <= 425, `detected at ${div[0].detectedAt}`);
			assert.equal(fs.filter((f) => f.kind === 'plateau').length, 0);
		});
		it(`spike from step 500 when the loss triples for 20 steps (seed ${seed})`, () => {
			const recs = stepRun(800, seed, (t) => (t >= 500 && t < 520 ? 3 : 1) * healthyLoss(t));
			const fs = new DetectorSet().feedAll(recs);
			assert.deepEqual(kinds(fs), ['spike:loss']);
			assert.equal(fs[0].step, 500);
			// "More than 4 consecutive": the fifth outlier (step 504) raises it.
			assert.equal(fs[0].detectedAt, 504);
		});
		it(`plateau when the loss stops improving at step 300 (seed ${seed})`, () => {
			const recs = stepRun(1200, seed, (t) => (t < 300 ? 2 - (1.2 * t) / 300 : 0.8), 0.1);
			const fs = new DetectorSet().feedAll(recs);
			assert.deepEqual(kinds(fs), ['plateau:loss']);
			// The smoothed series (β = 0.98) keeps creeping down for a while after the raw one flattens,
			// and small dips beyond twice its noise still count as progress.
			assert.ok(fs[0].step >= 300 && fs[0].step <= 650, `plateau start ${fs[0].step}`);
			assert.equal(fs[0].detectedAt, fs[0].step + defaultDetectorOptions.plateau.patienceSteps);
		});
		it(`overfitting near the epoch where val loss turned (seed ${seed})`, () => {
			const fs = new DetectorSet().feedAll(epochRun(30, seed, overTrain, overVal));
			assert.deepEqual(kinds(fs), ['overfitting:val_loss']);
			assert.ok(
				Math.abs(fs[0].step - overTurn) <= 3,
				`best epoch ${fs[0].step} vs turn ${overTurn}`,
			);
			assert.equal(fs[0].unit, 'epoch');
			assert.match(fs[0].action, new RegExp(`Stop at epoch ${fs[0].step}\\b`));
		});
		it(`underfitting when train and val are both flat and high (seed ${seed})`, () => {
			const fs = new DetectorSet().feedAll(
				epochRun(
					30,
					seed,
					(e) => 1.8 + 0.5 * Math.exp(-e / 2),
					(e) => 1.9 + 0.5 * Math.exp(-e / 2),
				),
			);
			const under = fs.filter((f) => f.kind === 'underfitting');
			assert.equal(under.length, 1, kinds(fs).join());
			assert.ok(under[0].step >= 4 && under[0].step <= 10, `start ${under[0].step}`);
			assert.equal(fs.filter((f) => f.kind === 'overfitting').length, 0);
		});
	}
	it('absolute cap: maxLoss fires even before warm-up', () => {
		const recs: LogRecord[] = [1, 2, 1e9, 1e9].map((v, i) => ({
			step: i,
			unit: 'step',
			values: { loss: v },
		}));
		const fs = new DetectorSet({ divergence: { maxLoss: 1e6 } }).feedAll(recs);
		assert.deepEqual(kinds(fs), ['divergence:loss']);
		assert.equal(fs[0].detectedAt, 2);
	});
	it('pairs val_epoch_loss with epoch_loss arriving in separate records (logdir order)', () => {
		const recs = epochRun(30, 3, overTrain, overVal);
		const train = recs.map((r) => ({
			step: r.step,
			unit: 'epoch' as const,
			values: { epoch_loss: r.values.loss },
		}));
		const val = recs.map((r) => ({
			step: r.step,
			unit: 'epoch' as const,
			values: { val_epoch_loss: r.values.val_loss },
		}));
		const fs = new DetectorSet().feedAll([...train, ...val]);
		const over = fs.filter((f) => f.kind === 'overfitting');
		assert.deepEqual(kinds(over), ['overfitting:val_epoch_loss']);
		assert.ok(Math.abs(over[0].step - overTurn) <= 3);
		// The whole train file comes first here, so its own convergence plateau may show up too.
		assert.ok(
			fs.every((f) => f.kind === 'overfitting' || f.series === 'epoch_loss'),
			kinds(fs).join(),
		);
	});
});

describe('detectors: incremental and storm-free', () => {
	it('feeding one record at a time equals feeding all at once', () => {
		const recs = [
			...stepRun(700, 11, (t) => (t < 400 ? healthyLoss(t) : healthyLoss(400) * 1.1 ** (t - 400))),
			...epochRun(30, 11, overTrain, overVal),
		];
		const one = new DetectorSet();
		const a: Finding[] = [];
		for (const r of recs) {
			a.push(...one.feed(r));
		}
		const b = new DetectorSet().feedAll(recs);
		assert.ok(a.length >= 2);
		assert.deepEqual(a, b);
		assert.deepEqual(one.findings, a);
	});
	it('one finding per kind per series; re-raised only after recovery', () => {
		// NaN at 100..109, healthy 110..299 (190 ≥ rearmSteps), NaN again at 300, again at 305 (no recovery).
		const recs = stepRun(400, 5, (t) =>
			(t >= 100 && t < 110) || t === 300 || t === 305 ? NaN : healthyLoss(t),
		);
		const fs = new DetectorSet().feedAll(recs);
		assert.deepEqual(
			fs.map((f) => f.step),
			[100, 300],
		);
	});
	it('names the suggested LR in actions', () => {
		const recs = stepRun(10, 1, (t) => (t === 5 ? NaN : 1));
		const fs = new DetectorSet({ suggestedLr: 3e-4 }).feedAll(recs);
		// The LR in the same digits as every other surface (core/present formatLr).
		assert.match(fs[0].action, /~3e-4 \(the range test's suggestion\)/);
	});
	it('watches only loss-like series by default', () => {
		const recs: LogRecord[] = [{ step: 0, unit: 'step', values: { acc: null, lr: null } }];
		assert.deepEqual(new DetectorSet().feedAll(recs), []);
	});
	it('rejects bad options with a message naming the field', () => {
		assert.throws(() => resolveDetectorOptions({ divergence: { k: -1 } }), /divergence\.k/);
		assert.throws(() => resolveDetectorOptions({ plateau: { beta: 1 } }), /plateau\.beta/);
	});
	it('disabled kinds stay silent', () => {
		const recs = stepRun(50, 1, (t) => (t >= 20 ? NaN : 1));
		assert.deepEqual(new DetectorSet({ disabled: ['nonFinite'] }).feedAll(recs), []);
	});
});
