/**
 * The range-test SVG (core/present/curveSvg.ts): curves, the headline marker, the rule markers and
 * consensus (all on the curve at their LR), log ticks, stop reason, verdict, escaping, clamping of a
 * diverging tail, sizes; and the HTML/CSV reports built on it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rangeTestCsv } from '../../src/core/present/csv';
import { curveYRange, renderCurveSvg } from '../../src/core/present/curveSvg';
import { darkSvgTheme, escapeXml } from '../../src/core/present/svgTheme';
import { headlineOf, suggest } from '../../src/core/headline';
import { formatLr } from '../../src/core/present/format';
import { renderReportHtml } from '../../src/core/present/reportHtml';
import { linearTicks, logTicks } from '../../src/core/present/ticks';
import type { LoadedRangeTest } from '../../src/core/types';
import { sampleRangeTest } from '../webview/sampleResults';
import { writeReport } from '../../src/host/report';

/**
 * A 60-step exp ramp 1e-5 → 1 (of 100 requested) whose loss falls, bottoms out near 3e-2 and
 * diverges. Its report is the real one: valley 1.1e-3, slide 7e-5, minimum 3e-3, steep 9.2e-3, the
 * consensus and the headline (valley–minimum) both 1.8e-3.
 */
function sample(over: Partial<LoadedRangeTest> = {}): LoadedRangeTest {
	const n = 60;
	const lrs = Array.from({ length: n }, (_v, i) => 1e-5 * 10 ** ((5 * i) / (n - 1)));
	const losses: (number | null)[] = lrs.map((lr) => {
		const x = Math.log10(lr) + 2; // 0 at 1e-2
		return 1 + 0.5 * Math.tanh(-x) + (x > 0.5 ? 40 * (x - 0.5) ** 2 : 0);
	});
	losses[57] = null;
	const smoothed = losses.map((v) => (v === null ? null : v * 1.01));
	return {
		lrs,
		losses,
		smoothed,
		beta: 0.98,
		stopReason: 'diverged',
		steps: 100,
		ramp: 'exp',
		startLr: 1e-5,
		endLr: 1,
		report: suggest(lrs, smoothed, 100),
		lossMode: 'train',
		batchSize: 32,
		seed: 42,
		backend: {
			name: 'cpu',
			origin: 'bundled',
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'test <fixture>',
		},
		seconds: 1.25,
		model: {
			name: 'net<script>alert("x")</script>',
			params: 1234,
			optimizer: 'adam',
			loss: 'categoricalCrossentropy',
		},
		notes: ["column 'a&b' one-hot encoded"],
		...over,
	};
}

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe('renderCurveSvg', () => {
	it('draws raw and smoothed paths, broken at the null loss', () => {
		const svg = renderCurveSvg(sample(), { width: 800, height: 400 });
		assert.ok(
			svg.startsWith(
				'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400"',
			),
		);
		assert.ok(svg.trimEnd().endsWith('</svg>'));
		const raw = /class="curve-raw" d="([^"]+)"/.exec(svg)?.[1] ?? '';
		const sm = /class="curve-smoothed" d="([^"]+)"/.exec(svg)?.[1] ?? '';
		// 59 finite points; the null at index 57 starts a second sub-path (two M commands).
		assert.equal(count(raw, /[ML]/g), 59);
		assert.equal(count(raw, /M/g), 2);
		assert.equal(count(sm, /M/g), 2);
		// Every coordinate lies inside the plot: the diverging tail is clamped, not drawn off-canvas.
		for (const [, x, y] of raw.matchAll(/[ML]([\d.]+),([\d.]+)/g)) {
			assert.ok(
				Number(x) >= 56 && Number(x) <= 784 && Number(y) >= 34 && Number(y) <= 342,
				`${x},${y}`,
			);
		}
	});

	it('has the headline, the other rules and the consensus at their LRs', () => {
		const r = sample();
		const svg = renderCurveSvg(r, { width: 800, height: 400 });
		// The headline (valley–minimum) is none of the four rules, so all four are drawn beside it.
		assert.equal(headlineOf(r).rule, 'valleyMinimum');
		for (const name of ['headline', 'valley', 'slide', 'minimum', 'steep', 'consensus']) {
			assert.equal(count(svg, new RegExp(`data-suggestion="${name}"`, 'g')), 1, name);
		}
		// Marker x positions follow log10(lr): plot x from 56 to 784 over 1e-5..1.
		const xOf = (name: string): number =>
			Number(new RegExp(`data-suggestion="${name}"[^>]*>\\s*<line x1="([\\d.]+)"`).exec(svg)?.[1]);
		const expected = (lr: number): number => 56 + ((Math.log10(lr) + 5) / 5) * 728;
		const { valley, minimum } = r.report.suggestions;
		assert.ok(Math.abs(xOf('headline') - expected(Math.sqrt(valley!.lr * minimum!.lr))) < 0.2);
		assert.ok(Math.abs(xOf('valley') - expected(valley!.lr)) < 0.2);
		assert.ok(Math.abs(xOf('consensus') - expected(r.report.consensus!.lr)) < 0.2);
		// The headline sits halfway (in log LR) between the valley and the minimum.
		assert.ok(Math.abs(xOf('headline') - (xOf('valley') + xOf('minimum')) / 2) < 0.2);
		assert.ok(
			xOf('slide') < xOf('valley') &&
				xOf('valley') < xOf('headline') &&
				xOf('headline') < xOf('minimum') &&
				xOf('minimum') < xOf('steep'),
		);
		assert.match(svg, /font-weight="bold"[^>]*>suggested 1\.8e-3 \(valley–minimum\)</);
		assert.match(svg, />valley 1\.1e-3</);
		assert.match(svg, />minimum 3e-3</);
		assert.match(svg, />consensus 1\.8e-3</);
		assert.match(svg, /stopped: the smoothed loss diverged · 60\/100 steps/);
		assert.match(svg, /aria-label="[^"]*suggested 1\.8e-3 \(valley–minimum\)"/);
	});

	it('puts every marker’s dot on the drawn smoothed curve, at the column of its LR', () => {
		const r = sample();
		// `minimum` is lrs[index]/10: its dot must sit at 3e-3 on the curve, not at lrs[41].
		const svg = renderCurveSvg(r, { width: 800, height: 400 });
		const sm = /class="curve-smoothed" d="([^"]+)"/.exec(svg)?.[1] ?? '';
		const poly = [...sm.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [
			Number(m[1]),
			Number(m[2]),
		]);
		const yOnCurve = (x: number): number => {
			for (let i = 0; i + 1 < poly.length; i++) {
				const [x0, y0] = poly[i];
				const [x1, y1] = poly[i + 1];
				if (x0 <= x && x <= x1) {
					return y0 + ((x - x0) / (x1 - x0 || 1)) * (y1 - y0);
				}
			}
			return NaN;
		};
		const expectedX = (lr: number): number => 56 + ((Math.log10(lr) + 5) / 5) * 728;
		const dots = [
			...svg.matchAll(
				/data-suggestion="(\w+)" data-lr="([^"]+)">\s*<line[^>]*>\s*<circle class="on-curve" cx="([\d.]+)" cy="([\d.]+)"/g,
			),
		];
		assert.deepEqual(dots.map((d) => d[1]).sort(), [
			'consensus',
			'headline',
			'minimum',
			'slide',
			'steep',
			'valley',
		]);
		for (const [, name, lr, cx, cy] of dots) {
			assert.ok(Math.abs(Number(cx) - expectedX(Number(lr))) < 0.15, `${name} x ${cx}`);
			// Coordinates are rounded to 0.1 px, so the dot lies within 0.2 px of the polyline.
			assert.ok(
				Math.abs(Number(cy) - yOnCurve(Number(cx))) < 0.2,
				`${name} y ${cy} vs ${yOnCurve(Number(cx))}`,
			);
		}
	});

	it('shows the verdict when the curve has no clear valley', () => {
		// A trained model: the loss is flat around 0.4 up to ~3e-2, then diverges.
		const r = sampleRangeTest({ shape: 'flat' });
		assert.equal(headlineOf(r).verdict, 'noClearValley');
		const svg = renderCurveSvg(r, { width: 800, height: 400 });
		assert.match(
			svg,
			/class="verdict"[^>]*>no clear valley: the loss is flat up to 0\.045 and rises after; LRs up to ~4\.5e-3 are stable</,
		);
		assert.match(svg, /suggested 4\.5e-3 \(no clear valley\)/);
		const html = renderReportHtml(r);
		assert.match(html, /<p class="verdict">no clear valley: /);
		assert.match(html, /<strong class="headline">[\d.e-]+ \(no clear valley\)<\/strong>/);
		const csv = rangeTestCsv(r).trim().split('\n');
		const row = csv.find((l) => l.includes('no clear valley'));
		assert.match(
			row ?? '',
			/^\d+,[\d.e-]+,[\d.e-]*,[\d.e-]*,0\.98,[\d.e-]+ \(no clear valley\),no clear valley: /,
		);
	});

	it('omits missing suggestions and the consensus when there is none', () => {
		// 20 steps leave 13 after fastai's trim: too few for slide (16), enough for the other three.
		const short = sampleRangeTest({ steps: 20 });
		assert.equal(short.report.suggestions.slide, null);
		const svg = renderCurveSvg(short, { width: 600, height: 300 });
		assert.equal(count(svg, /data-suggestion="slide"/g), 0);
		const drawn = [...svg.matchAll(/data-suggestion="(\w+)"/g)].map((m) => m[1]);
		const h = headlineOf(short);
		// The three rules that answered (less the one the headline stands for), the consensus (unless the
		// headline is it), the headline.
		assert.deepEqual(drawn, [
			...(['valley', 'minimum', 'steep'] as const).filter((n) => n !== h.rule),
			...(h.rule === 'consensus' ? [] : ['consensus']),
			'headline',
		]);
		assert.equal(count(svg, /class="marker headline"/g), 1);
		// No finite loss: no rule, no consensus, no marker.
		const none = sample({
			losses: sample().losses.map(() => null),
			smoothed: sample().smoothed.map(() => null),
		});
		none.report = suggest(none.lrs, none.smoothed, none.steps);
		assert.equal(none.report.consensus, null);
		const noneSvg = renderCurveSvg(none, { width: 600, height: 300 });
		assert.equal(count(noneSvg, /data-suggestion=/g), 0);
		assert.match(noneSvg, /suggested no suggestion/);
	});

	it('puts log ticks on every decade with readable labels', () => {
		const svg = renderCurveSvg(sample(), { width: 800, height: 400 });
		const ticks = [...svg.matchAll(/class="x-tick" data-lr="([^"]+)"/g)].map((m) => Number(m[1]));
		assert.deepEqual(ticks, [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1]);
		const labels = [...svg.matchAll(/class="x-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
		assert.deepEqual(labels, ['1e-5', '1e-4', '1e-3', '0.01', '0.1', '1']);
		assert.ok(count(svg, /class="y-tick"/g) >= 3);
	});

	it('escapes model names, notes and reasons', () => {
		const svg = renderCurveSvg(sample(), { width: 800, height: 400 });
		assert.ok(!svg.includes('<script>'));
		assert.match(svg, /net&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
		assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&#39;');
	});

	it('is size-parameterised; small sizes are compact (no title or legend) and themeable', () => {
		const svg = renderCurveSvg(sample(), { width: 200, height: 80, theme: darkSvgTheme });
		assert.match(svg, /width="200" height="80" viewBox="0 0 200 80"/);
		assert.ok(!svg.includes('class="title"') && !svg.includes('class="legend"'));
		assert.match(svg, /fill="#1e1e1e"/);
		assert.equal(count(svg, /data-suggestion=/g), 6);
	});

	it('draws an empty result without throwing', () => {
		const svg = renderCurveSvg(sample({ lrs: [], losses: [], smoothed: [] }), {
			width: 400,
			height: 200,
		});
		assert.ok(!svg.includes('curve-raw') && svg.includes('</svg>'));
		assert.ok(!/NaN/.test(svg.replace(/NaN\/Inf/g, '')));
	});
});

describe('axis helpers', () => {
	it('log ticks: decades, thinned when crowded, 1-2-5 inside one decade', () => {
		assert.deepEqual(logTicks(1e-7, 10, 8), [1e-7, 1e-5, 1e-3, 0.1, 10]);
		assert.deepEqual(logTicks(0.0015, 0.009, 8), [0.002, 0.005]);
		assert.deepEqual(logTicks(0, 1), []);
	});
	it('linear ticks use 1-2-5 steps', () => {
		assert.deepEqual(linearTicks(0.13, 1.02, 4), [0.2, 0.4, 0.6, 0.8, 1]);
	});
	it('y range ignores the diverging tail', () => {
		const [lo, hi] = curveYRange([3, 2, 1, 1.1, 50, 400], [3, 2.5, 1.8, 1.5, 10, 90]);
		// Descent tops at 3, lowest loss 1: top = 3 + 0.5·2 = 4, padded 5% → 4.15 (not 400).
		assert.ok(Math.abs(lo - 0.85) < 1e-9, `lo ${lo}`);
		assert.ok(Math.abs(hi - 4.15) < 1e-9, `hi ${hi}`);
	});
	it('formats LRs as users write them', () => {
		assert.deepEqual(
			[3e-3, 0.01, 0.25, 2.5e-4, 1e-7, 10].map((v) => formatLr(v)),
			['3e-3', '0.01', '0.25', '2.5e-4', '1e-7', '10'],
		);
	});
});

describe('reports', () => {
	it('HTML is self-contained: inline SVG, suggestion table, no scripts or external resources', () => {
		const html = renderReportHtml(sample(), new Date('2024-01-02T03:04:05Z'));
		assert.ok(html.startsWith('<!DOCTYPE html>'));
		assert.equal(count(html, /<svg /g), 1);
		assert.ok(!/<script|src=|href=|@import|url\(/i.test(html), 'no scripts or external references');
		for (const [rule, lr] of [
			['suggested', '1.8e-3 \\(valley–minimum\\)'],
			['valley', '1.1e-3'],
			['slide', '7e-5'],
			['minimum', '3e-3'],
			['steep', '9.2e-3'],
			['consensus', '1.8e-3'],
		]) {
			assert.match(html, new RegExp(`${rule}</th><td>${lr.replace('.', '\\.')}</td>`), rule);
		}
		assert.match(html, /<li>column &#39;a&amp;b&#39; one-hot encoded<\/li>/);
		assert.match(html, /test &lt;fixture&gt;/);
		assert.match(
			html,
			/Suggested learning rate: <strong class="headline">1\.8e-3 \(valley–minimum\)<\/strong>/,
		);
		assert.ok(!html.includes('class="verdict"'), 'a clear curve has no verdict');
	});

	it('CSV has one row per step with empty cells for non-finite losses', () => {
		const csv = rangeTestCsv(sample()).trim().split('\n');
		assert.equal(csv[0], 'step,lr,loss,smoothed,beta,headline,verdict');
		assert.equal(csv.length, 61);
		assert.match(csv[58], /^57,[\d.e-]+,,,0\.98,,$/);
		// The headline row (the step nearest the headline LR, 27) carries the headline text; no verdict
		// on a clear curve.
		assert.equal(headlineOf(sample()).index, 27);
		assert.match(csv[28], /^27,[\d.e-]+,[\d.e-]+,[\d.e-]+,0\.98,1\.8e-3 \(valley–minimum\),$/);
		assert.equal(csv.filter((l) => l.includes('(valley–minimum)')).length, 1);
	});

	it('writeReport picks the format from the extension and rejects others', () => {
		const dir = mkdtempSync(join(tmpdir(), 'lrscope-report-'));
		try {
			writeReport(join(dir, 'sub', 'r.html'), sample());
			writeReport(join(dir, 'r.svg'), sample());
			writeReport(join(dir, 'r.csv'), sample());
			writeReport(join(dir, 'r.json'), sample({ seconds: Infinity }));
			assert.ok(readFileSync(join(dir, 'sub', 'r.html'), 'utf8').includes('<!DOCTYPE html>'));
			assert.ok(
				readFileSync(join(dir, 'r.svg'), 'utf8').startsWith(
					'<?xml version="1.0" encoding="UTF-8"?>\n<svg',
				),
			);
			assert.ok(
				readFileSync(join(dir, 'r.csv'), 'utf8').startsWith(
					'step,lr,loss,smoothed,beta,headline,verdict\n0,',
				),
			);
			const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
			assert.equal(json.seconds, null);
			assert.equal(json.losses[57], null);
			assert.equal(json.report.consensus.lr, sample().report.consensus!.lr);
			assert.throws(
				() => writeReport(join(dir, 'r.png'), sample()),
				/must end in \.html, \.svg, \.csv or \.json/,
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
