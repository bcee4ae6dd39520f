// Builds every bundle: extension host, engine runner (+ fit-hook preload), webview, CLI.
// Flags: --production (minify, no sourcemaps), --watch.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild's `[watch] build started/finished` lines and file:line:col errors for the problem matcher. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => console.log('[watch] build started'));
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
			console.log('[watch] build finished');
		});
	},
};

const common = {
	bundle: true,
	sourcemap: !production,
	sourcesContent: false,
	minify: production,
	logLevel: 'warning',
	plugins: watch ? [problemMatcher] : [],
};
// tfjs is resolved at run time (workspace copy first, see src/engine/backend/backend.ts), never bundled.
const tfExternal = ['@tensorflow/*', 'typescript'];

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const entries = [
	{
		...node,
		entryPoints: ['src/extension/extension.ts'],
		outfile: 'dist/extension.js',
		external: ['vscode', ...tfExternal],
	},
	{
		...node,
		entryPoints: ['src/engine/runner.ts'],
		outfile: 'dist/runner.js',
		external: tfExternal,
	},
	// The per-model speed probe's child process (forked by the runner, src/engine/backend/modelSpeedProbe.ts).
	{
		...node,
		entryPoints: ['src/engine/backend/modelSpeedProbeChild.ts'],
		outfile: 'dist/speedProbe.js',
		external: tfExternal,
	},
	{
		...node,
		entryPoints: ['src/engine/script/fitHook.ts'],
		outfile: 'dist/fitHook.js',
		external: tfExternal,
	},
	{ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: tfExternal },
	// The LR-site finder with the TypeScript parser bundled in; the extension requires it on first use.
	{
		...node,
		entryPoints: ['src/core/lrSites.ts'],
		outfile: 'dist/lrSites.js',
		external: ['@tensorflow/*'],
	},
	{
		...common,
		entryPoints: ['webview/main.ts'],
		outfile: 'dist/webview.js',
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
		loader: { '.css': 'css' },
	},
].filter((e) => existsSync(e.entryPoints[0]));

// A production build writes no maps: drop the development build's, which no longer match (and
// would otherwise be packaged into the .vsix beside the minified bundles).
if (production) {
	for (const e of entries) {
		rmSync(`${e.outfile}.map`, { force: true });
		rmSync(`${e.outfile.replace(/\.js$/, '.css')}.map`, { force: true });
	}
}
const contexts = await Promise.all(entries.map((e) => esbuild.context(e)));
if (watch) {
	await Promise.all(contexts.map((c) => c.watch()));
} else {
	try {
		await Promise.all(contexts.map((c) => c.rebuild()));
	} finally {
		await Promise.all(contexts.map((c) => c.dispose()));
	}
}
