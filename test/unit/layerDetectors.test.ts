/** Layer detectors (core/layers) on constructed per-layer series: each rule fires exactly when it should. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerDetectorSet } from '../../src/core/layers/layerDetectors';
import type { LayerSample } from '../../src/core/layers/types';
import { layerSampleLine } from '../../src/core/present/layers';
import { mulberry32 as rng } from '../../src/core/random';
import type { Finding } from '../../src/core/types';

type Cols = Partial<Omit<LayerSample, 'step' | 'layers' | 'every'>>;

/** A sample of layers `names` at `step`, healthy unless `over` says otherwise. */
function sample(step: number, names: string[], over: Cols = {}, every = 5): LayerSample {
	const n = names.length;
	return {
		step,
		layers: names,
		params: over.params ?? names.map(() => 100),
		gradNorm: over.gradNorm ?? names.map(() => 0.5),
		weightNorm: over.weightNorm ?? names.map(() => 3),
		updateRatio: over.updateRatio ?? names.map(() => 3e-3),
		dead: over.dead ?? new Array<number | null>(n).fill(null),
		saturated: over.saturated ?? new Array<number | null>(n).fill(null),
		every,
	};
}

const kinds = (fs: readonly Finding[]): string[] =>
	fs.map((f) => `${f.kind}:${f.layer ?? f.series}`);
const names3 = ['dense_1', 'dense_2', 'dense_3'];

describe('layer detectors', () => {
	it('a healthy run raises nothing (ratios around 1e-3, some dead units, steady gradients)', () => {
		const d = new LayerDetectorSet();
		const r = rng(1);
		for (let s = 0; s < 400; s += 5) {
			d.feedSample(
				sample(s, names3, {
					updateRatio: names3.map(() => 1e-3 * (0.3 + 3 * r())),
					gradNorm: names3.map(() => 0.2 + r()),
					dead: [0.2 * r(), 0.3 * r(), null],
				}),
			);
		}
		for (let s = 0; s < 400; s++) {
			d.feedStep(s, Math.exp(0.5 * (r() - 0.5)) * (1 + 1 / (1 + s)));
		}
		assert.deepEqual(kinds(d.findings), []);
	});

	it('update ratio too high: names the layer after 3 samples in a row over 10 steps, from the first of them', () => {
		const d = new LayerDetectorSet();
		const high = (s: number): LayerSample => sample(s, names3, { updateRatio: [3e-3, 0.2, 3e-3] });
		// The first 10 steps move fresh weights a lot: not counted.
		assert.deepEqual(d.feedSample(high(0)), []);
		assert.deepEqual(d.feedSample(high(5)), []);
		assert.deepEqual(d.feedSample(high(10)), []);
		assert.deepEqual(d.feedSample(high(15)), []);
		const f = d.feedSample(high(20));
		assert.deepEqual(kinds(f), ['updateRatioHigh:dense_2']);
		assert.equal(f[0].step, 10);
		assert.equal(f[0].detectedAt, 20);
		assert.equal(f[0].severity, 'warning');
		assert.match(f[0].message, /LR too high for dense_2/);
		assert.match(f[0].action, /clip/);
		// Once per layer per run.
		assert.deepEqual(d.feedSample(high(25)), []);
	});

	it('an SGD ratio between 0.1 and 0.25 also needs a mini-batch loss that stopped falling', () => {
		// A healthy SGD run near the top of its range moves its head layer 0.14 of its size a step
		// while its loss keeps falling; the same ratios over a loss that stalled say the LR is too high.
		const run = (loss: (step: number) => number): string[] => {
			const d = new LayerDetectorSet();
			const r = rng(7);
			for (let s = 0; s <= 80; s++) {
				// Mini-batch noise of ±30 % around the trend.
				d.feedStep(s, 1, loss(s) * (0.7 + 0.6 * r()), 0.07);
				if (s % 2 === 0) {
					d.feedSample({
						...sample(s, names3, { updateRatio: [3e-3, 0.14, 3e-3] }, 2),
						optimizer: 'SGD',
					});
				}
			}
			return kinds(d.findings);
		};
		assert.deepEqual(
			run((s) => Math.exp(-s / 20)),
			[],
		);
		assert.deepEqual(
			run(() => 0.6),
			['updateRatioHigh:dense_2'],
		);
		// It waits for 2 × 12 losses before it judges: nothing at step 20 on the stalled loss.
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 22; s++) {
			d.feedStep(s, 1, 0.6, 0.07);
			if (s % 2 === 0) {
				d.feedSample({
					...sample(s, names3, { updateRatio: [3e-3, 0.14, 3e-3] }, 2),
					optimizer: 'SGD',
				});
			}
		}
		assert.deepEqual(kinds(d.findings), []);
		d.feedStep(23, 1, 0.6, 0.07);
		d.feedStep(24, 1, 0.6, 0.07);
		assert.deepEqual(
			kinds(
				d.feedSample({
					...sample(24, names3, { updateRatio: [3e-3, 0.14, 3e-3] }, 2),
					optimizer: 'SGD',
				}),
			),
			['updateRatioHigh:dense_2'],
		);
	});

	it('an adaptive optimizer’s ratio has its own scale: Adam at a too-high LR that never diverges', () => {
		// bench/detectors highLr-047 (tuning half, Adam at 0.33): ratios 0.62, 0.33, 0.23 on the
		// samples of steps 0, 2, 4 (below ratioSevere's 0.25 on the third), then its ReLUs die.
		const adam = (s: number, r: number): LayerSample => ({
			...sample(s, names3, { updateRatio: [r, r, r] }, 2),
			optimizer: 'Adam',
		});
		const d = new LayerDetectorSet();
		assert.deepEqual(d.feedSample(adam(0, 0.62)), []);
		assert.deepEqual(d.feedSample(adam(2, 0.33)), []);
		assert.equal(kinds(d.feedSample(adam(4, 0.23))).length, 3);
		// The same ratios on SGD stay below its severe scale on the third sample.
		const sgd = new LayerDetectorSet();
		for (const [s, r] of [
			[0, 0.62],
			[2, 0.33],
			[4, 0.23],
		]) {
			assert.deepEqual(
				sgd.feedSample({ ...sample(s, names3, { updateRatio: [r, r, r] }, 2), optimizer: 'SGD' }),
				[],
			);
		}
		// Healthy Adam (3e-4–3e-3) stays ≤ 0.014 on 3 samples in a row on the tuning half.
		const ok = new LayerDetectorSet();
		for (let s = 0; s < 40; s += 2) {
			ok.feedSample({
				...sample(s, names3, { updateRatio: [0.014, 0.014, 0.014] }, 2),
				optimizer: 'Adam',
			});
		}
		assert.deepEqual(kinds(ok.findings), []);
	});

	it('update ratio far too high from the first steps (a recorded too-high LR): fires before its ReLUs die', () => {
		// bench/detectors highLr-003 (momentum, LR 1.5): the output layer's ratio on the samples of
		// steps 0, 2, 4 (sampled every 2 steps); by step 6 the hidden layer was 94 % dead.
		const d = new LayerDetectorSet();
		const at = (s: number, r: number): Finding[] =>
			d.feedSample(sample(s, names3, { updateRatio: [0.106, 0.156, r] }, 2));
		assert.deepEqual(at(0, 0.593), []);
		assert.deepEqual(at(2, 0.44), []);
		const f = at(4, 0.402);
		assert.deepEqual(kinds(f), ['updateRatioHigh:dense_3']);
		assert.equal(f[0].step, 0);
		// Then its hidden layer dies (94 % from step 6); at Adam's 0.66 (highLr-012), below hugeLr = 1,
		// only the update ratio tells that the LR is the cause: the advice must say so, not the bias.
		d.feedStep(5, 1, 1, 0.66);
		for (let s = 6; s <= 16; s += 2) {
			d.feedSample(sample(s, names3, { updateRatio: [0.1, 0.1, 0.1], dead: [0, 0.938, null] }, 2));
		}
		const dead = d.findings.find((x) => x.kind === 'deadUnits');
		assert.equal(dead?.layer, 'dense_2');
		assert.match(dead!.action, /learning rate is too high/);
		assert.doesNotMatch(dead!.action, /bias/);
		// A healthy run's first steps: the largest 3-in-a-row ratio of the tuning half (0.16).
		const ok = new LayerDetectorSet();
		for (let s = 0; s < 10; s += 2) {
			ok.feedSample(sample(s, names3, { updateRatio: [0.16, 0.16, 0.16] }, 2));
		}
		assert.deepEqual(kinds(ok.findings), []);
	});

	it('divergence ahead from a layer whose steps grow against its weights, not from SGD noise', () => {
		// A ratio climbing 1e-3 → 0.1 over 200 steps (an LR growing 2.3 % per step, as in the
		// recorded growing-LR runs): warned while the ratio is still well under updateRatioHigh's 0.1.
		const d = new LayerDetectorSet();
		let f: Finding[] = [];
		for (let s = 0; s <= 200 && f.length === 0; s += 4) {
			f = d.feedSample(sample(s, names3, { updateRatio: [3e-3, 1e-3 * 1.023 ** s, 3e-3] }, 4));
			if (f.length) {
				assert.deepEqual(kinds(f), ['earlyDivergence:dense_2']);
				assert.ok(s <= 170, `at ${s}`);
				assert.match(f[0].message, /Divergence ahead: dense_2's steps have grown/);
			}
		}
		assert.equal(f.length, 1);
		// bench/detectors vanishing-006 (SGD, ×2): the output layer's ratio follows the mini-batch
		// gradient, and one quiet stretch sets a low 16× under the usual level. Without the noise
		// margin (noiseZ 0) that reads as divergence ahead; it never diverged.
		const noisy = [
			0.0259, 0.0179, 0.0352, 0.00367, 0.0128, 0.00452, 0.0143, 0.00141, 0.011, 0.0355, 0.0218,
			0.00502, 0.00178, 0.00414, 0.0448, 0.032, 0.0013, 0.00595, 0.021, 0.0237, 0.000667, 0.00165,
			0.00963, 0.046, 0.029, 0.0229, 0.0159, 0.0129, 0.0466, 0.0439,
		];
		const quiet = [0.00141, 0.0013, 0.000667, 0.00165, 0.00178, 0.00367];
		const seq = [...noisy.slice(0, 10), ...quiet, ...noisy.slice(10), ...noisy.slice(0, 10)];
		const feed = (q: LayerDetectorSet): string[] => {
			seq.forEach((r, k) =>
				q.feedSample(sample(6 + 6 * k, names3, { updateRatio: [3e-3, 3e-3, 2 * r] }, 6)),
			);
			return kinds(q.findings);
		};
		assert.deepEqual(feed(new LayerDetectorSet({ early: { noiseZ: 0 } })), [
			'earlyDivergence:dense_3',
		]);
		assert.deepEqual(feed(new LayerDetectorSet()), []);
	});

	it('not learning: zero gradients, or tiny updates while another layer moves 100× faster', () => {
		const zero = new LayerDetectorSet();
		for (let s = 0; s <= 10; s += 5) {
			zero.feedSample(sample(s, names3, { gradNorm: [0.5, 0, 0.5], updateRatio: [3e-3, 0, 3e-3] }));
		}
		assert.deepEqual(kinds(zero.findings), ['notLearning:dense_2']);
		assert.match(zero.findings[0].message, /gradient is zero/);

		const slow = new LayerDetectorSet();
		for (let s = 0; s <= 40; s += 5) {
			slow.feedSample(sample(s, names3, { updateRatio: [1e-6, 3e-3, 3e-3] }));
		}
		assert.deepEqual(kinds(slow.findings), ['notLearning:dense_1']);

		// Every layer moves little: converged (or a low LR everywhere), not one layer's problem.
		const converged = new LayerDetectorSet();
		for (let s = 0; s <= 100; s += 5) {
			converged.feedSample(sample(s, names3, { updateRatio: [2e-6, 4e-6, 3e-6] }));
		}
		assert.deepEqual(kinds(converged.findings), []);
	});

	it('dead ReLUs: more than half the units dead for 3 samples over at least 10 steps; its zero gradient is explained', () => {
		const d = new LayerDetectorSet();
		const dead = (s: number, frac: number, every = 5): LayerSample =>
			sample(
				s,
				names3,
				{ dead: [frac, null, null], gradNorm: [0, 0.5, 0.5], updateRatio: [0, 3e-3, 3e-3] },
				every,
			);
		d.feedSample(dead(0, 0.4));
		d.feedSample(dead(2, 0.7, 2));
		d.feedSample(dead(4, 0.7, 2));
		assert.deepEqual(d.feedSample(dead(6, 0.7, 2)), [], 'only 4 steps so far');
		const f = d.feedSample(dead(12, 0.75));
		assert.deepEqual(kinds(f), ['deadUnits:dense_1']);
		assert.equal(f[0].step, 2);
		assert.match(f[0].message, /75% of dense_1's ReLU units are dead/);
		for (let s = 17; s < 60; s += 5) {
			d.feedSample(dead(s, 0.75));
		}
		assert.deepEqual(kinds(d.findings), ['deadUnits:dense_1']);

		const fine = new LayerDetectorSet();
		for (let s = 0; s < 100; s += 5) {
			fine.feedSample(sample(s, names3, { dead: [0.45, null, null] }));
		}
		assert.deepEqual(kinds(fine.findings), []);
	});

	it('vanishing gradients: the first layer gets 1000× less gradient per weight than the last, 3 samples in a row', () => {
		const names = ['sig_1', 'sig_2', 'sig_3', 'sig_4', 'out'];
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 40; s += 5) {
			d.feedSample(
				sample(s, names, {
					gradNorm: [1e-6, 1e-5, 1e-4, 1e-3, 0.5],
					updateRatio: [1e-8, 1e-7, 1e-6, 1e-5, 3e-3],
					saturated: [0.5, 0.5, 0.45, 0.35, null],
				}),
			);
		}
		// The first layers barely move, but the vanishing finding explains that: no notLearning.
		assert.deepEqual(kinds(d.findings), ['vanishingGradients:sig_1']);
		const f = d.findings[0];
		assert.equal(f.step, 0);
		assert.equal(f.detectedAt, 10);
		assert.match(f.message, /sig_1 \(the first layer\) gets 2e-6× the gradient of out/);
		assert.match(f.message, /45% of the sigmoid\/tanh activations are saturated/);
		assert.match(f.action, /ReLU/);

		// Two layers are not depth: a small first-layer gradient there is about input scaling.
		const shallow = new LayerDetectorSet();
		for (let s = 0; s <= 40; s += 5) {
			shallow.feedSample(sample(s, ['a', 'b'], { gradNorm: [1e-7, 1] }));
		}
		assert.deepEqual(kinds(shallow.findings), []);
	});

	it('exploding gradients: 10× the median of the last samples, rising twice in a row; noise is not enough', () => {
		const d = new LayerDetectorSet();
		const g = [1, 1.2, 0.9, 1.1, 3, 14];
		g.forEach((x, i) => d.feedSample(sample(i * 2, names3, { gradNorm: [0.5, x, 0.5] }, 2)));
		assert.deepEqual(kinds(d.findings), ['explodingGradients:dense_2']);
		assert.equal(d.findings[0].severity, 'error');
		assert.equal(d.findings[0].step, 8);

		const noisy = new LayerDetectorSet();
		const r = rng(3);
		for (let s = 0; s < 200; s += 2) {
			noisy.feedSample(sample(s, names3, { gradNorm: [0.5, r() < 0.5 ? 0.05 : 2, 0.5] }, 2));
		}
		assert.deepEqual(kinds(noisy.findings), []);
	});

	it('early divergence: the gradient norm climbs from its low before the loss rises; not after the loss diverged', () => {
		const run = (d: LayerDetectorSet): Finding[] => {
			const out: Finding[] = [];
			for (let s = 0; s < 100; s++) {
				// Decays to a floor, then from step 60 grows 1.5× per step (an unstable direction).
				const g = s < 60 ? 10 * Math.exp(-s / 10) + 0.01 : 0.01 * 1.5 ** (s - 60) + 0.01;
				// The loss falls, then stops falling as the norm takes off.
				const loss = s < 60 ? 1 + Math.exp(-s / 10) : 1 + 0.001 * (s - 60);
				out.push(...d.feedStep(s, g, loss));
			}
			return out;
		};
		const f = run(new LayerDetectorSet());
		assert.deepEqual(kinds(f), ['earlyDivergence:grad_norm']);
		// 1.5× a step from a floor of 0.01: the window median is 3× the low about 12 steps in.
		assert.ok(f[0].detectedAt! >= 64 && f[0].detectedAt! <= 80, `at ${f[0].detectedAt}`);
		assert.ok(f[0].step >= 60 && f[0].step <= f[0].detectedAt!);
		assert.match(f[0].message, /while the loss has not risen yet/);

		const late = new LayerDetectorSet();
		late.noteLossFinding({
			kind: 'divergence',
			series: 'loss',
			step: 50,
			unit: 'step',
			severity: 'error',
			message: '',
			action: '',
		});
		assert.deepEqual(run(late), []);

		// Minibatch noise around a flat level (×/÷ 2) is not a trend.
		const noisy = new LayerDetectorSet();
		const r = rng(7);
		for (let s = 0; s < 2000; s++) {
			noisy.feedStep(s, Math.exp((r() - 0.5) * 1.4), 1 + 0.1 * r());
		}
		assert.deepEqual(kinds(noisy.findings), []);
	});

	it('NaN origin: one error naming the layer and where; nothing after it', () => {
		const d = new LayerDetectorSet();
		const f = d.feedSample(sample(7, names3), { step: 7, layer: 'dense_2', where: 'output' });
		assert.deepEqual(kinds(f), ['nanOrigin:dense_2']);
		assert.equal(f[0].severity, 'error');
		assert.match(f[0].message, /first appeared in dense_2 at step 7 \(its output\)/);
		assert.deepEqual(
			d.feedSample(sample(8, names3, { updateRatio: [1, 1, 1] }), {
				step: 8,
				layer: 'dense_1',
				where: 'weight',
			}),
			[],
		);
		const loss = new LayerDetectorSet().feedSample(sample(3, names3), {
			step: 3,
			layer: null,
			where: 'loss',
		});
		assert.equal(loss[0].series, 'loss');
		assert.equal(loss[0].layer, undefined);
		assert.match(loss[0].action, /inputs and labels of step 3/);
	});

	it('disabled kinds stay silent; the suggested LR is named in actions', () => {
		const off = new LayerDetectorSet({ disabled: ['updateRatioHigh'] });
		const on = new LayerDetectorSet({ suggestedLr: 3e-4 });
		for (let s = 0; s <= 20; s += 5) {
			off.feedSample(sample(s, names3, { updateRatio: [0.5, 3e-3, 3e-3] }));
			on.feedSample(sample(s, names3, { updateRatio: [0.5, 3e-3, 3e-3] }));
		}
		assert.deepEqual(kinds(off.findings), []);
		assert.match(on.findings[0].action, /~3e-4/);
	});

	it('one text line per sample for the CLI', () => {
		const line = layerSampleLine(
			sample(40, names3, { updateRatio: [3e-3, 0.25, null], dead: [0.6, null, null] }, 8),
		);
		assert.equal(line, 'layers @40  max |Δw|/|w| 0.25 (dense_2)  dense_1 60% dead  every 8 steps');
	});
});
