import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimateMinMax, lttb } from '../../src/core/decimate';
import { gauss, rng } from './runGen';

function noisyCurve(n: number, seed: number): { x: number[]; y: number[] } {
	const g = gauss(rng(seed));
	const x: number[] = [];
	const y: number[] = [];
	for (let i = 0; i < n; i++) {
		x.push(i);
		y.push(1 + Math.exp(-i / (n / 5)) + 0.05 * g());
	}
	return { x, y };
}

describe('decimateMinMax', () => {
	it('keeps the exact envelope: every bucket min and max, the end points, and a lone spike', () => {
		const { x, y } = noisyCurve(100_000, 1);
		y[54_321] = 50;
		const d = decimateMinMax(x, y, 500);
		assert.ok(d.x.length <= 2 * 500 + 2 && d.x.length >= 500, `${d.x.length}`);
		assert.equal(d.x[0], 0);
		assert.equal(d.x[d.x.length - 1], 99_999);
		assert.ok(d.x.includes(54_321));
		assert.equal(Math.max(...d.y), 50);
		assert.equal(Math.min(...d.y), Math.min(...y));
		// x stays ascending, so the curve draws left to right.
		for (let i = 1; i < d.x.length; i++) {
			assert.ok(d.x[i] > d.x[i - 1]);
		}
	});
	it('marks gaps: a bucket with a non-finite value keeps one NaN point', () => {
		const x = Array.from({ length: 1000 }, (_, i) => i);
		const y: (number | null)[] = x.map((i) => i / 1000);
		y[500] = null;
		const d = decimateMinMax(x, y, 10);
		const gaps = d.x.filter((_, i) => Number.isNaN(d.y[i]));
		assert.deepEqual(gaps, [500]);
	});
	it('returns small inputs unchanged', () => {
		assert.deepEqual(decimateMinMax([1, 2, 3], [3, null, 1], 10), { x: [1, 2, 3], y: [3, NaN, 1] });
	});
});

describe('lttb', () => {
	it('returns exactly `threshold` points with both ends and the spike', () => {
		const { x, y } = noisyCurve(1_000_000, 2);
		y[777_777] = 40;
		const d = lttb(x, y, 1000);
		assert.equal(d.x.length, 1000);
		assert.equal(d.x[0], 0);
		assert.equal(d.x[999], 999_999);
		assert.ok(d.x.includes(777_777));
	});
	it('drops non-finite points and passes short inputs through', () => {
		assert.deepEqual(lttb([0, 1, 2, 3], [1, NaN, null, 2], 10), { x: [0, 3], y: [1, 2] });
	});
	it('picks the vertex of a V shape', () => {
		const x = Array.from({ length: 101 }, (_, i) => i);
		const y = x.map((i) => Math.abs(i - 37));
		const d = lttb(x, y, 3);
		assert.deepEqual(d.x, [0, 37, 100]);
	});
});
