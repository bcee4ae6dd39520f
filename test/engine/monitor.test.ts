/**
 * Monitor mode: the user's script trains for real while every batch/epoch log (with the LR and the
 * gradient norm) streams back in order, the core detectors raise findings as it happens, a schedule
 * can be applied without editing the code, and stop kills the script.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleSpec } from '../../src/core/schedules/parseSpec';
import { lrAt } from '../../src/core/schedules/scheduleLr';
import type { Finding } from '../../src/core/types';
import type { FromRunnerMessage } from '../../src/shared/runnerProtocol';
import { monitorReq, ofType, run, survivors } from './scriptHelpers';

type TrainLog = Extract<FromRunnerMessage, { type: 'trainLog' }>;
const batchLogs = (m: FromRunnerMessage[]): TrainLog[] =>
	ofType(m, 'trainLog').filter((t) => t.unit === 'batch');
const epochLogs = (m: FromRunnerMessage[]): TrainLog[] =>
	ofType(m, 'trainLog').filter((t) => t.unit === 'epoch');
const findings = (m: FromRunnerMessage[]): Finding[] => ofType(m, 'finding').map((f) => f.finding);

describe('monitor mode', () => {
	it('delivers every batch and epoch log in order, with the LR and the gradient norm (healthy: no findings)', async () => {
		const r = await run(monitorReq('healthy.js', {}, ['--epochs', '3']));
		const end = r.final as Extract<FromRunnerMessage, { type: 'monitorEnd' }>;
		assert.deepEqual([end.type, end.exitCode, end.epochs, end.batches], ['monitorEnd', 0, 3, 12]);
		const batches = batchLogs(r.messages);
		// 64 examples / batch 16 = 4 batches × 3 epochs, steps 0..11 in order, epochs 0,0,0,0,1,...
		assert.deepEqual(
			batches.map((b) => b.step),
			[...Array(12).keys()],
		);
		assert.deepEqual(
			batches.map((b) => b.epoch),
			[0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
		);
		assert.deepEqual(
			epochLogs(r.messages).map((e) => e.step),
			[0, 1, 2],
		);
		for (const b of batches) {
			assert.equal(b.lr, 0.01);
			assert.ok(typeof b.values.loss === 'number' && b.values.loss > 0);
			assert.ok(typeof b.values.acc === 'number');
			assert.equal('batch' in b.values || 'size' in b.values, false);
			assert.ok(b.gradNorm !== undefined && b.gradNorm > 0 && Number.isFinite(b.gradNorm));
		}
		// Each epoch log comes after that epoch's batches.
		const order = ofType(r.messages, 'trainLog').map(
			(t) => `${t.unit[0]}${t.unit === 'batch' ? t.step : t.epoch}`,
		);
		assert.deepEqual(order.slice(0, 6), ['b0', 'b1', 'b2', 'b3', 'e0', 'b4']);
		assert.deepEqual(findings(r.messages), []);
		assert.match(r.output, /final loss/);
	});

	it('counts epochs × batches over several fit calls and fitDataset', async () => {
		const twice = await run(monitorReq('fitsTwice.js'));
		// fit 1: 48/16 = 3 batches × 1 epoch; fit 2: 48/8 = 6 batches × 2 epochs → 15 steps, 3 epochs.
		assert.deepEqual(
			batchLogs(twice.messages).map((b) => b.step),
			[...Array(15).keys()],
		);
		assert.deepEqual(
			ofType(twice.messages, 'fitCall').map((c) => [c.index, c.line, c.intercepted]),
			[
				[0, 11, false],
				[1, 12, false],
			],
		);
		const ds = await run(monitorReq('fitDataset.js'));
		const end = ds.final as Extract<FromRunnerMessage, { type: 'monitorEnd' }>;
		assert.deepEqual([end.epochs, end.batches], [2, 8]);
		assert.ok(epochLogs(ds.messages).every((e) => typeof e.values.val_loss === 'number'));
	});

	it('the diverging script raises divergence within a few steps of the onset (LR raised at step 30)', async () => {
		const r = await run(monitorReq('diverging.js'));
		const div = findings(r.messages).find((f) => f.kind === 'divergence' && f.unit === 'step');
		assert.ok(div, JSON.stringify(findings(r.messages)));
		// LR 3 applies from batch 30; batch 31's loss is the first computed with the bad update.
		assert.ok(div.step >= 30 && div.step <= 32, `onset reported at ${div.step}`);
		assert.ok((div.detectedAt ?? div.step) - 30 <= 4, `detected at ${div.detectedAt}`);
		assert.equal(div.series, 'loss');
		const lrs = batchLogs(r.messages).map((b) => b.lr);
		assert.deepEqual([lrs[29], lrs[30]], [0.01, 3]);
		// The finding arrives right after the batch log that triggered it, not at the end.
		const idx = r.messages.findIndex((m) => m.type === 'finding');
		const before = batchLogs(r.messages.slice(0, idx));
		assert.equal(before[before.length - 1].step, div.detectedAt ?? div.step);
	});

	it('the plateauing script raises a stall (plateau) warning', async () => {
		const r = await run(monitorReq('plateauing.js'));
		const kinds = findings(r.messages).map((f) => `${f.kind}/${f.unit}`);
		assert.ok(kinds.includes('plateau/epoch'), kinds.join(','));
		assert.equal(
			kinds.some((k) => k.startsWith('divergence') || k.startsWith('nonFinite')),
			false,
		);
	});

	it('the NaN script raises non-finite at the first NaN step', async () => {
		const r = await run(monitorReq('nanLoss.js'));
		const firstNaN = batchLogs(r.messages).find((b) => b.values.loss === null);
		assert.equal(firstNaN?.step, 5);
		const nf = findings(r.messages).find((f) => f.kind === 'nonFinite' && f.unit === 'step');
		assert.equal(nf?.step, 5);
		assert.equal(nf?.severity, 'error');
	});

	it('the overfitting script raises overfitting at the epoch where validation loss turned', async () => {
		const r = await run(monitorReq('overfitting.js'));
		const val = epochLogs(r.messages).map((e) => e.values.val_loss as number);
		const best = val.indexOf(Math.min(...val));
		assert.ok(
			best >= 2 && best < val.length - 3,
			`val loss best at epoch ${best}: ${val.join(', ')}`,
		);
		const of = findings(r.messages).find((f) => f.kind === 'overfitting');
		assert.ok(of, JSON.stringify(findings(r.messages)));
		assert.ok(Math.abs(of.step - best) <= 1, `finding at epoch ${of.step}, best val at ${best}`);
		assert.ok((of.detectedAt ?? 0) <= best + 4, `detected at ${of.detectedAt}`);
	});

	it('applies a schedule per batch without editing the script', async () => {
		const schedule = { kind: 'step', initialLearningRate: 0.02, stepSize: 4, gamma: 0.5 };
		const r = await run(monitorReq('healthy.js', { schedule, gradNorm: false }, ['--epochs', '2']));
		const spec = parseScheduleSpec(schedule);
		const batches = batchLogs(r.messages);
		assert.equal(batches.length, 8);
		for (const b of batches) {
			assert.ok(Math.abs((b.lr ?? NaN) - lrAt(spec, b.step)) < 1e-9, `step ${b.step}: lr ${b.lr}`);
			assert.equal(b.gradNorm, undefined);
		}
		assert.deepEqual(
			batches.map((b) => b.lr),
			[0.02, 0.02, 0.02, 0.02, 0.01, 0.01, 0.01, 0.01],
		);
	});

	it('a bad schedule is bad input before anything runs', async () => {
		const r = await run(monitorReq('healthy.js', { schedule: { kind: 'sideways' } }));
		assert.equal(r.final.type, 'error');
		assert.match(
			(r.final as { message: string }).message,
			/^bad schedule: schedule kind must be one of/,
		);
		assert.deepEqual(r.pids, []);
	});

	it('stop kills the script: monitorEnd(stopped), nothing left running', async () => {
		const r = await run(monitorReq('healthy.js', {}, ['--epochs', '200']), {
			cancelWhen: (m) => m.type === 'trainLog' && m.step >= 3,
		});
		const end = r.final as Extract<FromRunnerMessage, { type: 'monitorEnd' }>;
		assert.equal(end.type, 'monitorEnd');
		assert.equal(end.stopped, true);
		assert.ok(end.batches < 200 * 4);
		assert.deepEqual(await survivors(r.pids), []);
	});

	it('a script that fails during training: monitorEnd with its exit code and the error logged', async () => {
		const r = await run(monitorReq('exitsNonzero.js'));
		const end = r.final as Extract<FromRunnerMessage, { type: 'monitorEnd' }>;
		assert.deepEqual([end.type, end.exitCode, end.batches], ['monitorEnd', 3, 0]);
		const errs = ofType(r.messages, 'log').filter((l) => l.level === 'error');
		assert.match(
			errs[0]?.message ?? '',
			/exitsNonzero\.js exited with code 3; last output:\nusage: exitsNonzero\.js/,
		);
	});
});
