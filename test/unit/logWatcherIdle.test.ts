/**
 * Issue 11: every JavaScript workspace activates LR Scope (its editor hints), and the log watcher
 * then ran `findFiles` on four workspace-wide globs every 10 s plus a 2 s poll timer. Now watching
 * is armed with file-system watchers only; it becomes active (one search) when a package.json uses
 * tfjs or a matching log appears; nothing is periodic. Runs the real LogWatcher and ResultsStore
 * against a stubbed `vscode` (test/unit/vscodeStub.ts) over a real temp folder.
 */
import './vscodeStub';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, beforeEach, it } from 'node:test';
import { Config } from '../../src/extension/config';
import { ResultsStore } from '../../src/extension/resultsStore';
import { LogWatcher } from '../../src/extension/watch/logWatcher';
import { globToRegExp } from '../../src/extension/watch/workspaceFiles';
import { fakeContext, fakeLog, fireCreate, stubWorkspace } from './vscodeStub';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-idle-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
let intervals = 0;
const realSetInterval = global.setInterval;
let watcher: LogWatcher;
let store: ResultsStore;

beforeEach(() => {
	stubWorkspace.folder = path.join(tmp, `ws${n++}`);
	fs.mkdirSync(stubWorkspace.folder);
	stubWorkspace.findFilesCalls = 0;
	stubWorkspace.watchers.length = 0;
	intervals = 0;
	global.setInterval = ((...a: Parameters<typeof setInterval>) => {
		intervals++;
		return realSetInterval(...a);
	}) as typeof setInterval;
	store = new ResultsStore(fakeContext());
	watcher = new LogWatcher(
		store,
		new Config(),
		fakeLog(),
		{ onFindings: () => undefined } as never,
		{
			newFolderDelayMs: 20,
		},
	);
});

afterEach(() => {
	watcher.dispose();
	global.setInterval = realSetInterval;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('a JS workspace without tfjs: armed with watchers only — no search, no timer', async () => {
	fs.writeFileSync(
		path.join(stubWorkspace.folder, 'package.json'),
		'{"dependencies":{"lodash":"^4.0.0"}}',
	);
	await watcher.start();
	await sleep(300);
	assert.equal(watcher.started, true);
	assert.equal(watcher.active, false);
	assert.equal(stubWorkspace.findFilesCalls, 0);
	assert.equal(intervals, 0);
	assert.ok(stubWorkspace.watchers.length > 0);
});

it('a package.json that uses tfjs makes watching active (one search per glob, no timer)', async () => {
	fs.mkdirSync(path.join(stubWorkspace.folder, 'app'));
	fs.writeFileSync(
		path.join(stubWorkspace.folder, 'app', 'package.json'),
		'{"dependencies":{"@tensorflow/tfjs-node":"^4.22.0"}}',
	);
	await watcher.start();
	assert.equal(watcher.active, true);
	assert.equal(stubWorkspace.findFilesCalls, 4);
	await sleep(300);
	assert.equal(stubWorkspace.findFilesCalls, 4);
	assert.equal(intervals, 0);
});

it('a matching log appearing activates watching and is followed', async () => {
	await watcher.start();
	const file = path.join(stubWorkspace.folder, 'logs', 'r1', 'metrics.jsonl');
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, '{"step":0,"loss":1}\n{"step":1,"loss":0.9}\n');
	fireCreate('**/logs/**/*.jsonl', file);
	await sleep(200);
	await watcher.pollAll();
	assert.equal(watcher.active, true);
	assert.equal(store.getLive(`watch:${file}`)?.records.length, 2);
});

it('a log written into a new folder (its event missed) is found when the folder appears', async () => {
	await watcher.start();
	const dir = path.join(stubWorkspace.folder, 'logs', 'r2');
	const file = path.join(dir, 'metrics.jsonl');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(file, '{"step":0,"loss":1}\n');
	fireCreate('**/*', dir); // only the folder's event arrives
	await sleep(300);
	await watcher.pollAll();
	assert.equal(store.getLive(`watch:${file}`)?.records.length, 1);
});

it('globToRegExp matches the default globs like VS Code does', () => {
	const m = (g: string, p: string): boolean => globToRegExp(g).test(p);
	assert.ok(m('**/logs/**/*.jsonl', 'logs/a.jsonl'));
	assert.ok(m('**/logs/**/*.jsonl', 'x/logs/r1/a.jsonl'));
	assert.ok(!m('**/logs/**/*.jsonl', 'x/log/r1/a.jsonl'));
	assert.ok(m('**/events.out.tfevents.*', 'tb/train/events.out.tfevents.1.host'));
	assert.ok(m('**/training_log.csv', 'training_log.csv'));
	assert.ok(!m('**/training_log.csv', 'training_logxcsv'));
});
