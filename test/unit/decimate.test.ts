import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimationIndices, maxDrawPoints } from '../../src/core/present/decimate';
import { gauss, rng } from './runGen';

function noisyCurve(n: number, seed: number): number[] {
	const g = gauss(rng(seed));
	return Array.from({ length: n }, (_v, i) => 1 + Math.exp(-i / (n / 5)) + 0.05 * g());
}

describe('decimationIndices (the charts’ decimation)', () => {
	it('keeps the envelope, the end points and a lone spike within the point budget', () => {
		const y = noisyCurve(100_000, 1);
		y[54_321] = 50;
		y[7] = -3;
		const keep = decimationIndices(y.length, maxDrawPoints, [y]);
		assert.ok(keep.length <= maxDrawPoints, `${keep.length} points`);
		assert.equal(keep[0], 0);
		assert.equal(keep.at(-1), y.length - 1);
		assert.ok(keep.includes(54_321), 'the spike');
		assert.ok(keep.includes(7), 'the dip');
		assert.deepEqual(
			keep,
			[...keep].sort((a, b) => a - b),
			'ascending',
		);
		const kept = keep.map((i) => y[i]);
		assert.equal(Math.max(...kept), Math.max(...y));
		assert.equal(Math.min(...kept), Math.min(...y));
	});

	it('keeps every gap and the extremes of every aligned series', () => {
		const a = noisyCurve(20_000, 2);
		const b: (number | null)[] = noisyCurve(20_000, 3).map((v) => -v);
		b[10_000] = null;
		b[15_000] = 99;
		const keep = decimationIndices(a.length, 1000, [a, b]);
		assert.ok(keep.includes(10_000), 'the gap');
		assert.ok(keep.includes(15_000), 'the other series’ spike');
		assert.ok(keep.length < 1100);
	});

	it('returns short curves whole', () => {
		assert.deepEqual(decimationIndices(5, 1000, [[1, 2, null, 4, 5]]), [0, 1, 2, 3, 4]);
		assert.deepEqual(decimationIndices(0, 1000, []), []);
	});
});
