/**
 * How often monitor mode samples the layers (src/engine/layerSignals.ts): k keeps a sample's measured
 * cost within the overhead budget of the measured step time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyForBudget } from '../../src/engine/layerSignals';

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
