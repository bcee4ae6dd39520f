/**
 * Extension-host tests of the in-editor suggestions, in real VS Code: a stored range test (added
 * through the API `activate` returns) makes a copy of the example script show its CodeLens, a
 * diagnostic on `tf.train.adam(0.01)`, quick fixes that set the suggested LR and insert a schedule
 * callback; the edited script then trains in monitor mode (the engine runner's `monitor` request)
 * and its LR follows the schedule batch by batch.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runInRunner } from '../../../src/host/client';
import { lrAt } from '../../../src/core/schedules/scheduleLr';
import { debiasedEma } from '../../../src/core/smoothing';
import type { LoadedRangeTest } from '../../../src/core/types';
import type { LrScopeApi } from '../../../src/extension/extension';
import type { StoredResult } from '../../../src/extension/resultsStore';
import { headlineOf, suggest } from '../../../src/core/headline';
import { lrLiteral } from '../../../src/core/present/format';
import { headlineText } from '../../../src/core/present/headline';
import { diagnosticCodes } from '../../../src/extension/editor/advice';
import { headlineSummary } from '../../../src/core/present/headline';
import { offeredLrs } from '../../../src/extension/editor/lrRange';
import { estimateSteps, scheduleChoices } from '../../../src/extension/editor/fixEdits';
import { extensionId } from './helpers';

let api: LrScopeApi;
let scriptPath: string;
let uri: vscode.Uri;
const added: string[] = [];

async function until<T>(
	get: () => T | undefined | Promise<T | undefined>,
	ms: number,
	what: string,
): Promise<T> {
	const end = Date.now() + ms;
	let last: T | undefined;
	for (;;) {
		last = await get();
		if (last !== undefined && last !== null && last !== false) {
			return last;
		}
		if (Date.now() > end) {
			throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** A range test whose loss falls around 1e-4 and diverges before 1e-2, so `adam(0.01)` is too high. */
function rangeTest(optimizer = 'adam'): LoadedRangeTest {
	const n = 100;
	const all = Array.from({ length: n }, (_x, i) => 1e-7 * Math.pow(1e8, i / (n - 1)));
	const lrs = all.filter((lr) => lr < 5e-3);
	const losses = lrs.map((lr) => {
		const fall = 1 / (1 + Math.exp(-(Math.log10(lr) + 4) * 3));
		return 1.1 - 0.9 * fall + (lr > 1e-3 ? Math.pow(lr / 1e-3, 3) - 1 : 0);
	});
	const smoothed = debiasedEma(losses, 0.98);
	return {
		lrs,
		losses,
		smoothed,
		beta: 0.98,
		stopReason: 'diverged',
		steps: n,
		ramp: 'exp',
		startLr: 1e-7,
		endLr: 10,
		report: suggest(lrs, smoothed, n),
		lossMode: 'train',
		batchSize: 32,
		seed: 42,
		backend: {
			name: 'cpu',
			origin: 'bundled',
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'editor test',
		},
		seconds: 1,
		model: {
			name: 'dense-classifier',
			params: 179,
			optimizer,
			loss: 'categoricalCrossentropy',
		},
		notes: [],
	};
}

async function lensTitles(of = uri): Promise<string[]> {
	const lenses =
		(await vscode.commands.executeCommand<vscode.CodeLens[]>(
			'vscode.executeCodeLensProvider',
			of,
			10,
		)) ?? [];
	return lenses.map((l) => l.command?.title ?? '');
}

function ourDiagnostics(of = uri): vscode.Diagnostic[] {
	return vscode.languages.getDiagnostics(of).filter((d) => d.source === 'LR Scope');
}

/** The text of LR Scope's hover at `pos`. */
async function hoverText(pos: vscode.Position, of = uri): Promise<string> {
	const hovers =
		(await vscode.commands.executeCommand<vscode.Hover[]>(
			'vscode.executeHoverProvider',
			of,
			pos,
		)) ?? [];
	return hovers
		.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
		.filter((t) => t.includes('LR Scope'))
		.join('\n');
}

/** Waits `ms` and then checks that `cond` still holds (for "nothing appears" assertions). */
async function stays(
	cond: () => boolean | Promise<boolean>,
	ms: number,
	what: string,
): Promise<void> {
	await new Promise((r) => setTimeout(r, ms));
	assert.ok(await cond(), what);
}

async function actionsAt(range: vscode.Range): Promise<vscode.CodeAction[]> {
	return (
		(await vscode.commands.executeCommand<vscode.CodeAction[]>(
			'vscode.executeCodeActionProvider',
			uri,
			range,
		)) ?? []
	);
}

suite('LR Scope editor suggestions', () => {
	const result: StoredResult = {
		id: 'editor-test-1',
		kind: 'rangeTest',
		createdAt: Date.now(),
		label: 'dense-classifier/train-editor.js',
		source: { kind: 'script', scriptPath: '', args: [] },
		rangeTest: rangeTest(),
	};

	suiteSetup(async function () {
		this.timeout(60_000);
		const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		// A copy of the example script next to its data (the example itself stays untouched).
		scriptPath = path.join(ws, 'dense-classifier', 'train-editor.js');
		fs.copyFileSync(path.join(ws, 'dense-classifier', 'train.js'), scriptPath);
		uri = vscode.Uri.file(scriptPath);
		api = (await vscode.extensions.getExtension<LrScopeApi>(extensionId)!.activate())!;
		assert.ok(api?.editor, 'activate() returned no editor API');
		await vscode.workspace
			.getConfiguration('lrScope')
			.update('openPanelOnResult', false, vscode.ConfigurationTarget.Workspace);
		result.source = { kind: 'script', scriptPath, args: [] };
		result.targetUri = uri.toString();
	});

	suiteTeardown(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const id of added) {
			await api.store.remove(id);
		}
		fs.rmSync(scriptPath, { force: true });
	});

	test('without a result: "▶ LR range test" lens, no diagnostics; the finder bundle loads on first use', async () => {
		const doc = await vscode.workspace.openTextDocument(uri);
		await vscode.window.showTextDocument(doc);
		const titles = await until(
			async () => {
				const t = await lensTitles();
				return t.length ? t : undefined;
			},
			20_000,
			'CodeLens',
		);
		// The workspace may hold other results, but none of this script: no suggestion is borrowed,
		// the optimizer's lens offers a range test of this script instead.
		assert.ok(titles.includes('▶ LR range test'), JSON.stringify(titles));
		assert.ok(titles.includes('▶ LR range test for this script'), JSON.stringify(titles));
		assert.ok(!titles.some((t) => t.startsWith('suggested')), JSON.stringify(titles));
		assert.ok(api.editor.cache.finder(), 'dist/lrSites.js did not load');
		// The extension bundle itself does not carry the TypeScript parser.
		const ext = vscode.extensions.getExtension(extensionId)!;
		const bundle = fs.readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
		assert.doesNotMatch(bundle, /createSourceFile/);
		// An unchanged document is not parsed again.
		const before = api.editor.cache.parses;
		await lensTitles();
		await lensTitles();
		assert.equal(api.editor.cache.parses, before);
	});

	test('results of another script or an unlinked model are not borrowed; a linked model applies until unlinked', async () => {
		const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		const modelUri = vscode.Uri.file(path.join(ws, 'dense-classifier', 'model', 'model.json'));
		const otherScript: StoredResult = {
			...result,
			id: 'editor-test-other-script',
			label: 'other.js',
			source: { kind: 'script', scriptPath: path.join(ws, 'other.js'), args: [] },
			targetUri: vscode.Uri.file(path.join(ws, 'other.js')).toString(),
			createdAt: Date.now(),
		};
		const model: StoredResult = {
			...result,
			id: 'editor-test-model',
			label: 'dense-classifier/model/model.json · data.csv',
			source: {
				kind: 'saved',
				modelPath: modelUri.fsPath,
				data: {
					kind: 'csv',
					path: path.join(ws, 'dense-classifier', 'data.csv'),
					labels: ['label'],
				},
			},
			targetUri: modelUri.toString(),
			createdAt: Date.now(),
		};
		await api.store.add(otherScript);
		await api.store.add(model);
		added.push(otherScript.id, model.id);
		const noSuggestion = async (): Promise<boolean> =>
			!(await lensTitles()).some((t) => t.startsWith('suggested')) &&
			!ourDiagnostics().some((d) => d.code === diagnosticCodes.lrTooHigh);
		await stays(noSuggestion, 1500, 'a result of another script or model was borrowed');

		// Linked explicitly (the command with arguments; a quick-pick without): the model's test applies.
		const links = await vscode.commands.executeCommand<string[]>('lrScope.linkResultToScript', {
			scriptPath,
			targets: [modelUri.fsPath],
		});
		assert.deepEqual(links, [modelUri.toString()]);
		const linked = await until(
			async () => (await lensTitles()).find((t) => t.startsWith('suggested')),
			10_000,
			'the linked suggestion lens',
		);
		const h = headlineOf(model.rangeTest!);
		assert.equal(
			linked,
			`${headlineSummary(h)} · from linked range test of model/model.json · adam · just now`,
		);
		const diag = await until(
			() => ourDiagnostics().find((d) => d.code === diagnosticCodes.lrTooHigh),
			10_000,
			'lr-too-high from the linked model',
		);
		assert.match(
			diag.message,
			/\(from linked range test of model\/model\.json · adam · \d\d:\d\d\)\.$/,
		);
		await vscode.commands.executeCommand('lrScope.linkResultToScript', { scriptPath, targets: [] });
		await until(
			async () => ((await noSuggestion()) ? true : undefined),
			10_000,
			'the linked advice to go after unlinking',
		);
		await api.store.remove(otherScript.id);
		await api.store.remove(model.id);
	});

	test('an SGD literal is not judged by an Adam test of the same script; an SGD test judges it', async () => {
		const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		const sgdPath = path.join(ws, 'dense-classifier', 'diverge-editor.js');
		fs.writeFileSync(
			sgdPath,
			"const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential();\nmodel.compile({ optimizer: tf.train.sgd(5.0), loss: 'meanSquaredError' });\nmodel.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 1 });\n",
		);
		const sgdUri = vscode.Uri.file(sgdPath);
		const adamTest: StoredResult = {
			...result,
			id: 'editor-test-sgd-adam',
			label: 'dense-classifier/diverge-editor.js',
			source: { kind: 'script', scriptPath: sgdPath, args: [] },
			targetUri: sgdUri.toString(),
			createdAt: Date.now(),
			rangeTest: rangeTest('Adam'),
		};
		try {
			await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sgdUri));
			await api.store.add(adamTest);
			added.push(adamTest.id);
			const titles = await until(
				async () => {
					const t = await lensTitles(sgdUri);
					return t.some((x) => x.includes('not sgd')) ? t : undefined;
				},
				20_000,
				'the run lens that says the test used another optimizer',
			);
			assert.ok(
				titles.includes('▶ LR range test for this script (the last one trained adam, not sgd)'),
				JSON.stringify(titles),
			);
			assert.ok(!titles.some((t) => t.startsWith('suggested')), JSON.stringify(titles));
			await stays(
				() => !ourDiagnostics(sgdUri).some((d) => d.code === diagnosticCodes.lrTooHigh),
				1000,
				'sgd(5.0) was judged by an Adam test',
			);
			const sgdTest: StoredResult = {
				...adamTest,
				id: 'editor-test-sgd-sgd',
				createdAt: Date.now() - 60_000,
				rangeTest: rangeTest('SGD'),
			};
			await api.store.add(sgdTest);
			added.push(sgdTest.id);
			const d = await until(
				() => ourDiagnostics(sgdUri).find((x) => x.code === diagnosticCodes.lrTooHigh),
				10_000,
				'lr-too-high from the SGD test',
			);
			assert.match(d.message, /^LR 5 is above where the range test diverged/);
			assert.match(d.message, /\(from range test of diverge-editor\.js · sgd · \d\d:\d\d\)\.$/);
		} finally {
			await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
			fs.rmSync(sgdPath, { force: true });
		}
	});

	test('with a stored result: the headline lens and hover name their source; the preferred quick fix sets the headline', async () => {
		result.createdAt = Date.now();
		await api.store.add(result);
		added.push(result.id);
		const h = headlineOf(result.rangeTest!);
		const best = offeredLrs(result.rangeTest!)[0];
		assert.equal(best.name, 'headline');
		const expected = `${headlineSummary(h)} · from range test of train-editor.js · adam · just now`;
		const titles = await until(
			async () => {
				const t = await lensTitles();
				return t.includes(expected) ? t : undefined;
			},
			10_000,
			`lens "${expected}"`,
		);
		assert.deepEqual(titles.sort(), ['▶ LR range test', expected].sort());

		const doc = await vscode.workspace.openTextDocument(uri);
		const diag = await until(
			() => ourDiagnostics().find((d) => d.code === diagnosticCodes.lrTooHigh),
			10_000,
			'the lr-too-high diagnostic',
		);
		assert.equal(doc.getText(diag.range), '0.01');
		assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
		assert.match(diag.message, /^LR 0\.01 is above where the range test diverged \(/);
		assert.ok(
			diag.message.includes(
				`; ${headlineSummary(h)} (from range test of train-editor.js · adam · `,
			),
			diag.message,
		);
		const hover = await hoverText(diag.range.start.translate(0, 1));
		assert.ok(hover.includes(`${headlineText(h)} · from`), hover.slice(0, 400));
		assert.ok(
			hover.includes('from range test of train-editor.js · adam · just now'),
			hover.slice(0, 400),
		);

		const actions = await actionsAt(diag.range);
		const titlesA = actions.map((x) => x.title);
		// Only ours: VS Code's TypeScript features add their own refactorings here.
		const ours = actions.filter((x) =>
			/^(Set learning rate|Insert a|Run LR range test)/.test(x.title),
		);
		const preferred = ours.filter((x) => x.isPreferred);
		assert.equal(preferred.length, 1, JSON.stringify(titlesA));
		assert.equal(
			ours.filter((x) => x.title.startsWith('Set learning rate')).length,
			offeredLrs(result.rangeTest!).length,
			JSON.stringify(titlesA),
		);
		assert.equal(preferred[0].title, `Set learning rate to ${headlineText(h)}`);
		// The schedules peak at the headline too (or say why not).
		for (const t of titlesA.filter((x) => x.startsWith('Insert a'))) {
			assert.match(t, new RegExp(`· peak ${lrLiteral(h.lr!).replace('.', '\\.')}[ ,]`), t);
		}
		assert.ok(titlesA.includes('Run LR range test here'), JSON.stringify(titlesA));
		assert.equal(
			titlesA.filter((t) => /^Insert a (cosine|one-cycle|step) schedule callback/.test(t)).length,
			3,
			JSON.stringify(titlesA),
		);
		assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
		assert.ok(doc.getText().includes(`tf.train.adam(${lrLiteral(h.lr!)})`), doc.getText());
		// The new value is inside the range that trains: the warning goes away.
		await until(
			() => !ourDiagnostics().some((d) => d.code === diagnosticCodes.lrTooHigh),
			10_000,
			'the warning to clear',
		);
		await doc.save();
	});

	test('a diverged live run marks the fit line; editing the file clears it; clearing the result clears the LR warning', async () => {
		const doc = await vscode.workspace.openTextDocument(uri);
		const runId = `editor-live-${Date.now()}`;
		api.store.startLive({
			id: runId,
			label: 'train-editor.js',
			origin: 'monitor',
			targetUri: uri.toString(),
		});
		api.store.appendLive(
			runId,
			[],
			[
				{
					kind: 'divergence',
					series: 'loss',
					step: 412,
					unit: 'step',
					severity: 'error',
					message: 'the loss diverged.',
					action: 'Lower the LR.',
				},
			],
		);
		api.store.setLiveStatus(runId, 'failed');
		const d = await until(
			() => ourDiagnostics().find((x) => x.code === diagnosticCodes.runDiverged),
			10_000,
			'run-diverged',
		);
		assert.equal(doc.getText(d.range), 'fit');
		assert.ok((await lensTitles()).includes('last run: diverged at step 412 — show'));
		const edit = new vscode.WorkspaceEdit();
		edit.insert(uri, new vscode.Position(0, 0), '// edited\n');
		await vscode.workspace.applyEdit(edit);
		await until(
			() => !ourDiagnostics().some((x) => x.code === diagnosticCodes.runDiverged),
			10_000,
			'run-diverged to clear after an edit',
		);
		// Put a too-high LR back, see the warning, then remove the result: the warning goes.
		const text = doc.getText();
		const m = /tf\.train\.adam\(([^)]+)\)/.exec(text)!;
		const at = text.indexOf(m[1], m.index);
		const back = new vscode.WorkspaceEdit();
		back.replace(
			uri,
			new vscode.Range(doc.positionAt(at), doc.positionAt(at + m[1].length)),
			'0.5',
		);
		await vscode.workspace.applyEdit(back);
		await until(
			() => ourDiagnostics().find((x) => x.code === diagnosticCodes.lrTooHigh),
			10_000,
			'lr-too-high on 0.5',
		);
		await api.store.remove(result.id);
		await until(
			() => !ourDiagnostics().some((x) => x.code === diagnosticCodes.lrTooHigh),
			10_000,
			'the warning to clear with the result',
		);
		await api.store.add(result);
		await until(
			() => ourDiagnostics().find((x) => x.code === diagnosticCodes.lrTooHigh),
			10_000,
			'lr-too-high back',
		);
		await doc.save();
	});

	test('inserting the schedule yields a script whose LR follows it batch by batch in monitor mode', async function () {
		this.timeout(240_000);
		const doc = await vscode.workspace.openTextDocument(uri);
		const diag = await until(
			() => ourDiagnostics().find((d) => d.code === diagnosticCodes.lrTooHigh),
			10_000,
			'lr-too-high',
		);
		const actions = await actionsAt(diag.range);
		const insert = actions.find((x) => /^Insert a one-cycle schedule callback/.test(x.title));
		assert.ok(insert?.edit, JSON.stringify(actions.map((x) => x.title)));
		assert.ok(await vscode.workspace.applyEdit(insert.edit));
		await doc.save();
		const text = doc.getText();
		assert.match(text, /\n\tclass LrScopeSchedule extends tf\.Callback \{/);
		assert.match(text, /callbacks: \[new LrScopeSchedule\(\)\] \}\);/);

		// The spec the fix used: same estimate (20 epochs × 100 batches) and the same choices.
		const { steps } = estimateSteps({ epochs: 20 } as never, undefined);
		const spec = scheduleChoices(result.rangeTest!, steps).find(
			(c) => c.label === 'one-cycle',
		)!.spec;
		const ext = vscode.extensions.getExtension(extensionId)!;
		const lrs = new Map<number, number>();
		const outcome = await runInRunner(
			{
				type: 'monitor',
				id: 'editor-monitor',
				source: { kind: 'script', scriptPath, args: [], cwd: path.dirname(scriptPath) },
				options: { gradNorm: false },
				backend: 'cpu',
			},
			{
				runnerPath: path.join(ext.extensionPath, 'dist', 'runner.js'),
				timeoutMs: 200_000,
				onMessage: (m) => {
					if (m.type === 'trainLog' && m.unit === 'batch' && m.lr !== undefined) {
						lrs.set(m.step, m.lr);
					}
				},
			},
		);
		assert.equal(outcome.type, 'monitorEnd');
		assert.equal((outcome as { exitCode: number }).exitCode, 0);
		// 192 training rows (validationSplit 0.2) / 32 = 6 batches × 20 epochs.
		assert.equal(lrs.size, 120);
		const distinct = new Set(lrs.values());
		assert.ok(distinct.size > 100, `the LR changed ${distinct.size} times`);
		for (const [step, lr] of lrs) {
			const want = lrAt(spec, step);
			assert.ok(Math.abs(lr - want) <= 1e-12 * want, `step ${step}: lr ${lr}, schedule ${want}`);
		}
		// One-cycle warms up: the LR rises over these first 120 of 2000 steps.
		assert.ok(lrs.get(119)! > lrs.get(0)! * 1.5, `${lrs.get(0)} → ${lrs.get(119)}`);
	});

	test('settings turn each surface off', async () => {
		const cfg = vscode.workspace.getConfiguration('lrScope');
		try {
			await cfg.update('editor.codeLens', false, vscode.ConfigurationTarget.Workspace);
			await cfg.update('editor.diagnostics', false, vscode.ConfigurationTarget.Workspace);
			await until(
				async () => ((await lensTitles()).length === 0 ? true : undefined),
				10_000,
				'no lenses',
			);
			await until(
				() => (ourDiagnostics().length === 0 ? true : undefined),
				10_000,
				'no diagnostics',
			);
		} finally {
			await cfg.update('editor.codeLens', undefined, vscode.ConfigurationTarget.Workspace);
			await cfg.update('editor.diagnostics', undefined, vscode.ConfigurationTarget.Workspace);
		}
		await until(
			async () => ((await lensTitles()).length > 0 ? true : undefined),
			10_000,
			'lenses back',
		);
	});
});
