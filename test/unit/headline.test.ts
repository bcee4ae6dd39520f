import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	chooseHeadline,
	curveShape,
	fallbackDecades,
	headlineOf,
	headlineOfRepeats,
	meanCurve,
	misfireDecades,
	suggest,
	withHeadline,
} from '../../src/core/headline';
import {
	headlineSummary,
	headlineText,
	verdictReasonText,
	verdictText,
} from '../../src/core/present/headline';
import { rampLr } from '../../src/core/ramp';
import type { SuggestionReport } from '../../src/core/types';
import { sampleRangeTest } from '../webview/sampleResults';

/** The default ramp: 1e-7 → 10 over 100 steps. */
const steps = 100;
const lrs = Array.from({ length: steps }, (_v, i) => rampLr(i, steps, 1e-7, 10, 'exp'));
const x = lrs.map(Math.log10);

function headlineFor(losses: (number | null)[]) {
	const report = suggest(lrs.slice(0, losses.length), losses, steps);
	return { report, h: report.headline! };
}

/** Flat at 2 up to 1e-4, falling (strictly) to 0.5 at 1e-1, then rising steeply. */
const valleyCurve = x.map((v) => {
	if (v < -4) {
		return 2;
	}
	if (v <= -1) {
		return 2 - 1.5 * Math.sqrt((v + 4) / 3);
	}
	return 0.5 + 8 * (v + 1) ** 2;
});

test('a clear valley: verdict clear, the geometric mean of the valley and minimum rules', () => {
	const { report, h } = headlineFor(valleyCurve);
	assert.equal(h.verdict, 'clear');
	assert.equal(h.rule, 'valleyMinimum');
	const v = report.suggestions.valley!.lr;
	const m = report.suggestions.minimum!.lr;
	assert.equal(h.lr, Math.sqrt(v * m));
	// The valley is on the descent, the minimum a decade below the bottom (0.1): both sensible.
	assert.ok(v > 1e-4 && v < 1e-1, `valley ${v}`);
	assert.ok(Math.abs(Math.log10(m) - -2) < 0.1, `minimum ${m}`);
	assert.ok(h.rules!.includes('valley') && h.rules!.includes('minimum'));
	// The marker sits on the curve step nearest the headline LR.
	const i = h.index!;
	assert.ok(Math.abs(Math.log10(lrs[i] / h.lr)) <= 0.5 * Math.log10(lrs[1] / lrs[0]) + 1e-12);
	// Flat up to where the loss first falls 5% below 2 (i.e. below 1.9); stable up to the bottom and
	// a little past it (10% above the best).
	const firstFall = valleyCurve.findIndex((y) => y < 1.9);
	assert.equal(h.flatUpTo, lrs[firstFall - 1]);
	const lowest = Math.min(...valleyCurve);
	const bottom = valleyCurve.indexOf(lowest);
	const rise = valleyCurve.findIndex((y, k) => k > bottom && y > lowest * 1.1);
	assert.equal(h.stableUpTo, lrs[rise - 1]);
	assert.ok(h.flatUpTo! < h.stableUpTo!);
	assert.equal(verdictText(h), undefined);
	assert.match(headlineText(h), /^\S+ \(valley–minimum\)$/);
});

test('flat then rising: noClearValley with flatUpTo/stableUpTo where the loss starts to rise', () => {
	// Exactly flat at 1 up to 3e-2, then rising: 1 + 5·(decades past 3e-2)².
	const knee = Math.log10(3e-2);
	const losses = x.map((v) => (v <= knee ? 1 : 1 + 5 * (v - knee) ** 2));
	const { h } = headlineFor(losses);
	assert.equal(h.verdict, 'noClearValley');
	assert.equal(h.reason, 'flat');
	assert.equal(h.rule, 'stable');
	// The last step whose loss is within 10% of the flat level (and of the best): 1 + 5d² ≤ 1.1.
	let last = 0;
	while (losses[last + 1] <= 1.1) {
		last++;
	}
	assert.equal(h.flatUpTo, lrs[last]);
	assert.equal(h.stableUpTo, lrs[last]);
	assert.ok(h.flatUpTo! > 3e-2 && h.flatUpTo! < 6e-2, `flatUpTo ${h.flatUpTo}`);
	// The fallback: fallbackDecades below where it stops being stable.
	assert.equal(h.lr, lrs[last] / 10 ** fallbackDecades);
	const step = Math.log10(lrs[1] / lrs[0]);
	assert.ok(Math.abs(Math.log10(lrs[h.index!] / h.lr!)) <= step / 2 + 1e-12);
	assert.equal(
		verdictText(h),
		'no clear valley: the loss is flat up to 0.038 and rises after; LRs up to ~3.8e-3 are stable',
	);
	assert.equal(headlineText(h), '3.8e-3 (no clear valley)');
	// For lines that already say "(no clear valley)": the reason alone, not the verdict twice.
	assert.equal(
		verdictReasonText(h),
		'the loss is flat up to 0.038 and rises after; LRs up to ~3.8e-3 are stable',
	);
});

test('a trained model (flat noise, then diverging) is noClearValley, its fallback a decade below the rise', () => {
	// Deterministic ±2% wiggle around 0.5, then a blow-up past 1e-1.
	const losses = x.map(
		(v, i) => 0.5 * (1 + 0.02 * Math.sin(i * 1.7)) + (v > -1 ? 4 * (v + 1) ** 2 : 0),
	);
	const { h } = headlineFor(losses);
	assert.equal(h.verdict, 'noClearValley');
	assert.ok(h.stableUpTo! > 1e-1 && h.stableUpTo! < 3e-1, `stableUpTo ${h.stableUpTo}`);
	// A decade below the last stable LR (as fastai's `minimum` is a decade below the lowest loss).
	assert.equal(fallbackDecades, 1);
	assert.equal(h.lr, h.stableUpTo! / 10);
	assert.ok(h.lr! > 1e-2 && h.lr! < 3e-2, `fallback ${h.lr}`);
	assert.match(
		verdictText(h)!,
		/^no clear valley: the loss is flat up to \S+ and rises after; LRs up to ~\S+ are stable$/,
	);
});

test('all-NaN, too short or empty curves: noAnswer, no LR, never a throw', () => {
	for (const losses of [lrs.map(() => null), [1, 0.9, 0.8], [] as number[], [null, 1, null]]) {
		const { h } = headlineFor(losses);
		assert.equal(h.verdict, 'noAnswer', JSON.stringify(losses));
		assert.equal(h.lr, null);
		assert.equal(headlineText(h), 'no suggestion');
		assert.equal(verdictText(h), 'no suggestion: too few finite points on the curve');
	}
});

test('a flat start where steep misfires does not drag the headline down (the consensus is dragged)', () => {
	// Flat at 2 with a sharp 0.1 step at 2e-6 (steep's pick), flat again, then a real valley: falling
	// from 1.9 at 1e-4 to 0.5 at 1e-1 (gentler per log-LR than the step), then rising.
	const losses = x.map((v, i) => {
		if (i <= 15) {
			return 2;
		}
		if (v < -4) {
			return 1.9;
		}
		if (v <= -1) {
			return 1.9 - 1.4 * ((v + 4) / 3);
		}
		return 0.5 + 8 * (v + 1) ** 2;
	});
	const { report, h } = headlineFor(losses);
	const steep = report.suggestions.steep!;
	assert.ok(steep.lr < 1e-5, `steep misfires at ${steep.lr}`);
	// The lowest loss is at 1e-1: steep is more than misfireDecades below it, and set aside.
	assert.ok(Math.log10(1e-1 / steep.lr) > misfireDecades);
	assert.equal(h.verdict, 'clear');
	assert.ok(!h.rules!.includes('steep'));
	assert.ok(h.lr! > 1e-3 && h.lr! < 1e-1, `headline ${h.lr}`);
	assert.ok(h.lr! > report.consensus!.lr, 'above the four-rule consensus');
	assert.equal(h.lr, Math.sqrt(report.suggestions.valley!.lr * report.suggestions.minimum!.lr));
});

test('curveShape: starting level, flat end, descent and the lowest point of the trimmed curve', () => {
	const s = curveShape(lrs, valleyCurve, steps)!;
	assert.equal(s.start, 10);
	assert.equal(s.end, 100);
	assert.equal(s.level, 2);
	assert.equal(s.descends, true);
	assert.equal(valleyCurve[s.flatEnd] >= 1.9, true);
	assert.equal(valleyCurve[s.flatEnd + 1] < 1.9, true);
	assert.equal(s.minIndex, valleyCurve.indexOf(Math.min(...valleyCurve)));
	assert.equal(curveShape(lrs.slice(0, 13), valleyCurve.slice(0, 13), steps), undefined);
});

test('headlineOf: the stored headline, else computed (results stored before headlines existed)', () => {
	const report = suggest(lrs, valleyCurve, steps);
	const input = { lrs, smoothed: valleyCurve, steps, report };
	assert.equal(headlineOf(input), report.headline);
	const old: SuggestionReport = { ...report };
	delete old.headline;
	assert.deepEqual(headlineOf({ ...input, report: old }), chooseHeadline(input));
});

test('rules spread over more than 1.5 decades past the flat start: noClearValley (reason spread)', () => {
	// The valley curve (lowest loss at 1e-1, so nothing above 1e-3 is a flat-start misfire) with a
	// report whose rules span 1.8 decades.
	const base = suggest(lrs, valleyCurve, steps);
	const at = (lr: number) => ({ lr, index: lrs.findIndex((l) => l >= lr) });
	const report: SuggestionReport = {
		...base,
		suggestions: { valley: at(1.5e-3), slide: at(2e-3), minimum: at(1e-2), steep: at(1e-1) },
		agreement: { ...base.agreement, spreadDecades: Math.log10(1e-1 / 1.5e-3) },
	};
	delete report.headline;
	const h = chooseHeadline({ lrs, smoothed: valleyCurve, steps, report });
	assert.equal(h.verdict, 'noClearValley');
	assert.equal(h.reason, 'spread');
	assert.equal(h.lr, h.stableUpTo! / 10 ** fallbackDecades);
	assert.equal(
		verdictText(h),
		'no clear valley: the rules disagree by 1.8 decades; LRs up to ~0.011 are stable',
	);
});

test('meanCurve: the pointwise mean up to the shortest repeat, null where any repeat is non-finite', () => {
	const a = { lrs: [1, 2, 3, 4], smoothed: [1, 2, null, 4] };
	const b = { lrs: [1, 2, 3], smoothed: [3, 4, 5] };
	assert.deepEqual(meanCurve([a, b]), { lrs: [1, 2, 3], smoothed: [2, 3, null] });
	assert.deepEqual(meanCurve([]), { lrs: [], smoothed: [] });
});

test('headlineOfRepeats: the rule on the mean curve, so a misfire in one noisy repeat averages out', () => {
	// Three repeats of the valley curve with different deterministic noise on the flat start.
	const noisy = (k: number) => ({
		lrs,
		smoothed: valleyCurve.map((y, i) => (i < 40 ? y * (1 + 0.01 * Math.sin(i * (k + 1.3))) : y)),
	});
	const repeats = [noisy(0), noisy(1), noisy(2)];
	const h = headlineOfRepeats(repeats, steps)!;
	const mean = meanCurve(repeats);
	const direct = chooseHeadline({
		lrs: mean.lrs,
		smoothed: mean.smoothed,
		steps,
		report: suggest(mean.lrs, mean.smoothed, steps),
	});
	assert.deepEqual(h, { ...direct, repeats: 3 });
	assert.equal(h.verdict, 'clear');
	assert.equal(headlineOfRepeats([], steps), undefined);
});

test('flat over the whole test: noClearValley, reason flatToEnd, and the words say so', () => {
	const losses = lrs.map((_lr, i) => 0.7 * (1 + 0.01 * Math.sin(i)));
	const { h } = headlineFor(losses);
	assert.equal(h.verdict, 'noClearValley');
	assert.equal(h.reason, 'flatToEnd');
	assert.equal(h.flatUpTo, 10);
	assert.equal(h.lr, h.stableUpTo! / 10 ** fallbackDecades);
	assert.match(
		verdictText(h)!,
		/^no clear valley: the loss stays flat up to 10, the end of the test; LRs up to ~\S+ are stable$/,
	);
});

test('a valley on the flat start, just over 2 decades below the lowest loss, is set aside: the minimum alone', () => {
	// The panel's sample: plateau, descent over 1e-4 … 3e-2, divergence (noisy, seeded).
	const r = sampleRangeTest();
	const h = headlineOf(r);
	const { valley, minimum } = r.report.suggestions;
	const lowestLr = r.lrs[minimum!.index!];
	// valley 9.1e-4 sits where the flat start ends, 2.02 decades below the lowest loss (9.5e-2).
	assert.equal(valley!.lr, h.flatUpTo);
	const below = Math.log10(lowestLr / valley!.lr);
	assert.ok(below > misfireDecades && below < misfireDecades + 0.05, `${below} decades`);
	assert.equal(h.verdict, 'clear');
	assert.deepEqual(h.rules, ['slide', 'minimum', 'steep']);
	assert.equal(h.rule, 'minimum');
	assert.equal(h.lr, minimum!.lr);
	assert.equal(headlineText(h), '9.5e-3 (minimum)');
	// With the cut half a decade lower the valley is kept and the headline is the midpoint.
	const kept = chooseHeadline(r, { misfireDecades: 2.5 });
	assert.equal(kept.rule, 'valleyMinimum');
	assert.equal(kept.lr, Math.sqrt(valley!.lr * minimum!.lr));
});

test('the spread verdict names the spread of the rules left, not of the misfires set aside', () => {
	// The valley curve (lowest loss at 1e-1: rules below 1e-3 misfired) with steep at 1e-6 and the
	// three rules left spanning 1.8 decades; all four span 5.
	const base = suggest(lrs, valleyCurve, steps);
	const at = (lr: number) => ({ lr, index: lrs.findIndex((l) => l >= lr) });
	const report: SuggestionReport = {
		...base,
		suggestions: { valley: at(1.5e-3), slide: at(2e-3), minimum: at(1e-1), steep: at(1e-6) },
		agreement: { ...base.agreement, spreadDecades: Math.log10(1e-1 / 1e-6) },
	};
	delete report.headline;
	const h = chooseHeadline({ lrs, smoothed: valleyCurve, steps, report });
	assert.equal(h.verdict, 'noClearValley');
	assert.equal(h.reason, 'spread');
	assert.ok(Math.abs(h.spreadDecades - 5) < 1e-12);
	assert.ok(Math.abs(h.keptSpreadDecades! - Math.log10(1e-1 / 1.5e-3)) < 0.05);
	assert.match(verdictText(h)!, /^no clear valley: the rules disagree by 1\.8 decades; /);
	// A headline stored before the field existed falls back to the spread of all the rules.
	assert.match(
		verdictText({ ...h, keptSpreadDecades: undefined })!,
		/^no clear valley: the rules disagree by 5\.0 decades; /,
	);
});

test('headlineSummary: "suggested" (or the notification\'s "suggested LR") only for a clear verdict', () => {
	const { h } = headlineFor(valleyCurve);
	assert.equal(headlineSummary(h), `suggested ${headlineText(h)}`);
	assert.equal(headlineSummary(h, 'suggested LR'), `suggested LR ${headlineText(h)}`);
	const unclear = { ...h, verdict: 'noClearValley' as const, reason: 'spread' as const };
	assert.equal(
		headlineSummary(unclear, 'suggested LR'),
		`${headlineText(unclear)} — ${verdictReasonText(unclear)}`,
	);
});

test('withHeadline fills a missing headline once (results stored before headlines existed)', () => {
	const r = sampleRangeTest();
	assert.equal(withHeadline(r), r, 'a result with its headline is returned as is');
	const oldReport: SuggestionReport = { ...r.report };
	delete oldReport.headline;
	const old = { ...r, report: oldReport };
	const loaded = withHeadline(old);
	assert.deepEqual(loaded.report.headline, headlineOf(old));
	assert.deepEqual(loaded.report.headline, r.report.headline);
	assert.equal(old.report.headline, undefined, 'the stored object is not changed');
});
