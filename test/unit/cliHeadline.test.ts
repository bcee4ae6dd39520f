/**
 * The CLI's range-test and sweep outputs show the headline exactly as every other surface does
 * (`headlineText(headlineOf(result))`), its verdict when the curve is not clear, and `--json`
 * carries `headline: { lr, rule, verdict, text }` next to the four rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeTestJson, rangeTestSummary } from '../../src/cli/rangeTestCmd';
import { sweepJson, sweepSummary } from '../../src/cli/sweepCmd';
import { headlineOf } from '../../src/core/headline';
import { headlineText, verdictText } from '../../src/core/present/headline';
import { stopReasonText } from '../../src/core/present/words';
import { sampleRangeTest, sampleSweep } from '../webview/sampleResults';

test('range-test text: the headline first, then the rules and the consensus', () => {
	const r = sampleRangeTest();
	const h = headlineOf(r);
	const lines = rangeTestSummary(r);
	assert.equal(
		lines[0],
		`LR range test: ${r.lrs.length}/${r.steps} steps, ${stopReasonText.diverged}`,
	);
	assert.equal(lines[1], `suggested LR: ${headlineText(h)}`);
	assert.equal(verdictText(h), undefined);
	assert.ok(lines.includes('rules:'));
	assert.ok(
		lines.some((l) =>
			/^ {2}consensus +\S+ {2}\(\d of 4 rules agree within 0\.5 decades\)$/.test(l),
		),
	);
});

test('range-test text shows the verdict when the curve has no clear valley', () => {
	const r = sampleRangeTest({ shape: 'flat' });
	const h = headlineOf(r);
	assert.equal(h.verdict, 'noClearValley');
	const lines = rangeTestSummary(r);
	assert.equal(lines[1], `suggested LR: ${headlineText(h)}`);
	assert.equal(lines[2], `  ${verdictText(h)}`);
});

test('range-test --json: headline {lr, rule, verdict, text} and the four rules flattened', () => {
	const r = sampleRangeTest();
	const h = headlineOf(r);
	const j = rangeTestJson(r);
	assert.deepEqual(j.headline, {
		lr: h.lr,
		rule: h.rule,
		verdict: h.verdict,
		text: headlineText(h),
	});
	assert.deepEqual(Object.keys(j.suggestions as object), ['valley', 'slide', 'minimum', 'steep']);
	assert.equal(j.consensus, r.report.consensus?.lr ?? null);
});

test('sweep text and JSON name the range-test headline the grid was centred on', () => {
	const s = sampleSweep();
	const rt = sampleRangeTest();
	const h = headlineOf(rt);
	const centred = { ...s, gridCenter: h.lr as number, gridHeadline: h };
	assert.ok(
		sweepSummary(centred).includes(`grid centre: range-test suggestion ${headlineText(h)}`),
	);
	assert.deepEqual(sweepJson(centred).headline, {
		lr: h.lr,
		rule: h.rule,
		verdict: h.verdict,
		text: headlineText(h),
	});
	assert.ok(!sweepSummary(s).some((l) => l.startsWith('grid centre')));
});

test('range-test text says when the headline comes from the mean curve of repeats', () => {
	const r = sampleRangeTest();
	r.report = { ...r.report, headline: { ...headlineOf(r), repeats: 3 } };
	const lines = rangeTestSummary(r);
	assert.equal(lines[1], `suggested LR: ${headlineText(headlineOf(r))}`);
	assert.equal(lines[2], "  from the mean curve of 3 runs (the rules below are the first run's)");
	const one = sampleRangeTest();
	assert.ok(!rangeTestSummary(one).some((l) => l.includes('mean curve')));
});
