// UI test of the in-editor suggestions in real VS Code (code-server) + Chromium: open the example
// training script, run "LR Scope: Run LR Range Test on This Script" from the palette (a real
// zero-config range test), see the suggestion CodeLens, hover over the `0.01` literal and check the
// hover shows the curve image (decoded, non-empty) with the suggestions. Screenshot: hover-curve.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	check,
	hoverToken,
	openWorkbench,
	runCommand,
	screenshot,
	waitForToast,
	rangeTestDone,
} from './helpers.mjs';

/** Opens a workspace file through Quick Open. */
async function openFile(page, relPath) {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget .quick-input-box input');
	await input.waitFor({ state: 'visible', timeout: 15_000 });
	await input.fill(relPath);
	await page
		.locator('.quick-input-widget .monaco-list-row', { hasText: relPath.split('/').pop() })
		.first()
		.waitFor({ timeout: 20_000 });
	await page.keyboard.press('Enter');
	await page
		.locator('.tab.active', { hasText: relPath.split('/').pop() })
		.waitFor({ timeout: 20_000 });
}

export const tests = [
	{
		name: 'hover on an LR literal shows the range-test curve',
		async run(ctx) {
			// Keep the panel closed so the editor (and its hover) stays in view.
			writeFileSync(
				join(ctx.ws, '.vscode', 'settings.json'),
				JSON.stringify({ 'lrScope.openPanelOnResult': false }),
			);
			const page = await openWorkbench(ctx);
			await openFile(page, 'dense-classifier/train.js');
			const lens = page.locator('.contentWidgets .codelens-decoration, .codelens-decoration');
			await lens.filter({ hasText: 'LR range test' }).first().waitFor({ timeout: 60_000 });
			await runCommand(page, 'LR Scope: Run LR Range Test on This Script');
			await waitForToast(page, rangeTestDone, 180_000);
			// The headline lens names its source (the script's own range test).
			const suggestion = lens.filter({ hasText: 'from range test of train.js · adam' }).first();
			await suggestion.waitFor({ timeout: 30_000 });
			ctx.log('lens:', await suggestion.innerText());

			const { hover } = await hoverToken(page, /^0\.01$/);
			const img = hover.locator('img[alt="LR range test curve"]');
			await img.waitFor({ timeout: 10_000 });
			const size = await img.evaluate(async (el) => {
				await el.decode().catch(() => {});
				return {
					w: el.naturalWidth,
					h: el.naturalHeight,
					src: el.getAttribute('src').slice(0, 40),
				};
			});
			ctx.log('hover image', JSON.stringify(size));
			check(size.w > 100 && size.h > 50, `the curve image did not load: ${JSON.stringify(size)}`);
			const text = await hover.innerText();
			for (const word of ['valley', 'slide', 'minimum', 'steep', 'Run again', 'Open panel']) {
				check(text.includes(word), `hover lacks "${word}": ${text.slice(0, 300)}`);
			}
			// The actions are in view without scrolling the hover.
			const box = await hover.boundingBox();
			for (const name of ['Run again', 'Open panel']) {
				const link = await hover.locator('a', { hasText: name }).first().boundingBox();
				check(
					link && box && link.y >= box.y && link.y + link.height <= box.y + box.height,
					`"${name}" is not visible in the hover`,
				);
			}
			await screenshot(ctx, page, 'hover-curve');
			await hover.screenshot({ path: join(ctx.screenshots, 'hover-curve-widget.png') });
		},
	},
];
