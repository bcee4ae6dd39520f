import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	curveArraysText,
	curveLengthsText,
	lrsNotIncreasingText,
	optimizerFlagText,
	scheduleStepsText,
} from '../../src/core/present/curveFileErrors';
import { verifyModeText } from '../../src/core/present/verify';

test('curve-file errors name the file, the place and the value', () => {
	assert.equal(
		lrsNotIncreasingText('curve.json', 3, 0.001, 0.01, false),
		'curve.json: the LRs must increase step by step, but point 3 (0.001) is below point 2 (0.01)',
	);
	assert.equal(
		lrsNotIncreasingText('curve.csv', 1, 1e-7, 10, true),
		'curve.csv: the LRs must increase step by step, but point 1 (1e-7) is below point 0 (10) (reversed? list the steps in order)',
	);
	assert.equal(
		curveArraysText('r.json', []),
		'r.json: expected arrays "lrs" and "losses" (got an empty object)',
	);
	assert.equal(
		curveArraysText('r.json', ['lr', 'loss']),
		'r.json: expected arrays "lrs" and "losses" (got lr, loss)',
	);
	assert.equal(
		curveLengthsText('r.json', 100, 'smoothed', 97),
		'r.json: "lrs" has 100 values but "smoothed" has 97',
	);
});

test('schedule and verify flag errors list what is allowed', () => {
	assert.equal(
		optimizerFlagText(['sgd', 'adam'], 'lamb'),
		'--optimizer must be one of sgd, adam, got "lamb"',
	);
	assert.equal(
		scheduleStepsText(100000, '-3'),
		'--steps expects an integer from 0 to 100000, got "-3"',
	);
	assert.equal(verifyModeText('sometimes'), '--verify must be off, auto or on, got sometimes');
});
