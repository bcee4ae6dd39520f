/**
 * `npm run bench -- realScripts`: LR Scope's default range test (`lrscope range-test --script …`,
 * no other flags) on our own versions of tfjs-examples training scripts (bench/realScripts/), each
 * in a temp project with its pinned tfjs and `@tensorflow/tfjs-node` installed with
 * `--ignore-scripts` (no native binary: what users get when its download fails). Wall time of the
 * whole command (script start, probes, test), the backend that ran and what the time budget chose.
 *
 * "before" is the build of `LRSCOPE_BENCH_BEFORE_REF` (default: the branch point, 2279434),
 * extracted with `git archive` into the temp folder and built there; each before-run is capped at
 * `LRSCOPE_BENCH_CAP` seconds (default 150; a capped run is reported as "> cap"). Set
 * `LRSCOPE_BENCH_BEFORE=0` to time only the current build, `LRSCOPE_BENCH_ONLY=a,b` for some scripts.
 * Projects are cached in `$LRSCOPE_TEST_CACHE` (default: the OS temp dir), never in the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectsCacheDir, tfjsProject } from '../test/engine/tfjsProjects';
import type { BenchRow, BenchSection } from './types';

const root = path.join(__dirname, '..');
const node4 = ['@tensorflow/tfjs-node@4.22.0'];
const tfjs3 = ['@tensorflow/tfjs@3.21.0', '@tensorflow/tfjs-node@3.21.1'];

/** One workload: its folder under bench/realScripts, entry script, data generator and project. */
interface Workload {
	name: string;
	entry: string;
	gen?: string;
	deps: string[];
}

const workloads: Workload[] = [
	{ name: 'abalone-node', entry: 'index.js', gen: 'data.js', deps: node4 },
	{ name: 'baseball-node', entry: 'train.js', gen: 'data.js', deps: node4 },
	{ name: 'date-conversion-attention', entry: 'train.js', deps: tfjs3 },
	{ name: 'lstm-text-generation', entry: 'train.js', gen: 'gen.js', deps: tfjs3 },
	{ name: 'mnist-node', entry: 'main.js', deps: tfjs3 },
	{ name: 'quantization', entry: 'train_housing.js', deps: node4 },
	{ name: 'intent-classifier', entry: 'train.ts', deps: node4 },
];

/** What one timed command gave. */
interface Timed {
	seconds: number;
	ok: boolean;
	capped: boolean;
	backend?: string;
	headline?: string;
	plan?: string;
	error?: string;
}

/** Copies a workload into a fresh folder of its project (with a package.json), data generated. */
function setUp(w: Workload, project: string): string {
	const dir = fs.mkdtempSync(path.join(project, `${w.name}-`));
	fs.cpSync(path.join(__dirname, 'realScripts', w.name), dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: w.name, private: true, dependencies: {} }),
	);
	if (w.gen) {
		execFileSync(process.execPath, [w.gen], { cwd: dir, stdio: 'pipe' });
	}
	return dir;
}

/** Runs `cli.js range-test --script entry --json` in `dir`, capped; wall time and what it reported. */
function timeRangeTest(cli: string, dir: string, entry: string, capSec: number): Timed {
	const t0 = performance.now();
	const r = spawnSync(
		process.execPath,
		[cli, 'range-test', '--script', entry, '--json', '--timeout', String(capSec)],
		{ cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: (capSec + 60) * 1000 },
	);
	const seconds = (performance.now() - t0) / 1000;
	try {
		const j = JSON.parse(r.stdout) as {
			backend?: { name: string; origin: string };
			headline?: { text?: string };
			steps?: number;
			requestedSteps?: number;
			spread?: { runs?: number };
			notes?: string[];
		};
		const runs = j.spread?.runs ?? 1;
		return {
			seconds,
			ok: true,
			capped: false,
			backend: j.backend ? `${j.backend.name} (${j.backend.origin})` : undefined,
			headline: j.headline?.text,
			plan: `${runs} × ${j.requestedSteps ?? j.steps}${j.notes?.some((n) => n.startsWith('time budget')) ? ' (budget)' : ''}`,
		};
	} catch {
		const last = (r.stderr || '').trim().split('\n').slice(-1)[0] ?? '';
		return { seconds, ok: false, capped: /timeout|did not finish|stopped/.test(last), error: last };
	}
}

/** The build of `ref` in a temp folder (git archive + this checkout's node_modules); its cli.js. */
function beforeBuild(ref: string): string {
	const dir = path.join(os.tmpdir(), `lrscope-bench-before-${ref}`);
	const cli = path.join(dir, 'dist', 'cli.js');
	if (!fs.existsSync(cli)) {
		fs.mkdirSync(dir, { recursive: true });
		const tar = execFileSync('git', ['archive', ref], { cwd: root, maxBuffer: 512 * 1024 * 1024 });
		execFileSync('tar', ['-x', '-C', dir], { input: tar });
		fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
		execFileSync(process.execPath, ['esbuild.mjs'], { cwd: dir, stdio: 'pipe' });
	}
	return cli;
}

function row(name: string, t: Timed, note: string): BenchRow {
	return {
		name,
		value: t.seconds,
		unit: 's',
		note: t.ok
			? `${t.backend}, ${t.plan}; ${t.headline}${note}`
			: `${t.capped ? 'capped' : 'failed'}: ${t.error}`,
	};
}

export async function run(): Promise<BenchSection> {
	const only = (process.env.LRSCOPE_BENCH_ONLY ?? '').split(',').filter(Boolean);
	const withBefore = process.env.LRSCOPE_BENCH_BEFORE !== '0';
	const cap = Number(process.env.LRSCOPE_BENCH_CAP || 150);
	const after = path.join(root, 'dist', 'cli.js');
	const before = withBefore ? beforeBuild(process.env.LRSCOPE_BENCH_BEFORE_REF || '2279434') : '';
	const rows: BenchRow[] = [];
	const notes: string[] = [`projects in ${projectsCacheDir()}; before-runs capped at ${cap} s`];
	for (const w of workloads.filter((x) => only.length === 0 || only.includes(x.name))) {
		const key = w.deps === node4 ? 'tfjs-node-4.22.0' : 'tfjs-3.21.0-node-3.21.1';
		const project = tfjsProject(key, w.deps);
		if ('skip' in project) {
			notes.push(`${w.name}: skipped (${project.skip})`);
			continue;
		}
		const dir = setUp(w, project.dir);
		try {
			process.stderr.write(`realScripts: ${w.name} (after)\n`);
			const a = timeRangeTest(after, dir, w.entry, 600);
			rows.push(row(`${w.name} after`, a, ''));
			if (withBefore) {
				process.stderr.write(`realScripts: ${w.name} (before)\n`);
				const b = timeRangeTest(before, dir, w.entry, cap);
				const r = row(`${w.name} before`, b, '');
				if (a.ok && b.ok) {
					r.ratio = b.seconds / a.seconds;
					r.baseline = `${w.name} after`;
				}
				rows.push(r);
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
	return { title: 'Default range test on tfjs-examples-style scripts (wall s)', rows, notes };
}
