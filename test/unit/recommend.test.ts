import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headlineOf, suggest } from '../../src/core/headline';
import { headlineText } from '../../src/core/present/headline';
import { divergenceLr, recommendSchedule } from '../../src/core/recommend';
import type { RecommendInput } from '../../src/core/recommend';
import { lrAt, scheduleLrs } from '../../src/core/schedules/scheduleLr';
import type { StopReason } from '../../src/core/types';
import { referenceCurves as curves } from './reference';
import { sampleRangeTest } from '../webview/sampleResults';

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
	// The headline rule: the geometric mean of valley (3.9e-5) and minimum (1.6e-4).
	const { valley, minimum } = r.report.suggestions;
	assert.equal(headlineOf(r).rule, 'valleyMinimum');
	assert.ok(Math.abs(rec.spec.maxLr - Math.sqrt(valley!.lr * minimum!.lr)) < 1e-15);
	assert.equal(rec.spec.totalSteps, 1000);
	assert.equal(rec.spec.pctStart, 0.3);
	assert.match(
		rec.reason,
		/^one-cycle up to the suggested LR 7\.8e-5 \(valley–minimum\); 4\/4 suggestions agree within 0\.5 decade$/,
	);
	assert.ok(!rec.reason.includes('\n'));
	// The schedule actually peaks at maxLr: step e1 = 0.3·1000 - 1 = 299.
	assert.equal(Math.max(...scheduleLrs(rec.spec, 1000)), lrAt(rec.spec, 299));
});

test('the peak is capped at a tenth of the divergence LR', () => {
	// A one-decade ramp (0.01 … 0.1): the loss falls over the whole ramp (a sigmoid centred on
	// 0.03), bottoms out at step 55 and then doubles per step until the test stops as diverged.
	const lrs = Array.from({ length: 60 }, (_, i) => 1e-2 * Math.pow(10, i / 59));
	const smoothed = lrs.map((lr, i) =>
		i < 56 ? 0.5 + 1.5 / (1 + Math.exp(6 * (Math.log10(lr) + 1.5))) : 0.5 * 2 ** (i - 55),
	);
	const report = suggest(lrs, smoothed);
	const r: RecommendInput = { lrs, smoothed, stopReason: 'diverged', report };
	assert.equal(divergenceLr(r), lrs[59]);
	const h = headlineOf(r);
	assert.equal(h.verdict, 'clear');
	assert.ok((h.lr as number) > lrs[59] / 10, `headline ${h.lr}`);
	const rec = recommendSchedule(r, { totalSteps: 500 });
	assert.ok(rec.spec.kind === 'oneCycle');
	assert.equal(rec.spec.maxLr, lrs[59] / 10);
	assert.match(
		rec.reason,
		/^one-cycle up to 0\.01 \(the suggested LR 0\.016 \(valley–minimum\), capped at 1\/10 of the divergence LR 0\.1\); 3\/4 suggestions agree within 0\.5 decade$/,
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
	// A trained model: the loss is flat around 0.4 up to ~3e-2, then diverges.
	const r = sampleRangeTest({ shape: 'flat' });
	const h = headlineOf(r);
	assert.equal(h.verdict, 'noClearValley');
	const rec = recommendSchedule(r, { totalSteps: 100 });
	assert.ok(rec.spec.kind === 'cosine');
	assert.equal(rec.spec.warmupTarget, h.lr);
	assert.ok(rec.reason.includes(headlineText(h)), rec.reason);
	assert.match(
		rec.reason,
		/^cosine with warmup to the suggested LR 4\.5e-3 \(no clear valley\), because the curve has no clear valley$/,
	);
});

test('clear but disagreeing rules: cosine to the headline, saying the rules disagree', () => {
	// quantised2 (losses on a 0.05 grid): valley 0.6, slide 0.047, minimum 0.25 past the flat start
	// (steep, 0.007, is more than 2 decades below the lowest loss and set aside): a clear valley, but
	// only 2 of the 4 rules within 0.5 decade of their consensus.
	const r = input('quantised2');
	const h = headlineOf(r);
	assert.equal(h.verdict, 'clear');
	assert.equal(h.rule, 'valleyMinimum');
	assert.deepEqual(h.rules, ['valley', 'slide', 'minimum']);
	const rec = recommendSchedule(r, { totalSteps: 100 });
	assert.ok(rec.spec.kind === 'cosine');
	assert.equal(rec.spec.warmupTarget, h.lr);
	assert.match(
		rec.reason,
		/^cosine with warmup to the suggested LR 0\.39 \(valley–minimum\), because the suggestions disagree \(2\/4 within 0\.5 decade, spread 1\.9 decades\)$/,
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
