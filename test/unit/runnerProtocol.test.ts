/**
 * The runner protocol in the webview protocol's shape: one tag table (`RunnerMessageType`), one
 * guard per tag and direction built by the shared `messageGuard`, and the envelope (the run's `id`)
 * checked first. Examples are messages the real code builds (a range test built by `suggest`, the
 * script runner's error words), then the ways a confused or broken sender gets them wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunnerMessageType, type FromRunnerMessage } from '../../src/shared/runnerProtocol';
import { isFromRunnerMessage, isToRunnerMessage } from '../../src/shared/runnerGuards';
import { isFromWebviewMessage, isToWebviewMessage } from '../../src/shared/webviewGuards';
import { failureOf, type ScriptEnding } from '../../src/engine/script/scriptEnd';
import { sampleRangeTest, sampleSweep } from '../webview/sampleResults';

const backend = {
	name: 'wasm',
	origin: 'bundled',
	package: '@tensorflow/tfjs',
	version: '4.22.0',
	reason: 'tfjs-node not installed; wasm can train this model',
} as const;

const ending: ScriptEnding = {
	name: 'train.js',
	code: 1,
	signal: null,
	tail: 'Error: Cannot find module ./data.json',
	stopped: undefined,
	uncaught: {
		message: "Cannot find module './data.json'",
		stack: 'Error\n    at train.js:3:1',
		afterFit: false,
	},
	childError: undefined,
	fitCalled: false,
	fitTimeoutMs: 120_000,
};

/** One well-formed message per runner → host tag, as the runner sends them. */
function fromRunnerExamples(): FromRunnerMessage[] {
	const id = 'run-1';
	const rt = sampleRangeTest();
	return [
		{ type: 'started', id, backend, total: 300 },
		{ type: 'progress', id, step: 12, total: 300, lr: 3e-6, loss: 2.31, smoothed: null, repeat: 0 },
		{
			type: 'sweepProgress',
			id,
			lrIndex: 2,
			lrCount: 5,
			lr: 3e-3,
			epoch: 1,
			fold: 0,
			loss: 0.52,
			valLoss: null,
		},
		{ type: 'trainLog', id, unit: 'batch', step: 40, epoch: 0, values: { loss: 0.7, acc: null } },
		{ type: 'verifyProgress', id, step: 120, total: 400, candidate: 1, candidates: 3, lr: 3e-3 },
		{ type: 'log', id, level: 'info', message: 'backend: wasm (@tensorflow/tfjs 4.22.0, bundled)' },
		{ type: 'result', id, result: rt },
		{ type: 'sweepResult', id, result: sampleSweep() },
		{ type: 'monitorEnd', id, exitCode: 0, epochs: 3, batches: 90 },
		{
			type: 'layerStats',
			id,
			sample: {
				step: 10,
				every: 5,
				layers: ['dense', 'out'],
				params: [10, 3],
				gradNorm: [0.1, null],
				weightNorm: [1, 2],
				updateRatio: [1e-3, null],
				dead: [0.5, null],
				saturated: [null, 0.1],
			},
		},
		{
			type: 'finding',
			id,
			finding: {
				kind: 'divergence',
				series: 'loss',
				step: 3,
				unit: 'step',
				severity: 'error',
				message: 'loss is diverging',
				action: 'lower the LR',
				detectedAt: 4,
			},
		},
		{ type: 'fitCall', id, method: 'fit', index: 0, intercepted: true, file: 'train.js', line: 9 },
		{ ...failureOf(ending), id },
	];
}

describe('runner protocol: one tag table, one guard per tag and direction', () => {
	it('every tag has a well-formed example, accepted in its own direction only', () => {
		const from = fromRunnerExamples();
		const request = { id: 'run-1', source: { kind: 'saved' }, options: {}, backend: 'auto' };
		const to = [
			{ type: 'rangeTest', ...request, options: { steps: 60, verify: 'off' } },
			{ type: 'sweep', ...request },
			{ type: 'monitor', ...request, source: { kind: 'script', scriptPath: 't.js', args: [] } },
			{ type: 'cancel', id: 'run-1' },
		];
		const tags = [...from, ...to].map((m) => m.type).sort();
		assert.deepEqual(tags, Object.values(RunnerMessageType).sort());
		for (const m of from) {
			assert.equal(isFromRunnerMessage(m), true, `runner → host ${m.type}`);
			assert.equal(isToRunnerMessage(m), false, `${m.type} is not host → runner`);
		}
		for (const m of to) {
			assert.equal(isToRunnerMessage(m), true, `host → runner ${m.type}`);
			assert.equal(isFromRunnerMessage(m), false, `${m.type} is not runner → host`);
		}
	});

	it('the envelope: a message without its run id, or with a non-string one, is dropped', () => {
		for (const m of fromRunnerExamples()) {
			const { id: _id, ...bare } = m;
			assert.equal(isFromRunnerMessage(bare), false, `${m.type} without an id`);
			assert.equal(isFromRunnerMessage({ ...m, id: 7 }), false, `${m.type} with a numeric id`);
		}
		assert.equal(isToRunnerMessage({ type: 'cancel' }), false);
		assert.equal(isToRunnerMessage({ type: 'cancel', id: null }), false);
	});

	it('rejects malformed messages a broken or confused sender produces', () => {
		const rt = sampleRangeTest();
		const verified = {
			...rt.report.headline,
			verified: { lr: 3e-3, curveLr: 1e-3, candidates: 'many' },
		};
		const bad: [string, unknown][] = [
			['nothing', undefined],
			['a string', 'result'],
			['an array', [{ type: 'log', id: 'a', level: 'info', message: 'x' }]],
			['a webview message', { type: 'ready', id: 'a', surface: 'panel' }],
			['an inherited tag', { type: 'toString', id: 'a' }],
			['a prototype tag', { type: '__proto__', id: 'a' }],
			['a NaN LR (advanced serialization keeps NaN)', { ...progress(), lr: NaN }],
			['a string step', { ...progress(), step: '12' }],
			['a result without its curve', { type: 'result', id: 'a', result: { lrs: rt.lrs } }],
			['a result that is a list', { type: 'result', id: 'a', result: [rt] }],
			[
				'a result whose verification is malformed',
				{
					type: 'result',
					id: 'a',
					result: { ...rt, report: { ...rt.report, headline: verified } },
				},
			],
			['a sweep result without runs', { type: 'sweepResult', id: 'a', result: {} }],
			['an error without a code', { type: 'error', id: 'a', message: 'no model' }],
			['a log without words', { type: 'log', id: 'a', level: 'info' }],
			['a fit call to predict', { type: 'fitCall', id: 'a', method: 'predict', index: 0 }],
			['a monitor end with a string code', { type: 'monitorEnd', id: 'a', exitCode: '0' }],
		];
		for (const [what, m] of bad) {
			assert.equal(isFromRunnerMessage(m), false, what);
		}
		const request = { type: 'rangeTest', id: 'a', source: { kind: 'saved' }, backend: 'auto' };
		for (const [what, m] of [
			['no options', request],
			['a source path instead of a source', { ...request, options: {}, source: 'model.json' }],
			['verify as a boolean', { ...request, options: { verify: true } }],
			['verifySteps as a string', { ...request, options: { verifySteps: '200' } }],
			['a numeric backend', { ...request, options: {}, backend: 3 }],
			['a runner message sent back', { ...progress() }],
		] as [string, unknown][]) {
			assert.equal(isToRunnerMessage(m), false, what);
		}
	});

	it('both protocols drop tags that are not their own keys (the shared messageGuard)', () => {
		for (const type of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
			assert.equal(isFromRunnerMessage({ type, id: 'a' }), false, type);
			assert.equal(isToRunnerMessage({ type, id: 'a' }), false, type);
			assert.equal(isFromWebviewMessage({ type }), false, type);
			assert.equal(isToWebviewMessage({ type }), false, type);
		}
	});
});

function progress(): Record<string, unknown> {
	return { type: 'progress', id: 'a', step: 12, total: 300, lr: 3e-6, loss: 2.31, smoothed: 2.3 };
}
