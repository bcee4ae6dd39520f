import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine, sweepProgressText } from '../../src/core/present/progress';

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
