/**
 * Renders the real webview bundle (dist/webview.js + .css) in headless Chromium behind the exact
 * CSP the extension serves, with a fake `acquireVsCodeApi` that answers `ready` with a realistic
 * snapshot. Saves screenshots of every tab in dark, light and high-contrast themes, the Live tab
 * on a diverging run (auto and log loss axis, a narrow panel) and the side view, and checks: no CSP violations, no page errors, the handshake, the suggestion text, a theme
 * switch redraws the chart in the new colours, and an export request answers with a PNG and a CSV.
 *
 * Run after `npm run build`: `node --import tsx test/webview/render.ts [outDir]` (default
 * test-output/webview). Exits 1 on the first failed check.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { serveWebview } from './server';
import type { SnapshotMessage, WebviewSurface } from '../../src/shared/webviewProtocol';
import { DetectorSet } from '../../src/core/detectors';
import { headlineOf } from '../../src/core/headline';
import { headlineText, verdictText } from '../../src/core/present/headline';
import {
	sampleDivergingRecords,
	sampleLiveRecords,
	sampleRangeTest,
	sampleVerifiedRangeTest,
	sampleSweep,
} from './sampleResults';
import type { WebviewTheme } from './themes';
import { dark, highContrast, light } from './themes';

const root = path.resolve(__dirname, '../..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'test-output', 'webview'));
const nonce = 'dGVzdC1ub25jZS0xMjM0NQ==';

/** Width and height of a PNG (its IHDR chunk). */
function pngSize(png: Buffer): { width: number; height: number } {
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Selects a verified result and exports the Range test tab as a PNG: it must be taller than the
 * curve-only export at `plainFile` by at least the candidates chart (export-verified.png).
 */
async function checkVerifiedExport(page: Page, plainFile: string): Promise<void> {
	const verified: SnapshotMessage = {
		...snapshot(),
		results: [
			{
				id: 'rt-verified',
				kind: 'rangeTest',
				createdAt: Date.UTC(2025, 5, 5),
				label: 'dense-classifier/model.json',
				rangeTest: sampleVerifiedRangeTest(),
			},
			...snapshot().results,
		],
		focus: { resultId: 'rt-verified', tab: 'curve' },
	};
	await inPage(page, `window.postMessage(${JSON.stringify(verified)}, '*')`);
	await page.waitForSelector('#verify-chart svg');
	const chartHeight = (await page.locator('#verify-chart svg').boundingBox())?.height ?? 0;
	await inPage(
		page,
		"window.postMessage({ type: 'exportRequest', requestId: 8, kind: 'png' }, '*')",
	);
	const r = await waitInPage<Post>(
		page,
		"window.__posts.find((p) => p.type === 'exportResponse' && p.requestId === 8)",
	);
	assert.equal(r.ok, true, `verified export: ${r.error ?? ''}`);
	const png = Buffer.from(r.data ?? '', 'base64');
	await writeFile(path.join(path.dirname(plainFile), 'export-verified.png'), png);
	const plain = pngSize(await readFile(plainFile));
	const withCandidates = pngSize(png);
	assert.ok(chartHeight > 100, `candidates chart ${chartHeight} px`);
	assert.ok(
		withCandidates.height >= plain.height + chartHeight,
		`PNG ${withCandidates.height} px high, curve only ${plain.height}, candidates chart ${chartHeight}`,
	);
}

function snapshot(): SnapshotMessage {
	const now = Date.UTC(2025, 5, 3, 14, 20);
	return {
		type: 'snapshot',
		defaultBeta: 0.98,
		results: [
			{
				id: 'rt-2',
				kind: 'rangeTest',
				createdAt: now,
				label: 'dense-classifier/model.json',
				rangeTest: sampleRangeTest(),
			},
			{
				id: 'sw-1',
				kind: 'sweep',
				createdAt: now - 3_600_000,
				label: 'dense-classifier sweep',
				sweep: sampleSweep(),
			},
			{
				id: 'rt-1',
				kind: 'rangeTest',
				createdAt: now - 86_400_000,
				label: 'dense-classifier (batch 64)',
				rangeTest: sampleRangeTest({ seed: 3, noise: 0.12 }),
			},
		],
		live: [
			{
				id: 'live-1',
				label: 'train.ts (monitor)',
				origin: 'monitor',
				status: 'running',
				records: sampleLiveRecords(),
				findings: [
					{
						kind: 'overfitting',
						series: 'val_loss',
						step: 3,
						unit: 'epoch',
						severity: 'warning',
						message: 'validation loss rose for 1 epoch while training loss fell',
						action: 'stop at epoch 2 or add regularisation',
					},
					{
						kind: 'divergence',
						series: 'loss',
						step: 185,
						unit: 'step',
						severity: 'error',
						message: 'smoothed loss above 4× its best',
						action: 'lower the LR to ~6e-3',
					},
				],
			},
			// The newest run, so the Live tab opens on it: a loss that blows up to ~1e37, then NaN, with
			// the findings the real detectors raise on it (step- and epoch-level).
			{
				id: 'live-2',
				label: 'scripts/diverging.js (training)',
				origin: 'monitor',
				status: 'finished',
				records: sampleDivergingRecords(),
				findings: new DetectorSet().feedAll(sampleDivergingRecords()),
			},
		],
	};
}

/** Page errors and console errors seen so far (any one fails the run). */
const pageErrors: string[] = [];

const themes: Record<string, WebviewTheme> = { dark, light, 'high-contrast': highContrast };

/**
 * Installed before any page script: the fake VS Code API (answers `ready` with the snapshot), theme
 * switching as VS Code does it (CSSOM variables on <html>, a class on <body>) and CSP capture.
 * Page-side code is plain JavaScript text: this file is type-checked without the DOM library.
 */
function initScriptSource(): string {
	const arg = JSON.stringify({ snapshot: snapshot(), themes });
	return `(() => {
	const arg = ${arg};
	const posts = [];
	const csp = [];
	let state;
	window.__posts = posts;
	window.__csp = csp;
	window.__getState = () => state;
	document.addEventListener('securitypolicyviolation', (e) => csp.push(e.violatedDirective + ' ' + e.blockedURI));
	window.__applyTheme = (name) => {
		const t = arg.themes[name];
		for (const [k, v] of Object.entries(t.vars)) {
			document.documentElement.style.setProperty(k, v);
		}
		const apply = () => {
			document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
			document.body.classList.add(t.bodyClass);
		};
		if (document.body) {
			apply();
		} else {
			document.addEventListener('DOMContentLoaded', apply, { once: true });
		}
	};
	window.acquireVsCodeApi = () => ({
		postMessage(m) {
			posts.push(m);
			if (m.type === 'ready') {
				setTimeout(() => window.postMessage(arg.snapshot, '*'), 0);
			}
		},
		getState: () => state,
		setState: (s) => {
			state = s;
		},
	});
})();`;
}

/** Evaluates JavaScript text in the page. */
function inPage<T>(page: Page, js: string): Promise<T> {
	return page.evaluate(js) as Promise<T>;
}

/**
 * Polls JavaScript text in the page until it is truthy and returns that value. Polled from here,
 * not with `page.waitForFunction`: once its first check is falsy, that polls in the page with
 * `eval`, which the panel's Content Security Policy (no 'unsafe-eval') refuses.
 */
async function waitInPage<T>(page: Page, js: string, timeoutMs = 5000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const v = await inPage<T>(page, js);
		if (v) {
			return v;
		}
		if (Date.now() > until) {
			throw new Error(`timed out after ${timeoutMs} ms waiting in the page for: ${js}`);
		}
		await page.waitForTimeout(50);
	}
}

type Post = {
	type: string;
	message?: string;
	ok?: boolean;
	data?: string;
	kind?: string;
	error?: string;
};

async function openPage(
	page: Page,
	origin: string,
	surface: WebviewSurface,
	theme: string,
): Promise<void> {
	await page.goto(`${origin}/${surface}.html?theme=${theme}`);
	try {
		await page.waitForSelector(surface === 'side' ? '#mini-chart canvas' : '#loss-chart canvas', {
			timeout: 15_000,
		});
	} catch (err) {
		await page.screenshot({
			path: path.join(outDir, `failed-${surface}-${theme}.png`),
			fullPage: true,
		});
		const posts = await inPage<string>(page, 'JSON.stringify(window.__posts.concat(window.__csp))');
		throw new Error(
			`${surface}/${theme} did not draw: ${posts.slice(0, 1500)} ${pageErrors.join('\n')}`,
			{ cause: err },
		);
	}
	// Let custom elements settle (fonts, slotted options) before the shot.
	await page.waitForTimeout(300);
}

async function checkClean(page: Page, what: string): Promise<void> {
	const csp = await inPage<string[]>(page, 'window.__csp');
	assert.deepEqual(csp, [], `${what}: CSP violations`);
	const posts = await inPage<Post[]>(page, 'window.__posts');
	const errors = posts.filter((p) => p.type === 'reportError');
	assert.deepEqual(errors, [], `${what}: webview reported errors`);
	assert.equal(posts[0]?.type, 'ready', `${what}: first post is ready`);
}

/** The smoothed loss at `lr` on the straight segments of a log-x chart (the test's own arithmetic). */
function curveAt(lrs: readonly number[], ys: readonly (number | null)[], lr: number): number {
	const i = lrs.findIndex((v, k) => v <= lr && lr <= lrs[k + 1]);
	const t = Math.log(lr / lrs[i]) / Math.log(lrs[i + 1] / lrs[i]);
	return (ys[i] as number) + t * ((ys[i + 1] as number) - (ys[i] as number));
}

/**
 * Every marker's dot is drawn in the pixel column of its LR and on the smoothed curve there — the
 * `minimum` dot used to sit at the loss of lrs[index] while its LR is lrs[index]/10. Positions come
 * from the chart (`data-markers`), the expectation from the plot box, the axis ranges and the
 * sample data; the canvas pixel under each dot must be the marker's colour.
 */
async function checkMarkersOnCurve(page: Page, theme: string): Promise<void> {
	const r = sampleRangeTest();
	const markers = JSON.parse(
		(await page.getAttribute('#loss-chart .uplot', 'data-markers')) ?? '[]',
	) as { name: string; lr: number; x: number; y: number | null }[];
	const plot = JSON.parse((await page.getAttribute('#loss-chart .uplot', 'data-plot')) ?? '{}') as {
		left: number;
		top: number;
		width: number;
		height: number;
		x: [number, number];
		y: [number, number];
		yLog: boolean;
	};
	assert.ok(
		markers.some((m) => m.name === 'headline'),
		`${theme}: a headline marker`,
	);
	// The minimum rule's marker (its own, or the headline's when the headline is that rule alone).
	const minimumLr = r.report.suggestions.minimum?.lr;
	const minimumMarker = headlineOf(r).rule === 'minimum' ? 'headline' : 'minimum';
	assert.ok(
		markers.some((m) => m.name === minimumMarker && m.lr === minimumLr),
		`${theme}: a marker at the minimum rule's LR`,
	);
	const lx = (v: number): number => Math.log10(v);
	for (const m of markers) {
		const x =
			plot.left + ((lx(m.lr) - lx(plot.x[0])) / (lx(plot.x[1]) - lx(plot.x[0]))) * plot.width;
		assert.ok(Math.abs(m.x - x) < 0.6, `${theme}: ${m.name} x ${m.x} vs ${x}`);
		const loss = curveAt(r.lrs, r.smoothed, m.lr);
		const y = plot.top + (1 - (loss - plot.y[0]) / (plot.y[1] - plot.y[0])) * plot.height;
		assert.ok(m.y !== null && Math.abs(m.y - y) < 0.6, `${theme}: ${m.name} y ${m.y} vs ${y}`);
		// A string, not a function: this file is type-checked without the DOM library.
		const rgb = (await page.evaluate(
			`[...document.querySelector('#loss-chart canvas').getContext('2d').getImageData(${Math.round(m.x)}, ${Math.round(m.y as number)}, 1, 1).data]`,
		)) as number[];
		const colours = JSON.parse(
			(await page.getAttribute('#loss-chart', 'data-colors')) ?? '{}',
		) as Record<string, string>;
		const want = m.name === 'headline' ? colours.consensus : colours.suggestion;
		assert.ok(want, `${theme}: marker colour known`);
		const hex = `#${rgb
			.slice(0, 3)
			.map((v) => v.toString(16).padStart(2, '0'))
			.join('')}`;
		assert.ok(closeColour(hex, want), `${theme}: ${m.name} dot pixel ${hex}, expected ${want}`);
	}
}

function closeColour(a: string, b: string): boolean {
	const rgb = (h: string): number[] => {
		const m = /^#?([\da-f]{2})([\da-f]{2})([\da-f]{2})/i.exec(h.trim());
		return m ? m.slice(1, 4).map((v) => parseInt(v, 16)) : [NaN, NaN, NaN];
	};
	const [x, y] = [rgb(a), rgb(b)];
	return x.every((v, i) => Math.abs(v - y[i]) <= 24);
}

async function selectTab(page: Page, tab: string): Promise<void> {
	await page.click(`vscode-tab-header[data-tab=${tab}]`);
	await page.waitForTimeout(400);
}

async function main(): Promise<void> {
	await mkdir(outDir, { recursive: true });
	const server = await serveWebview(nonce);
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const shots: string[] = [];
	try {
		const context = await browser.newContext({
			viewport: { width: 1100, height: 900 },
			deviceScaleFactor: 1,
		});
		await context.addInitScript({ content: initScriptSource() });
		const page = await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(e.message));
		page.on('console', (m) => {
			if (m.type() === 'error') {
				pageErrors.push(m.text());
			}
		});

		for (const theme of ['dark', 'light', 'high-contrast']) {
			await openPage(page, server.origin, 'panel', theme);
			await checkClean(page, `panel/${theme}`);
			const headline = headlineText(headlineOf(sampleRangeTest()));
			assert.equal(await page.textContent('#headline-value'), headline, 'headline shown');
			assert.match(headline, /^(\d(\.\d)?e-\d|0\.\d+) \(\w+( \w+)*\)$/);
			await checkMarkersOnCurve(page, theme);
			const sr = await page.textContent('#summary');
			assert.match(sr ?? '', /Range test on dense-classifier\/model\.json: \d+ of 100 steps/);
			const file = path.join(outDir, `panel-curve-${theme}.png`);
			await page.screenshot({ path: file, fullPage: true });
			shots.push(file);
			if (theme === 'dark') {
				// Why this backend: a disclosure reached with the keyboard (focus, Enter), not a tooltip.
				const reason = sampleRangeTest().backend.reason;
				assert.equal(await page.isVisible('#backend .why-text'), false, 'reason folded');
				await page.focus('#backend details.why > summary');
				await page.keyboard.press('Enter');
				assert.equal(await page.isVisible('#backend .why-text'), true, 'reason shown');
				assert.equal(await page.textContent('#backend .why-text'), reason);
				const f = path.join(outDir, 'panel-curve-backend-why-dark.png');
				await page.screenshot({ path: f, fullPage: true });
				shots.push(f);
				for (const tab of ['schedule', 'sweep', 'live']) {
					await selectTab(page, tab);
					const f = path.join(outDir, `panel-${tab}-${theme}.png`);
					await page.screenshot({ path: f, fullPage: true });
					shots.push(f);
				}
				await checkClean(page, 'panel tabs');
				const code = await page.textContent('#designer-code');
				assert.match(code ?? '', /class LrScopeSchedule extends tf\.Callback/);
				// As drawn, the code keeps its lines: its scroll height holds them all, not one.
				await selectTab(page, 'schedule');
				const lines = (code ?? '').trimEnd().split('\n').length;
				const drawn = await inPage<number>(
					page,
					`(() => {
						const e = document.getElementById('designer-code');
						const st = getComputedStyle(e);
						const lh = parseFloat(st.lineHeight) || 1.2 * parseFloat(st.fontSize);
						return Math.round((e.scrollHeight - 20) / lh);
					})()`,
				);
				assert.ok(drawn >= lines, `the code preview draws ${drawn} lines of ${lines}`);
				await selectTab(page, 'curve');
			}
		}

		// Live tab in dark and light: the diverging run (the default, newest) keeps its healthy part
		// readable, marks the blow-up and the NaN, and places epoch findings at the epoch's end step.
		for (const theme of ['dark', 'light']) {
			await openPage(page, server.origin, 'panel', theme);
			await selectTab(page, 'live');
			await page.waitForSelector('#live-chart canvas', { timeout: 5000 });
			const yAxis = (await page.getAttribute('#live-chart', 'data-y-axis')) ?? '';
			const [scale, lo, hi] = yAxis.split(' ');
			assert.equal(scale, 'linear', `diverging run y axis: ${yAxis}`);
			assert.ok(
				Number(lo) > 0.4 && Number(hi) < 2,
				`diverging run y range fits the healthy loss: ${yAxis}`,
			);
			const markers = JSON.parse(
				(await page.getAttribute('#live-chart', 'data-markers')) ?? '[]',
			) as { x: number; label: string }[];
			assert.deepEqual(
				markers.map((m) => m.x),
				[60, 107],
				`markers ${JSON.stringify(markers)}`,
			);
			assert.match(
				markers[0]?.label ?? '',
				/^divergence \(loss, step 60 · epoch 6; val_loss, epoch 6\)$/,
			);
			assert.match((await page.textContent('#live-findings')) ?? '', /epoch 6, ended at step 69/);
			let f = path.join(outDir, `panel-live-diverging-${theme}.png`);
			await page.screenshot({ path: f, fullPage: true });
			shots.push(f);
			// The Log choice shows the whole blow-up on a log axis.
			await inPage(
				page,
				"(() => { const s = document.querySelector('#live-axis'); s.value = 'log'; s.dispatchEvent(new Event('change')); })()",
			);
			await waitInPage(
				page,
				"document.querySelector('#live-chart').dataset.yAxis.startsWith('log')",
			);
			f = path.join(outDir, `panel-live-diverging-log-${theme}.png`);
			await page.screenshot({ path: f, fullPage: true });
			shots.push(f);
			await inPage(
				page,
				"(() => { const s = document.querySelector('#live-axis'); s.value = 'auto'; s.dispatchEvent(new Event('change')); })()",
			);
			// The healthy run.
			await inPage(
				page,
				"(() => { const s = document.querySelector('#live-select'); s.value = 'live-1'; s.dispatchEvent(new Event('change')); })()",
			);
			await waitInPage(
				page,
				"document.querySelector('#live-status').textContent.startsWith('running')",
			);
			f = path.join(outDir, `panel-live-${theme}.png`);
			await page.screenshot({ path: f, fullPage: true });
			shots.push(f);
			await inPage(
				page,
				"(() => { const s = document.querySelector('#live-select'); s.value = 'live-2'; s.dispatchEvent(new Event('change')); })()",
			);
			await checkClean(page, `live/${theme}`);
			if (theme === 'dark') {
				// A narrow panel: marker labels stack instead of overlapping, axis labels still fit.
				await page.setViewportSize({ width: 620, height: 900 });
				await page.waitForTimeout(400);
				f = path.join(outDir, 'panel-live-diverging-narrow-dark.png');
				await page.screenshot({ path: f, fullPage: true });
				shots.push(f);
				await page.setViewportSize({ width: 1100, height: 900 });
			}
			await selectTab(page, 'curve');
		}

		// β slider: recomputes smoothing and suggestions (the legend names the new β).
		const valleyBefore = await page.textContent('[data-suggestion=valley]');
		await page.fill('#beta', '0.6');
		await waitInPage(
			page,
			"document.querySelector('#loss-chart .u-legend')?.textContent.includes('β 0.6')",
		);
		const valleyAfter = await page.textContent('[data-suggestion=valley]');
		assert.notEqual(valleyAfter, valleyBefore, 'valley did not change with β');
		assert.equal((await inPage<{ beta: number }>(page, 'window.__getState()')).beta, 0.6);
		await page.screenshot({ path: path.join(outDir, 'panel-curve-beta-0.6.png'), fullPage: true });

		// Drag-zoom: persisted as UI state; Reset zoom clears it.
		const box = await page.locator('#loss-chart .u-over').boundingBox();
		assert.ok(box, 'chart overlay');
		await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
		await page.mouse.down();
		await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
		await page.mouse.up();
		const zoom = (await inPage<{ zoom?: [number, number] }>(page, 'window.__getState()')).zoom;
		assert.ok(
			zoom && zoom[0] > 1e-4 && zoom[1] < 1 && zoom[0] < zoom[1],
			`zoom ${JSON.stringify(zoom)}`,
		);
		await page.screenshot({ path: path.join(outDir, 'panel-curve-zoomed.png'), fullPage: true });
		await page.click('#reset-zoom');
		await page.waitForTimeout(100);
		assert.equal((await inPage<{ zoom?: unknown }>(page, 'window.__getState()')).zoom, undefined);
		await page.fill('#beta', '0.98');

		// Keyboard: Tab reaches the export button and Enter triggers it (a saveExport post).
		await page.focus('#export-png');
		await page.keyboard.press('Enter');
		const saved = await inPage<Post & { suggestedName?: string }>(
			page,
			"window.__posts.filter((p) => p.type === 'saveExport').at(-1)",
		);
		assert.equal(saved?.kind, 'png');
		assert.match(saved?.suggestedName ?? '', /^lrscope-curve-dense-classifier-model\.json\.png$/);

		// Theme switch: the loss chart must be redrawn with the new theme's colours.
		await openPage(page, server.origin, 'panel', 'dark');
		const before = await page.getAttribute('#loss-chart', 'data-colors');
		await inPage(page, "window.__applyTheme('light')");
		await waitInPage(
			page,
			`document.querySelector('#loss-chart').getAttribute('data-colors') !== ${JSON.stringify(before)}`,
		);
		const after = JSON.parse((await page.getAttribute('#loss-chart', 'data-colors')) ?? '{}') as {
			smoothed: string;
			background: string;
		};
		assert.equal(after.smoothed, light.vars['--vscode-lrScope-smoothedLossColor']);
		assert.equal(after.background, light.vars['--vscode-editor-background']);

		// Export round trip, as the host would ask for it.
		for (const kind of ['png', 'csv'] as const) {
			await inPage(
				page,
				`window.postMessage({ type: 'exportRequest', requestId: 7, kind: '${kind}' }, '*')`,
			);
			const r = await waitInPage<Post>(
				page,
				"window.__posts.find((p) => p.type === 'exportResponse' && !p.seen)",
			);
			await inPage(page, 'window.__posts.forEach((p) => (p.seen = true))');
			assert.equal(r.ok, true, `export ${kind} ok`);
			assert.equal(r.kind, kind);
			if (kind === 'png') {
				const png = Buffer.from(r.data ?? '', 'base64');
				assert.equal(png.subarray(1, 4).toString(), 'PNG');
				await writeFile(path.join(outDir, 'export.png'), png);
				shots.push(path.join(outDir, 'export.png'));
			} else {
				assert.match(r.data ?? '', /^step,lr,loss,smoothed,beta,headline,verdict\n0,1e-7,/);
			}
		}

		// A verified result: the PNG has the candidates chart and its evidence under the curve.
		await checkVerifiedExport(page, path.join(outDir, 'export.png'));
		shots.push(path.join(outDir, 'export-verified.png'));

		// A malformed host message is dropped and reported, never rendered.
		await inPage(page, "window.postMessage({ type: 'snapshot', results: 'nope' }, '*')");
		await page.waitForTimeout(100);
		const reported = await inPage<string[]>(
			page,
			"window.__posts.filter((p) => p.type === 'reportError').map((p) => p.message)",
		);
		assert.equal(reported.length, 1);
		assert.match(reported[0] ?? '', /dropped a malformed host message/);

		// A curve without a clear valley: the headline says so and the verdict is shown under it.
		const flat = sampleRangeTest({ seed: 5, shape: 'flat' });
		const flatHead = headlineOf(flat);
		assert.equal(flatHead.verdict, 'noClearValley');
		const withFlat: SnapshotMessage = {
			...snapshot(),
			results: [
				{
					id: 'rt-flat',
					kind: 'rangeTest',
					createdAt: Date.UTC(2025, 5, 4),
					label: 'flat curve',
					rangeTest: flat,
				},
				...snapshot().results,
			],
			focus: { resultId: 'rt-flat', tab: 'curve' },
		};
		await inPage(page, `window.postMessage(${JSON.stringify(withFlat)}, '*')`);
		await page.waitForTimeout(400);
		assert.equal(await page.textContent('#headline-value'), headlineText(flatHead));
		assert.equal(await page.textContent('#headline-verdict'), verdictText(flatHead));
		await page.screenshot({
			path: path.join(outDir, 'panel-curve-no-clear-valley.png'),
			fullPage: true,
		});
		shots.push(path.join(outDir, 'panel-curve-no-clear-valley.png'));

		// The side view.
		const side = await browser.newContext({
			viewport: { width: 300, height: 330 },
			deviceScaleFactor: 1,
		});
		await side.addInitScript({ content: initScriptSource() });
		const sp = await side.newPage();
		sp.on('pageerror', (e) => pageErrors.push(e.message));
		for (const theme of ['dark', 'light']) {
			await openPage(sp, server.origin, 'side', theme);
			await checkClean(sp, `side/${theme}`);
			assert.equal(
				(await sp.textContent('#side-headline')) ?? '',
				`Suggested LR ${headlineText(headlineOf(sampleRangeTest()))}`,
			);
			const f = path.join(outDir, `side-${theme}.png`);
			await sp.screenshot({ path: f });
			shots.push(f);
		}
		await sp.click('#open-panel');
		const open = await inPage<Post>(sp, 'window.__posts.at(-1)');
		assert.deepEqual(open, { type: 'openPanel', resultId: 'rt-2' });

		assert.deepEqual(pageErrors, [], 'page errors');
		console.log(`ok: ${shots.length} screenshots in ${outDir}`);
	} finally {
		await browser.close();
		server.close();
	}
}

main().catch((err: unknown) => {
	console.error(err instanceof Error ? err.stack : err);
	process.exit(1);
});
