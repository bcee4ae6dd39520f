/**
 * The time budget (src/engine/training/rangeBudget.ts): steps and repeats the caller left open shrink to
 * fit the measured step cost — repeats first, then steps, never below 30 — and a note says so;
 * given ones are kept; a fast model keeps the full 3 × 100; progress totals follow the plan.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { planBudget } from '../../src/engine/training/rangeBudget';
import { overallProgress, runRangeTest } from '../../src/engine/training/rangeTest';
import type { Tf } from '../../src/engine/sources/sourceTypes';
import { cpuTf, linearSource } from './helpers';

let tf: Tf;
before(async () => {
	tf = await cpuTf();
});

const full = { steps: 100, repeat: 3 };
const open = { steps: false, repeat: false };

describe('time budget: the plan', () => {
	it('a fast model keeps 3 × 100; 2 steps/s gets one run of 90 steps (≤ 45 s of training)', () => {
		assert.deepEqual(planBudget(full, open, 0.01, 45), full);
		const p = planBudget(full, open, 0.5, 45);
		assert.deepEqual([p.steps, p.repeat], [90, 1]);
		assert.match(
			p.note ?? '',
			/a step takes 0\.5 s here, so one run of 90 steps instead of 3 × 100/,
		);
	});

	it('repeats go first (each is a whole curve), then steps, never below 30', () => {
		const two = planBudget(full, open, 0.2, 45);
		assert.deepEqual([two.steps, two.repeat], [100, 2]);
		const slow = planBudget(full, open, 5, 45);
		assert.deepEqual([slow.steps, slow.repeat], [30, 1]);
	});

	it('what the caller gave is kept; budget 0 is off', () => {
		assert.deepEqual(planBudget(full, { steps: true, repeat: true }, 5, 45), full);
		const steps = planBudget(full, { steps: true, repeat: false }, 0.5, 45);
		assert.deepEqual([steps.steps, steps.repeat], [100, 1]);
		const repeat = planBudget(full, { steps: false, repeat: true }, 0.5, 45);
		assert.deepEqual([repeat.steps, repeat.repeat], [30, 3]);
		assert.deepEqual(planBudget(full, open, 5, 0), full);
	});
});

describe('time budget: a range test', () => {
	it('a tiny budget cuts the default run to one run of 30 steps, says so, and progress follows', async () => {
		const src = linearSource(tf, { n: 128 });
		try {
			const seen: { step: number; total: number }[] = [];
			const r = await runRangeTest(
				tf,
				src,
				{ budgetSeconds: 1e-4, endLr: 1e-2 },
				{ onProgress: (p) => seen.push(overallProgress(p, { steps: 100, repeat: 3 })) },
			);
			assert.equal(r.steps, 30);
			assert.equal(r.spread, undefined, 'one run: no spread');
			assert.equal(r.lrs.length, 30);
			assert.ok(
				r.notes.some((n) => /^time budget: .*one run of 30 steps instead of 3 × 100/.test(n)),
			);
			assert.deepEqual(
				seen.map((p) => [p.step, p.total]),
				r.lrs.map((_l, i) => [i, 30]),
			);
		} finally {
			src.dispose();
		}
	});

	it('the timing steps leave no trace: the first curve is the one an untimed run records', async () => {
		const curve = async (budgetSeconds: number) => {
			const src = linearSource(tf, { n: 128 });
			try {
				return (await runRangeTest(tf, src, { steps: 20, budgetSeconds })).losses;
			} finally {
				src.dispose();
			}
		};
		const withTiming = await curve(1e-4);
		assert.deepEqual(withTiming, await curve(0));
	});
});
