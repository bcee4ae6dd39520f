// UI tests in real VS Code (code-server) + Chromium: the user's path through the palette, the
// panel's DOM inside the webview iframes, theme changes, a window reload, and a bad model.
// Each test gets a fresh workspace copy (with examples/dense-classifier) and browser profile.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	acceptQuickPick,
	check,
	openWorkbench,
	paintedPixels,
	panelFrame,
	pick,
	runCommand,
	screenshot,
	waitForToast,
	waitForWorkbench,
	rangeTestDone,
} from './helpers.mjs';

/** The first chart canvas of the panel. */
const chartCanvas = '[data-colors] canvas';

/** Reads the colours the chart was drawn with (the webview puts them on the element as data-colors). */
async function chartColors(frame) {
	const el = frame.locator('[data-colors]').first();
	await el.waitFor({ timeout: 30_000 });
	return JSON.parse(await el.getAttribute('data-colors'));
}

/** Runs "LR Scope: Run LR Range Test" on the given model through the quick-picks. */
async function rangeTestFromPalette(page, modelFilter, csvFilter) {
	await runCommand(page, 'LR Scope: Run LR Range Test');
	await pick(page, modelFilter);
	await pick(page, 'CSV file');
	await pick(page, csvFilter);
	// The label column is pre-selected ('label'); accept it.
	await acceptQuickPick(page);
}

/**
 * Opens the panel's Schedule tab and checks that its generated tfjs code is drawn with all its
 * lines (a code block that collapses them shows one); screenshot `panel-schedule-<theme>`.
 */
async function scheduleCodeShown(ctx, page, theme) {
	const frame = panelFrame(page);
	await frame.locator('vscode-tab-header[data-tab=schedule]').click();
	const code = frame.locator('#designer-code');
	await code.waitFor({ state: 'visible', timeout: 10_000 });
	const { lines, drawn } = await code.evaluate((e) => {
		const st = getComputedStyle(e);
		const lh = parseFloat(st.lineHeight) || 1.2 * parseFloat(st.fontSize);
		return {
			lines: e.textContent.trimEnd().split('\n').length,
			drawn: Math.round((e.scrollHeight - 20) / lh),
		};
	});
	ctx.log(`schedule code (${theme}): ${drawn} lines drawn of ${lines}`);
	check(lines > 10 && drawn >= lines, `the schedule code draws ${drawn} lines of ${lines}`);
	await screenshot(ctx, page, `panel-schedule-${theme}`);
	await frame.locator('vscode-tab-header[data-tab=curve]').click();
}

export const tests = [
	{
		name: 'palette range test → panel with chart and suggestion; theme change redraws; reload restores',
		async run(ctx) {
			const page = await openWorkbench(ctx);
			ctx.log('workbench visible');
			await rangeTestFromPalette(page, 'dense-classifier/model', 'dense-classifier/data.csv');
			// The progress notification with its step counter shows while the test runs.
			const done = await waitForToast(page, rangeTestDone, 180_000);
			const summary = (await done.innerText()) ?? '';
			ctx.log('notification:', summary.trim());
			// The headline as core/present writes it: "suggested LR 3e-3 (valley–minimum)", or the verdict.
			check(
				/suggested LR \S+ \([\w–]+\)|\S+ \(no clear valley\)/.test(summary),
				`no headline in "${summary}"`,
			);

			const frame = panelFrame(page);
			const before = await chartColors(frame);
			await page.waitForTimeout(500);
			const painted = await paintedPixels(frame, chartCanvas);
			ctx.log('colours', JSON.stringify(before), 'painted pixels', painted);
			check(painted > 500, `the chart canvas looks empty (${painted} painted pixels)`);
			const text = await frame.locator('body').innerText();
			check(
				/valley/i.test(text) && /suggest/i.test(text),
				`panel text lacks the suggestions: ${text.slice(0, 400)}`,
			);
			// Why this backend: the disclosure opens with the keyboard and shows what auto measured.
			await frame.locator('#backend details.why > summary').focus();
			await page.keyboard.press('Enter');
			const why = frame.locator('#backend .why-text');
			await why.waitFor({ state: 'visible', timeout: 5000 });
			const reason = (await why.innerText()).trim();
			ctx.log('backend reason:', reason);
			check(
				/speed probe/.test(reason),
				`the backend reason does not say what was measured: "${reason}"`,
			);
			const wasDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
			await screenshot(ctx, page, wasDark ? 'panel-dark' : 'panel-light');

			// Switch to the opposite kind of theme; the chart must redraw in the new colours.
			const next = wasDark ? 'Light Modern' : 'Dark Modern';
			await runCommand(page, 'Preferences: Color Theme');
			await pick(page, next);
			await page
				.locator(wasDark ? '.monaco-workbench.vs' : '.monaco-workbench.vs-dark')
				.waitFor({ timeout: 15_000 });
			let after = before;
			for (let i = 0; i < 40 && JSON.stringify(after) === JSON.stringify(before); i++) {
				await page.waitForTimeout(250);
				after = await chartColors(frame);
			}
			ctx.log(`${next} colours`, JSON.stringify(after));
			check(
				after.background !== before.background,
				`chart background did not change with the theme (${after.background})`,
			);
			check(
				after.smoothed !== before.smoothed,
				`smoothed-loss colour did not change with the theme (${after.smoothed})`,
			);
			check(
				(await paintedPixels(frame, chartCanvas)) > 500,
				'the chart is empty after the theme change',
			);
			check(await why.isVisible(), 'the opened backend reason closed when the theme changed');
			await screenshot(ctx, page, wasDark ? 'panel-light' : 'panel-dark');
			const light = after;

			await runCommand(page, 'Developer: Reload Window');
			await page.waitForLoadState('domcontentloaded');
			await waitForWorkbench(page);
			ctx.log('reloaded');
			const restored = await chartColors(panelFrame(page));
			// Which theme the reloaded window comes back in is the workbench's business; the panel must
			// come back drawn in whatever colours the theme gives it now.
			const bodyBg = await panelFrame(page)
				.locator('body')
				.evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-editor-background').trim());
			ctx.log(
				'restored colours',
				JSON.stringify(restored),
				'editor background',
				bodyBg,
				'before reload',
				light.background,
			);
			check(
				restored.background.toLowerCase() === bodyBg.toLowerCase(),
				`restored chart background ${restored.background} is not the theme's ${bodyBg}`,
			);
			const restoredText = await panelFrame(page).locator('body').innerText();
			check(
				/valley/i.test(restoredText),
				`the restored panel lacks the result: ${restoredText.slice(0, 400)}`,
			);
			check(
				(await paintedPixels(panelFrame(page), chartCanvas)) > 500,
				'the restored chart is empty',
			);
			await screenshot(ctx, page, 'panel-after-reload');

			// The Schedule tab's tfjs code keeps its lines, in a dark and a light theme.
			for (const theme of ['Dark Modern', 'Light Modern']) {
				await runCommand(page, 'Preferences: Color Theme');
				await pick(page, theme);
				await page
					.locator(theme === 'Dark Modern' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs')
					.waitFor({ timeout: 15_000 });
				await scheduleCodeShown(ctx, page, theme === 'Dark Modern' ? 'dark' : 'light');
			}
		},
	},
	{
		name: 'a corrupt model gives an error notification with "Show log"; the editor keeps working',
		async run(ctx) {
			mkdirSync(join(ctx.ws, 'broken'), { recursive: true });
			// Valid JSON that says layers-model, but the weights it names do not exist.
			writeFileSync(
				join(ctx.ws, 'broken', 'model.json'),
				JSON.stringify({
					format: 'layers-model',
					modelTopology: { class_name: 'Sequential', config: { name: 'broken', layers: [] } },
					weightsManifest: [
						{ paths: ['missing.bin'], weights: [{ name: 'w', shape: [4, 1], dtype: 'float32' }] },
					],
				}),
			);
			const page = await openWorkbench(ctx);
			await rangeTestFromPalette(page, 'broken/model', 'data.csv');
			const toast = await waitForToast(page, 'LR Scope:', 120_000);
			const message = (await toast.innerText()) ?? '';
			ctx.log('error notification:', message.trim());
			const button = toast.locator('.monaco-button', { hasText: 'Show log' });
			await button.waitFor({ timeout: 5000 });
			await screenshot(ctx, page, 'error-corrupt-model');
			await button.click();
			// The output panel shows the LR Scope log with the failure in it.
			const output = page.locator('.part.panel .monaco-editor .view-lines');
			await output.waitFor({ timeout: 15_000 });
			await page
				.locator('.part.panel')
				.getByText(/failed.\(\w+\)/)
				.first()
				.waitFor({ timeout: 15_000 });
			// The editor still works: open a file through Quick Open and see its content.
			await page.keyboard.press('Control+P');
			await pick(page, 'data.csv', 'data.csv');
			await page
				.locator('.part.editor .view-lines', { hasText: 'x1,x2,x3,x4' })
				.first()
				.waitFor({ timeout: 15_000 });
			await screenshot(ctx, page, 'error-editor-still-works');
		},
	},
];
