import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	budgetGridFraction,
	maxProbeSteps,
	minProbeSteps,
	pickVerified,
	probeBudget,
	probeSchedule,
	verifyCandidates,
	type VerifyCandidate,
} from '../../src/core/verify';

test('candidates: the curve LR and the default decades around it, ascending', () => {
	const c = verifyCandidates(0.01);
	assert.deepEqual(
		c.map((x) => x.origin),
		['factor', 'factor', 'curve', 'factor'],
	);
	assert.equal(c[2].lr, 0.01);
	assert.ok(Math.abs(c[0].lr - 0.001) < 1e-15);
	assert.ok(Math.abs(c[1].lr - 0.01 / Math.sqrt(10)) < 1e-15);
	assert.ok(Math.abs(c[3].lr - 0.01 * Math.sqrt(10)) < 1e-15);
	assert.deepEqual(
		verifyCandidates(2, [0.5, 0, 0.5, -1]).map((x) => x.lr),
		[0.2, 2, 2 * Math.sqrt(10)],
	);
	assert.deepEqual(verifyCandidates(0), []);
	assert.deepEqual(verifyCandidates(NaN), []);
});

test('budget: a third of a 9-point grid of the plan, minus the range test', () => {
	assert.equal(budgetGridFraction, 1 / 3);
	assert.equal(probeBudget(200, 100), 500);
	assert.equal(probeBudget(200, 300), 300);
	assert.equal(probeBudget(20, 300), -240);
});

test('schedule: 4 candidates a quarter of the way, the best 2 to the end, within the budget', () => {
	// Plan 200, one range test (100): budget 500; 4·L/4 + 2·3L/4 = 2.5L ≤ 500 → L = 200.
	const s = probeSchedule(4, 200, 100)!;
	assert.deepEqual(s.rounds, [
		{ end: 50, keep: 2 },
		{ end: 200, keep: 2 },
	]);
	assert.equal(s.totalSteps, 4 * 50 + 2 * 150);
	// Three range-test repeats (300) leave 300 steps: the finalists run 120.
	const t = probeSchedule(4, 200, 300)!;
	assert.deepEqual(t.rounds, [
		{ end: 30, keep: 2 },
		{ end: 120, keep: 2 },
	]);
	assert.ok(t.totalSteps + 300 <= 600);
	// A long plan is capped for time to answer.
	const long = probeSchedule(4, 100_000, 300)!;
	assert.equal(long.rounds[1].end, maxProbeSteps);
});

test('schedule: no room → undefined, unless forced (mode on): then the shortest', () => {
	assert.equal(probeSchedule(4, 20, 300), undefined);
	const forced = probeSchedule(4, 20, 300, undefined, true)!;
	assert.equal(forced.rounds[0].end, minProbeSteps);
	assert.equal(forced.rounds[1].end, minProbeSteps * 4);
	assert.equal(probeSchedule(0, 200, 100), undefined);
});

test('schedule: a single round trains every candidate the same length', () => {
	const s = probeSchedule(3, 200, 100, { fractions: [1], keep: [] })!;
	assert.deepEqual(s.rounds, [{ end: 166, keep: 3 }]);
	assert.equal(s.totalSteps, 498);
});

test('pick: the lowest loss among the finite candidates that ran longest', () => {
	const c = (lr: number, heldOutLoss: number | null, steps: number): VerifyCandidate => ({
		lr,
		origin: 'factor',
		heldOutLoss,
		steps,
	});
	// The dropped candidate's short-probe loss is lower but not comparable with the finalists'.
	assert.equal(pickVerified([c(1, 0.1, 50), c(2, 0.5, 200), c(3, 0.4, 200)])?.lr, 3);
	// A finalist that diverged leaves the other.
	assert.equal(pickVerified([c(1, 0.9, 50), c(2, 0.5, 200), c(3, null, 120)])?.lr, 2);
	// Both finalists diverged: the best of the longest finite ones.
	assert.equal(pickVerified([c(1, 0.9, 50), c(2, 0.7, 50), c(3, null, 60)])?.lr, 2);
	assert.equal(pickVerified([c(1, null, 5)]), undefined);
});
