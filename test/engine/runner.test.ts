/**
 * The runner process end to end (dist/runner.js through `runInRunner`, as the CLI and the extension
 * use it): a saved model + CSV in a temporary workspace, progress streaming, cancel with a partial
 * curve, bad input, timeout and crash reporting, and no file touched in the workspace.
 * Needs `node esbuild.mjs` first (`npm run test:engine` does it).
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunnerError, runInRunner } from '../../src/host/client';
import type { FromRunnerMessage, ModelSource } from '../../src/shared/runnerProtocol';
import { savedLinearWorkspace } from './helpers';

const root = path.resolve(__dirname, '..', '..');
const runnerPath = path.join(root, 'dist', 'runner.js');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-runner-'));
let source: ModelSource;

/** Path → sha256 of every file under `dir`. */
function snapshotDir(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
		if (e.isFile()) {
			const p = path.join(e.parentPath, e.name);
			out[path.relative(dir, p)] = crypto
				.createHash('sha256')
				.update(fs.readFileSync(p))
				.digest('hex');
		}
	}
	return out;
}

before(async () => {
	assert.ok(fs.existsSync(runnerPath), 'dist/runner.js is missing: run `node esbuild.mjs` first');
	source = await savedLinearWorkspace(ws);
});
after(() => fs.rmSync(ws, { recursive: true, force: true }));

describe('runner process', () => {
	it('runs a range test on a saved model: started, one progress per step, result; files untouched', async () => {
		const before = snapshotDir(ws);
		const msgs: FromRunnerMessage[] = [];
		const out = await runInRunner(
			{
				type: 'rangeTest',
				id: 'r1',
				source,
				// Unverified: the curve's own 3 repeats (a verified test runs 1; verifyRunner.test.ts).
				options: { startLr: 1e-5, steps: 60, verify: 'off' },
				backend: 'cpu',
				workspace: ws,
			},
			{ runnerPath, onMessage: (m) => msgs.push(m), timeoutMs: 120_000 },
		);
		assert.equal(out.type, 'result');
		const r = out.type === 'result' ? out.result : undefined;
		assert.ok(r);
		assert.equal(r.backend.name, 'cpu');
		assert.match(r.backend.reason, /forced/);
		// 3 repeats by default: progress counts 60 steps × 3, repeat k's step i as 60·k + i.
		const started = msgs.find((m) => m.type === 'started');
		assert.ok(started && started.type === 'started' && started.total === 180);
		const progress = msgs.flatMap((m) => (m.type === 'progress' ? [m] : []));
		assert.deepEqual(
			progress.filter((m) => m.repeat === 0).map((m) => m.step),
			r.lrs.map((_lr, i) => i),
		);
		assert.deepEqual([...new Set(progress.map((m) => m.repeat))], [0, 1, 2]);
		for (const m of progress) {
			assert.equal(m.total, 180);
			assert.ok(m.step >= 60 * (m.repeat ?? 0) && m.step < 60 * ((m.repeat ?? 0) + 1), `${m.step}`);
		}
		assert.ok(progress.every((m, i) => i === 0 || m.step > progress[i - 1].step));
		assert.equal(r.spread?.runs, 3);
		assert.equal(r.report.headline?.repeats, 3);
		assert.ok(r.report.consensus && r.report.consensus.lr > 0);
		assert.deepEqual(snapshotDir(ws), before);
	});

	it('cancel mid-test returns a partial curve with stopReason "cancelled"', async () => {
		const ac = new AbortController();
		const out = await runInRunner(
			// Tiny LRs: the curve would not diverge, so only the cancel can stop it early.
			{
				type: 'rangeTest',
				id: 'r2',
				source,
				options: { startLr: 1e-7, endLr: 1e-5, steps: 5000 },
				backend: 'cpu',
				workspace: ws,
			},
			{
				runnerPath,
				timeoutMs: 120_000,
				signal: ac.signal,
				onMessage: (m) => {
					if (m.type === 'progress' && m.step === 20) {
						ac.abort();
					}
				},
			},
		);
		assert.equal(out.type, 'result');
		const r = out.type === 'result' ? out.result : undefined;
		assert.equal(r?.stopReason, 'cancelled');
		assert.ok(r && r.lrs.length > 20 && r.lrs.length < 5000, `recorded ${r?.lrs.length}`);
	});

	it('a sweep streams per-epoch progress and returns per-LR results', async () => {
		const msgs: FromRunnerMessage[] = [];
		const out = await runInRunner(
			{
				type: 'sweep',
				id: 's1',
				source,
				options: { lrs: [0.001, 0.01], epochs: 2 },
				backend: 'cpu',
				workspace: ws,
			},
			{ runnerPath, onMessage: (m) => msgs.push(m), timeoutMs: 120_000 },
		);
		assert.equal(out.type, 'sweepResult');
		const r = out.type === 'sweepResult' ? out.result : undefined;
		assert.deepEqual(
			r?.results.map((x) => x.lr),
			[0.001, 0.01],
		);
		assert.equal(msgs.filter((m) => m.type === 'sweepProgress').length, 4);
	});

	it('bad input comes back as code badInput with a one-line message', async () => {
		const bad: ModelSource = {
			...source,
			modelPath: path.join(ws, 'missing', 'model.json'),
		} as ModelSource;
		await assert.rejects(
			runInRunner(
				{ type: 'rangeTest', id: 'b1', source: bad, options: {}, backend: 'cpu', workspace: ws },
				{ runnerPath, timeoutMs: 60_000 },
			),
			(e) =>
				e instanceof RunnerError &&
				e.code === 'badInput' &&
				/not found/.test(e.message) &&
				!e.message.includes('\n'),
		);
		await assert.rejects(
			runInRunner(
				{
					type: 'rangeTest',
					id: 'b2',
					source,
					options: { steps: 1 },
					backend: 'cpu',
					workspace: ws,
				},
				{ runnerPath, timeoutMs: 60_000 },
			),
			(e) => e instanceof RunnerError && e.code === 'badInput' && /--steps/.test(e.message),
		);
	});

	it('a run over its time limit is reported as a timeout', async () => {
		await assert.rejects(
			runInRunner(
				{
					type: 'rangeTest',
					id: 't1',
					source,
					options: { startLr: 1e-7, endLr: 1e-5, steps: 100000 },
					backend: 'cpu',
					workspace: ws,
				},
				{ runnerPath, timeoutMs: 2500 },
			),
			(e) => e instanceof RunnerError && e.code === 'timeout',
		);
	});

	it('a runner that dies is reported as crashed', async () => {
		const crashing = path.join(ws, '..', `lrscope-crash-${process.pid}.cjs`);
		fs.writeFileSync(
			crashing,
			"process.on('message', () => process.kill(process.pid, 'SIGKILL'));",
		);
		try {
			await assert.rejects(
				runInRunner(
					{ type: 'rangeTest', id: 'c1', source, options: {}, backend: 'cpu' },
					{ runnerPath: crashing, timeoutMs: 30_000 },
				),
				(e) => e instanceof RunnerError && e.code === 'crashed' && /SIGKILL/.test(e.message),
			);
		} finally {
			fs.rmSync(crashing, { force: true });
		}
	});

	it('started without an IPC channel, the runner says how to start it and exits 2', () => {
		const r = spawnSync(process.execPath, [runnerPath], { encoding: 'utf8', timeout: 30_000 });
		assert.equal(r.status, 2);
		assert.match(r.stderr, /fork/);
	});
});

describe('lrscope range-test / sweep (CLI through the runner)', () => {
	const cli = path.join(root, 'bin', 'lrscope.js');
	const model = (): string => path.join(ws, 'model', 'model.json');
	const data = (): string => path.join(ws, 'data.csv');
	/** `lrscope range-test` on the workspace's model and CSV on the cpu backend, then `extra`. */
	const rangeTestArgs = (...extra: string[]): string[] => [
		cli,
		'range-test',
		'--model',
		model(),
		'--data',
		data(),
		'--label',
		'y',
		'--backend',
		'cpu',
		...extra,
	];
	/** A range test far longer than any test waits (100000 tiny-LR steps): only a cancel ends it. */
	const endlessRangeTestArgs = (): string[] =>
		rangeTestArgs('--start-lr', '1e-7', '--end-lr', '1e-5', '--steps', '100000', '--json');

	it('--json prints the curve, suggestions and backend; exit 0', () => {
		const r = spawnSync(
			process.execPath,
			rangeTestArgs('--steps', '30', '--start-lr', '1e-4', '--json'),
			{
				encoding: 'utf8',
				cwd: ws,
				timeout: 120_000,
			},
		);
		assert.equal(r.status, 0, r.stderr);
		const j = JSON.parse(r.stdout) as {
			lrs: number[];
			losses: unknown[];
			smoothed: unknown[];
			stopReason: string;
			suggestions: Record<string, number | null>;
			backend: { name: string };
			steps: number;
			seconds: number;
		};
		assert.equal(j.lrs.length, j.steps);
		assert.equal(j.losses.length, j.steps);
		assert.equal(j.backend.name, 'cpu');
		assert.ok(typeof j.seconds === 'number' && j.seconds > 0);
		assert.deepEqual(Object.keys(j.suggestions).sort(), ['minimum', 'slide', 'steep', 'valley']);
	});

	it('bad input exits 2 with one line naming the problem', () => {
		const r = spawnSync(
			process.execPath,
			[
				cli,
				'range-test',
				'--model',
				path.join(ws, 'nope.json'),
				'--data',
				data(),
				'--label',
				'y',
				'--backend',
				'cpu',
			],
			{ encoding: 'utf8', timeout: 60_000 },
		);
		assert.equal(r.status, 2);
		assert.match(r.stderr.trim(), /^lrscope: --model .*nope\.json: no such file$/);
		assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
		const s = spawnSync(
			process.execPath,
			[cli, 'sweep', '--model', model(), '--data', data(), '--label', 'y', '--lrs', '0.1,abc'],
			{ encoding: 'utf8', timeout: 60_000 },
		);
		assert.equal(s.status, 2);
		assert.match(s.stderr, /--lrs/);
		// A script and a model at once is ambiguous: both commands refuse it instead of ignoring one.
		for (const command of ['range-test', 'sweep']) {
			const mixed = spawnSync(
				process.execPath,
				[cli, command, '--script', 'train.js', '--model', model(), '--data', data()],
				{
					encoding: 'utf8',
					timeout: 60_000,
				},
			);
			assert.equal(mixed.status, 2, command);
			assert.match(mixed.stderr, /either --script or --model/, command);
		}
	});

	it('Ctrl-C cancels cleanly: the partial result is printed with stopReason "cancelled"', async () => {
		const child = spawn(process.execPath, endlessRangeTestArgs(), { cwd: ws });
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
		const timer = setTimeout(() => child.kill('SIGINT'), 4000);
		const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		clearTimeout(timer);
		assert.equal(code, 130);
		const j = JSON.parse(stdout) as { stopReason: string; lrs: number[] };
		assert.equal(j.stopReason, 'cancelled');
		assert.ok(j.lrs.length < 100000);
	});
	it('Ctrl-C in a terminal (SIGINT to the whole process group): partial result, exit 130, nothing left running', async () => {
		// detached: a new process group led by the CLI, as a shell's foreground job; a terminal's
		// Ctrl-C sends SIGINT to every process in it, the runner included.
		const child = spawn(process.execPath, endlessRangeTestArgs(), {
			cwd: ws,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const pgid = child.pid!;
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
		child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
		const groupPids = (): number[] => {
			const r = spawnSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
			return r.stdout
				.split('\n')
				.map((l) => Number(l.trim()))
				.filter((n) => n > 0);
		};
		// Wait until the runner is up (two processes in the group), then let it train a little.
		const t0 = Date.now();
		while (groupPids().length < 2 && Date.now() - t0 < 20_000) {
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.equal(groupPids().length, 2, `CLI and runner in the group; stderr: ${stderr}`);
		await new Promise((r) => setTimeout(r, 1500));
		process.kill(-pgid, 'SIGINT');
		const code = await exited;
		assert.equal(code, 130, stderr);
		const j = JSON.parse(stdout) as { stopReason: string; lrs: number[] };
		assert.equal(j.stopReason, 'cancelled');
		assert.ok(j.lrs.length > 0 && j.lrs.length < 100000, `${j.lrs.length} steps`);
		assert.match(stderr, /cancelling after the current batch/);
		// Nothing left behind: the runner exits with the CLI.
		const t1 = Date.now();
		while (groupPids().length > 0 && Date.now() - t1 < 5000) {
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.deepEqual(groupPids(), []);
	});
	it("sweep --script: the script's model at each LR, --json with 2 results, --out csv and html", () => {
		const script = path.join(root, 'test', 'fixtures', 'scripts', 'healthy.js');
		const csv = path.join(ws, 'out', 'sweep.csv');
		const html = path.join(ws, 'out', 'sweep.html');
		const run = (outFile: string): ReturnType<typeof spawnSync> =>
			spawnSync(
				process.execPath,
				[
					cli,
					'sweep',
					'--script',
					script,
					'--lrs',
					'0.01,0.1',
					'--epochs',
					'1',
					'--json',
					'--out',
					outFile,
					'--',
					'--epochs',
					'7',
				],
				{ encoding: 'utf8', timeout: 120_000, cwd: ws },
			);
		const r = run(csv);
		assert.equal(r.status, 0, String(r.stderr));
		const j = JSON.parse(String(r.stdout)) as {
			results: { lr: number; finalLoss: number; batches: number; curve: number[] }[];
			best: { lr: number } | null;
			epochs: number;
			notes: string[];
		};
		assert.deepEqual(
			j.results.map((x) => x.lr),
			[0.01, 0.1],
		);
		assert.equal(j.epochs, 1);
		for (const x of j.results) {
			assert.ok(Number.isFinite(x.finalLoss) && x.finalLoss > 0, `loss ${x.finalLoss}`);
			assert.equal(x.curve.length, 1);
			// healthy.js: 64 examples, 20% held out, batch 16 from the script → 3 batches an epoch.
			assert.equal(x.batches, 3);
		}
		assert.ok(j.best && [0.01, 0.1].includes(j.best.lr));
		assert.ok(
			j.notes.some((n) => /first model\.fit/.test(n)),
			j.notes.join(' | '),
		);
		assert.match(String(r.stderr), /report: .*sweep\.csv/);
		const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
		assert.equal(rows[0], 'lr,epoch,loss,val_loss,best');
		assert.equal(rows.length, 3);
		assert.match(rows[1], /^0\.01,1,[\d.]+,[\d.]+,[01]$/);
		const h = run(html);
		assert.equal(h.status, 0, String(h.stderr));
		const page = fs.readFileSync(html, 'utf8');
		assert.match(page, /<svg[^>]*aria-label="final loss against learning rate"/);
		assert.doesNotMatch(page, /<script|https?:\/\/(?!www\.w3\.org)/);
		const bad = spawnSync(process.execPath, [cli, 'sweep', '--script', script, '--out', 'x.svg'], {
			encoding: 'utf8',
			timeout: 60_000,
		});
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /\.json, \.html or \.csv/);
	});
});
