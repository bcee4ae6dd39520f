/** The runner guard for `layerStats` (per-layer signals) accepts what the fit hook sends and nothing malformed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFromRunnerMessage } from '../../src/shared/runnerGuards';

const good = {
	type: 'layerStats',
	id: 'r1',
	sample: {
		step: 4,
		layers: ['dense_1', 'relu_1'],
		params: [40, 0],
		gradNorm: [0.5, null],
		weightNorm: [3, null],
		updateRatio: [2e-3, null],
		dead: [null, 0.25],
		saturated: [null, null],
		every: 2,
		overhead: 0.03,
	},
};

describe('layerStats guard', () => {
	it('accepts a sample, with or without a NaN origin', () => {
		assert.ok(isFromRunnerMessage(good));
		assert.ok(
			isFromRunnerMessage({ ...good, nan: { step: 4, layer: 'dense_1', where: 'weight' } }),
		);
		assert.ok(isFromRunnerMessage({ ...good, nan: { step: 4, layer: null, where: 'loss' } }));
	});

	it('rejects misaligned arrays, non-numbers and unknown NaN places', () => {
		const bad = (patch: Record<string, unknown>): unknown => ({
			...good,
			sample: { ...good.sample, ...patch },
		});
		assert.equal(isFromRunnerMessage(bad({ gradNorm: [0.5] })), false);
		assert.equal(isFromRunnerMessage(bad({ dead: ['x', null] })), false);
		assert.equal(isFromRunnerMessage(bad({ layers: [1, 2] })), false);
		assert.equal(isFromRunnerMessage(bad({ every: 'often' })), false);
		assert.equal(
			isFromRunnerMessage({ ...good, nan: { step: 4, layer: 'dense_1', where: 'somewhere' } }),
			false,
		);
	});
});
