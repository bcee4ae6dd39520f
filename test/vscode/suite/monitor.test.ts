/**
 * Extension-host tests of the zero-config commands on a training script in real VS Code: the range
 * test from the active editor's script `fit`, "Train with LR Scope" streaming a live run into the
 * store with the runner's detector findings and one warning notification per problem (with "Show
 * curves" / "Suggest a fix"), remembered arguments and environment, Stop Training, and scripts that
 * throw or hang (a readable error with "Show log"; the extension keeps working).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lrAt } from '../../../src/core/schedules/scheduleLr';
import type { StepSpec } from '../../../src/core/schedules/spec';
import type { LrScopeApi } from '../../../src/extension/extension';
import type { MonitorReport } from '../../../src/extension/monitor/monitorManager';
import type { RunReport } from '../../../src/extension/runs';
import { activateApi, extensionId, until } from './helpers';

const quick = { steps: 20, startLr: 1e-4, endLr: 1 };

let api: LrScopeApi;
let ws: string;

async function train(args: object): Promise<MonitorReport> {
	const report = await vscode.commands.executeCommand<MonitorReport | RunReport | undefined>(
		'lrScope.trainWithMonitor',
		args,
	);
	assert.ok(report && 'runId' in report, `no monitor report: ${JSON.stringify(report)}`);
	return report;
}

suite('LR Scope zero-config: commands on a training script', () => {
	suiteSetup(async function () {
		this.timeout(60_000);
		ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		api = await activateApi();
		await vscode.workspace
			.getConfiguration('lrScope')
			.update('openPanelOnResult', false, vscode.ConfigurationTarget.Workspace);
		// The fixture scripts and the zero-config example, copied into the test workspace.
		const repo = vscode.extensions.getExtension(extensionId)!.extensionPath;
		fs.cpSync(path.join(repo, 'test', 'fixtures', 'scripts'), path.join(ws, 'scripts'), {
			recursive: true,
		});
		fs.cpSync(path.join(repo, 'examples', 'zero-config'), path.join(ws, 'zero-config'), {
			recursive: true,
		});
		fs.writeFileSync(
			path.join(ws, 'scripts', 'envEpochs.js'),
			[
				"'use strict';",
				"const tf = require('@tensorflow/tfjs');",
				"const { regression } = require('./lib/data');",
				'const epochs = Number(process.env.LRSCOPE_TEST_EPOCHS);',
				"if (!(epochs > 0)) throw new Error('LRSCOPE_TEST_EPOCHS is not set');",
				'const { x, y } = regression(tf, 32, 4, { seed: 1 });',
				'const model = tf.sequential();',
				'model.add(tf.layers.dense({ inputShape: [4], units: 1 }));',
				"model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });",
				'model.fit(x, y, { epochs, batchSize: Number(process.argv[2] || 8), verbose: 0 });',
			].join('\n'),
		);
	});

	teardown(() => {
		api.setTrustOverride(undefined);
	});

	test("the command runs the range test from the active editor script's own fit", async () => {
		const script = path.join(ws, 'zero-config', 'train.js');
		await vscode.window.showTextDocument(vscode.Uri.file(script));
		const report = await vscode.commands.executeCommand<RunReport>('lrScope.runRangeTestOnScript', {
			options: quick,
		});
		assert.equal(report?.status, 'ok', JSON.stringify(report).slice(0, 400));
		if (report?.status !== 'ok') {
			return;
		}
		const stored = api.store.get(report.result.id);
		assert.ok(stored?.rangeTest);
		assert.equal(stored.source.kind, 'script');
		assert.equal(stored.source.kind === 'script' && stored.source.scriptPath, script);
		assert.equal(stored.targetUri, vscode.Uri.file(script).toString());
		const r = stored.rangeTest;
		// The script's own model, optimizer and batch size: spirals MLP, adam, batchSize 32.
		assert.equal(r.batchSize, 32);
		assert.match(r.model.optimizer.toLowerCase(), /adam/);
		assert.equal(r.model.loss, 'categoricalCrossentropy');
		assert.ok(r.lrs.length >= 5 && r.lrs.length <= quick.steps, `recorded ${r.lrs.length}`);
		assert.ok(Math.abs(r.lrs[0] - quick.startLr) / quick.startLr < 1e-6);
		// Nothing was written next to the script.
		assert.deepEqual(fs.readdirSync(path.join(ws, 'zero-config')).sort(), ['train.js']);
	});

	test('arguments and environment are remembered per script and reach it', async () => {
		const scriptPath = path.join(ws, 'scripts', 'envEpochs.js');
		const saved = await vscode.commands.executeCommand<{
			args: string[];
			env: Record<string, string>;
		}>('lrScope.setScriptArgs', {
			scriptPath,
			args: '16',
			env: 'LRSCOPE_TEST_EPOCHS=3 OTHER="a b"',
		});
		assert.deepEqual(saved, { args: ['16'], env: { LRSCOPE_TEST_EPOCHS: '3', OTHER: 'a b' } });
		assert.deepEqual(api.live.scriptSettings.get(vscode.Uri.file(scriptPath)), saved);
		const report = await train({ scriptPath });
		assert.equal(report.status, 'finished', JSON.stringify(report));
		// 3 epochs (from the env) of 32 rows in batches of 16 (from the args).
		assert.equal(report.epochs, 3);
		assert.equal(report.batches, 6);
		const run = api.store.getLive(report.runId)!;
		assert.equal(run.records.filter((r) => r.unit === 'step').length, 6);
		assert.equal(run.records.filter((r) => r.unit === 'epoch').length, 3);
		// A bad line is refused with a clear message, and the remembered settings stay.
		const errorsBefore = api.runs.shownErrors.length;
		const bad = await vscode.commands.executeCommand('lrScope.setScriptArgs', {
			scriptPath,
			env: 'NOT_AN_ASSIGNMENT',
		});
		assert.equal(bad, undefined);
		assert.match(
			api.runs.shownErrors.slice(errorsBefore)[0]?.message ?? '',
			/expected KEY=VALUE .*NOT_AN_ASSIGNMENT/,
		);
		assert.deepEqual(api.live.scriptSettings.get(vscode.Uri.file(scriptPath)), saved);
	});

	test('monitor mode: every batch in the live run, a divergence finding and one warning with its actions', async () => {
		const scriptPath = path.join(ws, 'scripts', 'diverging.js');
		const shownBefore = api.live.warnings.shown.length;
		const report = await train({ scriptPath });
		assert.equal(report.status, 'finished', JSON.stringify(report).slice(0, 400));
		const run = api.store.getLive(report.runId);
		assert.ok(run, 'live run not in the store');
		assert.equal(run.origin, 'monitor');
		assert.equal(run.status, 'finished');
		assert.equal(run.targetUri, vscode.Uri.file(scriptPath).toString());
		// Every batch, in order: 80 rows / 16 = 5 batches × 12 epochs.
		const steps = run.records.filter((r) => r.unit === 'step').map((r) => r.step);
		assert.equal(steps.length, 60);
		assert.deepEqual(
			steps,
			Array.from({ length: 60 }, (_x, i) => i),
		);
		assert.ok(
			run.records.every(
				(r) => r.unit !== 'step' || typeof r.values.lr === 'number' || r.values.lr === null,
			),
			'lr on every batch',
		);
		assert.equal(run.records.find((r) => r.step === 40 && r.unit === 'step')?.values.lr, 3);
		const div = run.findings.find((f) => f.kind === 'divergence');
		assert.ok(div, `no divergence finding: ${JSON.stringify(run.findings)}`);
		// The LR jumps to 3 at step 30: the divergence is reported within a few steps of it.
		assert.ok(div.step >= 30 && div.step <= 36, `divergence from step ${div.step}`);
		// One burst of problems, not a toast per detector: the run's first warning and its first
		// error notify (each kind once), the rest stay in the panel and the status bar.
		const shown = api.live.warnings.shown
			.slice(shownBefore)
			.filter((w) => w.runId === report.runId && w.kind !== 'fix');
		assert.ok(
			shown.some((w) => w.severity === 'error'),
			JSON.stringify(shown),
		);
		assert.equal(
			new Set(shown.map((w) => w.severity)).size,
			shown.length,
			`more than one notification per severity: ${JSON.stringify(shown)}`,
		);
		const kinds = new Set(run.findings.map((f) => f.kind));
		assert.ok(kinds.size > shown.length, `${[...kinds].join(', ')} vs ${JSON.stringify(shown)}`);
		for (const w of shown) {
			assert.deepEqual(w.actions, ['Show curves', 'Suggest a fix']);
			assert.match(w.message, /diverging\.js/);
		}
		// "Suggest a fix": the detector's action, and a range test on the script (none exists yet).
		const fix = await api.live.warnings.runAction(report.runId, 'divergence', 'suggestFix');
		assert.equal(fix.action, 'suggestFix');
		if (fix.action === 'suggestFix') {
			assert.ok(fix.text.includes(div.action), fix.text);
			assert.deepEqual(fix.offered, ['Run LR Range Test on This Script']);
		}
		// "Show curves": the panel opens (on the Live tab, with this run selected).
		const curves = await api.live.warnings.runAction(report.runId, 'divergence', 'showCurves');
		assert.deepEqual(curves, { action: 'showCurves', runId: report.runId });
		await until(() => api.panel.isReady(), 30_000, 'the panel to load');
		// The status bar counts the run and flags the problem.
		api.live.statusBar.update();
		assert.match(api.live.statusBar.text, /\$\(warning\) LR Scope: \d+ live · \d+ with problems/);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('a healthy script trains without findings or warnings', async () => {
		const before = api.live.warnings.shown.length;
		const report = await train({ scriptPath: path.join(ws, 'scripts', 'healthy.js') });
		assert.equal(report.status, 'finished');
		assert.deepEqual(report.findings, []);
		assert.deepEqual(api.store.getLive(report.runId)?.findings, []);
		assert.ok(api.store.getLive(report.runId)!.records.length > 10);
		assert.equal(
			api.live.warnings.shown.slice(before).filter((w) => w.runId === report.runId).length,
			0,
		);
	});

	test('a script that throws before fit: the run fails with a readable error and "Show log"', async () => {
		const errorsBefore = api.runs.shownErrors.length;
		const report = await train({ scriptPath: path.join(ws, 'scripts', 'throwsBeforeFit.js') });
		assert.equal(report.status, 'failed');
		assert.match(report.error ?? '', /threw before calling model\.fit.*data file not found/);
		assert.equal(api.store.getLive(report.runId)?.status, 'failed');
		const shown = api.runs.shownErrors.slice(errorsBefore);
		assert.equal(shown.length, 1, JSON.stringify(shown));
		assert.match(shown[0].message, /training throwsBeforeFit\.js failed: .*data file not found/);
		assert.ok(shown[0].actions.includes('Show log'));
	});

	test('a script that hangs before fit is stopped by the fit timeout; the extension keeps working', async () => {
		const errorsBefore = api.runs.shownErrors.length;
		const t0 = Date.now();
		const report = await vscode.commands.executeCommand<RunReport>('lrScope.runRangeTestOnScript', {
			scriptPath: 'scripts/hangs.js',
			fitTimeoutMs: 3000,
			options: quick,
		});
		assert.equal(report?.status, 'failed', JSON.stringify(report));
		if (report?.status === 'failed') {
			assert.equal(report.code, 'timeout');
			assert.match(report.message, /hangs\.js did not call model\.fit within 3 s/);
		}
		assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
		const shown = api.runs.shownErrors.slice(errorsBefore);
		assert.equal(shown.length, 1);
		assert.ok(shown[0].actions.includes('Show log'));
		// Still responsive: another command on a script runs to its end.
		const ok = await train({
			scriptPath: path.join(ws, 'scripts', 'envEpochs.js'),
			args: ['32'],
			env: { LRSCOPE_TEST_EPOCHS: '1' },
		});
		assert.equal(ok.status, 'finished');
		assert.equal(ok.batches, 1);
	});

	test('a schedule is applied to the run without editing the script; a bad one is refused clearly', async () => {
		const scriptPath = path.join(ws, 'scripts', 'envEpochs.js');
		const source = fs.readFileSync(scriptPath, 'utf8');
		const report = await train({
			scriptPath,
			args: ['8'],
			env: { LRSCOPE_TEST_EPOCHS: '2' },
			schedule: { kind: 'constant', lr: 0.005 },
		});
		assert.equal(report.status, 'finished', JSON.stringify(report));
		const lrs = api.store
			.getLive(report.runId)!
			.records.filter((r) => r.unit === 'step')
			.map((r) => r.values.lr);
		// The script compiles sgd(0.01); the schedule sets 0.005 before every batch.
		assert.equal(lrs.length, 8);
		for (const lr of lrs) {
			assert.ok(typeof lr === 'number' && Math.abs(lr - 0.005) < 1e-9, `lr ${lr}`);
		}
		assert.equal(fs.readFileSync(scriptPath, 'utf8'), source);
		const bad = await train({ scriptPath, schedule: { kind: 'wobbly' } });
		assert.equal(bad.status, 'failed');
		assert.match(bad.error ?? '', /bad schedule: schedule kind must be one of/);
	});

	test("the designer's schedule trains the open script: batch LRs follow lrAt; a bad spec starts nothing", async () => {
		const scriptPath = path.join(ws, 'scripts', 'healthy.js');
		const source = fs.readFileSync(scriptPath, 'utf8');
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await vscode.commands.executeCommand('lrScope.openPanel');
		await until(() => api.panel.isReady(), 30_000, 'the panel to load');
		// The script beside the panel, as a user has it; the panel keeps focus (no active text editor).
		await vscode.window.showTextDocument(vscode.Uri.file(scriptPath), {
			viewColumn: vscode.ViewColumn.Beside,
			preserveFocus: true,
		});
		const before = new Set(api.store.liveRuns().map((r) => r.id));
		const bad: unknown[] = [
			{ type: 'trainWithSchedule', spec: {} },
			{ type: 'trainWithSchedule', spec: 'step' },
			// Past the guard's outline check, refused by the core's parseScheduleSpec.
			{ type: 'trainWithSchedule', spec: { kind: 'wobbly' } },
			{
				type: 'trainWithSchedule',
				spec: { kind: 'step', initialLearningRate: -1, stepSize: 4, gamma: 0.5 },
			},
		];
		for (const m of bad) {
			assert.equal(api.panel.receiveForTest(m), false, `accepted ${JSON.stringify(m)}`);
		}
		assert.deepEqual(api.live.monitor.activeIds, []);
		assert.equal(api.store.liveRuns().length, before.size);

		// healthy.js: 64 rows / batch 16 × 3 epochs = 12 batches; the LR halves every 4 steps.
		const spec: StepSpec = { kind: 'step', initialLearningRate: 0.02, stepSize: 4, gamma: 0.5 };
		assert.equal(api.panel.receiveForTest({ type: 'trainWithSchedule', spec }), true);
		const newRun = () => api.store.liveRuns().find((r) => !before.has(r.id));
		await until(() => newRun() !== undefined, 30_000, 'the monitored run to start');
		await until(() => newRun()!.status !== 'running', 120_000, 'the monitored run to end');
		const run = newRun()!;
		assert.equal(run.status, 'finished', JSON.stringify(run).slice(0, 400));
		assert.equal(run.origin, 'monitor');
		assert.equal(run.targetUri, vscode.Uri.file(scriptPath).toString());
		const steps = run.records.filter((r) => r.unit === 'step');
		assert.equal(steps.length, 12);
		for (const r of steps) {
			const lr = r.values.lr;
			const want = lrAt(spec, r.step);
			assert.ok(
				typeof lr === 'number' && Math.abs(lr - want) < 1e-9 * want,
				`step ${r.step}: lr ${lr}, want ${want}`,
			);
		}
		// The schedule really changed the LR: 0.02, then 0.01, then 0.005 (the script compiles adam(0.01)).
		assert.deepEqual(
			[0, 4, 8].map((s) => Number(steps.find((r) => r.step === s)?.values.lr?.toPrecision(6))),
			[0.02, 0.01, 0.005],
		);
		assert.equal(fs.readFileSync(scriptPath, 'utf8'), source);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('Stop Training stops a running script within seconds', async () => {
		const started = train({
			scriptPath: path.join(ws, 'zero-config', 'train.js'),
			args: ['--epochs', '2000'],
		});
		await until(() => api.live.monitor.activeIds.length === 1, 10_000, 'the training to start');
		const id = api.live.monitor.activeIds[0];
		await until(
			() => (api.store.getLive(id)?.records.length ?? 0) > 5,
			60_000,
			'the first batches',
		);
		const t0 = Date.now();
		assert.equal(await vscode.commands.executeCommand('lrScope.stopMonitor'), 1);
		const report = await started;
		assert.equal(report.status, 'cancelled');
		assert.ok(Date.now() - t0 < 10_000, `stop took ${Date.now() - t0} ms`);
		assert.equal(api.store.getLive(id)?.status, 'cancelled');
		assert.deepEqual(api.live.monitor.activeIds, []);
	});

	test('an untrusted workspace refuses to run scripts', async () => {
		api.setTrustOverride(false);
		const before = api.store.liveRuns().length;
		const report = await vscode.commands.executeCommand<RunReport>('lrScope.trainWithMonitor', {
			scriptPath: 'scripts/healthy.js',
		});
		assert.equal(report?.status, 'refused');
		const rt = await vscode.commands.executeCommand<RunReport>('lrScope.runRangeTestOnScript', {
			scriptPath: 'scripts/healthy.js',
		});
		assert.equal(rt?.status, 'refused');
		assert.equal(api.store.liveRuns().length, before);
	});
});
