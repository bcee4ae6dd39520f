/**
 * A verified suggestion end to end, as the CLI and the extension get it: the runner process on a
 * tiny saved model (headline.verified with its candidates, the model files byte-identical,
 * verifyProgress streamed, cancel during the probes keeps the curve's headline), and a training
 * script whose fit plan sets the probe length and whose validationData scores the probes.
 * Needs `node esbuild.mjs` first (`npm run test:engine` does it).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { headlineOf } from '../../src/core/headline';
import { headlineText } from '../../src/core/present/headline';
import type { RangeTestResult } from '../../src/core/types';
import { runInRunner } from '../../src/host/client';
import type { FromRunnerMessage, ModelSource } from '../../src/shared/runnerProtocol';
import { savedLinearWorkspace } from './helpers';
import { rangeTestReq, run, treeHashes } from './scriptHelpers';

const root = path.resolve(__dirname, '..', '..');
const runnerPath = path.join(root, 'dist', 'runner.js');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-verify-'));
let source: ModelSource;

before(async () => {
	assert.ok(fs.existsSync(runnerPath), 'dist/runner.js is missing: run `node esbuild.mjs` first');
	source = await savedLinearWorkspace(ws);
});
after(() => fs.rmSync(ws, { recursive: true, force: true }));

async function rangeTest(
	onMessage: (m: FromRunnerMessage, cancel: () => void) => void,
): Promise<RangeTestResult> {
	const abort = new AbortController();
	const out = await runInRunner(
		{
			type: 'rangeTest',
			id: 'v1',
			source,
			options: { startLr: 1e-5, steps: 60, repeat: 1, verify: 'on', verifySteps: 40 },
			backend: 'cpu',
			workspace: ws,
		},
		{
			runnerPath,
			onMessage: (m) => onMessage(m, () => abort.abort()),
			signal: abort.signal,
			timeoutMs: 180_000,
		},
	);
	assert.equal(out.type, 'result');
	return (out as { result: RangeTestResult }).result;
}

describe('verified suggestion in the runner', () => {
	it('a saved model: headline.verified with ≥ 3 candidates, the winner is the headline; files untouched', async () => {
		const before = treeHashes(ws);
		const progress: Extract<FromRunnerMessage, { type: 'verifyProgress' }>[] = [];
		const r = await rangeTest((m) => {
			if (m.type === 'verifyProgress') {
				progress.push(m);
			}
		});
		const h = headlineOf(r);
		const v = h.verified;
		assert.ok(v, `no verification; notes: ${r.notes.join(' | ')}`);
		assert.ok(v.candidates.length >= 3, `${v.candidates.length} candidates`);
		assert.equal(h.lr, v.lr);
		assert.ok(v.candidates.some((c) => c.lr === v.lr && c.heldOutLoss !== null));
		assert.ok(v.candidates.some((c) => c.lr === v.curveLr && c.origin === 'curve'));
		assert.equal(v.heldOut, 'slice');
		assert.equal(v.stepsFrom, 'option');
		// Its own time, beside the range test's (the CLI and the report add them up).
		assert.ok(v.seconds !== undefined && v.seconds > 0, `verification seconds ${v.seconds}`);
		assert.match(headlineText(h), /^\S+ \(verified\)$/);
		// The headline marker sits on the curve at the verified LR.
		assert.ok(h.index !== undefined && h.index >= 0 && h.index < r.lrs.length);
		assert.ok(progress.length > 0, 'no verifyProgress');
		const last = progress[progress.length - 1];
		assert.ok(last.step <= last.total && last.candidates === v.candidates.length);
		assert.deepEqual(treeHashes(ws), before, 'the model or data files changed');
	});

	it('cancel during the probes: the curve headline stays, a note says so, files untouched', async () => {
		const before = treeHashes(ws);
		let seen = 0;
		const r = await rangeTest((m, cancel) => {
			if (m.type === 'verifyProgress' && ++seen === 3) {
				cancel();
			}
		});
		assert.ok(seen >= 3, 'verification never started');
		assert.equal(headlineOf(r).verified, undefined);
		assert.ok(
			r.notes.some((n) => /verification was cancelled/.test(n)),
			r.notes.join(' | '),
		);
		assert.deepEqual(treeHashes(ws), before);
	});
});

describe('repeats when verifying', () => {
	it('one range-test curve unless a repeat count was asked for', async () => {
		for (const [options, total] of [
			[{ steps: 30, verify: 'on' }, 30],
			[{ steps: 30, verify: 'on', repeat: 2 }, 60],
			[{ steps: 30, verify: 'off' }, 90],
		] as const) {
			let started = -1;
			await runInRunner(
				{ type: 'rangeTest', id: 'rp', source, options, backend: 'cpu', workspace: ws },
				{
					runnerPath,
					timeoutMs: 180_000,
					onMessage: (m) => {
						if (m.type === 'started') {
							started = m.total;
						}
					},
				},
			);
			assert.equal(started, total, JSON.stringify(options));
		}
	});
});

describe('verified suggestion on a module', () => {
	it("scores the probes on the module's own valX/valY", async () => {
		const file = path.join(ws, 'source.js');
		fs.writeFileSync(
			file,
			`exports.createModel = (tf) => {
	const m = tf.sequential();
	m.add(tf.layers.dense({ inputShape: [3], units: 1 }));
	m.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
	return m;
};
exports.createData = (tf) => {
	const w = tf.tensor2d([[1], [-2], [0.5]]);
	const x = tf.randomUniform([200, 3], -1, 1, 'float32', 1);
	const valX = tf.randomUniform([24, 3], -1, 1, 'float32', 2);
	return { x, y: x.matMul(w), valX, valY: valX.matMul(w) };
};
`,
		);
		try {
			const out = await runInRunner(
				{
					type: 'rangeTest',
					id: 'm1',
					source: { kind: 'module', modulePath: file },
					options: { startLr: 1e-4, steps: 40, repeat: 1, verify: 'on', verifySteps: 20 },
					backend: 'cpu',
					workspace: ws,
				},
				{ runnerPath, timeoutMs: 180_000 },
			);
			assert.equal(out.type, 'result');
			const r = (out as { result: RangeTestResult }).result;
			const v = headlineOf(r).verified;
			assert.ok(v, `no verification; notes: ${r.notes.join(' | ')}`);
			assert.equal(v.heldOut, 'validation');
			assert.equal(v.heldOutExamples, 24);
			assert.equal(r.lossMode, 'train');
		} finally {
			fs.rmSync(file);
		}
	});
});

describe('verified suggestion on a training script', () => {
	it("the fit call's plan sets the probe length and its validationData scores the probes", async () => {
		const res = await run(
			rangeTestReq('validationData.js', {}, { steps: 30, repeat: 1, verify: 'on' }),
		);
		assert.equal(res.final.type, 'result', res.output);
		const r = (res.final as { result: RangeTestResult }).result;
		const v = headlineOf(r).verified;
		assert.ok(v, `no verification; notes: ${r.notes.join(' | ')}`);
		assert.equal(v.stepsFrom, 'plan');
		assert.equal(v.heldOut, 'validation');
		assert.equal(v.heldOutExamples, 24);
		// fit(64 examples, {epochs: 2, batchSize: 8}) plans 16 steps; the budget may halve it.
		assert.ok(v.steps >= 1 && v.steps <= 16, `probe length ${v.steps}`);
		assert.ok(res.messages.some((m) => m.type === 'verifyProgress'));
	});
});
