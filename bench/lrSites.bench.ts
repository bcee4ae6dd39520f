/**
 * Editor suggestions per keystroke: the time to compute the CodeLens and diagnostics data for a
 * generated 5,000-line tfjs script (parse + LR-site finder + advice against a range test), as a ratio
 * to a bare `ts.createSourceFile` parse of the same text — the floor any parser-based finder pays.
 * Also the cost of a cache hit (same document version: no parse at all) and of loading the lazy
 * `dist/lrSites.js` bundle when it is built.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import * as lrSitesSource from '../src/core/lrSites';
import { debiasedEma } from '../src/core/smoothing';
import { suggest } from '../src/core/headline';
import type { LoadedRangeTest } from '../src/core/types';
import { adviseDiagnostics, adviseLenses } from '../src/extension/editor/advice';
import type { SiteEvidence } from '../src/extension/editor/advice';
import type { BenchRow, BenchSection } from './types';

/** A realistic training-script body repeated: imports, helpers, optimizers, compile, fit. */
export function generateScript(lines: number): string {
	const out = [
		"import * as tf from '@tensorflow/tfjs';",
		'const { train } = tf;',
		'const BASE_LR = 1e-3;',
		'',
	];
	const kinds = ['adam', 'sgd', 'rmsprop', 'adamax', 'adagrad'];
	for (let i = 0; out.length < lines; i++) {
		const k = kinds[i % kinds.length];
		out.push(
			`/** Experiment ${i}. */`,
			`export async function experiment${i}(xs: tf.Tensor, ys: tf.Tensor, opts: { epochs?: number } = {}) {`,
			`\tconst model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [${4 + (i % 7)}], units: ${8 + (i % 5)}, activation: 'relu' }), tf.layers.dense({ units: 1 })] });`,
			`\tconst lr = ${i % 3 === 0 ? 'BASE_LR' : `${(i % 9) + 1}e-${(i % 4) + 2}`};`,
			`\tconst optimizer = ${i % 2 ? `train.${k}(lr)` : `tf.train.${k}(${(i % 7) + 1}e-${(i % 3) + 2})`};`,
			`\tmodel.compile({ optimizer, loss: 'meanSquaredError', metrics: ['mse'] });`,
			`\tconst config = { learningRate: ${i % 5 === 0 ? 'opts.epochs ?? 0.01' : '0.05'}, warmup: ${i % 11} };`,
			'\tconst history = await model.fit(xs, ys, {',
			`\t\tepochs: opts.epochs ?? ${5 + (i % 10)},`,
			'\t\tbatchSize: 32,',
			`\t\tcallbacks: [tf.callbacks.earlyStopping({ patience: ${2 + (i % 3)} })],`,
			'\t});',
			'\tfor (const [k, v] of Object.entries(history.history)) { console.log(k, v.at(-1), config.warmup); }',
			'\treturn model;',
			'}',
			'',
		);
	}
	return out.slice(0, lines).join('\n');
}

function rangeTest(): LoadedRangeTest {
	const lrs = Array.from({ length: 100 }, (_x, i) => 1e-7 * Math.pow(1e8, i / 99));
	const losses = lrs.map(
		(lr) => 2 - 1.5 / (1 + Math.exp(-(Math.log10(lr) + 3) * 3)) + (lr > 0.05 ? lr * 20 : 0),
	);
	const smoothed = debiasedEma(losses, 0.98);
	return {
		lrs,
		losses,
		smoothed,
		beta: 0.98,
		stopReason: 'completed',
		steps: 100,
		ramp: 'exp',
		startLr: 1e-7,
		endLr: 10,
		report: suggest(lrs, smoothed, 100),
		lossMode: 'train',
		batchSize: 32,
		seed: 42,
		backend: {
			name: 'cpu',
			origin: 'bundled',
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'bench',
		},
		seconds: 1,
		model: { name: 'bench', params: 1, optimizer: 'adam', loss: 'mse' },
		notes: [],
	};
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of `n` runs after `warm` warm-up runs. */
function timeMs(n: number, warm: number, f: () => unknown): number {
	for (let i = 0; i < warm; i++) {
		f();
	}
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const t0 = process.hrtime.bigint();
		f();
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
	}
	return median(times);
}

/** Runs the benchmark. */
export async function run(): Promise<BenchSection> {
	const text = generateScript(5000);
	// Measure what the editor runs: the built bundle (TypeScript inside, no tsx namespace getters).
	const bundle = join(__dirname, '..', 'dist', 'lrSites.js');
	const notes = [
		'Medians after 5 warm-ups, same process. Per keystroke the editor pays the full row for the edited document only (cached per version; debounced 250 ms for diagnostics).',
	];
	let loadMs: number | undefined;
	let finder: typeof lrSitesSource = lrSitesSource;
	if (existsSync(bundle)) {
		const t0 = process.hrtime.bigint();
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- the extension loads it the same way
		finder = require(bundle) as typeof lrSitesSource;
		loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
		notes.push('Finder: dist/lrSites.js (as in the extension).');
	} else {
		notes.push(
			'dist/lrSites.js not built (run `node esbuild.mjs`): measured the source through tsx, whose namespace getters make it ~1.5x slower.',
		);
	}
	const { findLrSites } = finder;
	const applied = {
		id: 'b',
		label: 'bench',
		rangeTest: rangeTest(),
		via: 'script' as const,
		source: 'range test of bench.ts · adam · just now',
		sourceAt: 'range test of bench.ts · adam · 12:00',
	};
	const evidence = (): SiteEvidence => ({ kind: 'applies', applied });
	let sites = 0;
	let diags = 0;
	let lenses = 0;
	const parseOnly = (): unknown =>
		ts.createSourceFile('bench.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
	const compute = (): void => {
		const report = findLrSites(text, 'bench.ts');
		sites = report.sites.length;
		diags = adviseDiagnostics(report, evidence, undefined).length;
		lenses = adviseLenses(report, evidence, undefined).length;
	};
	// Interleaved pairs, so load from other processes on a shared machine hits both sides alike;
	// the ratio is the median of the per-pair ratios.
	const bareTimes: number[] = [];
	const fullTimes: number[] = [];
	const ratios: number[] = [];
	for (let i = 0; i < 26; i++) {
		const b = timeMs(1, 0, parseOnly);
		const f = timeMs(1, 0, compute);
		if (i >= 5) {
			bareTimes.push(b);
			fullTimes.push(f);
			ratios.push(f / b);
		}
	}
	const bare = median(bareTimes);
	const full = median(fullTimes);
	const report = findLrSites(text, 'bench.ts');
	// What a cache hit costs on a keystroke in another document: the providers' advice alone.
	const adviceOnly = timeMs(15, 5, () => {
		adviseDiagnostics(report, evidence, undefined);
		adviseLenses(report, evidence, undefined);
	});
	const rows: BenchRow[] = [
		{ name: 'bare ts.createSourceFile, 5,000 lines', value: bare, unit: 'ms' },
		{
			name: 'lenses + diagnostics data (parse + find + advise)',
			value: full,
			unit: 'ms',
			ratio: median(ratios),
			baseline: 'bare parse (median of 21 interleaved pairs)',
			note: `${sites} sites, ${report.fits.length} fit calls, ${lenses} lenses, ${diags} diagnostics`,
		},
		{
			name: 'advice only (cached sites, no parse)',
			value: adviceOnly,
			unit: 'ms',
			ratio: adviceOnly / bare,
			baseline: 'bare parse',
		},
	];
	if (loadMs !== undefined) {
		rows.push({
			name: 'first require of dist/lrSites.js (TypeScript bundled, once per session)',
			value: loadMs,
			unit: 'ms',
		});
	}
	return { title: 'Editor: LR sites per keystroke (5,000-line script)', rows, notes };
}
