/**
 * Issue 20 regressions for the layer detectors: no early-divergence alarm from mini-batch noise or a
 * one-batch spike, no suppression of an unrelated layer warning, advice that fits the cause and the
 * run state, and saturation as a finding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayerDetectorSet } from '../../src/core/layers/layerDetectors';
import type { LayerSample } from '../../src/core/layers/types';
import { mulberry32 as rng } from '../../src/core/random';
import type { Finding } from '../../src/core/types';
import { gauss } from './runGen';

const kinds = (fs: readonly Finding[]): string[] =>
	fs.map((f) => `${f.kind}:${f.layer ?? f.series}`);

function sample(step: number, names: string[], over: Partial<LayerSample> = {}): LayerSample {
	const n = names.length;
	return {
		step,
		layers: names,
		params: names.map(() => 100),
		gradNorm: names.map(() => 0.5),
		weightNorm: names.map(() => 3),
		updateRatio: names.map(() => 3e-3),
		dead: new Array<number | null>(n).fill(null),
		saturated: new Array<number | null>(n).fill(null),
		every: 2,
		...over,
	};
}

const divergence: Finding = {
	kind: 'divergence',
	series: 'loss',
	step: 100,
	unit: 'step',
	severity: 'error',
	message: '',
	action: '',
};

describe('earlyDivergence ignores mini-batch noise', () => {
	for (const seed of [1, 2, 3, 4, 5, 6, 7]) {
		it(`a gradient norm swinging 10–60× between batches while the loss falls (seed ${seed})`, () => {
			const g = gauss(rng(seed));
			const d = new LayerDetectorSet();
			for (let s = 0; s < 600; s++) {
				// log-normal, σ = 1.3: neighbouring batches differ 10–60× regularly.
				d.feedStep(s, 0.3 * Math.exp(1.3 * g()), (0.2 + Math.exp(-s / 150)) * (1 + 0.3 * g()));
			}
			assert.deepEqual(kinds(d.findings), []);
		});
	}
	it('a slowly growing LR with a one-batch spike at step 88, the loss then improving 3.3×', () => {
		const g = gauss(rng(88));
		const d = new LayerDetectorSet();
		for (let s = 0; s < 300; s++) {
			const norm = 0.5 * 1.003 ** s * Math.exp(0.5 * g()) * (s === 88 ? 40 : 1);
			const loss = 3.3 * Math.exp(-s / 80) + 0.3 * (1 + 0.2 * g()) + (s === 88 ? 5 : 0);
			d.feedStep(s, norm, loss);
		}
		assert.deepEqual(kinds(d.findings), []);
	});
});

describe('no layer warning is suppressed by an unrelated one', () => {
	it('updateRatioHigh on the head still fires after an early-divergence warning', () => {
		const names = ['dense_1', 'dense_2', 'head'];
		const d = new LayerDetectorSet();
		for (let s = 0; s < 120; s++) {
			const norm = s < 60 ? 1 : 1.4 ** (s - 60);
			d.feedStep(s, norm, s < 60 ? 2 - s / 60 : 1 + 0.01 * (s - 60));
		}
		assert.deepEqual(kinds(d.findings), ['earlyDivergence:grad_norm']);
		const r = rng(209);
		for (let s = 209; s < 240; s += 2) {
			d.feedSample(sample(s, names, { updateRatio: [3e-3, 3e-3, 0.13 + 0.3 * r()] }));
		}
		assert.deepEqual(kinds(d.findings), ['earlyDivergence:grad_norm', 'updateRatioHigh:head']);
		assert.equal(d.findings[1].step, 209);
	});
});

describe('advice fits the cause and the run state', () => {
	const names = ['dense_1', 'dense_2', 'out'];
	it('a ReLU layer dead only because the layer before it is dead is told to fix that layer', () => {
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 20; s += 2) {
			d.feedSample(sample(s, names, { dead: [1, 1, null], gradNorm: [0, 0, 0.5] }));
		}
		const dead = d.findings.filter((f) => f.kind === 'deadUnits');
		assert.deepEqual(kinds(dead), ['deadUnits:dense_1', 'deadUnits:dense_2']);
		assert.match(dead[0].action, /bias at 0/);
		assert.match(dead[1].message, /dense_1 before it is dead/);
		assert.match(dead[1].action, /Fix dense_1 first/);
		assert.doesNotMatch(dead[1].action, /bias/);
	});
	it('after a divergence: no bias advice for dead units, no "raise the LR" for a stalled layer', () => {
		const d = new LayerDetectorSet();
		d.noteLossFinding(divergence);
		for (let s = 0; s <= 30; s += 2) {
			d.feedSample(
				sample(s, names, {
					dead: [0.9, null, null],
					updateRatio: [3e-3, 1e-8, 3e-3],
					gradNorm: [0.5, 1e-4, 0.5],
				}),
			);
		}
		const byKind = new Map(d.findings.map((f) => [f.kind, f]));
		assert.ok(byKind.has('deadUnits') && byKind.has('notLearning'), kinds(d.findings).join());
		assert.doesNotMatch(byKind.get('deadUnits')!.action, /bias/);
		assert.match(byKind.get('deadUnits')!.action, /lower the learning rate/);
		assert.doesNotMatch(byKind.get('notLearning')!.action, /raise the learning rate/);
	});
	it('vanishing gradients name the first layer as the first layer, not as something before it', () => {
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 10; s += 2) {
			d.feedSample(
				sample(s, ['sig_0', 'sig_1', 'sig_2', 'out'], { gradNorm: [1e-7, 1e-5, 1e-3, 1] }),
			);
		}
		const f = d.findings.find((x) => x.kind === 'vanishingGradients')!;
		assert.doesNotMatch(f.message, /before sig_0/);
		assert.match(f.message, /sig_0 \(the first layer\)/);
	});
});

describe('saturation is a finding', () => {
	it('99% of the first tanh layer saturated: reported within a few samples, inputs named', () => {
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 20; s += 2) {
			d.feedSample(sample(s, ['tanh_1', 'dense_2', 'out'], { saturated: [0.99, 0.1, null] }));
		}
		assert.deepEqual(kinds(d.findings), ['saturation:tanh_1']);
		const f = d.findings[0];
		assert.equal(f.step, 0);
		assert.ok(f.detectedAt! <= 12, `at ${f.detectedAt}`);
		assert.match(f.message, /99% of tanh_1's sigmoid\/tanh activations are saturated/);
		assert.match(f.action, /Standardise the inputs/);
	});
	it('a moderately saturated layer is healthy', () => {
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 200; s += 2) {
			d.feedSample(sample(s, ['tanh_1', 'out'], { saturated: [0.3, null] }));
		}
		assert.deepEqual(kinds(d.findings), []);
	});
});

describe('advice knows the LR', () => {
	it('at an LR of 5, a stalled layer is not told to raise it, dead units are blamed on it', () => {
		const names = ['dense_1', 'dense_2', 'out'];
		const d = new LayerDetectorSet();
		for (let s = 0; s <= 30; s += 2) {
			d.feedStep(s, 1, 1, 5);
			d.feedSample(
				sample(s, names, {
					dead: [0.9, null, null],
					updateRatio: [3e-3, 1e-8, 3e-3],
					gradNorm: [0.5, 1e-4, 0.5],
				}),
			);
		}
		const byKind = new Map(d.findings.map((f) => [f.kind, f]));
		assert.doesNotMatch(byKind.get('notLearning')!.action, /raise the learning rate/);
		assert.match(byKind.get('notLearning')!.action, /already 5, far too high/);
		assert.doesNotMatch(byKind.get('deadUnits')!.action, /bias/);
		assert.match(byKind.get('deadUnits')!.action, /learning rate of 5/);
	});
});
