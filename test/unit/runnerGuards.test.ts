import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFromRunnerMessage, isToRunnerMessage } from '../../src/shared/runnerGuards';

const backend = {
	name: 'cpu',
	version: '4.22.0',
	package: '@tensorflow/tfjs',
	origin: 'bundled',
	reason: 'x',
};
const finding = {
	kind: 'divergence',
	series: 'loss',
	step: 3,
	unit: 'step',
	severity: 'error',
	message: 'loss is diverging',
	action: 'lower the LR',
	detectedAt: 4,
};
const sample = {
	step: 10,
	every: 5,
	layers: ['dense', 'out'],
	params: [10, 3],
	gradNorm: [0.1, null],
	weightNorm: [1, 2],
	updateRatio: [1e-3, null],
	dead: [0.5, null],
	saturated: [null, 0.1],
};

test('well-formed runner → host messages are accepted', () => {
	const ok: unknown[] = [
		{ type: 'started', id: 'a', backend, total: 100 },
		{ type: 'progress', id: 'a', step: 1, total: 100, lr: 1e-7, loss: 2.3, smoothed: null },
		{ type: 'sweepProgress', id: 'a', lrIndex: 0, lrCount: 5, lr: 0.01, epoch: 1, fold: 0 },
		{ type: 'trainLog', id: 'a', unit: 'batch', step: 0, epoch: 0, values: { loss: 1 } },
		{ type: 'log', id: 'a', level: 'info', message: 'hello' },
		{ type: 'result', id: 'a', result: { lrs: [], losses: [] } },
		{ type: 'result', id: 'a', result: { lrs: [1], losses: [2], repeatLosses: [[2.1], [null]] } },
		{ type: 'sweepResult', id: 'a', result: { results: [] } },
		{ type: 'monitorEnd', id: 'a', exitCode: 0, epochs: 1, batches: 10 },
		{ type: 'error', id: 'a', code: 'badInput', message: 'no model' },
		{ type: 'finding', id: 'a', finding },
		{ type: 'layerStats', id: 'a', sample },
		{ type: 'layerStats', id: 'a', sample, nan: { step: 9, layer: null, where: 'loss' } },
		{ type: 'fitCall', id: 'a', method: 'fit', index: 0, intercepted: true },
	];
	for (const m of ok) {
		assert.equal(isFromRunnerMessage(m), true, JSON.stringify(m));
	}
});

test('malformed or unknown runner → host messages are rejected', () => {
	const bad: unknown[] = [
		null,
		undefined,
		42,
		'started',
		[],
		{},
		{ type: 'started', backend, total: 100 },
		{ type: 'bogus', id: 'a' },
		{ type: 'toString', id: 'a' },
		{ type: 'started', id: 'a', backend: 'cpu', total: 100 },
		{ type: 'progress', id: 'a', step: 1, total: 100, lr: NaN, loss: 2, smoothed: 2 },
		{ type: 'trainLog', id: 'a', unit: 'second', step: 0, epoch: 0, values: {} },
		{ type: 'result', id: 'a', result: { lrs: [] } },
		{ type: 'result', id: 'a', result: { lrs: [1], losses: [2], repeatLosses: [2.1] } },
		{ type: 'result', id: 'a', result: { lrs: [1], losses: [2], repeatLosses: [['2.1']] } },
		{ type: 'monitorEnd', id: 'a', exitCode: '0' },
		{ type: 'error', id: 'a', message: 'no code' },
		{ type: 'finding', id: 'a', finding: { ...finding, step: 'x' } },
		{ type: 'layerStats', id: 'a', sample: { ...sample, dead: [0.5] } },
		{ type: 'layerStats', id: 'a', sample, nan: { step: 9, layer: null, where: 'elsewhere' } },
		{ type: 'fitCall', id: 'a', method: 'predict', index: 0, intercepted: true },
		// Host → runner tags are not valid in this direction.
		{ type: 'cancel', id: 'a' },
	];
	for (const m of bad) {
		assert.equal(isFromRunnerMessage(m), false, JSON.stringify(m));
	}
});

test('host → runner messages: requests and cancel accepted, anything else rejected', () => {
	const request = { source: { kind: 'saved' }, options: {}, backend: 'auto' };
	for (const m of [
		{ type: 'cancel', id: 'a' },
		{ type: 'rangeTest', id: 'a', ...request },
		{ type: 'sweep', id: 'a', ...request },
		{ type: 'monitor', id: 'a', ...request },
	]) {
		assert.equal(isToRunnerMessage(m), true, JSON.stringify(m));
	}
	for (const m of [
		null,
		{ type: 'cancel' },
		{ type: 'rangeTest', id: 'a', ...request, source: 'model.json' },
		{ type: 'sweep', id: 'a', ...request, options: null },
		{ type: 'monitor', id: 'a', ...request, backend: 3 },
		{ type: 'started', id: 'a', backend, total: 1 },
		{ type: 'hasOwnProperty', id: 'a' },
	]) {
		assert.equal(isToRunnerMessage(m), false, JSON.stringify(m));
	}
});
