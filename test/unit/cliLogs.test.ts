import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnoseCommand } from '../../src/cli/diagnoseCmd';
import { readCommand } from '../../src/cli/readCmd';
import { UsageError, type Subcommand } from '../../src/cli/common';

const repo = path.join(__dirname, '..', '..');
const tfe = path.join(repo, 'test', 'fixtures', 'tfevents');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs a subcommand in-process, capturing what it prints. The CLI writes strings; the test runner
 * talks to its parent through stdout in binary chunks, which must pass through untouched.
 */
async function run(cmd: Subcommand, argv: string[]): Promise<{ code: number; stdout: string }> {
	const chunks: string[] = [];
	const orig = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => {
		if (typeof s !== 'string') {
			return orig(s, ...rest);
		}
		chunks.push(s);
		return true;
	}) as typeof process.stdout.write;
	try {
		const code = await cmd.run(argv);
		return { code, stdout: chunks.join('') };
	} finally {
		process.stdout.write = orig;
	}
}

describe('lrscope read', () => {
	it('--json prints {series, notes} with val_ tags for a logdir', async () => {
		const { code, stdout } = await run(readCommand, [
			path.join(tfe, 'truncated-while-writing'),
			'--json',
		]);
		assert.equal(code, 0);
		const j = JSON.parse(stdout) as {
			series: Record<string, [number, number | null][]>;
			notes: string[];
		};
		const expected = JSON.parse(
			fs.readFileSync(path.join(tfe, 'truncated-while-writing', 'expected.json'), 'utf8'),
		);
		assert.deepEqual(j.series.batch_loss, expected.train.batch_loss);
		assert.deepEqual(j.series.val_epoch_loss, expected.val.epoch_loss);
		assert.equal(j.notes.length, 1);
	});
	it('human output lists each series; bad input is a UsageError', async () => {
		const { stdout } = await run(readCommand, [path.join(tfe, 'tfjs-node-simple')]);
		assert.match(stdout, /186 records, 3 series \(2 files\)/);
		assert.match(stdout, /\n {2}val_epoch_loss +3 +1–3 /);
		await assert.rejects(
			run(readCommand, [path.join(tmp, 'missing.jsonl')]),
			(e: Error) => e instanceof UsageError && /does not exist/.test(e.message),
		);
		await assert.rejects(run(readCommand, []), UsageError);
		const odd = path.join(tmp, 'notes.txt');
		fs.writeFileSync(odd, 'hello world\n');
		await assert.rejects(run(readCommand, [odd]), /cannot tell the format/);
	});
});

describe('lrscope diagnose', () => {
	it('--json on the diverging logdir: divergence near step 130; --fail-on sets the exit code', async () => {
		const d = path.join(tfe, 'diverging');
		const a = await run(diagnoseCommand, [d, '--json']);
		assert.equal(a.code, 0);
		const j = JSON.parse(a.stdout) as {
			findings: { kind: string; series: string; step: number; action: string; file: string }[];
		};
		const div = j.findings.find((f) => f.kind === 'divergence' && f.series === 'batch_loss');
		assert.ok(div && Math.abs(div.step - 130) <= 3);
		assert.equal(div.file, d);
		assert.equal((await run(diagnoseCommand, [d, '--json', '--fail-on', 'error'])).code, 1);
		assert.equal(
			(await run(diagnoseCommand, [path.join(tfe, 'tfjs-node-simple'), '--fail-on', 'warning']))
				.code,
			0,
		);
		const withLr = await run(diagnoseCommand, [d, '--suggested-lr', '3e-4']);
		assert.match(withLr.stdout, /~3e-4 \(the range test's suggestion\)/);
	});
	it('rejects bad flags and inputs with exit-2 errors', async () => {
		await assert.rejects(run(diagnoseCommand, [tfe, '--fail-on', 'bad']), /--fail-on expects/);
		await assert.rejects(
			run(diagnoseCommand, [tfe, '--config', '{']),
			/--config expects a JSON object/,
		);
		await assert.rejects(
			run(diagnoseCommand, [tfe, '--config', '{"spike":{"window":0}}']),
			/spike\.window/,
		);
		const empty = path.join(tmp, 'empty.jsonl');
		fs.writeFileSync(empty, '');
		await assert.rejects(run(diagnoseCommand, [empty]), /no log records found/);
	});
	it('--follow prints findings as a growing log produces them and exits cleanly on SIGINT', async () => {
		const log = path.join(tmp, 'live.jsonl');
		fs.writeFileSync(log, '');
		const child = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				path.join(repo, 'src', 'cli', 'main.ts'),
				'diagnose',
				log,
				'--follow',
				'--json',
				'--interval',
				'50',
				'--fail-on',
				'error',
			],
			{
				cwd: repo,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let stdout = '';
		child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
		const waitFor = async (re: RegExp, ms: number): Promise<void> => {
			const t0 = Date.now();
			while (!re.test(stdout)) {
				if (Date.now() - t0 > ms) {
					throw new Error(`timed out waiting for ${re}; got: ${stdout}`);
				}
				await new Promise((r) => setTimeout(r, 50));
			}
		};
		try {
			const lines =
				Array.from({ length: 50 }, (_, i) => JSON.stringify({ step: i, loss: 1 / (i + 1) })).join(
					'\n',
				) + '\n';
			fs.appendFileSync(log, lines);
			await new Promise((r) => setTimeout(r, 500));
			assert.equal(stdout, '');
			fs.appendFileSync(log, '{"step":50,"loss":NaN}\n');
			await waitFor(/"finding"/, 15_000);
			const f = JSON.parse(stdout.trim().split('\n')[0]) as {
				finding: { kind: string; step: number };
			};
			assert.equal(f.finding.kind, 'nonFinite');
			assert.equal(f.finding.step, 50);
			child.kill('SIGINT');
			const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
			assert.equal(code, 1);
			assert.match(stdout, /"done":true/);
		} finally {
			child.kill('SIGKILL');
		}
	});
});
