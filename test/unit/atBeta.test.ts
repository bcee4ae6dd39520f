/**
 * A range test seen at another smoothing β (core/headline.ts `atBeta`): the panel's slider and the
 * CSV recompute the curve's suggestions, but a verified headline is a measurement and stays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atBeta, headlineOfRepeats } from '../../src/core/headline';
import { debiasedEma } from '../../src/core/smoothing';
import { rangeTestCsv } from '../../src/core/present/csv';
import { headlineBasisText, headlineText } from '../../src/core/present/headline';
import { sampleRangeTest, sampleVerifiedRangeTest } from '../webview/sampleResults';

test('atBeta: the stored report at the result’s own β, recomputed suggestions at another', () => {
	const r = sampleRangeTest();
	assert.equal(atBeta(r, r.beta).report, r.report);
	assert.equal(atBeta(r, r.beta).smoothed, r.smoothed);
	const other = atBeta(r, 0.6);
	assert.notEqual(other.report.suggestions.valley?.lr, r.report.suggestions.valley?.lr);
	assert.notDeepEqual(other.smoothed, r.smoothed);
	assert.equal(other.report.headline.verified, undefined);
});

test('atBeta: a verified headline stays at any β; the fastai suggestions follow β', () => {
	const v = sampleVerifiedRangeTest();
	const other = atBeta(v, 0.6);
	assert.equal(other.report.headline, v.report.headline);
	assert.equal(headlineText(other.report.headline), headlineText(v.report.headline));
	assert.match(headlineText(other.report.headline), /\(verified\)$/);
	assert.notEqual(other.report.suggestions.valley?.lr, v.report.suggestions.valley?.lr);
	// The CSV at the slider's β carries the same headline text as every surface.
	const rows = rangeTestCsv(v, 0.6).trim().split('\n');
	const marked = rows.filter((line) => line.includes('(verified)'));
	assert.equal(marked.length, 1);
	assert.match(rows[0], /headline/);
});

test('atBeta: a headline of 3 repeats is the mean curve’s at the new β too', () => {
	// Three runs of one ramp (other batch noise), their headline from the mean as the engine stores it.
	const runs = [7, 8, 9].map((seed) => sampleRangeTest({ seed, noise: 0.3 }));
	const n = Math.min(...runs.map((r) => r.losses.length));
	const losses = runs.map((r) => r.losses.slice(0, n));
	const first = runs[0];
	const lrs = first.lrs.slice(0, n);
	const meanHeadline = (beta: number) =>
		headlineOfRepeats(
			losses.map((l) => ({ lrs, smoothed: debiasedEma(l, beta) })),
			first.steps,
		)!;
	const r = {
		...first,
		lrs,
		losses: losses[0],
		smoothed: debiasedEma(losses[0], first.beta),
		report: { ...first.report, headline: meanHeadline(first.beta) },
		repeatLosses: losses.slice(1),
	};
	assert.equal(atBeta(r, r.beta).report.headline, r.report.headline);
	const other = atBeta(r, 0.6).report.headline;
	assert.deepEqual(other, meanHeadline(0.6));
	assert.equal(other.repeats, 3);
	assert.equal(headlineBasisText(other), 'from the mean curve of 3 runs');
	// A result stored before the repeats' losses were kept: the first run's curve alone.
	const { repeatLosses: _kept, ...older } = r;
	const alone = atBeta(older, 0.6).report.headline;
	assert.equal(alone.repeats, undefined);
	assert.equal(headlineBasisText(alone), undefined);
});
