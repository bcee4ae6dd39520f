// Copies the run-time packages (production dependencies: @tensorflow/tfjs, the wasm backend and what
// they require) into dist/node_modules, so a packaged extension (`vsce package --no-dependencies`,
// which ships dist/) can run range tests in a workspace that has no tfjs of its own. The runner
// resolves them from dist/ like any Node package. Browser bundles, sources, maps and typings stay out.
// `--clean` removes the copy again: during development the runner must resolve the project's own
// node_modules (a second tfjs copy would change which one tests see).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const target = path.join(root, 'dist', 'node_modules');
const listed = execFileSync(
	'npm',
	['ls', '--omit=dev', '--omit=optional', '--all', '--parseable'],
	{ cwd: root, encoding: 'utf8' },
)
	.split('\n')
	.map((l) => l.trim())
	.filter((l) => l && l !== root && !path.relative(root, l).split(path.sep).includes('@types'));

/**
 * Files a Node process never loads from these packages. From `wasm-out/` only the threaded SIMD
 * build's two scripts are kept: src/engine/backend/wasmKernels/threads.ts starts its pthread workers from
 * them (with `dist/tfjs-backend-wasm-threaded-simd.wasm`), so the packaged extension can use every core.
 */
const skip = (rel) =>
	/\.(map|md|ts|mts|cts|tsbuildinfo)$/.test(rel) ||
	/(^|\/)(test|tests|docs|miniprogram)\//.test(rel) ||
	(/(^|\/)wasm-out\//.test(rel) &&
		!/wasm-out\/tfjs-backend-wasm-threaded-simd(\.worker)?\.js$/.test(rel)) ||
	/(^|\/)dist\/[^/]*\.(min|fesm|es2017|esm)\.js$/.test(rel) ||
	/(^|\/)dist\/(tf|tf-[a-z-]+)\.js$/.test(rel);

fs.rmSync(target, { recursive: true, force: true });
if (process.argv.includes('--clean')) {
	process.exit(0);
}
let files = 0;
let bytes = 0;
for (const dir of listed) {
	const rel = path.relative(path.join(root, 'node_modules'), dir);
	const walk = (sub) => {
		for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
			const relFile = path.posix.join(sub, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules') {
					walk(relFile);
				}
			} else if (!skip(relFile)) {
				const dest = path.join(target, rel, relFile);
				fs.mkdirSync(path.dirname(dest), { recursive: true });
				fs.copyFileSync(path.join(dir, relFile), dest);
				files++;
				bytes += fs.statSync(dest).size;
			}
		}
	};
	walk('');
}
console.log(
	`vendorRuntime: ${listed.length} packages, ${files} files, ${(bytes / 1e6).toFixed(1)} MB into dist/node_modules`,
);
