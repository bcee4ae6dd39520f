/** Sweep reports: CSV rows (core/present/csv.ts), self-contained HTML and its chart (core/present/sweepReport.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sweepCsv } from '../../src/core/present/csv';
import {
	renderSweepHtml,
	renderSweepSvg,
	sweepGridCentreText,
} from '../../src/core/present/sweepReport';
import { sweepJson } from '../../src/cli/sweepCmd';
import type { SweepResult } from '../../src/core/types';

const result = (over: Partial<SweepResult> = {}): SweepResult => ({
	results: [
		{
			lr: 0.001,
			finalLoss: 0.9,
			finalValLoss: 1.1,
			batches: 8,
			curve: [1.2, 0.9],
			valCurve: [1.3, 1.1],
		},
		{
			lr: 0.01,
			finalLoss: 0.4,
			finalValLoss: 0.5,
			batches: 8,
			curve: [0.8, 0.4],
			valCurve: [0.7, 0.5],
		},
		// Diverged in epoch 2: non-finite losses are null and cannot be best.
		{
			lr: 1,
			finalLoss: null,
			finalValLoss: null,
			batches: 5,
			curve: [3.5, null],
			valCurve: [4, null],
		},
	],
	best: { lr: 0.01 },
	folds: 1,
	epochs: 2,
	totalBatches: 21,
	backend: {
		name: 'cpu',
		origin: 'bundled',
		package: '@tensorflow/tfjs',
		version: '4.22.0',
		reason: 'forced <cpu>',
	},
	seconds: 1.5,
	notes: ['a <note> & more'],
	...over,
});

describe('sweep reports', () => {
	it('CSV: one row per LR and epoch, empty cells for non-finite, the best LR flagged', () => {
		assert.equal(
			sweepCsv(result()),
			[
				'lr,epoch,loss,val_loss,best',
				'0.001,1,1.2,1.3,0',
				'0.001,2,0.9,1.1,0',
				'0.01,1,0.8,0.7,1',
				'0.01,2,0.4,0.5,1',
				'1,1,3.5,4,0',
				'1,2,,,0',
				'',
			].join('\n'),
		);
	});

	it('HTML: self-contained, escaped, best row marked, chart points only for finite losses', () => {
		const html = renderSweepHtml(result(), new Date('2025-01-02T03:04:05Z'));
		assert.match(html, /Best learning rate: <strong>0\.01<\/strong>/);
		assert.match(html, /<tr class="best"><td>0\.01 ← best<\/td>/);
		assert.match(html, /a &lt;note&gt; &amp; more/);
		assert.match(html, /forced &lt;cpu&gt;/);
		assert.doesNotMatch(html, /<script|<link|src=/);
		const svg = renderSweepSvg(result());
		// 2 finite training + 2 finite validation points; the diverged LR has none.
		assert.equal((svg.match(/<circle /g) ?? []).length, 4);
		assert.match(svg, /best 0\.01/);
	});

	it('names the range-test headline the default grid was centred on, in text, HTML and JSON', () => {
		const gridHeadline = {
			lr: 3e-3,
			rule: 'valley' as const,
			verdict: 'clear' as const,
			index: 40,
			spreadDecades: 0.4,
		};
		const r = result({ gridCenter: 3e-3, gridHeadline });
		assert.equal(sweepGridCentreText(r), 'range-test suggestion 3e-3 (valley)');
		assert.match(renderSweepHtml(r), /grid centre: range-test suggestion 3e-3 \(valley\)/);
		assert.deepEqual(sweepJson(r).headline, {
			lr: 3e-3,
			rule: 'valley',
			verdict: 'clear',
			text: '3e-3 (valley)',
		});
		assert.equal('gridHeadline' in sweepJson(r), false);
		assert.equal(sweepGridCentreText(result()), undefined);
		assert.equal('headline' in sweepJson(result()), false);
	});

	it('no finite loss at all: a short message instead of a chart, "none" as the best', () => {
		const r = result({
			results: [{ lr: 0.1, finalLoss: null, finalValLoss: null, batches: 1, curve: [null] }],
			best: null,
		});
		assert.match(renderSweepSvg(r), /no finite losses to plot/);
		assert.match(renderSweepHtml(r), /none \(no run finished with a finite loss\)/);
	});
});
