import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	isFromWebviewMessage,
	isPlainFileName,
	isToWebviewMessage,
} from '../../src/shared/webviewGuards';
import { MessageType, protocolLimits } from '../../src/shared/webviewProtocol';

test('well-formed webview → host messages are accepted', () => {
	const ok: unknown[] = [
		{ type: 'ready', surface: 'panel' },
		{ type: 'ready', surface: 'side' },
		{ type: 'exportResponse', requestId: 3, kind: 'png', ok: true, data: 'iVBORw0KGgo=' },
		{ type: 'exportResponse', requestId: 0, kind: 'csv', ok: false, error: 'no result selected' },
		{ type: 'saveExport', kind: 'csv', data: 'step,lr\n', suggestedName: 'lr-range-test.csv' },
		{
			type: 'copyCode',
			code: 'const cb = new tf.CustomCallback({});',
			what: 'cosine schedule callback',
		},
		{ type: 'openPanel' },
		{ type: 'openPanel', resultId: 'r1' },
		{ type: 'reportError', message: 'TypeError: x is undefined' },
	];
	for (const m of ok) {
		assert.equal(isFromWebviewMessage(m), true, JSON.stringify(m));
	}
});

test('malformed or unknown webview → host messages are rejected', () => {
	const bad: unknown[] = [
		null,
		undefined,
		42,
		'ready',
		[],
		{},
		{ type: 'bogus' },
		{ type: 'ready' },
		{ type: 'ready', surface: 'editor' },
		{ type: 'exportResponse', requestId: -1, kind: 'png', ok: true, data: '' },
		{ type: 'exportResponse', requestId: 1.5, kind: 'png', ok: true, data: '' },
		{ type: 'exportResponse', requestId: 1, kind: 'svg', ok: true, data: '' },
		{ type: 'exportResponse', requestId: 1, kind: 'png', ok: true },
		{ type: 'exportResponse', requestId: 1, kind: 'png', ok: false },
		{ type: 'exportResponse', requestId: 1, kind: 'png', ok: 'yes', data: '' },
		{ type: 'saveExport', kind: 'png', data: 'x', suggestedName: '../../.bashrc' },
		{ type: 'saveExport', kind: 'png', data: 'x', suggestedName: 'a/b.png' },
		{ type: 'saveExport', kind: 'png', data: 'x', suggestedName: 'C:evil.png' },
		{ type: 'saveExport', kind: 'png', data: 7, suggestedName: 'a.png' },
		{ type: 'copyCode', code: '', what: 'x' },
		{ type: 'copyCode', code: 'x'.repeat(protocolLimits.maxCodeChars + 1), what: 'x' },
		{ type: 'copyCode', code: 'x' },
		{ type: 'openPanel', resultId: 5 },
		{ type: 'openPanel', resultId: '' },
		{ type: 'reportError', message: 'x'.repeat(protocolLimits.maxMessageChars + 1) },
		// Host → webview tags are not valid in this direction.
		{ type: 'snapshot', results: [], live: [], defaultBeta: 0.98 },
	];
	for (const m of bad) {
		assert.equal(isFromWebviewMessage(m), false, JSON.stringify(m));
	}
});

test('host → webview guard checks the shapes the renderer relies on', () => {
	assert.equal(
		isToWebviewMessage({ type: MessageType.Snapshot, results: [], live: [], defaultBeta: 0.98 }),
		true,
	);
	assert.equal(
		isToWebviewMessage({
			type: 'snapshot',
			results: [{ id: 'a', kind: 'rangeTest', createdAt: 1, label: 'm' }],
			live: [{ id: 'l', records: [], findings: [] }],
			defaultBeta: 0.9,
			focus: { resultId: 'a', tab: 'schedule' },
		}),
		true,
	);
	assert.equal(
		isToWebviewMessage({ type: 'snapshot', results: [], live: [], defaultBeta: 1 }),
		false,
	);
	assert.equal(
		isToWebviewMessage({
			type: 'snapshot',
			results: [{ id: 'a', kind: 'other' }],
			live: [],
			defaultBeta: 0.9,
		}),
		false,
	);
	assert.equal(
		isToWebviewMessage({
			type: 'snapshot',
			results: [],
			live: [],
			defaultBeta: 0.9,
			focus: { tab: 'nope' },
		}),
		false,
	);
	assert.equal(
		isToWebviewMessage({ type: 'liveAppend', runId: 'r', records: [], findings: [] }),
		true,
	);
	assert.equal(
		isToWebviewMessage({ type: 'liveAppend', runId: 'r', records: {}, findings: [] }),
		false,
	);
	assert.equal(isToWebviewMessage({ type: 'focus', tab: 'live' }), true);
	assert.equal(isToWebviewMessage({ type: 'exportRequest', requestId: 2, kind: 'csv' }), true);
	assert.equal(isToWebviewMessage({ type: 'exportRequest', requestId: 2, kind: 'pdf' }), false);
	assert.equal(isToWebviewMessage({ type: 'ready', surface: 'panel' }), false);
});

test('plain file names only', () => {
	assert.equal(isPlainFileName('lr-range-test.png'), true);
	for (const n of ['', '.', '..', 'a/b', 'a\\b', 'x\u0000y', 'c:x', 'x'.repeat(201)]) {
		assert.equal(isPlainFileName(n), false, JSON.stringify(n));
	}
});

test('trainWithSchedule: a spec outline passes the guard; malformed ones are dropped', () => {
	const step = { kind: 'step', initialLearningRate: 0.01, stepSize: 4, gamma: 0.5 };
	assert.equal(isFromWebviewMessage({ type: 'trainWithSchedule', spec: step }), true);
	assert.equal(
		isFromWebviewMessage({ type: 'trainWithSchedule', spec: step, resultId: 'r1' }),
		true,
	);
	// The guard checks the outline only: an unknown kind reaches the host's parseScheduleSpec,
	// which answers with the core's one-line error.
	assert.equal(isFromWebviewMessage({ type: 'trainWithSchedule', spec: { kind: 'wobbly' } }), true);
	const cyclic: Record<string, unknown> = { kind: 'constant', lr: 0.1 };
	cyclic.self = cyclic;
	const bad: unknown[] = [
		{ type: 'trainWithSchedule' },
		{ type: 'trainWithSchedule', spec: null },
		{ type: 'trainWithSchedule', spec: 'step' },
		{ type: 'trainWithSchedule', spec: [step] },
		{ type: 'trainWithSchedule', spec: {} },
		{ type: 'trainWithSchedule', spec: { kind: '' } },
		{ type: 'trainWithSchedule', spec: { kind: 7, lr: 0.1 } },
		{ type: 'trainWithSchedule', spec: cyclic },
		{
			type: 'trainWithSchedule',
			spec: {
				kind: 'piecewise',
				boundaries: Array.from({ length: protocolLimits.maxSpecChars }, (_x, i) => i),
				values: [],
			},
		},
		{ type: 'trainWithSchedule', spec: step, resultId: '' },
		{ type: 'trainWithSchedule', spec: step, resultId: 5 },
	];
	for (const m of bad) {
		let text: string;
		try {
			text = JSON.stringify(m).slice(0, 120);
		} catch {
			text = 'cyclic spec';
		}
		assert.equal(isFromWebviewMessage(m), false, text);
	}
});
