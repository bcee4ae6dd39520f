/**
 * `lrscope monitor --json` (issue 20): the last line is always a monitorEnd record — with the
 * backend that ran, and, when --timeout stopped the run (exit code 3), the reason.
 * Uses dist/cli.js (npm run test:engine builds it first).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const script = (name: string): string => path.join(root, 'test', 'fixtures', 'scripts', name);

function monitor(...args: string[]): { code: number | null; last: Record<string, unknown> } {
	const r = spawnSync(process.execPath, [cli, 'monitor', '--json', ...args], {
		encoding: 'utf8',
		timeout: 120_000,
	});
	const lines = r.stdout.trim().split('\n');
	return { code: r.status, last: JSON.parse(lines[lines.length - 1]) as Record<string, unknown> };
}

describe('monitor --json end record', () => {
	it('a finished run: monitorEnd names the backend', () => {
		const r = monitor('--script', script('healthy.js'), '--backend', 'cpu');
		assert.equal(r.code, 0);
		assert.equal(r.last.type, 'monitorEnd');
		assert.equal((r.last.backend as { name?: string } | undefined)?.name, 'cpu');
	});
	it('--timeout: exit code 3, still a monitorEnd record, and the script and its children are stopped', async () => {
		// A script that starts a child process, then waits forever before fit; both write their pid.
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-timeout-'));
		const hang = path.join(dir, 'hang.js');
		const pids = path.join(dir, 'pids');
		fs.writeFileSync(
			hang,
			[
				`const fs = require('fs');`,
				`const kid = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });`,
				`fs.writeFileSync(${JSON.stringify(pids)}, process.pid + ' ' + kid.pid);`,
				`setInterval(() => {}, 1000);`,
			].join('\n'),
		);
		const r = monitor('--script', hang, '--timeout', '2');
		const alive = fs.readFileSync(pids, 'utf8').split(' ').map(Number);
		fs.rmSync(dir, { recursive: true, force: true });
		assert.equal(r.code, 3);
		assert.equal(r.last.type, 'monitorEnd');
		assert.equal(r.last.reason, 'timeout');
		assert.equal(r.last.stopped, true);
		// Before the fix the runner was SIGKILLed and the detached script group lived on.
		const running = (pid: number): boolean => {
			try {
				process.kill(pid, 0);
				return true;
			} catch {
				return false;
			}
		};
		for (let i = 0; i < 30 && alive.some(running); i++) {
			await new Promise((res) => setTimeout(res, 100));
		}
		const left = alive.filter(running);
		left.forEach((pid) => process.kill(pid, 'SIGKILL'));
		assert.deepEqual(left, [], 'script processes left running');
	});
});
