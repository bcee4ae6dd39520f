/**
 * The Live tab's Layers section (issue 15) in headless Chromium behind the extension's CSP, with a
 * fake `acquireVsCodeApi` whose snapshot holds a monitor run of 60 layers. Checks: no CSP violations
 * or page errors, the heatmap is drawn at ≥ 4 px per layer, the finding is marked, the screen-reader
 * summary, keyboard selection and the selected layer's line chart; saves dark/light/HC screenshots.
 *
 * Run after `npm run build`: `node --import tsx test/webview/layersRender.ts [outDir]`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { LayerSample } from '../../src/core/layers/types';
import type { Finding, LogRecord } from '../../src/core/types';
import { serveWebview } from './server';
import type { SnapshotMessage } from '../../src/shared/webviewProtocol';
import { dark, highContrast, light } from './themes';

const root = path.resolve(__dirname, '../..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'test-output', 'webview'));
const nonce = 'bGF5ZXJzLXRlc3Qtbm9uY2U=';

/** 60 layers, 120 samples: ratios fall with depth, dense_7 goes dead from step 200. */
function run(): { records: LogRecord[]; layers: LayerSample[]; findings: Finding[] } {
	const names = Array.from({ length: 60 }, (_v, i) => `dense_${i + 1}`);
	const layers: LayerSample[] = [];
	const records: LogRecord[] = [];
	for (let k = 0; k < 120; k++) {
		const step = k * 5;
		layers.push({
			step,
			layers: names,
			params: names.map(() => 1056),
			gradNorm: names.map((_n, i) => 0.5 * 0.8 ** (59 - i)),
			weightNorm: names.map(() => 4),
			updateRatio: names.map((_n, i) =>
				i === 6 && step >= 200 ? 1e-7 : 2e-3 * 0.85 ** (59 - i) * (1 + 0.3 * Math.sin(k / 5)),
			),
			dead: names.map((_n, i) => (i === 6 ? (step >= 200 ? 0.8 : 0.1) : i % 2 ? 0.05 : null)),
			saturated: names.map(() => null),
			every: 5,
		});
	}
	for (let s = 0; s < 600; s++) {
		records.push({ step: s, unit: 'step', values: { loss: 2 * Math.exp(-s / 200) + 0.3 } });
	}
	const findings: Finding[] = [
		{
			kind: 'deadUnits',
			series: 'dense_7',
			layer: 'dense_7',
			step: 200,
			unit: 'step',
			severity: 'warning',
			message:
				"80% of dense_7's ReLU units are dead (never active on the probe batch since step 200)",
			action:
				"Initialise dense_7's bias at 0 (not negative), lower the learning rate, or use LeakyReLU/ELU.",
			detectedAt: 215,
		},
	];
	return { records, layers, findings };
}

function snapshot(): SnapshotMessage {
	const r = run();
	return {
		type: 'snapshot',
		defaultBeta: 0.98,
		results: [],
		live: [
			{
				id: 'monitor-deep',
				label: 'deep.js (training)',
				origin: 'monitor',
				status: 'running',
				records: r.records,
				findings: r.findings,
				layers: r.layers,
			},
		],
		focus: { resultId: 'monitor-deep', tab: 'live' },
	};
}

async function main(): Promise<void> {
	await mkdir(outDir, { recursive: true });
	const server = await serveWebview(nonce);
	const origin = server.origin;
	const arg = JSON.stringify({
		snapshot: snapshot(),
		themes: { dark, light, 'high-contrast': highContrast },
	});
	const init = `(() => {
	const arg = ${arg};
	window.__posts = []; window.__csp = [];
	document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
	window.__applyTheme = (name) => {
		const t = arg.themes[name];
		for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
		const apply = () => document.body.classList.add(t.bodyClass);
		if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply, { once: true });
	};
	let state;
	window.acquireVsCodeApi = () => ({
		postMessage(m) { window.__posts.push(m); if (m.type === 'ready') setTimeout(() => window.postMessage(arg.snapshot, '*'), 0); },
		getState: () => state, setState: (s) => { state = s; },
	});
})();`;
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu'],
	});
	const errors: string[] = [];
	try {
		const context = await browser.newContext({
			viewport: { width: 1100, height: 1400 },
			deviceScaleFactor: 1,
		});
		await context.addInitScript({ content: init });
		const page = await context.newPage();
		page.on('pageerror', (e) => errors.push(e.message));
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		for (const theme of ['dark', 'light', 'high-contrast']) {
			await page.goto(`${origin}/panel.html?theme=${theme}`);
			await page.waitForSelector('.layers-map', { state: 'visible', timeout: 15_000 });
			await page.waitForTimeout(500);
			const info = (await page.evaluate(`(() => {
				const c = document.querySelector('.layers-map');
				return { h: c.getBoundingClientRect().height, layers: JSON.parse(c.dataset.layers), markers: JSON.parse(c.dataset.markers),
					label: c.getAttribute('aria-label'), lines: !!document.querySelector('.layers-lines canvas'),
					csp: window.__csp, reported: window.__posts.filter((p) => p.type === 'reportError') };
			})()`)) as {
				h: number;
				layers: string[];
				markers: string[];
				label: string;
				lines: boolean;
				csp: string[];
				reported: unknown[];
			};
			assert.equal(info.layers.length, 60);
			assert.ok(info.h >= 60 * 4, `heatmap ${info.h}px for 60 layers`);
			assert.deepEqual(info.markers, ['dead ReLUs (dense_7, step 200)']);
			assert.match(info.label, /60 layers sampled 120 times up to step 595/);
			assert.match(info.label, /Findings: dead ReLUs in dense_7 at step 200/);
			assert.ok(info.lines, 'line chart drawn');
			assert.deepEqual(info.csp, []);
			assert.deepEqual(info.reported, []);
			// Keyboard: focus the map, ↓ twice selects dense_2.
			await page.focus('.layers-map');
			await page.keyboard.press('ArrowDown');
			await page.keyboard.press('ArrowDown');
			await page.waitForTimeout(200);
			const detail = await page.textContent('.layers-detail');
			assert.match(detail ?? '', /^dense_2: \|Δw\|\/\|w\| /);
			const section = await page.$('.layers');
			await section!.screenshot({ path: path.join(outDir, `panel-layers-${theme}.png`) });
		}
		assert.deepEqual(errors, []);
		console.log(`layers view: ok (screenshots in ${outDir})`);
	} finally {
		await browser.close();
		server.close();
	}
}

main().catch((e: unknown) => {
	console.error(e);
	process.exitCode = 1;
});
