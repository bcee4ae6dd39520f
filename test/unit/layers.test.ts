/**
 * The layer rules in eslint.config.mjs fire: each layer's deliberate violations are reported by
 * `no-restricted-imports`, and a legal import in the same file is not (docs/architecture.md,
 * "Layers"). Runs ESLint's Node API on in-memory text, so no file is written.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The import specifiers that `no-restricted-imports` reports when `code` lives at `filePath`. */
async function restricted(filePath: string, specifiers: string[]): Promise<string[]> {
	const code = specifiers.map((s, i) => `import * as m${i} from '${s}';\nvoid m${i};\n`).join('');
	const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
	const lines = result.messages
		.filter((m) => m.ruleId === 'no-restricted-imports')
		.map((m) => m.line);
	return specifiers.filter((_, i) => lines.includes(2 * i + 1));
}

const cases: { file: string; banned: string[]; legal: string[] }[] = [
	{
		file: 'src/core/example.ts',
		banned: [
			'vscode',
			'@tensorflow/tfjs',
			'node:fs',
			'path',
			'../engine/sources',
			'../host/client',
			'../extension/runs',
			'../cli/common',
			'../../webview/chart',
			'../shared/webviewProtocol',
		],
		legal: ['./smoothing', './present/format', 'typescript'],
	},
	{
		file: 'src/core/logs/example.ts',
		banned: ['vscode', '@tensorflow/tfjs-node', '../../engine/sources'],
		legal: ['node:fs', 'path', '../types'],
	},
	{
		file: 'src/engine/example.ts',
		banned: ['vscode', '../extension/runs', '../host/client', '../cli/common', '../../webview/dom'],
		legal: ['@tensorflow/tfjs', 'node:path', '../core/suggest', '../shared/runnerProtocol'],
	},
	{
		file: 'src/host/example.ts',
		banned: [
			'vscode',
			'@tensorflow/tfjs',
			'../extension/runs',
			'../cli/common',
			'../engine/sources',
			'../engine/training/rangeTest',
		],
		legal: [
			'node:child_process',
			'../core/suggest',
			'../shared/runnerProtocol',
			'../shared/errors',
		],
	},
	{
		file: 'src/extension/example.ts',
		banned: [
			'@tensorflow/tfjs-core',
			'../cli/common',
			'../../webview/chart',
			'../engine/sources',
			'../engine/training/rangeTest',
		],
		legal: ['vscode', '../host/client', '../core/suggest', '../shared/errors'],
	},
	{
		file: 'src/cli/example.ts',
		banned: [
			'vscode',
			'../extension/runs',
			'../../webview/chart',
			'../engine/errors',
			'../engine/sources/sourceData',
		],
		legal: [
			'node:fs',
			'../host/client',
			'../core/suggest',
			'../shared/errors',
			'../shared/dataSpec',
		],
	},
	{
		file: 'webview/example.ts',
		banned: [
			'vscode',
			'node:fs',
			'fs',
			'child_process',
			'path',
			'../src/host/client',
			'../src/engine/sweep',
			'../src/extension/runs',
		],
		legal: ['uplot', '../src/core/suggest', '../src/shared/webviewProtocol', './dom'],
	},
];

for (const c of cases) {
	test(`layer rules for ${c.file}`, async () => {
		assert.deepEqual(await restricted(c.file, c.banned), c.banned, 'every banned import reported');
		assert.deepEqual(await restricted(c.file, c.legal), [], 'no legal import reported');
	});
}
