/**
 * A range test seen at another smoothing β (core/headline.ts `atBeta`): the panel's slider and the
 * CSV recompute the curve's suggestions, but a verified headline is a measurement and stays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atBeta } from '../../src/core/headline';
import { rangeTestCsv } from '../../src/core/present/csv';
import { headlineText } from '../../src/core/present/headline';
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
