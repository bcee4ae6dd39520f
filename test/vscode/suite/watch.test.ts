/**
 * Extension-host tests of passive watching in real VS Code: a JSONL log and a tfjs-node-style
 * TensorBoard logdir written into the workspace while LR Scope watches become live runs; appended
 * records arrive (and only they: the followers never re-read from the start), a partial last record
 * waits for its remaining bytes, and a diverging log raises one warning notification. Logs in
 * directories created just before the write are found when their folder appears, and appends the
 * file-system events miss by the 2 s poll that runs while a run is running, hence the 30 s waits.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { encodeScalarEvent } from '../../../src/core/logs/tfevents';
import type { LrScopeApi } from '../../../src/extension/extension';
import type { LiveRun } from '../../../src/extension/resultsStore';
import { activateApi, until } from './helpers';

let api: LrScopeApi;
let ws: string;

function live(id: string): LiveRun | undefined {
	return api.store.getLive(id);
}

function count(id: string): number {
	return live(id)?.records.length ?? -1;
}

/** Polls a few times: nothing new may arrive (e.g. while a record is incomplete). */
async function settle(): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await api.live.watcher.pollAll();
		await new Promise((r) => setTimeout(r, 100));
	}
}

suite('LR Scope passive watching of training logs', () => {
	suiteSetup(async function () {
		this.timeout(60_000);
		ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		api = await activateApi();
		await until(() => api.live.watcher.started, 30_000, 'the watcher to start');
	});

	test('a growing JSONL log: only appended records arrive, a partial last line waits', async () => {
		const file = path.join(ws, 'logs', 'jsonl-run', 'metrics.jsonl');
		const id = `watch:${file}`;
		fs.mkdirSync(path.dirname(file), { recursive: true });
		const line = (step: number): string => `${JSON.stringify({ step, loss: 1 / (step + 1) })}\n`;
		fs.writeFileSync(file, line(0) + line(1) + line(2));
		await until(() => count(id) === 3, 30_000, 'the first 3 records');
		const run = live(id)!;
		assert.equal(run.origin, 'watch');
		assert.equal(run.status, 'running');
		assert.equal(run.targetUri, vscode.Uri.file(file).toString());
		assert.match(run.label, /logs\/jsonl-run\/metrics\.jsonl \(watched\)/);
		// Two whole lines and half of a third.
		const third = line(5);
		fs.appendFileSync(file, line(3) + line(4) + third.slice(0, 9));
		await until(() => count(id) === 5, 30_000, 'the 2 appended records');
		await settle();
		assert.equal(count(id), 5, 'the partial line must not become a record yet');
		fs.appendFileSync(file, third.slice(9));
		await until(() => count(id) === 6, 30_000, 'the completed record');
		await settle();
		const recs = live(id)!.records;
		assert.deepEqual(
			recs.map((r) => r.step),
			[0, 1, 2, 3, 4, 5],
			'no record read twice',
		);
		assert.deepEqual(
			recs.map((r) => r.values.loss),
			[0, 1, 2, 3, 4, 5].map((s) => 1 / (s + 1)),
		);
		assert.deepEqual(live(id)!.findings, []);
	});

	test('a growing TensorBoard logdir (train/ and val/ event files) is one run, tailed', async () => {
		const logdir = path.join(ws, 'tb', 'run1');
		const id = `watch:${logdir}`;
		const train = path.join(logdir, 'train', 'events.out.tfevents.1700000000.host');
		const val = path.join(logdir, 'val', 'events.out.tfevents.1700000000.host');
		fs.mkdirSync(path.dirname(train), { recursive: true });
		fs.mkdirSync(path.dirname(val), { recursive: true });
		const ev = (step: number, tag = 'loss'): Buffer =>
			Buffer.from(encodeScalarEvent(step, tag, 2 - step * 0.1, 1700000000 + step));
		fs.writeFileSync(train, Buffer.concat([ev(0), ev(1), ev(2)]));
		await until(() => count(id) === 3, 30_000, 'the first 3 events');
		assert.equal(live(id)!.origin, 'watch');
		const partial = ev(5);
		fs.appendFileSync(train, Buffer.concat([ev(3), ev(4), partial.subarray(0, 20)]));
		await until(() => count(id) === 5, 30_000, 'the 2 appended events');
		await settle();
		assert.equal(count(id), 5, 'a partial event record must wait');
		fs.appendFileSync(train, partial.subarray(20));
		await until(() => count(id) === 6, 30_000, 'the completed event');
		// The val writer's file joins the same run with val_ tags.
		fs.writeFileSync(val, Buffer.concat([ev(0, 'epoch_loss'), ev(1, 'epoch_loss')]));
		await until(() => count(id) === 8, 30_000, 'the validation events');
		await settle();
		const recs = live(id)!.records;
		assert.deepEqual(
			recs.filter((r) => r.unit === 'step').map((r) => r.step),
			[0, 1, 2, 3, 4, 5],
		);
		assert.deepEqual(
			recs.filter((r) => r.unit === 'epoch').map((r) => Object.keys(r.values)),
			[['val_epoch_loss'], ['val_epoch_loss']],
		);
		assert.ok(Math.abs((recs[5].values.loss as number) - 1.5) < 1e-6);
	});

	test('a diverging log raises one warning (Show curves / Suggest a fix) and the finding is in the store', async () => {
		const file = path.join(ws, 'run.log.jsonl');
		const id = `watch:${file}`;
		// Earlier suites' runs may have spent this minute's notification budget (3 a minute).
		api.live.warnings.resetRateLimitForTest();
		const shownBefore = api.live.warnings.shown.slice();
		const lines = (from: number, to: number, f: (s: number) => number): string =>
			Array.from(
				{ length: to - from },
				(_x, i) => `${JSON.stringify({ step: from + i, loss: f(from + i) })}\n`,
			).join('');
		fs.writeFileSync(
			file,
			lines(0, 40, (s) => 1 - s * 0.005),
		);
		await until(() => count(id) === 40, 30_000, 'the healthy part');
		assert.deepEqual(live(id)!.findings, []);
		// The loss blows up: ×1.5 per step from step 40.
		fs.appendFileSync(
			file,
			lines(40, 70, (s) => 0.8 * 1.5 ** (s - 39)),
		);
		await until(
			() => live(id)?.findings.some((f) => f.kind === 'divergence') ?? false,
			30_000,
			'a divergence finding',
		);
		const div = live(id)!.findings.find((f) => f.kind === 'divergence')!;
		assert.ok(div.step >= 40 && div.step <= 46, `divergence from step ${div.step}`);
		await until(
			() =>
				api.live.warnings.shown.filter((w) => !shownBefore.includes(w)).some((w) => w.runId === id),
			5000,
			'the notification',
		);
		const shown = api.live.warnings.shown
			.filter((w) => !shownBefore.includes(w))
			.filter((w) => w.runId === id);
		assert.equal(shown.filter((w) => w.kind === 'divergence').length, 1);
		assert.deepEqual(shown[0].actions, ['Show curves', 'Suggest a fix']);
		// More of the same problem: no second notification for this run and kind.
		fs.appendFileSync(
			file,
			lines(70, 90, (s) => 1e6 * s),
		);
		await until(() => count(id) === 90, 30_000, 'the rest');
		await settle();
		assert.equal(
			api.live.warnings.shown
				.filter((w) => !shownBefore.includes(w))
				.filter((w) => w.runId === id && w.kind === 'divergence').length,
			1,
		);
		// A watched log has no script: the fix is the detector's advice.
		const fix = await api.live.warnings.runAction(id, 'divergence', 'suggestFix');
		assert.equal(fix.action, 'suggestFix');
		if (fix.action === 'suggestFix') {
			assert.deepEqual(fix.offered, []);
			assert.ok(fix.text.includes(div.action));
		}
	});
});
