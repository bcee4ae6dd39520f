/**
 * Fit interception on the user's own script: the range test runs on the script's first
 * model.fit/fitDataset (tensors, datasets, validation data, tfjs-node stand-in, TypeScript),
 * the script's files stay untouched, and every kind of bad script is reported with nothing left running.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RangeTestResult } from '../../src/core/types';
import { userCallSite } from '../../src/engine/script/fitHook/callSite';
import {
	ofType,
	rangeTestReq,
	run,
	scriptsDir,
	survivors,
	treeHashes,
	type ScriptRun,
} from './scriptHelpers';

function resultOf(r: ScriptRun): RangeTestResult {
	assert.equal(
		r.final.type,
		'result',
		`expected a result, got ${JSON.stringify(r.final).slice(0, 400)}`,
	);
	return (r.final as { result: RangeTestResult }).result;
}

describe('fit hook: range test on the script’s own fit call', () => {
	let hashesBefore: Record<string, string>;
	before(() => {
		hashesBefore = treeHashes(scriptsDir);
	});
	after(() => {
		// The scripts (and their folder) are byte-identical after every run: nothing written, nothing added.
		assert.deepEqual(treeHashes(scriptsDir), hashesBefore);
	});

	it('intercepts fit on tensors: that model, batch size and optimizer; exits without training', async () => {
		// Unverified, so the curve's own 3 default repeats run (a verified test runs 1).
		const r = await run(rangeTestReq('fitsTwice.js', {}, { steps: 20, verify: 'off' }));
		const res = resultOf(r);
		assert.equal(res.batchSize, 16, 'batch size from the fit call');
		assert.equal(res.model.optimizer, 'SGD');
		assert.equal(res.model.loss, 'meanSquaredError');
		assert.equal(res.model.params, 4);
		assert.equal(res.lrs.length > 5, true);
		// The script's tfjs is LR Scope's own: auto takes the speed probe's pick (scriptBackend.test.ts).
		assert.match(
			res.backend.reason,
			new RegExp(`${res.backend.name} trains (this model )?fastest`),
		);
		// Only the first fit was intercepted, and the result says the script stopped there.
		const calls = ofType(r.messages, 'fitCall');
		assert.equal(calls.length, 1);
		assert.deepEqual(
			[calls[0].index, calls[0].intercepted, calls[0].line, path.basename(calls[0].file ?? '')],
			[0, true, 11, 'fitsTwice.js'],
		);
		assert.ok(
			res.notes.some((n) => /first model\.fit call \(fitsTwice\.js:11\).*later fit calls/.test(n)),
			res.notes.join(' | '),
		);
		assert.doesNotMatch(r.output, /second fit done/);
		assert.deepEqual(await survivors(r.pids), []);
		// Progress streamed for every recorded step, in order: the first of the 3 default repeats is the
		// result's curve; steps count over all repeats.
		const prog = ofType(r.messages, 'progress');
		assert.deepEqual(
			prog.filter((p) => p.repeat === 0).map((p) => p.step),
			res.lrs.map((_l, i) => i),
		);
		assert.ok(prog.every((p, i) => i === 0 || p.step > prog[i - 1].step));
		assert.equal(ofType(r.messages, 'started')[0].total, 20 * 3);
	});

	it('intercepts fitDataset: batch size from the dataset, its validation dataset collected', async () => {
		const r = await run(rangeTestReq('fitDataset.js', {}, { steps: 12, validation: true }));
		const res = resultOf(r);
		assert.equal(res.batchSize, 16);
		assert.equal(res.lossMode, 'validation');
		assert.equal(ofType(r.messages, 'fitCall')[0].method, 'fitDataset');
		assert.ok(
			res.notes.some((n) => /validation dataset/.test(n)),
			res.notes.join(' | '),
		);
		assert.ok(res.notes.some((n) => /tf\.data dataset \(batches of 16\)/.test(n)));
	});

	it('uses the script’s validationData (functional tf.model) in validation mode', async () => {
		const r = await run(rangeTestReq('validationData.js', {}, { steps: 12, validation: true }));
		const res = resultOf(r);
		assert.equal(res.lossMode, 'validation');
		assert.equal(res.batchSize, 8);
		assert.equal(res.model.name, 'functionalRegressor');
		assert.equal(res.model.optimizer, 'Adam');
		assert.ok(
			res.notes.some((n) => n.includes("the script's validationData [24,5]")),
			res.notes.join(' | '),
		);
	});

	it('stands in for tfjs-node (file:// save + loadLayersModel work) and says so', async () => {
		const r = await run(rangeTestReq('tfjsNode.js'));
		const res = resultOf(r);
		assert.ok(
			res.notes.some((n) =>
				/@tensorflow\/tfjs-node could not be loaded .*bundled @tensorflow\/tfjs 4\.22\.0.*file:\/\/ model save\/load work/.test(
					n,
				),
			),
			res.notes.join(' | '),
		);
		assert.equal(res.backend.origin, 'bundled');
		assert.equal(res.model.optimizer, 'RMSProp');
		assert.equal(res.batchSize, 12);
	});

	it('runs a TypeScript script (in-memory transform; call site mapped to the .ts line)', async () => {
		const r = await run(rangeTestReq('train.ts'));
		const res = resultOf(r);
		assert.equal(res.batchSize, 12);
		const call = ofType(r.messages, 'fitCall')[0];
		assert.equal(path.basename(call.file ?? ''), 'train.ts');
		assert.equal(call.line, 17);
	});

	it('passes the user’s arguments and env, with cwd = the script’s folder by default', async () => {
		const r = await run(rangeTestReq('healthy.js', { args: ['--batch-size', '8'] }));
		assert.equal(resultOf(r).batchSize, 8);
	});
});

describe('fit hook: bad scripts are reported clearly, nothing left running', () => {
	it('a script that throws before fit: its error and line', async () => {
		const r = await run(rangeTestReq('throwsBeforeFit.js'));
		assert.equal(r.final.type, 'error');
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'badInput');
		assert.equal(
			e.message,
			'throwsBeforeFit.js threw before calling model.fit: Error: data file not found: ./data/train.csv (throwsBeforeFit.js:6)',
		);
	});

	it('a script that never calls fit', async () => {
		const r = await run(rangeTestReq('neverFits.js'));
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'badInput');
		assert.match(
			e.message,
			/^neverFits\.js exited without calling model\.fit or model\.fitDataset/,
		);
		assert.match(e.detail ?? '', /nothing to train today/);
	});

	it('a script that exits non-zero: code and last line', async () => {
		const r = await run(rangeTestReq('exitsNonzero.js'));
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'badInput');
		assert.equal(
			e.message,
			'exitsNonzero.js exited with code 3 before calling model.fit: usage: exitsNonzero.js --data <file>  (missing --data)',
		);
	});

	it('a script that hangs: timeout, and it and its helper process are killed', async () => {
		const r = await run(rangeTestReq('hangs.js', { fitTimeoutMs: 2500 }));
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'timeout');
		assert.match(e.message, /^hangs\.js did not call model\.fit within 3 s and was stopped/);
		const m = /pids (\d+) (\d+)/.exec(r.output);
		assert.ok(m, r.output);
		assert.deepEqual(await survivors([Number(m[1]), Number(m[2])]), []);
	});

	it('a script that prints megabytes: output capped, tail shown, result still delivered', async () => {
		const r = await run(rangeTestReq('printsMegabytes.js'), {
			liveOutputBytes: 64 * 1024,
			tailBytes: 2048,
		});
		resultOf(r);
		assert.ok(r.output.length < 80 * 1024, `captured ${r.output.length} chars`);
		assert.match(r.output, /\[lrscope: 4\.\d MB of stdout in total; last 2048 characters:\]/);
		assert.match(r.output, /LAST LINE BEFORE FIT\n$/);
	});

	it('cancel kills the script mid-test', async () => {
		const r = await run(rangeTestReq('healthy.js'), {
			cancelWhen: (m) => m.type === 'progress' && m.step >= 2,
		});
		const e = r.final as Extract<typeof r.final, { type: 'error' }>;
		assert.equal(e.code, 'cancelled');
		assert.deepEqual(await survivors(r.pids), []);
	});

	it('bad sources: missing file, not a script', async () => {
		const r1 = await run(rangeTestReq('nope.js'));
		assert.deepEqual(
			[r1.final.type, (r1.final as { message: string }).message.startsWith('script not found: ')],
			['error', true],
		);
		const r2 = await run(rangeTestReq('lib'));
		assert.match((r2.final as { message: string }).message, /is not a JavaScript\/TypeScript file/);
		assert.equal(fs.existsSync(path.join(scriptsDir, 'lib')), true);
	});
});

describe('userCallSite', () => {
	it('skips node internals, node_modules and non-absolute frames', () => {
		const stack = [
			'Error',
			'    at Sequential.patched (/x/dist/fitHook.js:1:1)',
			'    at fit (/p/node_modules/@tensorflow/tfjs-layers/dist/x.js:3:4)',
			'    at node:internal/modules/cjs/loader:1:1',
			'    at main (/home/u/proj/train.js:42:17)',
			'    at Object.<anonymous> (/home/u/proj/other.js:1:1)',
		].join('\n');
		assert.deepEqual(userCallSite(stack.replace('/x/dist/fitHook.js', 'node:hook')), {
			file: '/home/u/proj/train.js',
			line: 42,
			column: 17,
		});
		assert.deepEqual(userCallSite('Error\n    at async main (file:///home/u/a.mjs:3:9)'), {
			file: '/home/u/a.mjs',
			line: 3,
			column: 9,
		});
		assert.equal(userCallSite(undefined), undefined);
	});
});
