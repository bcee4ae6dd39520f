import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine, sweepProgressText } from '../../src/core/present/progress';
import {
	lrDiagnosticText,
	lrSiteText,
	lrVerdictWhy,
	runProblemText,
} from '../../src/core/present/lrAdvice';

test('one progress line for the CLI and log, the same facts in the notification', () => {
	assert.equal(
		progressLine('range test', 97, 100, 5.7, 33.8012, 8.4),
		'range test: step 97/100 · lr 5.7 · loss 33.8 · 8 s',
	);
	// The notification: no label, no seconds (VS Code shows its own), the same loss digits.
	assert.equal(progressLine('', 40, 100, 1e-3, 0.52134), 'step 40/100 · lr 1e-3 · loss 0.5213');
	assert.equal(progressLine('', 1, 100, 1e-7, null), 'step 1/100 · lr 1e-7');
	assert.equal(sweepProgressText(2, 9, 1e-3, 1), 'lr 3/9 (1e-3) · epoch 2');
});

test('the editor diagnostic on an LR literal: the LR, why, the suggestion and its source', () => {
	const range = { low: 1e-4, high: 0.03, divergence: 0.3 };
	assert.equal(
		lrDiagnosticText(
			lrSiteText({ value: 0.5 }),
			lrVerdictWhy('aboveDivergence', range),
			'suggested LR 0.01 (valley)',
			'the range test of 12:03',
		),
		'LR 0.5 is above where the range test diverged (0.3); it trains from ~1e-4 to 0.03; suggested LR 0.01 (valley) (from the range test of 12:03).',
	);
	assert.equal(
		lrSiteText({ value: 1e-3, isDefault: true, note: "Adam's default learning rate" }),
		"Adam's default learning rate (1e-3)",
	);
	assert.equal(
		runProblemText('diverged', { unit: 'step', step: 31, message: 'the loss diverged.' }),
		'The last run of this script diverged at step 31: the loss diverged.',
	);
});
