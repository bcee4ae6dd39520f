/**
 * Issue 11, the CLI side: bad input ends in one line and exit 2, closed pipes end quietly, huge
 * logs are streamed. The CLI is bundled into a private folder (as cliNumbers.test.ts does) and run
 * as a child process, because these are properties of the process: its exit code, its stderr,
 * its peak memory.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CsvReader } from '../../src/core/logs/csv';
import { JsonlReader } from '../../src/core/logs/jsonl';
import { DetectorSet } from '../../src/core/detectors';
import { checkRangeTestOptions } from '../../src/engine/training/rangeTest';
import { BadInputError } from '../../src/shared/errors';
import { limits } from '../../src/shared/limits';
import { defaultRangeTestOptions } from '../../src/shared/runnerProtocol';
import { cliBundle, type CliRun } from './cliBundle';

const root = path.join(__dirname, '..', '..');
const bundle = cliBundle('lrscope-robust-');
const { dir, cli } = bundle;

function run(...args: string[]): CliRun {
	return bundle.run(args, { timeout: 30000, cwd: dir });
}

function file(name: string, text: string): string {
	const p = path.join(dir, name);
	fs.mkdirSync(path.dirname(p), { recursive: true });
	fs.writeFileSync(p, text);
	return p;
}

/** Exit 2 and exactly one stderr line starting with `lrscope:`, matching `re`. */
function assertUsage(r: ReturnType<typeof run>, re: RegExp): void {
	const lines = r.stderr.trimEnd().split('\n');
	assert.equal(r.code, 2, r.stderr);
	assert.equal(lines.length, 1, r.stderr);
	assert.match(lines[0], /^lrscope: /);
	assert.match(lines[0], re);
	assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

describe('lrscope: flag errors are one usage line (exit 2)', () => {
	it('range-test --steps -5 names the accepted range', () => {
		assertUsage(
			run('range-test', '--module', 'x.js', '--steps', '-5'),
			/--steps expects a whole number/,
		);
	});
	it('range-test --steps with no value points at --help', () => {
		assertUsage(run('range-test', '--module', 'x.js', '--steps'), /lrscope range-test --help/);
	});
	it('range-test --steps 1e12 is refused with the settings maximum', () => {
		assertUsage(
			run('range-test', '--module', 'x.js', '--steps', '1e12'),
			new RegExp(`--steps expects a whole number from 2 to ${limits.rangeTestSteps.max}`),
		);
	});
	it('sweep --epochs above the settings maximum is refused', () => {
		assertUsage(run('sweep', '--module', 'x.js', '--epochs', '100000'), /--epochs expects/);
	});
	it('diagnose --follow --interval with no value points at --help', () => {
		const log = file('a.jsonl', '{"step":1,"loss":1}\n');
		assertUsage(run('diagnose', log, '--follow', '--interval'), /lrscope diagnose --help/);
	});
	it('diagnose --interval -100 is refused with its minimum', () => {
		const log = file('a.jsonl', '{"step":1,"loss":1}\n');
		assertUsage(run('diagnose', log, '--interval', '-100'), /--interval must be at least 10/);
	});
	it('read and monitor turn unknown flags into usage lines', () => {
		assertUsage(run('read', 'x.jsonl', '--nope'), /lrscope read --help/);
		assertUsage(run('monitor', '--nope'), /lrscope monitor --help/);
	});
});

describe('lrscope: inputs and outputs are checked before training', () => {
	it('--data naming a directory is one line', () => {
		file('m/model.json', '{}');
		fs.mkdirSync(path.join(dir, 'datadir.csv'), { recursive: true });
		assertUsage(
			run('range-test', '--model', 'm/model.json', '--data', 'datadir.csv', '--label', 'y'),
			/--data datadir\.csv: is a directory/,
		);
	});
	it('--out whose parent is a file is refused before the run starts', () => {
		file('m/model.json', '{}');
		file('d.csv', 'a,y\n1,2\n');
		file('notadir', 'x');
		const t0 = Date.now();
		assertUsage(
			run(
				'range-test',
				'--model',
				'm/model.json',
				'--data',
				'd.csv',
				'--label',
				'y',
				'--out',
				'notadir/report.html',
			),
			/--out notadir\/report\.html: .*notadir is a file/,
		);
		assert.ok(Date.now() - t0 < 10000);
	});
});

describe('lrscope: a closed stdout ends the command quietly', () => {
	for (const args of [
		(log: string) => ['read', log, '--json'],
		() => ['schedule', '--spec', '{"kind":"constant","lr":0.01}', '--steps', '100000', '--json'],
	]) {
		it(`${args('big.jsonl')[0]} … | head -c 100 exits 0 without EPIPE`, async () => {
			const lines: string[] = [];
			for (let i = 0; i < 200000; i++) {
				lines.push(`{"step":${i},"loss":${1 / (i + 1)},"acc":${i / 200000}}`);
			}
			const log = file('big.jsonl', lines.join('\n') + '\n');
			// Its own temp folder: other test files run at the same time and spool there too.
			const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-epipe-'));
			const child = spawn(process.execPath, [cli, ...args(log)], {
				stdio: ['ignore', 'pipe', 'pipe'],
				env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
			});
			let stderr = '';
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', resolve));
			assert.ok(first.length > 0);
			child.stdout.destroy(); // what `head -c 100` does after 100 bytes
			const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
			assert.equal(stderr, '');
			assert.equal(code, 0);
			// Nothing left behind: read's spool (temp files) is removed on this way out too.
			assert.deepEqual(fs.readdirSync(tmp), []);
			fs.rmSync(tmp, { recursive: true, force: true });
		});
	}
});

describe('lrscope read --json streams', () => {
	it('peak RSS stays flat on a 60 MB log, and the JSON is whole and right', () => {
		const p = path.join(dir, 'sixty.jsonl');
		const fd = fs.openSync(p, 'w');
		const n = 1_000_000;
		let chunk = '';
		for (let i = 0; i < n; i++) {
			chunk += `{"step":${i},"loss":${(1 / (i + 1)).toFixed(12)},"val_loss":${i % 1000 === 0 ? 'NaN' : (2 / (i + 1)).toFixed(12)}}\n`;
			if (chunk.length > 1 << 20) {
				fs.writeSync(fd, chunk);
				chunk = '';
			}
		}
		fs.writeSync(fd, chunk);
		fs.closeSync(fd);
		assert.ok(fs.statSync(p).size > 60e6);
		const pre = file('maxrss.cjs', maxRssPreload);
		const out = path.join(dir, 'sixty.json');
		const r = spawnSync(
			'sh',
			['-c', `"${process.execPath}" -r "${pre}" "${cli}" read "${p}" --json > "${out}"`],
			{ encoding: 'utf8', timeout: 120000 },
		);
		assert.equal(r.status, 0, r.stderr);
		const rssMb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]) / 1024;
		const j = JSON.parse(fs.readFileSync(out, 'utf8')) as {
			series: Record<string, [number, number | null][]>;
			notes: string[];
		};
		fs.rmSync(p);
		fs.rmSync(out);
		assert.equal(j.series.loss.length, n);
		assert.deepEqual(j.series.loss[3], [3, Number((1 / 4).toFixed(12))]);
		assert.equal(j.series.val_loss[1000][1], null);
		// Before streaming this was ~450 MB (the records, then the series, then one JSON string).
		assert.ok(rssMb < 250, `peak RSS ${rssMb.toFixed(0)} MB`);
	});
});

describe('lrscope suggest: a curve whose LRs go down is refused', () => {
	it('names the first decreasing point', () => {
		const c = file('down.csv', 'lr,loss\n1,2\n0.1,1.5\n0.01,1.2\n0.001,1.3\n');
		assertUsage(run('suggest', c), /LRs must increase .*point 1 .*reversed/);
	});
});

describe('CSV and JSONL agree on overflowing values', () => {
	it('1e400 in CSV and 1e309 in JSONL are both non-finite (null), and the detectors see it', () => {
		const csv = new CsvReader();
		const a = [
			...csv.feed(new TextEncoder().encode('step,loss\n1,0.5\n2,1e400\n3,-1e400\n')),
			...csv.end(),
		];
		const jl = new JsonlReader();
		const b = [
			...jl.feed(
				new TextEncoder().encode(
					'{"step":1,"loss":0.5}\n{"step":2,"loss":1e309}\n{"step":3,"loss":-1e309}\n',
				),
			),
			...jl.end(),
		];
		assert.deepEqual(a, b);
		assert.equal(a[1].values.loss, null);
		const det = new DetectorSet({});
		const kinds = det.feedAll(a).map((f) => f.kind);
		assert.ok(kinds.includes('nonFinite'), kinds.join(','));
	});
});

describe('limits', () => {
	it('the runner refuses steps above the maximum whoever asks (CLI, settings, command args)', () => {
		assert.throws(
			() => checkRangeTestOptions({ ...defaultRangeTestOptions, steps: 1e12 }),
			(e: unknown) => e instanceof BadInputError && /from 2 to 100000/.test(e.message),
		);
		assert.doesNotThrow(() =>
			checkRangeTestOptions({ ...defaultRangeTestOptions, steps: limits.rangeTestSteps.max }),
		);
	});
	it('package.json settings use the same bounds as the CLI (src/shared/limits.ts)', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
			contributes: {
				configuration: { properties: Record<string, { minimum?: number; maximum?: number }> };
			};
		};
		const props = pkg.contributes.configuration.properties;
		assert.equal(props['lrScope.rangeTest.steps'].maximum, limits.rangeTestSteps.max);
		assert.equal(props['lrScope.rangeTest.steps'].minimum, limits.rangeTestSteps.min);
		assert.equal(props['lrScope.sweep.epochs'].maximum, limits.sweepEpochs.max);
		assert.equal(props['lrScope.sweep.epochs'].minimum, limits.sweepEpochs.min);
	});
});

const maxRssPreload = `process.on('exit', () => {
	require('fs').writeSync(2, 'MAXRSS ' + process.resourceUsage().maxRSS + '\\n');
});
`;
