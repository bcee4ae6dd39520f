import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headlineOf } from '../../src/core/headline';
import { headlineText } from '../../src/core/present/headline';
import { divergenceLr, recommendSchedule } from '../../src/core/recommend';
import type { RecommendInput } from '../../src/core/recommend';
import { lrAt, scheduleLrs } from '../../src/core/scheduleLr';
import { suggest } from '../../src/core/suggest';
import type { StopReason } from '../../src/core/types';
import { referenceCurves as curves } from './reference';

function input(name: string, stopReason: StopReason = 'completed'): RecommendInput {
	const c = curves.find((k) => k.name === name)!;
	return { lrs: c.lrs, smoothed: c.losses, stopReason, report: suggest(c.lrs, c.losses, c.numIt) };
}

test('a clean, agreeing curve gets one-cycle peaking at the headline LR', () => {
	const r = input('typical0');
	assert.equal(r.report.agreement.agreeing, 4);
	const rec = recommendSchedule(r, { totalSteps: 1000 });
	assert.equal(rec.spec.kind, 'oneCycle');
	assert.ok(rec.spec.kind === 'oneCycle');
	assert.equal(rec.spec.maxLr, headlineOf(r).lr);
	assert.equal(rec.spec.maxLr, r.report.suggestions.valley!.lr);
	assert.equal(rec.spec.totalSteps, 1000);
	assert.equal(rec.spec.pctStart, 0.3);
	assert.match(
		rec.reason,
		/^one-cycle up to the suggested LR 3\.9e-5 \(valley\); 4\/4 suggestions agree within 0\.5 decade$/,
	);
	assert.ok(!rec.reason.includes('\n'));
	// The schedule actually peaks at maxLr: step e1 = 0.3·1000 - 1 = 299.
	assert.equal(Math.max(...scheduleLrs(rec.spec, 1000)), lrAt(rec.spec, 299));
});

test('the peak is capped at a tenth of the divergence LR', () => {
	const lrs = Array.from({ length: 60 }, (_, i) => 1e-4 * Math.pow(10, i / 20)); // 1e-4 … ~0.09
	const r: RecommendInput = {
		lrs,
		smoothed: lrs.map(() => 1),
		stopReason: 'diverged',
		report: {
			suggestions: {
				valley: { lr: 0.05 },
				slide: { lr: 0.04 },
				minimum: { lr: 0.03 },
				steep: { lr: 0.05 },
			},
			consensus: { lr: 0.045 },
			agreement: { agreeing: 4, of: 4, toleranceDecades: 0.5, spreadDecades: 0.2 },
		},
	};
	assert.equal(divergenceLr(r), lrs[59]);
	const rec = recommendSchedule(r, { totalSteps: 500 });
	assert.ok(rec.spec.kind === 'oneCycle');
	assert.equal(rec.spec.maxLr, lrs[59] / 10);
	assert.match(
		rec.reason,
		/^one-cycle up to 8\.9e-3 \(the suggested LR 0\.05 \(valley\), capped at 1\/10 of the divergence LR 0\.089\)/,
	);
});

test('divergenceLr finds the first smoothed point above 4× the best on a completed run', () => {
	const r = {
		lrs: [1, 2, 3, 4, 5],
		smoothed: [2, 1, 3, 4.5, 9],
		stopReason: 'completed' as const,
		report: input('flat').report,
	};
	assert.equal(divergenceLr(r), 4);
	assert.equal(divergenceLr({ ...r, smoothed: [2, 1, 1, 1, 1] }), null);
	assert.equal(divergenceLr({ ...r, smoothed: [2, 1, null, 1, 1] }), 3);
});

test('a short curve gets cosine with warmup to the headline LR', () => {
	const r = input('short12');
	const rec = recommendSchedule(r, { totalSteps: 200 });
	assert.ok(rec.spec.kind === 'cosine');
	const peak = headlineOf(r).lr as number;
	assert.equal(rec.spec.warmupTarget, peak);
	assert.equal(rec.spec.warmupSteps, 20);
	assert.equal(rec.spec.decaySteps, 180);
	assert.equal(rec.spec.initialLearningRate, peak / 25);
	assert.ok(rec.reason.includes(`to the suggested LR ${headlineText(headlineOf(r))},`), rec.reason);
	assert.match(rec.reason, /because the curve is short \(12 finite points\)/);
});

test('a curve without a clear valley gets the conservative schedule, peaking at the headline', () => {
	const r = input('quantised2'); // valley 0.6, slide 0.047, minimum 0.25, steep 0.007: spread > 1.9 decades
	assert.ok(r.report.agreement.agreeing < 3);
	const h = headlineOf(r);
	assert.equal(h.verdict, 'noClearValley');
	const rec = recommendSchedule(r, { totalSteps: 100 });
	assert.ok(rec.spec.kind === 'cosine');
	assert.ok(rec.reason.includes(headlineText(h)), rec.reason);
	assert.match(rec.reason, /because the curve has no clear valley$/);
});

test('clear but disagreeing rules: cosine to the headline, saying the rules disagree', () => {
	const r = input('typical0');
	const disagree: RecommendInput = {
		...r,
		report: {
			...r.report,
			headline: undefined,
			agreement: { ...r.report.agreement, agreeing: 2, of: 4, spreadDecades: 1.2 },
		},
	};
	const rec = recommendSchedule(disagree, { totalSteps: 100 });
	assert.ok(rec.spec.kind === 'cosine');
	assert.equal(rec.spec.warmupTarget, headlineOf(disagree).lr);
	assert.match(
		rec.reason,
		/the suggestions disagree \(2\/4 within 0\.5 decade, spread 1\.2 decades\)/,
	);
});

test('no suggestion at all and very short training', () => {
	const none = recommendSchedule(input('allNaN'), { totalSteps: 100 });
	assert.ok(none.spec.kind === 'cosine');
	assert.equal(none.spec.warmupTarget, 1e-3);
	assert.match(none.reason, /gave no suggestion \(0 finite points\).*the loss was never finite/);
	assert.equal(divergenceLr(input('allNaN', 'nonFinite')), null);
	const short = recommendSchedule(input('short5'), { totalSteps: 100 });
	assert.match(
		short.reason,
		/gave no suggestion \(5 finite points\).*rerun the range test with more steps/,
	);
	const tiny = recommendSchedule(input('typical0'), { totalSteps: 5 });
	assert.ok(tiny.spec.kind === 'cosine');
	assert.equal(tiny.spec.warmupTarget, null);
	assert.equal(tiny.spec.decaySteps, 5);
	assert.match(tiny.reason, /training is short \(5 steps\)/);
	assert.throws(
		() => recommendSchedule(input('typical0'), { totalSteps: 0 }),
		/totalSteps must be an integer ≥ 1/,
	);
});
