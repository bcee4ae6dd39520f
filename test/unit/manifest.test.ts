/**
 * The manifest agrees with the code: every contributed command id is in the `Commands` const and
 * vice versa, every setting has a typed reader (`settingKeys`) and vice versa, every `%key%` is in
 * package.nls.json, and activation stays lazy. Reads the source files as text so the test needs no
 * 'vscode' module.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<
	string,
	string
>;

/** The string values of `export const <name> = { ... } as const` in a source file. */
function constValues(file: string, name: string): string[] {
	const text = readFileSync(join(root, file), 'utf8');
	const m = new RegExp(`export const ${name} = ([\\[{][\\s\\S]*?[\\]}]) as const`).exec(text);
	assert.ok(m, `${name} not found in ${file}`);
	return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

test('every contributed command is in Commands and every Commands id is contributed', () => {
	const contributed = (pkg.contributes.commands as { command: string }[])
		.map((c) => c.command)
		.sort();
	const inCode = constValues('src/extension/ids.ts', 'Commands').sort();
	assert.deepEqual(contributed, inCode);
	assert.equal(new Set(contributed).size, contributed.length, 'duplicate command ids');
});

test('commands have the "LR Scope" category, a codicon and a localized title', () => {
	for (const c of pkg.contributes.commands as {
		command: string;
		title: string;
		category: string;
		icon: string;
	}[]) {
		assert.match(c.command, /^lrScope\.[a-z][A-Za-z]+$/);
		assert.equal(nls[c.category.slice(1, -1)], 'LR Scope', c.command);
		assert.match(c.icon, /^\$\([a-z-~]+\)$/, c.command);
		assert.ok(nls[c.title.slice(1, -1)], `${c.command}: title ${c.title} not in package.nls.json`);
	}
});

test('palette entries are gated with when clauses on our context keys and trust', () => {
	const palette = pkg.contributes.menus.commandPalette as { command: string; when: string }[];
	const when = (id: string): string =>
		palette.find((p) => p.command === `lrScope.${id}`)?.when ?? '';
	for (const id of ['runRangeTest', 'runRangeTestOnModule', 'runSweep']) {
		assert.match(when(id), /isWorkspaceTrusted/, id);
		assert.match(when(id), /!lrScope\.running/, id);
	}
	assert.equal(when('cancelRun'), 'lrScope.running');
	for (const id of ['suggestSchedule', 'exportReport', 'clearResults']) {
		assert.equal(when(id), 'lrScope.hasResults', id);
	}
});

test('every setting has a typed reader and every reader a setting', () => {
	const props = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
	const contributed = Object.keys(props)
		.map((k) => k.replace(/^lrScope\./, ''))
		.sort();
	const readers = constValues('src/extension/config.ts', 'settingKeys').sort();
	assert.deepEqual(contributed, readers);
	const configSource = readFileSync(join(root, 'src/extension/config.ts'), 'utf8');
	for (const [key, p] of Object.entries(props)) {
		assert.ok(key.startsWith('lrScope.'), key);
		for (const field of ['type', 'scope', 'default', 'markdownDescription']) {
			assert.ok(field in p, `${key} lacks ${field}`);
		}
		assert.ok(
			nls[String(p.markdownDescription).slice(1, -1)],
			`${key}: description not in package.nls.json`,
		);
		if (p.type === 'number' || p.type === 'integer') {
			assert.equal(typeof p.minimum, 'number', `${key} lacks minimum`);
			assert.equal(typeof p.maximum, 'number', `${key} lacks maximum`);
			assert.ok(
				(p.default as number) >= (p.minimum as number) &&
					(p.default as number) <= (p.maximum as number),
				`${key} default out of range`,
			);
		}
		if (Array.isArray(p.enum)) {
			assert.ok(p.enum.includes(p.default), `${key} default not in enum`);
		}
		// The reader reads it (quoted key inside a getter), not just lists it.
		const short = key.replace(/^lrScope\./, '');
		assert.ok(
			configSource.split(`'${short}'`).length > 2,
			`${key} is listed but never read in config.ts`,
		);
	}
});

test('every %key% in package.json exists in package.nls.json, and none is unused', () => {
	const text = readFileSync(join(root, 'package.json'), 'utf8');
	const used = new Set([...text.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
	for (const k of used) {
		assert.ok(k in nls, `%${k}% missing from package.nls.json`);
	}
	assert.deepEqual(
		Object.keys(nls).filter((k) => !used.has(k)),
		[],
	);
});

test('activation is lazy and untrusted workspaces are declared', () => {
	// onLanguage: the editor suggestions (CodeLens, diagnostics) must appear when a script is opened
	// (docs/extension.md, "Activation and storage").
	assert.deepEqual(pkg.activationEvents, [
		'onWebviewPanel:lrScope.lossCurves',
		'onLanguage:javascript',
		'onLanguage:typescript',
		'onLanguage:javascriptreact',
		'onLanguage:typescriptreact',
	]);
	assert.equal(pkg.capabilities.untrustedWorkspaces.supported, false);
	assert.ok(nls[pkg.capabilities.untrustedWorkspaces.description.slice(1, -1)].length > 40);
	const views = pkg.contributes.views.lrScope as { id: string; type: string }[];
	assert.deepEqual(
		views.map((v) => [v.id, v.type]),
		[['lrScope.sideView', 'webview']],
	);
});

test('chart colours have dark, light and high-contrast defaults', () => {
	const colors = pkg.contributes.colors as { id: string; defaults: Record<string, string> }[];
	const ids = colors.map((c) => c.id);
	for (const id of [
		'lrScope.rawLossColor',
		'lrScope.smoothedLossColor',
		'lrScope.suggestedLrMarker',
		'lrScope.consensusMarker',
	]) {
		assert.ok(ids.includes(id), id);
	}
	for (const c of colors) {
		for (const kind of ['dark', 'light', 'highContrast', 'highContrastLight']) {
			assert.match(c.defaults[kind] ?? '', /^#[0-9a-f]{6}([0-9a-f]{2})?$/i, `${c.id}.${kind}`);
		}
	}
});

test('.vscodeignore is an allowlist', () => {
	const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l && !l.startsWith('#'));
	assert.equal(lines[0], '**');
	for (const keep of [
		'!dist/**',
		'!media/**',
		'!package.json',
		'!package.nls.json',
		'!README.md',
		'!LICENSE',
		'!CHANGELOG.md',
	]) {
		assert.ok(lines.includes(keep), keep);
	}
});

test('the extension bundle (when built) does not require tfjs', (t) => {
	let bundle: string;
	try {
		bundle = readFileSync(join(root, 'dist', 'extension.js'), 'utf8');
	} catch {
		t.skip('dist/extension.js not built');
		return;
	}
	assert.doesNotMatch(bundle, /require\(["']@tensorflow/);
});

test('extensionKind is workspace: under Remote-SSH/Dev Containers/Codespaces the runner trains on the remote host', () => {
	assert.deepEqual(pkg.extensionKind, ['workspace']);
});

test('every context key a when clause reads is in ContextKeys, and every ContextKeys key is read', () => {
	const ids = new Set([
		...constValues('src/extension/ids.ts', 'Commands'),
		...constValues('src/extension/ids.ts', 'Views'),
	]);
	const whens = JSON.stringify(pkg.contributes.menus ?? {}) + JSON.stringify(pkg.contributes);
	const read = new Set(
		[...whens.matchAll(/"(?:when|enablement)":"([^"]*)"/g)]
			.flatMap((m) => [...m[1].matchAll(/lrScope\.[A-Za-z.]+/g)].map((k) => k[0]))
			.filter((k) => !ids.has(k)),
	);
	assert.deepEqual([...read].sort(), constValues('src/extension/ids.ts', 'ContextKeys').sort());
});
