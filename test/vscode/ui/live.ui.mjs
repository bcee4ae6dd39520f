// UI test of monitor mode in real VS Code (code-server) + Chromium: open a training script that
// diverges, "LR Scope: Train with LR Scope" from the palette, the live curve streams into the
// panel's Live tab, the warning notification shows with "Show curves" / "Suggest a fix", the fix
// suggestion appears, and the live status-bar item opens the panel on the run with the problem.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import {
	check,
	openWorkbench,
	paintedPixels,
	panelFrame,
	runCommand,
	screenshot,
	waitForToast,
} from './helpers.mjs';

/** Opens a workspace file through Quick Open. */
async function quickOpen(page, name) {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget .quick-input-box input');
	await input.waitFor({ state: 'visible', timeout: 15_000 });
	await input.fill(name);
	await page
		.locator('.quick-input-widget .monaco-list-row', { hasText: name })
		.first()
		.waitFor({ timeout: 20_000 });
	await page.keyboard.press('Enter');
	await page
		.locator('.tabs-container .tab', { hasText: name })
		.first()
		.waitFor({ timeout: 20_000 });
}

export const tests = [
	{
		name: 'monitor mode: Train with LR Scope → live curve in the panel, divergence warning with actions, fix suggestion, status bar',
		async run(ctx) {
			cpSync(join(ctx.repo, 'test', 'fixtures', 'scripts'), join(ctx.ws, 'scripts'), {
				recursive: true,
			});
			const page = await openWorkbench(ctx);
			await quickOpen(page, 'diverging.js');
			ctx.log('script open');
			await runCommand(page, 'LR Scope: Train with LR Scope');

			// The warning: one notification for the divergence, with both actions.
			const toast = await waitForToast(page, 'is diverging from step', 120_000);
			const text = ((await toast.innerText()) ?? '').trim();
			ctx.log('warning:', text.slice(0, 200));
			check(/diverging\.js \(training\)/.test(text), `the warning does not name the run: ${text}`);
			const showCurves = toast.locator('.monaco-button', { hasText: 'Show curves' });
			const suggestFix = toast.locator('.monaco-button', { hasText: 'Suggest a fix' });
			check(
				(await showCurves.count()) === 1 && (await suggestFix.count()) === 1,
				'the warning lacks "Show curves" / "Suggest a fix"',
			);

			// The panel opened by itself on the Live tab (openPanelOnResult) and streams the run.
			const frame = panelFrame(page);
			const status = frame.locator('#live-status');
			await status.waitFor({ timeout: 60_000 });
			let statusText = '';
			for (let i = 0; i < 120 && !/finished · \d+ records/.test(statusText); i++) {
				await page.waitForTimeout(500);
				statusText = (await status.textContent()) ?? '';
			}
			ctx.log('live status:', statusText);
			check(
				/finished · \d+ records/.test(statusText),
				`the live run did not finish in the panel: "${statusText}"`,
			);
			await screenshot(ctx, page, 'live-warning');

			// "Suggest a fix" → the detector's advice, offering a range test on this script.
			await suggestFix.click();
			const fix = await waitForToast(page, 'fix for divergence', 20_000);
			const fixText = ((await fix.innerText()) ?? '').trim();
			ctx.log('fix:', fixText.slice(0, 240));
			check(/learning rate|LR/i.test(fixText), `the fix text has no advice: ${fixText}`);
			check(
				(await fix
					.locator('.monaco-button', { hasText: 'Run LR Range Test on This Script' })
					.count()) === 1,
				'the fix does not offer a range test on the script',
			);
			await screenshot(ctx, page, 'live-suggest-fix');

			// The status-bar item flags the problem; clicking it shows the run's curves.
			const item = page
				.locator('.statusbar-item', { hasText: 'LR Scope: ' })
				.filter({ hasText: 'with problems' })
				.first();
			await item.waitFor({ timeout: 20_000 });
			ctx.log('status bar:', ((await item.textContent()) ?? '').trim());
			await item.click();
			await page.waitForTimeout(1000);
			const findings = ((await frame.locator('#live-findings').innerText()) ?? '').trim();
			ctx.log('panel findings:', findings.slice(0, 240));
			check(/divergence/.test(findings), `the panel lists no divergence finding: ${findings}`);
			const painted = await paintedPixels(frame, '#live-chart canvas');
			ctx.log('painted pixels', painted);
			check(painted > 500, `the live chart looks empty (${painted} painted pixels)`);
			// The Layers section: the monitored run streamed per-layer samples (on by default).
			const map = frame.locator('section.layers canvas.layers-map');
			await map.waitFor({ state: 'visible', timeout: 30_000 });
			const layerNames = JSON.parse((await map.getAttribute('data-layers')) ?? '[]');
			const label = (await map.getAttribute('aria-label')) ?? '';
			ctx.log('layers view:', layerNames.join(', '), '|', label.slice(0, 200));
			check(layerNames.length >= 1, `the Layers view shows no layers`);
			check(/^Update-ratio heatmap\. /.test(label), `no screen-reader summary: "${label}"`);
			await map.scrollIntoViewIfNeeded();
			await screenshot(ctx, page, 'live-monitor');
		},
	},
];
