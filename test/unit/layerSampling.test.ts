/**
 * How often monitor mode samples the layers (src/engine/layers/layerSignals.ts): k keeps a sample's measured
 * cost within the overhead budget of the measured step time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyForBudget, nextEvery } from '../../src/engine/layers/layerSampling';

test('k is the smallest whole number of steps whose budget covers one sample', () => {
	// A 2 ms sample on 10 ms steps at 5 %: 0.5 ms of budget per step, so every 4 steps.
	assert.equal(everyForBudget(2, 10, 0.05), 4);
	// Just over a whole multiple rounds up, so the overhead never exceeds the budget.
	assert.equal(everyForBudget(2.01, 10, 0.05), 5);
	// A sample cheaper than the per-step budget samples every step.
	assert.equal(everyForBudget(0.1, 10, 0.05), 1);
	// A very costly sample on fast steps is capped: a long run still gets a picture.
	assert.equal(everyForBudget(1e6, 0.1, 0.05), 1000);
});

test('until a step and a sample have been timed, k is 2', () => {
	assert.equal(everyForBudget(undefined, 10, 0.05), 2);
	assert.equal(everyForBudget(3, undefined, 0.05), 2);
});

test('one slow sample does not starve the detectors (issue 20: k jumped from 2 to 124)', () => {
	// Samples cost 0.1 ms on 1 ms steps (k = 2), then one costs 6 ms (a GC pause).
	const costs = [0.1, 0.1, 0.1, 6];
	assert.equal(nextEvery(2, costs, 1, 0.05, 40), 2);
	// Even a real rise in cost grows k at most twofold per sample, and at most to 1/8 of the steps.
	assert.equal(nextEvery(2, [6, 6, 6], 1, 0.05, 400), 4);
	assert.equal(nextEvery(64, [6, 6, 6], 1, 0.05, 80), 10);
	// With a settled cost, the budget's k is reached after enough steps.
	assert.equal(nextEvery(64, [6, 6, 6], 1, 0.05, 10_000), 120);
});
