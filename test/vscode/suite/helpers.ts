/**
 * Shared by the extension-host suites (bundled next to them; index.ts runs only `*.test.js`):
 * the extension's id, activating it for its API, and polling until a condition holds.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LrScopeApi } from '../../../src/extension/extension';

/** The extension under test (package.json publisher.name). */
export const extensionId = 'lr-scope.lr-scope';

/** Activates the extension and returns the API `activate` gives tests. */
export async function activateApi(): Promise<LrScopeApi> {
	const ext = vscode.extensions.getExtension<LrScopeApi>(extensionId);
	assert.ok(ext, `extension ${extensionId} is not installed`);
	return ext.activate();
}

/** Polls `cond` every 50 ms; throws naming `what` when it is still false after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) {
			throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}
