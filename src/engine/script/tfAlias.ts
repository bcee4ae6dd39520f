/**
 * Which tfjs a script's range test runs on (decided by the script runner before the script starts,
 * applied by the fit hook as the script loads).
 *
 * LR Scope's wasm backend (with its training kernels) can only join LR Scope's own tfjs-core. When
 * the workspace brings another copy — `@tensorflow/tfjs-node` installed without its native binary
 * (whose stand-in would be the workspace's `@tensorflow/tfjs`), or a pinned `@tensorflow/tfjs` of
 * another version — the script would train on that copy's pure-JS cpu backend, 10–200× slower than
 * wasm. Then every `@tensorflow/tfjs*` request of the script (and of its dependencies) is resolved
 * to LR Scope's bundled copy instead ("module aliasing"): one copy of each package per process, so
 * no kernel is registered twice. If the script fails on the bundled tfjs, the runner runs it again
 * on the workspace's own (scriptRunner.ts). A workspace tfjs-node WITH its binary keeps native
 * TensorFlow (fastest): no aliasing.
 *
 * No tfjs is loaded here: packages are resolved and their package.json read with plain `fs`.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { BackendChoice } from '../../shared/runnerProtocol';
import { noNativeBinaryWhy, otherTfjsCopyWhy } from '../../core/present/tfjsNotes';

/** The packages of tfjs-node that need a native binary. */
export const nativeTfPackages = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

/** What the workspace has, as the fit hook needs it for its note and backend line. */
export interface TfAliasPlan {
	/** Resolve `@tensorflow/tfjs*` requests to LR Scope's copy. */
	alias: boolean;
	/** The workspace's tfjs as the note names it, e.g. "@tensorflow/tfjs 3.21.0". */
	workspaceTf?: string;
	/** Why the workspace's copy cannot use wasm, e.g. "@tensorflow/tfjs-node 4.22.0 has no native binary". */
	why?: string;
}

/** Resolves `pkg`'s package.json from `from` (a file), or undefined. */
export function packageJsonOf(from: string, pkg: string): string | undefined {
	try {
		return createRequire(from).resolve(`${pkg}/package.json`);
	} catch {
		// Packages with an `exports` map without ./package.json: walk up from the main file.
		try {
			let dir = path.dirname(createRequire(from).resolve(pkg));
			while (path.dirname(dir) !== dir) {
				const p = path.join(dir, 'package.json');
				if (fs.existsSync(p) && readJson(p)?.name === pkg) {
					return p;
				}
				dir = path.dirname(dir);
			}
		} catch {
			// not installed
		}
		return undefined;
	}
}

function readJson(p: string): { name?: string; version?: string } | undefined {
	try {
		return JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
	} catch {
		return undefined;
	}
}

/** The version in a package.json, or 'unknown'. */
export function versionAt(pkgJson: string): string {
	return readJson(pkgJson)?.version ?? 'unknown';
}

/**
 * Whether a tfjs-node package (its package.json) has its native binding (`lib/…/tfjs_binding.node`,
 * put there by its install script, which `npm install --ignore-scripts` or a failed download skips).
 */
export function hasNativeBinding(pkgJson: string): boolean {
	const lib = path.join(path.dirname(pkgJson), 'lib');
	const walk = (dir: string, depth: number): boolean => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return false;
		}
		return entries.some((e) =>
			e.isDirectory()
				? depth < 3 && walk(path.join(dir, e.name), depth + 1)
				: e.name === 'tfjs_binding.node',
		);
	};
	return walk(lib, 0);
}

/**
 * Decides whether the script at `scriptPath` runs on LR Scope's bundled tfjs (see file comment).
 * `ownFrom` is a file next to LR Scope's own node_modules; `choice` the requested backend.
 */
export function planTfAlias(
	scriptPath: string,
	ownFrom: string,
	choice: BackendChoice | undefined,
): TfAliasPlan {
	if (choice === 'tfjs-node' || process.env.LRSCOPE_TFJS_ALIAS === '0') {
		return { alias: false };
	}
	const own = packageJsonOf(ownFrom, '@tensorflow/tfjs');
	if (!own) {
		return { alias: false };
	}
	const found: { what: string; why: string }[] = [];
	for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-core']) {
		const p = packageJsonOf(scriptPath, pkg);
		if (p && path.dirname(p) !== path.dirname(packageJsonOf(ownFrom, pkg) ?? '')) {
			const theirs = `${pkg} ${versionAt(p)}`;
			found.push({
				what: theirs,
				why: otherTfjsCopyWhy(theirs),
			});
			break;
		}
	}
	for (const pkg of nativeTfPackages) {
		const p = packageJsonOf(scriptPath, pkg);
		if (p && p !== packageJsonOf(ownFrom, pkg)) {
			if (hasNativeBinding(p)) {
				return { alias: false };
			}
			const theirs = `${pkg} ${versionAt(p)}`;
			found.push({ what: theirs, why: noNativeBinaryWhy(theirs) });
		}
	}
	if (found.length === 0) {
		return { alias: false };
	}
	return { alias: true, workspaceTf: found[0].what, why: found.map((f) => f.why).join('; ') };
}

/** The `@tensorflow/*` package a request names (`@tensorflow/tfjs-core/dist/x` → `@tensorflow/tfjs-core`). */
export function tfPackageOf(request: string): string | undefined {
	const m = /^(@tensorflow\/tfjs(?:-[a-z0-9-]+)?)(?:\/.*)?$/.exec(request);
	return m ? m[1] : undefined;
}
