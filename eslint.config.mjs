import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Layer boundaries (docs/architecture.md, "Layers"): each folder lists what it may not import.
// A rule per folder, not one global list, so the message names the layer that was crossed.
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const banned = {
	vscode: { name: 'vscode', message: 'Only src/extension talks to VS Code.' },
	tfjs: { group: ['@tensorflow/*'], message: 'Only src/engine loads TensorFlow.js.' },
	node: {
		group: nodeBuiltins.flatMap((m) => [m, `${m}/*`, `node:${m}`, `node:${m}/*`]),
		message: 'No Node built-ins here (browser code, or pure core; core/logs is the exception).',
	},
	engine: {
		group: ['**/engine', '**/engine/**'],
		message:
			'Only the runner process imports engine/ (tfjs): talk to it through host/client.ts; shared types and errors live in shared/.',
	},
	layer: (name, why) => ({
		group: [`**/${name}`, `**/${name}/**`],
		message: `This layer may not import ${name}/ (${why}).`,
	}),
};
const restrict = (...bans) => {
	const paths = bans.filter((b) => b.name);
	const patterns = bans.filter((b) => b.group);
	return { 'no-restricted-imports': ['error', { paths, patterns }] };
};
const upper = (...names) => names.map((n) => banned.layer(n, 'it sits above this one'));

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'.vscode-test/**',
			'examples/**',
			'test/fixtures/**',
			// Written in tfjs-examples' own style, run in temp projects (bench/realScripts/README.md).
			'bench/realScripts/**',
			'out/**',
		],
	},
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			curly: 'error',
			eqeqeq: ['error', 'smart'],
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
			],
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
	{
		files: ['src/extension/**/*.ts'],
		rules: { 'no-console': 'error' },
	},
	{
		files: ['src/core/**/*.ts'],
		ignores: ['src/core/logs/**'],
		rules: restrict(
			banned.vscode,
			banned.tfjs,
			banned.node,
			...upper('shared', 'engine', 'host', 'extension', 'cli', 'webview'),
		),
	},
	{
		files: ['src/core/logs/**/*.ts'],
		rules: restrict(
			banned.vscode,
			banned.tfjs,
			...upper('shared', 'engine', 'host', 'extension', 'cli', 'webview'),
		),
	},
	{
		files: ['src/shared/**/*.ts'],
		rules: restrict(
			banned.vscode,
			banned.tfjs,
			banned.node,
			...upper('engine', 'host', 'extension', 'cli', 'webview'),
		),
	},
	{
		files: ['src/engine/**/*.ts'],
		rules: restrict(banned.vscode, ...upper('host', 'extension', 'cli', 'webview')),
	},
	{
		files: ['src/host/**/*.ts'],
		rules: restrict(
			banned.vscode,
			banned.tfjs,
			banned.engine,
			...upper('extension', 'cli', 'webview'),
		),
	},
	{
		files: ['src/cli/**/*.ts'],
		rules: restrict(banned.vscode, banned.engine, ...upper('extension', 'webview')),
	},
	{
		files: ['src/extension/**/*.ts'],
		rules: restrict(banned.tfjs, banned.engine, ...upper('cli', 'webview')),
	},
	{
		files: ['webview/**/*.ts'],
		rules: restrict(
			banned.vscode,
			banned.tfjs,
			banned.node,
			...upper('engine', 'host', 'extension', 'cli'),
		),
	},
);
