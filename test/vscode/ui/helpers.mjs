// Playwright helpers for the UI tests: open the workbench with the extension under development,
// run palette commands (with retry), pick quick-pick items, reach the webview DOM, take screenshots.
import { join } from 'node:path';

/** Opens the workbench on `ws` with the extension loaded from the repo (development mode). */
export async function openWorkbench(ctx) {
	const page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
	page.on('pageerror', (e) => ctx.log('pageerror:', e.message.slice(0, 300)));
	const payload = JSON.stringify([
		['extensionDevelopmentPath', `vscode-remote://${ctx.host}${ctx.repo}`],
	]);
	await page.goto(
		`http://${ctx.host}/?folder=${encodeURIComponent(ctx.ws)}&payload=${encodeURIComponent(payload)}`,
		{ waitUntil: 'domcontentloaded' },
	);
	await waitForWorkbench(page);
	return page;
}

/** Waits until the workbench (and its status bar) is on screen. */
export async function waitForWorkbench(page) {
	await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
	await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
}

const quickInput = (page) => page.locator('.quick-input-widget');

/**
 * Runs a palette command by its full title. Right after load the extension's commands may not be
 * registered yet and an open palette does not refresh, so retry: open, type, wait, else close and retry.
 */
export async function runCommand(page, title, totalMs = 60_000) {
	const end = Date.now() + totalMs;
	const input = quickInput(page).locator('.quick-input-box input');
	const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
	for (let attempt = 1; ; attempt++) {
		await page.keyboard.press('F1');
		await input.waitFor({ state: 'visible', timeout: 15_000 });
		await input.fill('>' + title);
		try {
			await row.waitFor({ timeout: 3000 });
			break;
		} catch (e) {
			if (Date.now() > end) {
				throw new Error(`command "${title}" never appeared in the palette: ${e.message}`);
			}
			await page.keyboard.press('Escape');
			await page.waitForTimeout(1000);
		}
	}
	await row.click();
}

/** In an open quick-pick, types `filter` and accepts the first row that contains `text`. */
export async function pick(page, filter, text = filter, timeout = 20_000) {
	const input = quickInput(page).locator('.quick-input-box input');
	await input.waitFor({ state: 'visible', timeout });
	const row = quickInput(page).locator('.monaco-list-row', { hasText: text }).first();
	await input.fill(filter);
	await row.waitFor({ timeout });
	await row.click();
}

/** Accepts a multi-select quick-pick as pre-selected (Enter = OK). */
export async function acceptQuickPick(page) {
	await quickInput(page)
		.locator('.quick-input-box input')
		.waitFor({ state: 'visible', timeout: 20_000 });
	await page.keyboard.press('Enter');
	await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * The content frame of the LR Scope panel: webviews are an `iframe.webview` (host) around an
 * `iframe#active-frame` (content). Webviews live in an overlay outside the editor part, so the
 * tests keep the side view closed and take the first (only) webview.
 */
export function panelFrame(page) {
	return page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
}

/** Saves a full-page screenshot under test-output/screenshots/. */
export async function screenshot(ctx, page, name) {
	const file = join(ctx.screenshots, `${name}.png`);
	await page.screenshot({ path: file });
	ctx.log('screenshot', file);
	return file;
}

/** Waits for a notification toast containing `text`; returns its locator. */
/**
 * The finished range test's notification: it ends with the stop reason in the present layer's words
 * (core/present/words.ts `stopReasonText`: "completed all steps", "stopped: the data ran out", …).
 */
export const rangeTestDone = /completed all steps|stopped: |cancelled \(partial curve\)/;

export async function waitForToast(page, text, timeout = 120_000) {
	const toast = page
		.locator('.notifications-toasts .notification-toast', { hasText: text })
		.first();
	await toast.waitFor({ timeout });
	return toast;
}

/**
 * Counts pixels of the first canvas matching `selector` in `frame` that differ from its background
 * (the top-left pixel's colour): how much of a chart was drawn.
 */
export async function paintedPixels(frame, selector) {
	return frame
		.locator(selector)
		.first()
		.evaluate((c) => {
			const ctx = c.getContext('2d');
			const { data } = ctx.getImageData(0, 0, c.width, c.height);
			const bg = [data[0], data[1], data[2]];
			let n = 0;
			for (let i = 0; i < data.length; i += 4) {
				if (
					Math.abs(data[i] - bg[0]) +
						Math.abs(data[i + 1] - bg[1]) +
						Math.abs(data[i + 2] - bg[2]) >
					30
				) {
					n++;
				}
			}
			return n;
		});
}

/** Throws with `message` unless `cond`. */
export function check(cond, message) {
	if (!cond) {
		throw new Error(message);
	}
}

/**
 * Hovers the editor token whose text matches `token` until LR Scope's hover shows, and returns
 * the hover and the token. Hovers need a real mouse move onto the token: move away and back, up to three times,
 * in case a move lands before the editor is ready.
 */
export async function hoverToken(page, token) {
	const literal = page.locator('.view-lines .view-line span span', { hasText: token }).first();
	await literal.waitFor({ timeout: 10_000 });
	const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'LR Scope' }).first();
	for (let attempt = 0; attempt < 3; attempt++) {
		await page.mouse.move(0, 0);
		await literal.hover();
		try {
			await hover.waitFor({ timeout: 8_000 });
			break;
		} catch (e) {
			if (attempt === 2) {
				throw e;
			}
		}
	}
	return { hover, literal };
}
