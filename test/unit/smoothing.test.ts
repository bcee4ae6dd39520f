import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Smoother, debiasedEma } from '../../src/core/smoothing';
import { rampLr, rampLrs } from '../../src/core/ramp';
import { close, referenceCurves as curves } from './reference';

test('debiased EMA, worked by hand (β = 0.5)', () => {
	// avg1 = 0.5 → 0.5/(1-0.5) = 1; avg2 = 0.25 + 1.5 = 1.75 → 1.75/0.75 = 7/3
	const s = debiasedEma([1, 3], 0.5);
	assert.equal(s[0], 1);
	close(s[1] as number, 7 / 3, 1e-15, 'step 2');
	// The first point is always returned exactly (debiasing removes the pull towards avg_0 = 0).
	assert.equal(debiasedEma([4.25], 0.98)[0], 4.25);
});

test('non-finite points pass through and do not advance t', () => {
	const withGaps = debiasedEma([1, null, NaN, 3, Infinity], 0.5);
	assert.equal(withGaps[0], 1);
	assert.equal(withGaps[1], null);
	assert.ok(Number.isNaN(withGaps[2]));
	close(withGaps[3] as number, 7 / 3, 1e-15, 'after gaps');
	assert.equal(withGaps[4], Infinity);
	assert.deepEqual(debiasedEma([null, 2], 0.9), [null, 2]);
});

test('β = 0 is the identity; a bad β is refused', () => {
	assert.deepEqual(debiasedEma([3, 1, 2], 0), [3, 1, 2]);
	assert.throws(() => debiasedEma([1], 1), /beta must be a number in \[0, 1\)/);
	assert.throws(() => new Smoother(-0.1), /beta/);
});

test('Smoother (incremental) equals the batch function and tracks count/value', () => {
	const xs = [2.3, 2.1, null, 1.9, 2.5, 1.2, NaN, 0.8];
	const batch = debiasedEma(xs, 0.9);
	const s = new Smoother(0.9);
	assert.equal(s.value, null);
	const inc = xs.map((x) => s.push(x));
	assert.deepEqual(inc, batch);
	assert.equal(s.count, 6);
	assert.equal(s.value, batch[7]);
	s.reset();
	assert.equal(s.count, 0);
	assert.equal(s.push(5), 5);
});

test('matches the Python reference smoothing on every smoothed fixture curve', () => {
	let checked = 0;
	for (const c of curves.filter((k) => k.smoothed)) {
		const s = debiasedEma(c.raw, c.beta);
		assert.equal(s.length, c.losses.length);
		for (let i = 0; i < s.length; i++) {
			const e = c.losses[i];
			if (e === null) {
				assert.ok(
					s[i] === null || !Number.isFinite(s[i] as number),
					`${c.name}[${i}] should pass through`,
				);
			} else {
				close(s[i] as number, e, 1e-12, `${c.name}[${i}]`);
				checked++;
			}
		}
	}
	assert.ok(checked > 1000);
});

test('exponential ramp: fastai defaults, matching the reference LRs', () => {
	const lrs = rampLrs(100, 1e-7, 10);
	const ref = curves.find((c) => c.name === 'typical0')!.lrs;
	assert.equal(lrs[0], 1e-7);
	close(lrs[99], 10, 1e-14, 'last');
	lrs.forEach((x, i) => close(x, ref[i], 1e-13, `lr[${i}]`));
	// Evenly spaced in log: each step multiplies by 10^(8/99).
	close(lrs[50] / lrs[49], Math.pow(10, 8 / 99), 1e-12, 'ratio');
});

test('linear ramp and one-step ramp', () => {
	assert.deepEqual(rampLrs(5, 0, 1, 'linear'), [0, 0.25, 0.5, 0.75, 1]);
	assert.equal(rampLr(2, 3, 1e-3, 1e-1, 'exp'), 1e-1);
	close(rampLr(1, 3, 1e-3, 1e-1, 'exp'), 1e-2, 1e-14, 'mid');
	assert.deepEqual(rampLrs(1, 0.5, 2), [0.5]);
	assert.throws(() => rampLrs(10, 0, 1, 'exp'), /start > 0/);
	assert.throws(() => rampLrs(0, 1e-3, 1), /integer ≥ 1/);
});
