/**
 * The LR-site finder (src/core/lrSites.ts) on varied real-looking code, and the vscode-free editor
 * logic built on it (advice: verdicts, lens texts; fixEdits: the quick fixes' edits).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { callbacksEdit, findLrSites } from '../../src/core/lrSites';
import type { LrSite, LrSiteReport, OffsetEdit } from '../../src/core/lrSites';
import { scheduleLrs } from '../../src/core/schedules/scheduleLr';
import { debiasedEma } from '../../src/core/smoothing';
import type { LoadedRangeTest } from '../../src/core/types';
import {
	adviseDiagnostics,
	adviseLenses,
	diagnosticCodes,
	judgeLr,
} from '../../src/extension/editor/advice';
import { offeredLrs, usefulRange } from '../../src/extension/editor/lrRange';
import type { EvidenceLookup } from '../../src/extension/editor/advice';
import { headlineOf, suggest } from '../../src/core/headline';
import { headlineText } from '../../src/core/present/headline';
import {
	estimateSteps,
	freeClassName,
	scheduleChoices,
	scheduleEdits,
	setLrEdit,
} from '../../src/extension/editor/fixEdits';

const root = join(__dirname, '..', '..');

/** The source text of a site's literal. */
function litText(src: string, s: LrSite): string | undefined {
	return s.literal && src.slice(s.literal.start, s.literal.end);
}

/** Applies non-overlapping offset edits (any order). */
function apply(src: string, edits: OffsetEdit[]): string {
	return [...edits]
		.sort((a, b) => b.start - a.start)
		.reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), src);
}

function only(r: LrSiteReport, kind: LrSite['kind'] = 'optimizer'): LrSite {
	const s = r.sites.filter((x) => x.kind === kind);
	assert.equal(s.length, 1, JSON.stringify(r.sites));
	return s[0];
}

describe('findLrSites: optimizer constructors and aliases', () => {
	test('the example script: tf.train.adam(0.01) via require, one fit without callbacks', () => {
		const src = readFileSync(join(root, 'examples/dense-classifier/train.js'), 'utf8');
		const r = findLrSites(src, 'train.js');
		const s = only(r);
		assert.equal(s.optimizer, 'adam');
		assert.equal(s.value, 0.01);
		assert.equal(litText(src, s), '0.01');
		assert.equal(s.line, 28);
		assert.equal(r.fits.length, 1);
		assert.equal(r.fits[0].method, 'fit');
		assert.equal(r.fits[0].hasCallbacks, false);
		assert.equal(r.fits[0].epochs, 20);
		assert.equal(r.fits[0].batchSize, 32);
		assert.equal(r.tfNamespace, 'tf');
		assert.equal(r.usesTfjs, true);
	});

	test('import * as tfx, tfjs-node require, import default — each namespace alias is followed', () => {
		const a = findLrSites(
			`import * as tfx from '@tensorflow/tfjs';\nconst o = tfx.train.sgd(0.1);`,
			'a.ts',
		);
		assert.deepEqual([only(a).optimizer, only(a).value, a.tfNamespace], ['sgd', 0.1, 'tfx']);
		const b = findLrSites(
			`const tfn = require('@tensorflow/tfjs-node');\nconst o = tfn.train.rmsprop(1e-3, 0.9);`,
			'b.cjs',
		);
		assert.deepEqual([only(b).optimizer, only(b).value, b.tfNamespace], ['rmsprop', 0.001, 'tfn']);
		const c = findLrSites(
			`import tf from '@tensorflow/tfjs-node-gpu';\ntf.train.adagrad(.05);`,
			'c.mjs',
		);
		assert.deepEqual([only(c).optimizer, only(c).value], ['adagrad', 0.05]);
		// Inline require without a binding.
		const d = findLrSites(`const o = require('@tensorflow/tfjs').train.adamax(2e-3);`, 'd.js');
		assert.deepEqual([only(d).optimizer, only(d).value], ['adamax', 0.002]);
	});

	test('destructured train, named imports (also renamed), and destructured optimizer functions', () => {
		const a = findLrSites(
			`const tf = require('@tensorflow/tfjs');\nconst { train } = tf;\nconst opt = train.momentum(0.05, 0.9);`,
			'a.js',
		);
		assert.deepEqual([only(a).optimizer, only(a).value], ['momentum', 0.05]);
		const b = findLrSites(
			`import { train as T, sequential } from '@tensorflow/tfjs';\nconst opt = T.adadelta(1.0);`,
			'b.ts',
		);
		assert.deepEqual([only(b).optimizer, only(b).value], ['adadelta', 1]);
		assert.equal(b.tfNamespace, undefined, 'named imports only: no namespace');
		assert.deepEqual(b.namedImport?.names, ['train', 'sequential']);
		const c = findLrSites(
			`const { train: { } , layers } = require('@tensorflow/tfjs');\nconst tf = require('@tensorflow/tfjs');\nconst { adam, sgd: plain } = tf.train;\nadam(3e-4); plain(0.2);`,
			'c.js',
		);
		assert.deepEqual(
			c.sites.map((s) => [s.optimizer, s.value]),
			[
				['adam', 3e-4],
				['sgd', 0.2],
			],
		);
		// `const { train } = require(...)` directly.
		const d = findLrSites(
			`const { train } = require('@tensorflow/tfjs-node');\ntrain.sgd(0.3);`,
			'd.js',
		);
		assert.equal(only(d).value, 0.3);
	});

	test('declaration order does not matter (aliases declared below their use)', () => {
		const r = findLrSites(
			`function make() { return T.adam(0.004); }\nconst T = tf.train;\nconst tf = require('@tensorflow/tfjs');`,
			'a.js',
		);
		assert.equal(only(r).value, 0.004);
	});

	test('number forms: 1e-3, .001, 0.1, 1_000e-6, 3E-4, parenthesised and `as number`', () => {
		const forms: [string, number][] = [
			['1e-3', 1e-3],
			['.001', 0.001],
			['0.1', 0.1],
			['1_000e-6', 0.001],
			['3E-4', 3e-4],
			['(0.02)', 0.02],
			['0.03 as number', 0.03],
		];
		for (const [text, value] of forms) {
			const src = `import * as tf from '@tensorflow/tfjs';\ntf.train.adam(${text});`;
			const s = only(findLrSites(src, 'a.ts'));
			assert.equal(s.value, value, text);
			assert.equal(Number(litText(src, s)!.replace(/_/g, '')), value, text);
		}
	});

	test('an identifier with a const literal initialiser is followed one level; the literal is the const', () => {
		const src = `const tf = require('@tensorflow/tfjs');\nconst LR = 3e-3;\nconst o = tf.train.adam(LR);`;
		const s = only(findLrSites(src, 'a.js'));
		assert.equal(s.value, 3e-3);
		assert.equal(litText(src, s), '3e-3');
		assert.equal(s.via?.name, 'LR');
		assert.equal(src.slice(s.via!.range.start, s.via!.range.end), 'LR');
	});

	test('computed values are left alone: value undefined and no literal', () => {
		const cases = [
			'args.lr',
			'lr * 2',
			'Math.pow(10, -3)',
			'base',
			'cfg["lr"]',
			'two',
			'-1e-3',
			'getLr()',
		];
		for (const expr of cases) {
			const src = `const tf = require('@tensorflow/tfjs');\nlet base = 0.1;\nconst two = other;\nconst two2 = 1;\ntf.train.sgd(${expr});`;
			const s = only(findLrSites(src, 'a.js'));
			assert.equal(s.value, undefined, expr);
			assert.equal(s.literal, undefined, expr);
			assert.equal(src.slice(s.expression!.start, s.expression!.end), expr);
		}
		// A name declared twice is ambiguous (shadowing): not followed.
		const twice = only(
			findLrSites(
				`const tf = require('@tensorflow/tfjs');\nconst lr = 0.1;\nfunction f() { const lr = 0.5; return tf.train.sgd(lr); }`,
				'a.js',
			),
		);
		assert.equal(twice.value, undefined);
	});

	test('missing LR argument: tfjs constructor defaults, or "needs a learning rate"', () => {
		const src = `const tf = require('@tensorflow/tfjs');\ntf.train.adam(); tf.train.adamax(); tf.train.adadelta(); tf.train.sgd();`;
		const r = findLrSites(src, 'a.js');
		assert.deepEqual(
			r.sites.map((s) => [s.optimizer, s.value, s.isDefault]),
			[
				['adam', 0.001, true],
				['adamax', 0.002, true],
				['adadelta', 0.001, true],
				['sgd', undefined, false],
			],
		);
		assert.match(r.sites[3].note!, /needs a learning rate/);
		// The LR can be inserted right after `(`.
		assert.equal(src[r.sites[0].argumentInsertAt! - 1], '(');
	});

	test('non-tfjs look-alikes are not sites', () => {
		const r = findLrSites(
			`import * as tf from '@tensorflow/tfjs';\nconst x = other.train.adam(0.1);\nconst y = tf.train.notAnOptimizer(0.1);\nscaler.fit(data);`,
			'a.ts',
		);
		assert.deepEqual(r.sites, []);
		assert.deepEqual(r.fits, []);
	});
});

describe('findLrSites: learningRate properties, string optimizers, fit calls', () => {
	test('learningRate properties: literal, shorthand const, computed; sibling optimizer names the kind', () => {
		const src = `const learningRate = 0.02;\nconst a = { optimizer: 'sgd', learningRate: 0.5 };\nconst b = { learningRate };\nconst c = { 'learningRate': opts.lr };`;
		const r = findLrSites(src, 'cfg.ts');
		const props = r.sites.filter((s) => s.kind === 'learningRateProperty');
		assert.deepEqual(
			props.map((s) => [s.optimizer, s.value, litText(src, s)]),
			[
				['sgd', 0.5, '0.5'],
				[undefined, 0.02, '0.02'],
				[undefined, undefined, undefined],
			],
		);
	});

	test("string optimizers in compile: tfjs's compile() defaults (which differ from the constructors')", () => {
		const src = `import * as tf from '@tensorflow/tfjs';\nm1.compile({ optimizer: 'sgd', loss: 'mse' });\nm2.compile({ loss: 'mse', optimizer: "Adadelta" });\nm3.compile({ optimizer: 'RMSProp' });\nm4.compile({ optimizer: 'lamb' });`;
		const r = findLrSites(src, 'a.ts');
		assert.deepEqual(
			r.sites.map((s) => [s.kind, s.optimizer, s.value, litText(src, s)]),
			[
				['stringOptimizer', 'sgd', 0.01, "'sgd'"],
				['stringOptimizer', 'adadelta', 1, '"Adadelta"'],
				['stringOptimizer', 'rmsprop', 0.001, "'RMSProp'"],
			],
		);
		assert.ok(r.sites.every((s) => s.isDefault && /compile\(\) default/.test(s.note!)));
	});

	test('fit and fitDataset: options, callbacks, epochs; the statement and its indentation', () => {
		const src = [
			"const tf = require('@tensorflow/tfjs');",
			'async function main() {',
			'\tconst h = await model.fit(xs, ys, { epochs: 3, callbacks: [early] });',
			'\tawait model.fitDataset(ds, {',
			'\t\tepochs: 2,',
			'\t});',
			'\tawait model.fit(xs, ys);',
			'\tawait model.fit(xs, ys, opts);',
			'}',
		].join('\n');
		const r = findLrSites(src, 'a.js');
		assert.deepEqual(
			r.fits.map((f) => [f.method, f.line, f.hasCallbacks, f.callbacks.kind, f.epochs]),
			[
				['fit', 3, true, 'array', 3],
				['fitDataset', 4, false, 'property', 2],
				['fit', 7, false, 'argument', undefined],
				['fit', 8, false, 'options', undefined],
			],
		);
		assert.equal(r.fits[0].statementIndent, '\t');
		assert.equal(
			src.slice(r.fits[0].statementLineStart).split('\n')[0],
			'\tconst h = await model.fit(xs, ys, { epochs: 3, callbacks: [early] });',
		);
		assert.equal(src.slice(r.fits[1].nameRange.start, r.fits[1].nameRange.end), 'fitDataset');
	});

	test('callbacksEdit keeps what is there and yields valid code for every shape', () => {
		const cases: [string, string][] = [
			[
				'm.fit(x, y, { epochs: 1, callbacks: [a] });',
				'm.fit(x, y, { epochs: 1, callbacks: [a, new S()] });',
			],
			['m.fit(x, y, { callbacks: [] });', 'm.fit(x, y, { callbacks: [new S()] });'],
			['m.fit(x, y, { callbacks: cb });', 'm.fit(x, y, { callbacks: [...[cb].flat(), new S()] });'],
			[
				'm.fit(x, y, { callbacks });',
				'm.fit(x, y, { callbacks: [...[callbacks].flat(), new S()] });',
			],
			['m.fit(x, y, { epochs: 1 });', 'm.fit(x, y, { epochs: 1, callbacks: [new S()] });'],
			['m.fit(x, y, {});', 'm.fit(x, y, { callbacks: [new S()] });'],
			[
				'm.fit(x, y, {\n\tepochs: 1,\n});',
				'm.fit(x, y, {\n\tepochs: 1,\n\tcallbacks: [new S()],\n});',
			],
			[
				'm.fit(x, y, {\n\tepochs: 1\n});',
				'm.fit(x, y, {\n\tepochs: 1,\n\tcallbacks: [new S()]\n});',
			],
			['m.fit(x, y);', 'm.fit(x, y, { callbacks: [new S()] });'],
			[
				'm.fitDataset(ds, opts);',
				'm.fitDataset(ds, { ...opts, callbacks: [...[opts.callbacks ?? []].flat(), new S()] });',
			],
		];
		for (const [before, after] of cases) {
			const r = findLrSites(before, 'a.js');
			assert.equal(r.fits.length, 1, before);
			const out = apply(before, [callbacksEdit(r.fits[0], 'new S()', before)]);
			assert.equal(out, after);
			assert.equal(findLrSites(out, 'a.js').parseErrors, 0, out);
			assert.equal(findLrSites(out, 'a.js').fits[0].hasCallbacks, true, out);
		}
	});

	test('JSX and TSX files parse; sites inside components and handlers are found', () => {
		const tsx = [
			"import * as tf from '@tensorflow/tfjs';",
			"import React from 'react';",
			'const LR: number = 0.003;',
			'export function Trainer(props: { model: tf.LayersModel }) {',
			'\tconst onClick = async () => {',
			'\t\tprops.model.compile({ optimizer: tf.train.adam(LR), loss: "mse" });',
			'\t\tawait props.model.fit(xs, ys, { epochs: 2 });',
			'\t};',
			'\treturn <button onClick={onClick} title={`lr ${LR}`}>Train <b>now</b></button>;',
			'}',
		].join('\n');
		const r = findLrSites(tsx, 'Trainer.tsx');
		assert.equal(r.parseErrors, 0);
		assert.deepEqual([only(r).value, only(r).via?.name, r.fits.length], [0.003, 'LR', 1]);
		const jsx =
			"const tf = require('@tensorflow/tfjs');\nconst App = () => <Chart opt={tf.train.sgd(.2)} />;";
		const j = findLrSites(jsx, 'App.jsx');
		assert.deepEqual([j.parseErrors, only(j).value], [0, 0.2]);
		// JSX in a .js file (React projects) parses too.
		assert.equal(only(findLrSites(jsx, 'App.js')).value, 0.2);
		// The same TSX code as .ts would be a parse error; the finder still reports what it can.
		assert.ok(findLrSites(tsx, 'Trainer.ts').parseErrors > 0);
	});

	test('broken code: the parser recovers and the sites before and after the error are found', () => {
		const r = findLrSites(
			`const tf = require('@tensorflow/tfjs');\ntf.train.adam(0.1);\nconst broken = (1 + ;\nif (x {\n}\ntf.train.sgd(0.2);`,
			'a.js',
		);
		assert.ok(r.parseErrors > 0);
		assert.deepEqual(
			r.sites.map((s) => s.value),
			[0.1, 0.2],
		);
	});
});

/** A synthetic range test: flat until 1e-4, falls until ~1e-2, then blows up past 3e-2. */
function syntheticResult(): LoadedRangeTest {
	const n = 100;
	const lrs = Array.from({ length: n }, (_x, i) => 1e-6 * Math.pow(1e6, i / (n - 1)));
	const losses = lrs.map((lr) => {
		const l = Math.log10(lr);
		const fall = 1 / (1 + Math.exp(-(l + 3) * 3)); // 0 → 1 around 1e-3
		const blow = lr > 1e-2 ? Math.pow(lr / 1e-2, 3) - 1 : 0;
		return 2.3 - 2 * fall + blow;
	});
	const cut = lrs.findIndex((lr) => lr > 0.06);
	const raw = losses.slice(0, cut);
	const smoothed = debiasedEma(raw, 0.98);
	const lrsCut = lrs.slice(0, cut);
	return {
		lrs: lrsCut,
		losses: raw,
		smoothed,
		beta: 0.98,
		stopReason: 'diverged',
		steps: n,
		ramp: 'exp',
		startLr: 1e-6,
		endLr: 1,
		report: suggest(lrsCut, smoothed, n),
		lossMode: 'train',
		batchSize: 32,
		seed: 42,
		backend: {
			name: 'cpu',
			origin: 'bundled',
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'test',
		},
		seconds: 1,
		model: { name: 'm', params: 1, optimizer: 'adam', loss: 'mse' },
		notes: [],
	};
}

describe('advice and fixes on the sites', () => {
	const r = syntheticResult();
	const range = usefulRange(r)!;

	test('useful range and verdicts: above divergence / above the range that trains → warning; far below → information', () => {
		assert.ok(range.low > 1e-5 && range.low < 1e-3, `low ${range.low}`);
		assert.ok(range.high > 1e-3 && range.high < 3e-2, `high ${range.high}`);
		assert.equal(range.divergence, r.lrs.at(-1));
		assert.equal(judgeLr(0.1, r)?.code, diagnosticCodes.lrTooHigh);
		assert.match(judgeLr(0.1, r)!.why, /above where the range test diverged/);
		assert.match(judgeLr(range.high * 1.5, r)!.why, /above the range that trains/);
		assert.equal(judgeLr(range.high * 0.5, r), undefined);
		assert.deepEqual(
			[judgeLr(range.low / 20, r)?.code, judgeLr(range.low / 20, r)?.severity],
			[diagnosticCodes.lrTooLow, 'information'],
		);
		assert.equal(judgeLr(range.low / 5, r), undefined);
	});

	test('diagnostics land on the literal (through a const too), once per literal; lens texts', () => {
		const src = `const tf = require('@tensorflow/tfjs');\nconst LR = 0.5;\nconst a = tf.train.adam(LR);\nconst b = tf.train.sgd(LR);\nconst c = tf.train.sgd(${range.high / 2});\nmodel.fit(x, y, { epochs: 4 });`;
		const rep = findLrSites(src, 'a.js');
		const applied = {
			id: 'r1',
			label: 'train.js',
			rangeTest: r,
			via: 'script' as const,
			source: 'range test of a.js · adam · 5 min ago',
			sourceAt: 'range test of a.js · adam · 12:00',
		};
		const seen: (string | undefined)[] = [];
		// The result applies to adam sites only (an Adam test never judges SGD literals).
		const evidence: EvidenceLookup = (opt) => {
			seen.push(opt);
			return opt === 'adam'
				? { kind: 'applies', applied }
				: opt === 'sgd'
					? { kind: 'otherOptimizer', tested: 'adam', site: 'sgd' }
					: { kind: 'none' };
		};
		const diags = adviseDiagnostics(rep, evidence, undefined);
		assert.equal(diags.length, 1);
		assert.equal(src.slice(diags[0].start, diags[0].end), '0.5');
		const h = headlineOf(r);
		assert.equal(h.verdict, 'clear');
		assert.equal(
			diags[0].message.replace(/\(.+?\)/, '(…)').replace(/~\S+ to \S+;/, '~… to …;'),
			`LR 0.5 is above where the range test diverged (…); it trains from ~… to …; suggested ${headlineText(h)} (from range test of a.js · adam · 12:00).`,
		);
		assert.ok(seen.includes('sgd') && seen.includes('adam'), JSON.stringify(seen));
		const lenses = adviseLenses(rep, evidence, undefined);
		const best = offeredLrs(r)[0];
		assert.equal(best.name, 'headline');
		assert.equal(best.text, headlineText(h));
		assert.deepEqual(
			lenses.map((l) => l.title),
			[
				'▶ LR range test',
				`suggested ${headlineText(h)} · from range test of a.js · adam · 5 min ago`,
				'▶ LR range test for this script (the last one trained adam, not sgd)',
				'▶ LR range test for this script (the last one trained adam, not sgd)',
			],
		);
		// Nothing applies: no verdict, no suggestion, only the offer to run a test of this script.
		const none: EvidenceLookup = () => ({ kind: 'none' });
		assert.deepEqual(adviseDiagnostics(rep, none, undefined), []);
		assert.deepEqual(
			adviseLenses(rep, none, undefined).map((l) => l.title),
			['▶ LR range test', ...Array(3).fill('▶ LR range test for this script')],
		);
		// A run that diverged marks the fit line and adds a lens.
		const run = {
			id: 'run1',
			status: 'finished' as const,
			findings: [
				{
					kind: 'divergence' as const,
					series: 'loss',
					step: 412,
					unit: 'step' as const,
					severity: 'error' as const,
					message: 'loss diverged.',
					action: 'Lower the LR.',
				},
			],
		};
		const withRun = adviseDiagnostics(rep, none, run);
		assert.deepEqual(
			[withRun[0].code, src.slice(withRun[0].start, withRun[0].end)],
			[diagnosticCodes.runDiverged, 'fit'],
		);
		assert.ok(
			adviseLenses(rep, none, run).some((l) => l.title === 'last run: diverged at step 412 — show'),
		);
	});

	test('set-LR edits: literal, const, missing argument, string optimizer', () => {
		const src = `const tf = require('@tensorflow/tfjs');\nconst LR = 0.5;\ntf.train.adam(LR);\ntf.train.sgd();\nm.compile({ optimizer: 'sgd' });`;
		const rep = findLrSites(src, 'a.js');
		const out = apply(
			src,
			rep.sites.map((s) => setLrEdit(s, 0.0031234, rep)!),
		);
		assert.equal(
			out,
			// core/present lrLiteral: the digits the lens and the quick-fix title show.
			`const tf = require('@tensorflow/tfjs');\nconst LR = 3.1e-3;\ntf.train.adam(LR);\ntf.train.sgd(3.1e-3);\nm.compile({ optimizer: tf.train.sgd(3.1e-3) });`,
		);
	});

	test('schedule insertion: class above the fit statement, instance in callbacks, runs with a stand-in tf', async () => {
		const src = readFileSync(join(root, 'examples/dense-classifier/train.js'), 'utf8');
		const rep = findLrSites(src, 'train.js');
		const { steps, how } = estimateSteps(rep.fits[0], undefined);
		assert.deepEqual([steps, how], [2000, '20 epochs × 100 batches (assumed)']);
		const choices = scheduleChoices(r, steps);
		assert.deepEqual(choices.map((c) => c.label).sort(), ['cosine', 'one-cycle', 'step']);
		assert.equal(choices.filter((c) => c.recommended).length, 1);
		// Every schedule peaks at the headline LR (or says why not), the same number as the lens.
		const h = headlineOf(r);
		for (const c of choices) {
			const peak = Math.max(...scheduleLrs(c.spec, steps));
			if (c.peak === h.lr) {
				assert.equal(c.peakText, headlineText(h));
			} else {
				assert.ok(c.peak < h.lr!, c.peakText);
				assert.match(c.peakText, /capped at 1\/10 of where the range test diverged/);
			}
			assert.ok(Math.abs(peak - c.peak) <= 1e-9 * c.peak, `${c.label}: ${peak} vs ${c.peak}`);
		}
		for (const c of choices) {
			const out = apply(
				src,
				scheduleEdits({ callbacksEdit }, rep, rep.fits[0], c.spec, 'adam', src, `${steps} steps`),
			);
			const after = findLrSites(out, 'train.js');
			assert.equal(after.parseErrors, 0);
			assert.equal(after.fits[0].hasCallbacks, true);
			assert.match(
				out,
				/\n\t\/\/ LR Scope: sized for 2000 steps\.\n\t\/\/ LR Scope: .*\n[\s\S]*\tclass LrScopeSchedule extends tf\.Callback \{[\s\S]*\n\tconst history = await model\.fit\(x, y, \{ epochs: 20, batchSize: 32, validationSplit: 0\.2, verbose: 0, callbacks: \[new LrScopeSchedule\(\)\] \}\);/,
			);
			// The class body really sets the LR per batch (a stand-in model/optimizer records it).
			const cls = /(class LrScopeSchedule[\s\S]*?\n\t\}\n)/.exec(out)![1];
			const ctx = vm.createContext({ tf: { Callback: class {} }, Math });
			const seen = vm.runInContext(
				`${cls.replace(/^\t/gm, '')}; (async () => { const s = new LrScopeSchedule(); s.model = { optimizer: {} }; const lrs = []; for (let i = 0; i < 5; i++) { await s.onBatchBegin(i, {}); lrs.push(s.model.optimizer.learningRate); } return lrs; })()`,
				ctx,
			) as Promise<number[]>;
			const lrs = await seen;
			assert.equal(lrs.length, 5);
			assert.ok(
				lrs.every((x) => x > 0 && Number.isFinite(x)),
				`${c.label}: ${String(lrs)}`,
			);
			// Each schedule changes the LR over steps (one-cycle and cosine warmup rise, step holds then drops).
			assert.equal(new Set(lrs).size > 1 || c.label === 'step', true, `${c.label}: ${String(lrs)}`);
		}
	});

	test('schedule insertion uses the namespace alias, or adds Callback to the named import', () => {
		const spec = scheduleChoices(r, 100)[0].spec;
		const a = `import * as tfx from '@tensorflow/tfjs';\nawait m.fit(x, y, { epochs: 1 });`;
		const ra = findLrSites(a, 'a.ts');
		assert.match(
			apply(a, scheduleEdits({ callbacksEdit }, ra, ra.fits[0], spec, 'sgd', a, '100 steps')),
			/extends tfx\.Callback[\s\S]*setLearningRate/,
		);
		const b = `import { sequential, train } from '@tensorflow/tfjs';\nawait m.fit(x, y, { epochs: 1 });`;
		const rb = findLrSites(b, 'b.ts');
		const outB = apply(
			b,
			scheduleEdits({ callbacksEdit }, rb, rb.fits[0], spec, 'adam', b, '100 steps'),
		);
		assert.match(outB, /^import \{ sequential, train, Callback \} from '@tensorflow\/tfjs';/);
		assert.match(outB, /class LrScopeSchedule extends Callback \{/);
		assert.equal(
			freeClassName('class LrScopeSchedule {}\nclass LrScopeSchedule2 {}'),
			'LrScopeSchedule3',
		);
	});
});
