/**
 * Child process for bench/limits.bench.ts: the extension host's code paths in a plain Node process,
 * with `vscode` stubbed (test/unit/vscodeStub.ts) — not a real extension host, but the same
 * ResultsStore, LogWatcher, followers, detectors and webview snapshot code that run there.
 *
 *   ingest <log>     LogWatcher follows a 1M-record log from scratch (slices of 8 MB), the
 *                    detectors read it, ResultsStore keeps it, a panel snapshot is built.
 *   idle <seconds>   LogWatcher armed in a JavaScript workspace without tfjs, then idle.
 *   idle-control <seconds>   the same process without starting the watcher (Node's own idle cost).
 * Prints one JSON line.
 */
import '../test/unit/vscodeStub';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config } from '../src/extension/config';
import { toLiveRunView } from '../src/extension/panel/webviewSession';
import { ResultsStore } from '../src/extension/resultsStore';
import { LogWatcher } from '../src/extension/watch/logWatcher';
import { fakeContext, fakeLog, fireCreate, stubWorkspace } from '../test/unit/vscodeStub';

async function ingest(log: string): Promise<void> {
	stubWorkspace.folder = path.dirname(log);
	const store = new ResultsStore(fakeContext());
	let peakArg = 0;
	store.onDidChange((e) => {
		if (e.kind === 'live') {
			peakArg = Math.max(peakArg, e.records.length);
		}
	});
	const warnings = { onFindings: () => undefined } as never;
	const watcher = new LogWatcher(store, new Config(), fakeLog(), warnings, { pollMs: 60_000 });
	const t0 = Date.now();
	await watcher.start();
	fireCreate('**/logs/**/*.jsonl', log);
	const id = `watch:${log}`;
	while (!store.getLive(id)) {
		await new Promise((r) => setTimeout(r, 20));
	}
	await watcher.pollAll();
	const run = store.getLive(id)!;
	const view = toLiveRunView(run);
	const seconds = (Date.now() - t0) / 1000;
	process.stdout.write(
		JSON.stringify({
			steps: run.stepCount,
			held: run.records.length,
			snapshot: view.records.length,
			findings: run.findings.length,
			largestAppend: peakArg,
			seconds,
			maxRssMb: process.resourceUsage().maxRSS / 1024,
		}) + '\n',
	);
	watcher.dispose();
}

async function idle(seconds: number, control: boolean): Promise<void> {
	const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-idle-ws-'));
	fs.writeFileSync(
		path.join(ws, 'package.json'),
		'{"name":"web-app","dependencies":{"react":"^18.0.0"}}',
	);
	fs.mkdirSync(path.join(ws, 'src'));
	fs.writeFileSync(path.join(ws, 'src', 'index.ts'), 'export const x = 1;\n');
	stubWorkspace.folder = ws;
	let timerCallbacks = 0;
	const realSetTimeout = global.setTimeout;
	const wrap = <F extends (...a: never[]) => unknown>(orig: F): F =>
		((cb: () => void, ...rest: never[]) =>
			(orig as unknown as (...a: unknown[]) => unknown)(
				() => {
					timerCallbacks++;
					cb();
				},
				...rest,
			)) as unknown as F;
	global.setTimeout = wrap(global.setTimeout);
	global.setInterval = wrap(global.setInterval);
	const t0 = process.hrtime.bigint();
	const store = new ResultsStore(fakeContext());
	const watcher = new LogWatcher(store, new Config(), fakeLog(), {
		onFindings: () => undefined,
	} as never);
	if (!control) {
		// The control run loads the same code but never starts the watcher: Node's own idle cost.
		await watcher.start();
	}
	const activationMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const findFilesAtStart = stubWorkspace.findFilesCalls;
	timerCallbacks = 0;
	const cpu0 = process.cpuUsage();
	// Wait with the original timer, so the wait itself is not counted.
	await new Promise((r) => realSetTimeout(r, seconds * 1000));
	const cpu = process.cpuUsage(cpu0);
	process.stdout.write(
		JSON.stringify({
			activationMs,
			findFilesAtStart,
			findFilesIdle: stubWorkspace.findFilesCalls - findFilesAtStart,
			timerCallbacks,
			active: watcher.active,
			cpuMs: (cpu.user + cpu.system) / 1000,
		}) + '\n',
	);
	watcher.dispose();
	fs.rmSync(ws, { recursive: true, force: true });
}

const [mode, arg] = process.argv.slice(2);
(mode === 'ingest' ? ingest(arg) : idle(Number(arg), mode === 'idle-control')).catch(
	(e: unknown) => {
		console.error(e);
		process.exitCode = 1;
	},
);
