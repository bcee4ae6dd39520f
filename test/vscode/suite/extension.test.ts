/**
 * Extension-host tests: run inside real VS Code (code-server here, or @vscode/test-electron) on a
 * copy of test/fixtures/workspace. They drive the extension through its commands and check the
 * results through the API `activate` returns.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LrScopeApi } from '../../../src/extension/extension';
import type { RunReport } from '../../../src/extension/runs';
import { activateApi, extensionId, until } from './helpers';

const csvData = { kind: 'csv' as const, path: 'data.csv', labels: ['label'] };
/** Short tests: the point is the plumbing, not the curve. */
const quick = { steps: 20, startLr: 1e-4, endLr: 1 };

let api: LrScopeApi;
let ws: string;

function wsPath(...p: string[]): string {
	return path.join(ws, ...p);
}

async function runRangeTest(args: object): Promise<RunReport> {
	const report = await vscode.commands.executeCommand<RunReport | undefined>(
		'lrScope.runRangeTest',
		args,
	);
	assert.ok(report, 'the command returned no report');
	return report;
}

/** Checks that a failure showed an error notification with a "Show log" action. */
function assertErrorShown(before: number, pattern: RegExp): void {
	const shown = api.runs.shownErrors.slice(before);
	assert.equal(shown.length, 1, `expected one error notification, got ${JSON.stringify(shown)}`);
	assert.match(shown[0].message, pattern);
	assert.ok(
		shown[0].actions.includes('Show log'),
		`no "Show log" action: ${JSON.stringify(shown[0])}`,
	);
}

suite('LR Scope extension host', () => {
	suiteSetup(async function () {
		this.timeout(60_000);
		ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
		api = await activateApi();
		assert.ok(api?.store, 'activate() returned no API');
		// The panel is not under test here; keep runs from opening it (it has its own UI tests).
		await vscode.workspace
			.getConfiguration('lrScope')
			.update('openPanelOnResult', false, vscode.ConfigurationTarget.Workspace);
	});

	teardown(() => {
		api.setTrustOverride(undefined);
		api.runs.runnerPathOverride = undefined;
	});

	test('activation is lazy and every contributed command is registered', async () => {
		const ext = vscode.extensions.getExtension(extensionId)!;
		const pkg = ext.packageJSON as {
			activationEvents: string[];
			contributes: { commands: { command: string }[] };
		};
		assert.deepEqual(pkg.activationEvents, [
			'onWebviewPanel:lrScope.lossCurves',
			'onLanguage:javascript',
			'onLanguage:typescript',
			'onLanguage:javascriptreact',
			'onLanguage:typescriptreact',
		]);
		const all = new Set(await vscode.commands.getCommands(true));
		const ids = pkg.contributes.commands.map((c) => c.command);
		assert.equal(ids.length, 14);
		for (const id of ids) {
			assert.ok(all.has(id), `${id} is not registered`);
		}
	});

	test('a range test on the example workspace completes and its result is in the store', async () => {
		const before = api.store.list().length;
		const report = await runRangeTest({
			modelPath: 'model/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(report.status, 'ok', JSON.stringify(report));
		if (report.status !== 'ok') {
			return;
		}
		const stored = api.store.get(report.result.id);
		assert.ok(stored?.rangeTest, 'result not in the store');
		assert.equal(api.store.list().length, before + 1);
		assert.equal(api.store.list()[0].id, report.result.id, 'newest result first');
		const r = stored.rangeTest;
		assert.ok(
			['completed', 'diverged', 'nonFinite', 'dataExhausted'].includes(r.stopReason),
			r.stopReason,
		);
		assert.ok(r.lrs.length >= 5 && r.lrs.length <= quick.steps, `recorded ${r.lrs.length} steps`);
		assert.equal(r.losses.length, r.lrs.length);
		assert.ok(Math.abs(r.lrs[0] - quick.startLr) / quick.startLr < 1e-6, `first lr ${r.lrs[0]}`);
		assert.ok(['wasm', 'cpu', 'tensorflow'].includes(r.backend.name), `backend ${r.backend.name}`);
		assert.ok(r.backend.reason.length > 0);
		for (const name of ['valley', 'slide', 'minimum', 'steep'] as const) {
			assert.ok(name in r.report.suggestions, `suggestion ${name} missing`);
		}
		const c = r.report.consensus;
		if (c) {
			assert.ok(
				c.lr >= quick.startLr && c.lr <= quick.endLr,
				`consensus ${c.lr} outside the tested range`,
			);
		}
		assert.equal(stored.source.kind, 'saved');
		assert.equal(stored.targetUri, vscode.Uri.file(wsPath('model', 'model.json')).toString());
	});

	test('a range test on a module source completes (TypeScript module from the examples)', async function () {
		if (!fs.existsSync(wsPath('module-source', 'source.ts'))) {
			this.skip();
		}
		const report = await vscode.commands.executeCommand<RunReport>('lrScope.runRangeTestOnModule', {
			modulePath: 'module-source/source.ts',
			options: quick,
		});
		assert.equal(report?.status, 'ok', JSON.stringify(report).slice(0, 300));
		if (report?.status === 'ok') {
			assert.equal(report.result.source.kind, 'module');
			assert.equal(report.result.rangeTest?.model.loss, 'meanSquaredError');
			assert.equal(report.result.rangeTest?.batchSize, 16);
		}
	});

	test('a sweep completes and is stored as a sweep', async () => {
		const report = await vscode.commands.executeCommand<RunReport>('lrScope.runSweep', {
			modelPath: 'model/model.json',
			data: csvData,
			options: { lrs: [1e-3, 1e-2], epochs: 1 },
		});
		assert.equal(report?.status, 'ok', JSON.stringify(report).slice(0, 300));
		if (report?.status === 'ok') {
			assert.equal(report.result.kind, 'sweep');
			assert.deepEqual(
				report.result.sweep?.results.map((r) => r.lr),
				[1e-3, 1e-2],
			);
			assert.ok(api.store.get(report.result.id)?.sweep);
		}
	});

	test('the extension host never loaded tfjs', () => {
		const loaded = Object.keys(require.cache).filter((p) =>
			p.includes(`${path.sep}@tensorflow${path.sep}`),
		);
		assert.deepEqual(loaded, []);
		const ext = vscode.extensions.getExtension(extensionId)!;
		const bundle = fs.readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
		assert.doesNotMatch(bundle, /require\(["']@tensorflow/);
	});

	test('cancel stops a running range test quickly and clears the running state', async () => {
		const slow = runRangeTest({
			modelPath: 'model/model.json',
			data: csvData,
			options: { steps: 20000, startLr: 1e-6, endLr: 1e-3 },
		});
		await until(() => api.runs.running, 10_000, 'the run to start');
		// Let the runner get into its training loop, so the cancel has to interrupt real work.
		await new Promise((r) => setTimeout(r, 2500));
		const t = Date.now();
		const n = await vscode.commands.executeCommand<number>('lrScope.cancelRun');
		assert.equal(n, 1);
		const report = await slow;
		const took = Date.now() - t;
		assert.equal(report.status, 'cancelled', JSON.stringify(report).slice(0, 300));
		assert.ok(took < 8000, `cancel took ${took} ms`);
		assert.equal(api.runs.running, false);
		if (report.status === 'cancelled' && report.result?.rangeTest) {
			assert.equal(report.result.rangeTest.stopReason, 'cancelled');
			assert.ok(report.result.rangeTest.lrs.length < 20000);
		}
	});

	test('run commands are refused in an untrusted workspace', async () => {
		api.setTrustOverride(false);
		const before = api.store.list().length;
		const report = await runRangeTest({
			modelPath: 'model/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(report.status, 'refused');
		assert.match(report.status === 'refused' ? report.message : '', /not trusted/);
		const sweep = await vscode.commands.executeCommand<RunReport>('lrScope.runSweep', {
			modelPath: 'model/model.json',
			data: csvData,
		});
		assert.equal(sweep?.status, 'refused');
		const mod = await vscode.commands.executeCommand<RunReport>('lrScope.runRangeTestOnModule', {
			modulePath: 'nothing.js',
		});
		assert.equal(mod?.status, 'refused');
		assert.equal(api.store.list().length, before, 'a refused run stored a result');
		assert.equal(api.runs.running, false);
	});

	test('a corrupt model.json gives an error notification with "Show log"', async () => {
		fs.mkdirSync(wsPath('corrupt'), { recursive: true });
		fs.writeFileSync(
			wsPath('corrupt', 'model.json'),
			'{"format": "layers-model", "modelTopology": {"class_name": "Sequ',
		);
		const before = api.runs.shownErrors.length;
		const report = await runRangeTest({
			modelPath: 'corrupt/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(report.status, 'failed');
		assert.equal(report.status === 'failed' && report.code, 'badInput');
		assertErrorShown(before, /model/i);
	});

	test('a graph model is refused with a clear message', async () => {
		fs.mkdirSync(wsPath('graph'), { recursive: true });
		fs.writeFileSync(
			wsPath('graph', 'model.json'),
			JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }),
		);
		const before = api.runs.shownErrors.length;
		// Without data: the command checks the format before asking for data.
		const report = await runRangeTest({ modelPath: 'graph/model.json' });
		assert.equal(report.status, 'failed');
		assertErrorShown(before, /graph-model.*layers model/);
		// With data: the runner refuses it too.
		const before2 = api.runs.shownErrors.length;
		const viaRunner = await runRangeTest({
			modelPath: 'graph/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(viaRunner.status === 'failed' && viaRunner.code, 'badInput');
		assertErrorShown(before2, /graph/i);
	});

	test('a data/label mismatch gives an error notification with "Show log"', async () => {
		const before = api.runs.shownErrors.length;
		const report = await runRangeTest({
			modelPath: 'model/model.json',
			data: { ...csvData, labels: ['no_such_column'] },
			options: quick,
		});
		assert.equal(report.status === 'failed' && report.code, 'badInput', JSON.stringify(report));
		assertErrorShown(before, /no_such_column/);
		// The model has 4 inputs; a CSV with 2 feature columns does not fit it.
		fs.writeFileSync(
			wsPath('narrow.csv'),
			'a,b,label\n' +
				Array.from({ length: 50 }, (_, i) => `${i % 3},${i % 5},${i % 2}`).join('\n') +
				'\n',
		);
		const before2 = api.runs.shownErrors.length;
		const narrow = await runRangeTest({
			modelPath: 'model/model.json',
			data: { kind: 'csv', path: 'narrow.csv', labels: ['label'] },
			options: quick,
		});
		assert.equal(narrow.status === 'failed' && narrow.code, 'badInput', JSON.stringify(narrow));
		assertErrorShown(before2, /input|shape|feature|column/i);
	});

	test('a crashing runner gives an error notification and the extension keeps working', async () => {
		const ext = vscode.extensions.getExtension(extensionId)!;
		api.runs.runnerPathOverride = path.join(
			ext.extensionPath,
			'test',
			'vscode',
			'fixtures',
			'crashRunner.js',
		);
		const before = api.runs.shownErrors.length;
		const report = await runRangeTest({
			modelPath: 'model/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(report.status === 'failed' && report.code, 'crashed');
		assertErrorShown(before, /runner exited with code 134/);
		assert.equal(api.runs.running, false);
	});

	test('a hanging runner is stopped by the timeout with a clear message', async function () {
		this.timeout(60_000);
		const ext = vscode.extensions.getExtension(extensionId)!;
		api.runs.runnerPathOverride = path.join(
			ext.extensionPath,
			'test',
			'vscode',
			'fixtures',
			'hangRunner.js',
		);
		const cfg = vscode.workspace.getConfiguration('lrScope');
		await cfg.update('timeoutSeconds', 5, vscode.ConfigurationTarget.Workspace);
		try {
			assert.equal(api.config.timeoutSeconds, 5);
			const before = api.runs.shownErrors.length;
			const t = Date.now();
			const report = await runRangeTest({
				modelPath: 'model/model.json',
				data: csvData,
				options: quick,
			});
			const took = Date.now() - t;
			assert.equal(report.status === 'failed' && report.code, 'timeout');
			assert.ok(took >= 4500 && took < 15_000, `timeout after ${took} ms`);
			assertErrorShown(before, /longer than 5 s/);
		} finally {
			await cfg.update('timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});

	test('after the failures a range test still runs', async () => {
		const report = await runRangeTest({
			modelPath: 'model/model.json',
			data: csvData,
			options: quick,
		});
		assert.equal(report.status, 'ok', JSON.stringify(report).slice(0, 300));
	});

	test('malformed webview messages are dropped; a valid one is accepted', async () => {
		await vscode.commands.executeCommand('lrScope.openPanel');
		await until(() => api.panel.isReady(), 30_000, 'the panel to load');
		const bad: unknown[] = [
			null,
			42,
			'ready',
			{},
			{ type: 'nope' },
			{ type: 'copyCode' },
			{ type: 'copyCode', code: 7 },
			{ type: 'saveExport', kind: 'exe', data: '' },
			{ type: 'openPanel', resultId: { evil: true } },
		];
		for (const m of bad) {
			assert.equal(api.panel.receiveForTest(m), false, `accepted ${JSON.stringify(m)}`);
		}
		assert.equal(api.panel.receiveForTest({ type: 'ready', surface: 'panel' }), true);
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
	});

	test('export writes JSON and HTML reports of the latest result', async () => {
		const out = wsPath('exported');
		fs.mkdirSync(out, { recursive: true });
		const latest = api.store.list()[0];
		const json = await vscode.commands.executeCommand<string>('lrScope.exportReport', {
			format: 'json',
			uri: path.join(out, 'r.json'),
		});
		assert.equal(json, path.join(out, 'r.json'));
		const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as {
			id: string;
			rangeTest: { lrs: number[] };
		};
		assert.equal(parsed.id, latest.id);
		assert.equal(parsed.rangeTest.lrs.length, latest.rangeTest!.lrs.length);
		const html = await vscode.commands.executeCommand<string>('lrScope.exportReport', {
			format: 'html',
			uri: path.join(out, 'r.html'),
		});
		assert.ok(html);
		const text = fs.readFileSync(html, 'utf8');
		assert.match(text, /<svg/);
		assert.match(text, /valley/);
	});

	test('export asks the panel for PNG and CSV', async () => {
		const out = wsPath('exported');
		const png = await vscode.commands.executeCommand<string>('lrScope.exportReport', {
			format: 'png',
			uri: path.join(out, 'r.png'),
		});
		assert.ok(png, 'no PNG written');
		const bytes = fs.readFileSync(png);
		assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'not a PNG');
		assert.ok(bytes.length > 2000, `PNG of ${bytes.length} bytes`);
		const csv = await vscode.commands.executeCommand<string>('lrScope.exportReport', {
			format: 'csv',
			uri: path.join(out, 'r.csv'),
		});
		assert.ok(csv, 'no CSV written');
		const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
		assert.match(lines[0], /lr/i);
		assert.equal(lines.length - 1, api.store.list()[0].rangeTest!.lrs.length);
		// A verified range test's PNG also holds the candidates chart and the evidence under the curve:
		// taller than the same range test's PNG without verification.
		const pngOf = async (verify: 'off' | 'on'): Promise<string> => {
			const r = await runRangeTest({
				modelPath: 'model/model.json',
				data: csvData,
				options: { ...quick, verify },
			});
			assert.equal(r.status, 'ok', JSON.stringify(r).slice(0, 300));
			const v = r.status === 'ok' ? r.result.rangeTest?.report.headline?.verified : undefined;
			assert.equal(!!v, verify === 'on', `verify ${verify}: verified ${JSON.stringify(v)}`);
			const file = await vscode.commands.executeCommand<string>('lrScope.exportReport', {
				format: 'png',
				uri: path.join(out, `r-verify-${verify}.png`),
			});
			assert.ok(file, `no PNG written (verify ${verify})`);
			return file;
		};
		// PNG height: the IHDR chunk's second field.
		const height = (f: string): number => fs.readFileSync(f).readUInt32BE(20);
		const [plain, verified] = [await pngOf('off'), await pngOf('on')];
		assert.ok(
			height(verified) > height(plain) + 150,
			`verified PNG ${height(verified)} px high, unverified ${height(plain)} px`,
		);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('results persist in workspace storage and clear removes them', async () => {
		const ext = vscode.extensions.getExtension(extensionId)!;
		assert.ok(api.store.list().length >= 2);
		// Nothing written into the user's folders except what the tests themselves created.
		const entries = fs
			.readdirSync(ws)
			.filter(
				(f) =>
					![
						'model',
						'data.csv',
						'corrupt',
						'graph',
						'narrow.csv',
						'exported',
						'.vscode',
						'dense-classifier',
						'module-source',
					].includes(f),
			);
		assert.deepEqual(entries, []);
		const n = await vscode.commands.executeCommand<number>('lrScope.clearResults', {
			confirm: false,
		});
		assert.ok(n >= 2);
		assert.equal(api.store.list().length, 0);
		assert.ok(ext.isActive);
	});
});
