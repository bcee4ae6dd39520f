/**
 * Issue 11 limits: memory of `lrscope read --json` and `lrscope diagnose` on a generated 500 MB
 * JSONL log (peak RSS of the CLI process); the extension host's live-run ingestion of a 1M-record
 * log; and the idle cost of LR Scope in a JavaScript workspace without tfjs (activation time of the
 * watcher, timer callbacks, findFiles calls and CPU time over 60 s).
 *
 * The last two run in a Node child process with `vscode` stubbed (bench/extensionHost.child.ts):
 * the real ResultsStore, LogWatcher, followers, detectors and panel-snapshot code, not a real
 * extension host. Starting code-server here would measure the workbench too and take minutes on a
 * shared 2-core machine; the stub measures exactly the code issue 11 changed. The child's
 * baseline (Node + tsx with nothing loaded) is reported next to it, so the increment is visible.
 * Logs are generated in the OS temp dir and deleted afterwards. `LRSCOPE_BENCH_LOG_MB` and
 * `LRSCOPE_BENCH_IDLE_S` shrink the run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRow, BenchSection } from './types';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

function makeJsonl(file: string, targetBytes: number): number {
	const fd = fs.openSync(file, 'w');
	let bytes = 0;
	let step = 0;
	while (bytes < targetBytes) {
		let chunk = '';
		for (let i = 0; i < 10_000; i++, step++) {
			const loss = 0.3 + 2 * Math.exp(-step / 200_000) + 0.01 * Math.sin(step);
			chunk += `{"step":${step},"loss":${loss.toFixed(6)},"lr":0.001,"acc":${((step % 997) / 997).toFixed(4)}}\n`;
		}
		fs.writeSync(fd, chunk);
		bytes += chunk.length;
	}
	fs.closeSync(fd);
	return step;
}

/** Peak RSS (MB) and wall time of `node <args>` with stdout discarded. */
function measure(args: string[], preload: string): { mb: number; s: number; ok: boolean } {
	const t0 = Date.now();
	const r = spawnSync(process.execPath, ['-r', preload, ...args], {
		stdio: ['ignore', 'ignore', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const kb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
	return { mb: kb / 1024, s: (Date.now() - t0) / 1000, ok: r.status === 0 };
}

function child(args: string[]): Record<string, number> {
	const r = spawnSync(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'extensionHost.child.ts'), ...args],
		{ encoding: 'utf8', cwd: root },
	);
	if (r.status !== 0) {
		throw new Error(`extensionHost.child.ts ${args.join(' ')} failed: ${r.stderr}`);
	}
	return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** Runs the benchmarks. */
export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [];
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-limits-'));
	try {
		const preload = path.join(tmp, 'maxrss.cjs');
		fs.writeFileSync(
			preload,
			"process.on('exit', () => require('fs').writeSync(2, 'MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));\n",
		);
		const mb = Number(process.env.LRSCOPE_BENCH_LOG_MB ?? 500);
		const big = path.join(tmp, 'big.jsonl');
		const records = makeJsonl(big, mb * 1024 * 1024);
		const size = fs.statSync(big).size / 1024 / 1024;
		notes.push(`generated log: ${size.toFixed(0)} MB, ${records} records, 3 series`);
		const base = measure(['-e', '0'], preload);
		rows.push({ name: 'node baseline (empty script)', value: base.mb, unit: 'MB peak RSS' });
		const read = measure([cli, 'read', big, '--json'], preload);
		rows.push({
			name: `read --json on ${size.toFixed(0)} MB log`,
			value: read.mb,
			unit: 'MB peak RSS',
			note: `${read.s.toFixed(1)} s${read.ok ? '' : ', FAILED'}`,
		});
		const diag = measure([cli, 'diagnose', big, '--json'], preload);
		rows.push({
			name: `diagnose --json on ${size.toFixed(0)} MB log`,
			value: diag.mb,
			unit: 'MB peak RSS',
			note: `${diag.s.toFixed(1)} s${diag.ok ? '' : ', FAILED'}`,
		});
		fs.rmSync(big);

		const logs = path.join(tmp, 'ws', 'logs');
		fs.mkdirSync(logs, { recursive: true });
		const million = path.join(logs, 'run.jsonl');
		// Exactly 1M records.
		{
			const fd = fs.openSync(million, 'w');
			for (let s = 0; s < 1_000_000; s += 10_000) {
				let chunk = '';
				for (let i = s; i < s + 10_000; i++) {
					chunk += `{"step":${i},"loss":${(0.3 + 2 * Math.exp(-i / 200_000)).toFixed(6)},"lr":0.001,"acc":${((i % 997) / 997).toFixed(4)}}\n`;
				}
				fs.writeSync(fd, chunk);
			}
			fs.closeSync(fd);
		}
		const tsxBase = spawnSync(
			process.execPath,
			['--import', 'tsx', '-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'],
			{ encoding: 'utf8', cwd: root },
		);
		rows.push({
			name: 'extension-host stub baseline (node + tsx)',
			value: Number(tsxBase.stdout) / 1024,
			unit: 'MB peak RSS',
		});
		const ing = child(['ingest', million]);
		rows.push({
			name: 'extension host: watch + ingest a 1M-record log',
			value: ing.maxRssMb,
			unit: 'MB peak RSS',
			note: `${ing.seconds.toFixed(1)} s; ${ing.held} records held, ${ing.snapshot} in a panel snapshot, largest append ${ing.largestAppend}`,
		});

		const idleS = Number(process.env.LRSCOPE_BENCH_IDLE_S ?? 60);
		const idle = child(['idle', String(idleS)]);
		const control = child(['idle-control', String(idleS)]);
		rows.push({
			name: 'idle JS workspace (no tfjs): watcher activation',
			value: idle.activationMs,
			unit: 'ms',
		});
		rows.push({
			name: `idle JS workspace: CPU time over ${idleS} s`,
			value: idle.cpuMs,
			unit: 'ms',
			note: `${idle.timerCallbacks} timer callbacks, ${idle.findFilesAtStart + idle.findFilesIdle} findFiles calls, watching ${idle.active ? 'active' : 'armed only'}`,
		});
		rows.push({
			name: `  control: same process, watcher not started`,
			value: control.cpuMs,
			unit: 'ms',
			note: `${control.timerCallbacks} timer callbacks (Node's own idle cost: GC after loading)`,
		});
		notes.push(
			'extension-host rows: a Node process with vscode stubbed (bench/extensionHost.child.ts), not a real extension host',
		);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return { title: 'Limits (issue 11): memory on big logs, idle cost', rows, notes };
}
