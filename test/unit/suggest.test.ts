import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggest } from '../../src/core/headline';
import {
	consensusOf,
	minimumPick,
	npGradient,
	slidePick,
	steepPick,
	suggestionSpread,
	trimRange,
	valleyPick,
	valleyPickQuadratic,
} from '../../src/core/suggest';
import type { SuggestionReport } from '../../src/core/types';
import { suggestionNames } from '../../src/core/types';
import { close, referenceCurves as curves } from './reference';

test('every rule matches the independent fastai re-implementation (Python/numpy) on every curve', () => {
	assert.ok(curves.length >= 30);
	let compared = 0;
	for (const c of curves) {
		const r = suggest(c.lrs, c.losses, c.numIt);
		for (const name of suggestionNames) {
			const e = c.expected[name];
			const a = r.suggestions[name];
			if (e === null) {
				assert.equal(a, null, `${c.name}.${name} should be null`);
			} else {
				assert.ok(a, `${c.name}.${name} should not be null`);
				close(a.lr, e.lr, 1e-12, `${c.name}.${name}`);
				assert.equal(a.index, e.index, `${c.name}.${name} index`);
				compared++;
			}
		}
	}
	assert.ok(compared > 100, `compared ${compared}`);
});

test('the fixtures exercise the edge cases the brief names', () => {
	const byName = new Map(curves.map((c) => [c.name, c]));
	for (const n of [
		'flat',
		'monotoneDown',
		'monotoneUp',
		'singleSpikeRaw',
		'allNaN',
		'short12',
		'short5',
		'nanAt70',
		'valleyWrapsToEnd',
	]) {
		assert.ok(byName.has(n), n);
	}
	// NaN at 70 cuts the curve: no suggestion may come from index ≥ 70.
	const r = suggest(byName.get('nanAt70')!.lrs, byName.get('nanAt70')!.losses);
	for (const name of suggestionNames) {
		assert.ok((r.suggestions[name]?.index ?? 0) < 70, name);
	}
});

test('trim: [floor(numIt/10), n-5), then cut at the first non-finite', () => {
	const ys = Array.from({ length: 100 }, () => 1);
	assert.deepEqual(trimRange(ys, 100), [10, 95]);
	assert.deepEqual(trimRange(ys, 25), [2, 95]);
	assert.deepEqual(trimRange(ys.slice(0, 8), 100), [8, 8]);
	const withNull: (number | null)[] = [...ys];
	withNull[40] = null;
	assert.deepEqual(trimRange(withNull, 100), [10, 40]);
	withNull[5] = null; // before the trim start: ignored, as in fastai
	assert.deepEqual(trimRange(withNull, 100), [10, 40]);
	assert.deepEqual(trimRange([], 0), [0, 0]);
});

test('valley, worked by hand', () => {
	// Strictly decreasing 7 points from index 0: max_end 6, lds 7, max_start = -1;
	// sections = 7/3, idx = -1 + 2 + 1 = 2.
	assert.deepEqual(valleyPick([10, 11, 12, 13, 14, 15, 16], [7, 6, 5, 4, 3, 2, 1]), {
		lr: 12,
		index: 2,
	});
	// Longest run [2, 1] at the start: idx = -1 + 0 + 0 = -1, which fastai reads as the last LR.
	assert.deepEqual(valleyPick([10, 11, 12], [2, 1, 3]), { lr: 12, index: 2 });
	// Run 5,4,3,2 at indices 2..5 (1 and 0.5 are below it, so they cannot start it): max_end 5,
	// lds 4, max_start 1; sections = 4/3, idx = 1 + 1 + 0 = 2.
	assert.deepEqual(valleyPick([0, 1, 2, 3, 4, 5, 6], [1, 0.5, 5, 4, 3, 2, 12]), {
		lr: 2,
		index: 2,
	});
	// The run is a subsequence, not contiguous: 10,5,4,3,2 (lds 5, max_start 0), idx = 0 + 1 + 0.
	assert.deepEqual(valleyPick([0, 1, 2, 3, 4, 5, 6], [9, 10, 5, 4, 3, 2, 12]), { lr: 1, index: 1 });
	assert.equal(valleyPick([], []), null);
});

test('the O(n log n) valley equals the O(n²) fastai loop (random, tied and quantised curves)', () => {
	// A small deterministic LCG so failures reproduce.
	let seed = 12345;
	const rand = (): number => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed / 2147483648;
	};
	for (let k = 0; k < 400; k++) {
		const n = 1 + Math.floor(rand() * 120);
		const levels = k % 3 === 0 ? 4 : k % 3 === 1 ? 30 : 0; // 0 = continuous values
		const losses = Array.from({ length: n }, (_, i) => {
			const v = 2 - i / n + (rand() - 0.5) * (k % 5) * 0.3;
			return levels ? Math.round(v * levels) / levels : v;
		});
		const lrs = losses.map((_, i) => i + 1);
		assert.deepEqual(
			valleyPick(lrs, losses),
			valleyPickQuadratic(lrs, losses),
			`case ${k}: ${JSON.stringify(losses)}`,
		);
	}
	for (const c of curves) {
		const y = c.losses.map((x) => (x === null ? NaN : x));
		const [a, b] = trimRange(c.losses, c.numIt);
		assert.deepEqual(
			valleyPick(c.lrs.slice(a, b), y.slice(a, b)),
			valleyPickQuadratic(c.lrs.slice(a, b), y.slice(a, b)),
			c.name,
		);
	}
});

test('numpy.gradient, slide, minimum and steep, worked by hand', () => {
	assert.deepEqual(npGradient([1, 4, 9, 16]), [3, 4, 6, 7]);
	// A straight line has one gradient everywhere: slide stops at once with lrs[n-16].
	const lrs = Array.from({ length: 20 }, (_, i) => i + 1);
	const line = lrs.map((x) => 2 - 0.1 * x);
	assert.deepEqual(slidePick(lrs, line), { lr: 5, index: 4 });
	assert.equal(slidePick(lrs.slice(0, 15), line.slice(0, 15)), null);
	// A kink: flat up to index 8, then slope 1.
	const kink = lrs.map((_x, i) => (i <= 8 ? 1 : 1 + (i - 8)));
	// g: 0 for i ≤ 7, 0.5 at 8, 1 after. r starts at 19 (g=1) vs l=4 (g=0): slide; r=18/l=3 … r=15/l=0:
	// all |1-0| > thresh, so the loop runs off the left end and the last pick is lrs[0].
	assert.deepEqual(slidePick(lrs, kink), { lr: 1, index: 0 });
	assert.deepEqual(minimumPick([1, 2, 3, 4], [3, 1, 1, 2]), { lr: 0.2, index: 1 });
	// steep: slopes vs ln(lr) are -2 and -0.5: the first is steeper.
	assert.deepEqual(steepPick([1, Math.E, Math.E * Math.E], [3, 1, 0.5]), { lr: 1, index: 0 });
	assert.equal(steepPick([1], [1]), null);
});

test('short, empty, all-NaN and flat curves never throw; rules without points are null', () => {
	for (let n = 0; n < 30; n++) {
		const lrs = Array.from({ length: n }, (_, i) => 1e-5 * Math.pow(1.5, i));
		for (const losses of [
			lrs.map(() => null),
			lrs.map(() => 1),
			lrs.map((_, i) => (i % 3 === 0 ? null : 1 / (i + 1))),
		]) {
			const r = suggest(lrs, losses);
			assert.ok(r.agreement.of <= 4);
		}
	}
	const allNull = suggest([1, 2, 3, 4, 5, 6, 7, 8], Array(8).fill(null));
	assert.deepEqual(allNull.suggestions, { valley: null, slide: null, minimum: null, steep: null });
	assert.equal(allNull.consensus, null);
	assert.deepEqual(allNull.agreement, {
		agreeing: 0,
		of: 0,
		toleranceDecades: 0.5,
		spreadDecades: 0,
	});
	assert.throws(() => suggest([1, 2], [1]), /same length/);
});

test('consensus is the median in log space; agreement counts suggestions within 0.5 decade', () => {
	const c = consensusOf([1e-3, 1e-2, 1e-4, 1e-3]);
	close(c.lr!, 1e-3, 1e-12, 'consensus');
	assert.equal(c.agreeing, 2);
	assert.equal(c.of, 4);
	close(c.spreadDecades, 2, 1e-12, 'spread');
	// Even count with distinct middles: the geometric mean of the two middle LRs.
	close(consensusOf([1e-4, 1e-3, 1e-2, 1e-1]).lr!, Math.sqrt(1e-3 * 1e-2), 1e-12, 'even');
	// Exactly half a decade away still agrees.
	assert.equal(consensusOf([1e-3, 1e-3, Math.pow(10, -2.5)]).agreeing, 3);
	assert.equal(consensusOf([1e-3], 0.1).agreeing, 1);
	assert.equal(consensusOf([]).lr, null);
});

test('suggest reports untrimmed indices and a consensus index on the curve', () => {
	const c = curves.find((k) => k.name === 'typical3')!;
	const r = suggest(c.lrs, c.losses, c.numIt);
	const lrs = [
		r.suggestions.valley!.lr,
		r.suggestions.slide!.lr,
		r.suggestions.minimum!.lr,
		r.suggestions.steep!.lr,
	];
	const logs = lrs.map(Math.log10).sort((a, b) => a - b);
	close(r.consensus!.lr, Math.pow(10, (logs[1] + logs[2]) / 2), 1e-12, 'consensus');
	assert.equal(r.suggestions.valley!.lr, c.lrs[r.suggestions.valley!.index!]);
	const ci = r.consensus!.index!;
	// The consensus index is the nearest curve LR in log distance.
	for (const j of [ci - 1, ci + 1]) {
		assert.ok(
			Math.abs(Math.log(c.lrs[j]) - Math.log(r.consensus!.lr)) >=
				Math.abs(Math.log(c.lrs[ci]) - Math.log(r.consensus!.lr)),
		);
	}
	assert.equal(r.agreement.of, 4);
	close(r.agreement.spreadDecades, logs[3] - logs[0], 1e-12, 'spread');
});

test('suggestionSpread across runs', () => {
	const mk = (v: number | null, s: number): SuggestionReport => ({
		suggestions: {
			valley: v === null ? null : { lr: v },
			slide: { lr: s },
			minimum: null,
			steep: null,
		},
		consensus: { lr: s },
		agreement: { agreeing: 1, of: 1, toleranceDecades: 0.5, spreadDecades: 0 },
	});
	const sp = suggestionSpread([mk(1e-3, 1e-2), mk(1e-1, 1e-2), mk(null, 1e-2)]);
	assert.equal(sp.runs, 3);
	assert.equal(sp.per.valley!.min, 1e-3);
	assert.equal(sp.per.valley!.max, 1e-1);
	close(sp.per.valley!.geoMean, 1e-2, 1e-12, 'geoMean');
	close(sp.per.valley!.spreadDecades, 2, 1e-12, 'spread');
	assert.equal(sp.per.slide!.spreadDecades, 0);
	assert.equal(sp.per.minimum, null);
	assert.equal(sp.per.consensus!.geoMean, 1e-2);
	assert.equal(suggestionSpread([]).per.valley, null);
});
