/**
 * Issue 11: the API `activate` returns carries test seams (`setTrustOverride`, `receiveForTest`)
 * that let any extension switch off the trust gate. It is returned only outside Production mode.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { apiForMode, productionMode } from '../../src/extension/testApi';

const root = path.join(__dirname, '..', '..');

it('Production mode gets no API; Development and Test modes do', () => {
	const api = { setTrustOverride: () => undefined };
	assert.equal(apiForMode(productionMode, api), undefined);
	assert.equal(apiForMode(2 as never, api), api);
	assert.equal(apiForMode(3 as never, api), api);
});

it('productionMode is vscode.ExtensionMode.Production, and activate returns through apiForMode', () => {
	const dts = fs.readFileSync(
		path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'),
		'utf8',
	);
	assert.match(dts, new RegExp(`\\bProduction = ${productionMode},`));
	const src = fs.readFileSync(path.join(root, 'src', 'extension', 'extension.ts'), 'utf8');
	const returns = [...src.matchAll(/^\s*return\s+([^;]*)/gm)].map((m) => m[1]);
	// Every non-undefined return of the API goes through the gate.
	assert.ok(
		returns.some((r) => r.startsWith('apiForMode(context.extensionMode')),
		returns.join(' | '),
	);
	assert.ok(
		returns.every(
			(r) => r.startsWith('apiForMode(') || r === 'undefined' || !/setTrustOverride/.test(r),
		),
		returns.join(' | '),
	);
	assert.doesNotMatch(src, /return \{[^}]*setTrustOverride/);
});
