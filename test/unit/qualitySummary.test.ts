import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Outcome } from '../../bench/quality/policies';
import { seedSummaries, summarize } from '../../bench/quality/summary';

const o = (ratio: number, costOfGrid = 0.3, seconds = 1): Outcome => ({
	lr: 0.01,
	ratio,
	costOfGrid,
	seconds,
	verified: true,
});

test('summarize: the median over seeds per workload, the worst over every run', () => {
	const s = summarize([[o(1), o(1.3)], [o(1.05)], [o(2)]]);
	assert.equal(s.workloads, 3);
	assert.equal(s.runs, 4);
	assert.equal(s.worst, 2);
	// Medians 1.15, 1.05, 2: one within 10%, two within 25%.
	assert.equal(s.within10, 1 / 3);
	assert.equal(s.within25, 2 / 3);
	assert.equal(s.runsWithin10, 2 / 4);
});

test('seedSummaries: each seed alone, then every run pooled', () => {
	const rows = seedSummaries([
		[
			{ seed: 1, outcome: o(1) },
			{ seed: 2, outcome: o(7, 0.29, 3) },
		],
		[
			{ seed: 1, outcome: o(1.2, 0.31) },
			{ seed: 2, outcome: o(1.02) },
		],
	]);
	assert.deepEqual(
		rows.map((r) => [r.label, r.seeds]),
		[
			['seed 1', [1]],
			['seed 2', [2]],
			['pooled', [1, 2]],
		],
	);
	const [s1, s2, pooled] = rows.map((r) => r.summary);
	assert.equal(s1.workloads, 2);
	assert.equal(s1.within10, 1 / 2);
	assert.equal(s1.worst, 1.2);
	assert.equal(s1.maxCost, 0.31);
	assert.equal(s2.worst, 7);
	assert.equal(s2.within10, 1 / 2);
	// Pooled: four runs, each counted on its own — a miss is not averaged with a hit.
	assert.equal(pooled.workloads, 4);
	assert.equal(pooled.within10, 2 / 4);
	assert.equal(pooled.within25, 3 / 4);
	assert.equal(pooled.worst, 7);
	assert.ok(Math.abs(pooled.geoMean - Math.pow(1 * 7 * 1.2 * 1.02, 1 / 4)) < 1e-12);
});

test('seedSummaries: one seed gives its row alone, no pooled row', () => {
	const rows = seedSummaries([[{ seed: 1, outcome: o(1) }], [{ seed: 1, outcome: o(1.1) }]]);
	assert.deepEqual(
		rows.map((r) => r.label),
		['seed 1'],
	);
	assert.equal(rows[0].summary.within10, 1);
});
