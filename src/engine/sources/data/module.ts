/**
 * Loads the user's JS/TS module (model + data factories, or a data function) inside the runner so that
 * it shares OUR tfjs instance: factories receive `tf` as their argument, and while the module is
 * evaluated and its factories run, `require('@tensorflow/tfjs')` (and tfjs-node) resolves to that same
 * instance — one engine, one set of tensors, one backend.
 *
 * CommonJS `.js`/`.cjs` files are compiled as they are; ESM and TypeScript are bundled to CommonJS with
 * esbuild IN MEMORY (`write: false`: nothing is written to the workspace or anywhere else), bare
 * imports left external and resolved from the module's own folder.
 */
import Module, { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BadInputError } from '../../../shared/errors';
import type { Tf } from '../sourceTypes';
import { errorFirstLine, errorText } from '../../../core/present/errorText';
import {
	esbuildMissingText,
	factoryThrewText,
	moduleCompileText,
	moduleExtensionText,
	moduleNotFoundText,
	moduleThrewText,
} from '../../../core/present/sourceErrors';

/** Requests that resolve to the runner's tfjs while a user module runs. */
const tfRequests = new Set([
	'@tensorflow/tfjs',
	'@tensorflow/tfjs-node',
	'@tensorflow/tfjs-node-gpu',
]);

interface ModuleInternals {
	_load(request: string, parent: unknown, isMain: boolean): unknown;
	_nodeModulePaths(dir: string): string[];
}
const M = Module as unknown as ModuleInternals;

let hookDepth = 0;
let hookTf: Tf | undefined;
let originalLoad: ModuleInternals['_load'] | undefined;

/**
 * Runs `fn` with `require('@tensorflow/tfjs' | '-node' | '-node-gpu')` answering `tf`. The hook is
 * removed afterwards so it never outlives the user's code (tests run several sources in one process).
 */
export async function withTfHook<T>(tf: Tf, fn: () => T | Promise<T>): Promise<T> {
	if (hookDepth === 0) {
		originalLoad = M._load;
		hookTf = tf;
		const orig = originalLoad;
		M._load = function (request: string, parent: unknown, isMain: boolean): unknown {
			if (hookTf && tfRequests.has(request)) {
				return hookTf;
			}
			return orig.call(this, request, parent, isMain);
		};
	}
	hookDepth++;
	try {
		return await fn();
	} finally {
		hookDepth--;
		if (hookDepth === 0 && originalLoad) {
			M._load = originalLoad;
			originalLoad = undefined;
			hookTf = undefined;
		}
	}
}

const esmHint =
	/Cannot use import statement|Unexpected token 'export'|import\.meta|Cannot use 'import\.meta'/;

interface EsbuildLike {
	build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

/** esbuild from the workspace (the module's folder) first, then our own install (dev / CLI). */
function findEsbuild(modulePath: string): EsbuildLike | undefined {
	for (const from of [modulePath, __filename]) {
		try {
			return createRequire(from)('esbuild') as EsbuildLike;
		} catch {
			// try the next location
		}
	}
	return undefined;
}

/** Bundles a TS/ESM entry to CommonJS text in memory. */
async function transpile(path: string): Promise<string> {
	const esbuild = findEsbuild(path);
	if (!esbuild) {
		throw new BadInputError(esbuildMissingText(basename(path)));
	}
	try {
		const result = await esbuild.build({
			entryPoints: [path],
			bundle: true,
			packages: 'external',
			format: 'cjs',
			platform: 'node',
			target: 'node20',
			write: false,
			sourcemap: 'inline',
			logLevel: 'silent',
			define: { 'import.meta.url': '__lrscopeImportMetaUrl' },
			banner: { js: `var __lrscopeImportMetaUrl = ${JSON.stringify(pathToFileURL(path).href)};` },
		});
		return result.outputFiles?.[0]?.text ?? '';
	} catch (e) {
		const first = (
			e as {
				errors?: { text: string; location?: { file: string; line: number; column: number } }[];
			}
		).errors?.[0];
		const at = first?.location && { ...first.location, file: basename(first.location.file) };
		throw new BadInputError(moduleCompileText(basename(path), first?.text ?? errorText(e), at));
	}
}

function evaluate(code: string, path: string): Record<string, unknown> {
	const Ctor = Module as unknown as new (
		id: string,
		parent?: unknown,
	) => Module & {
		_compile(code: string, filename: string): void;
	};
	const mod = new Ctor(path);
	mod.filename = path;
	mod.paths = M._nodeModulePaths(dirname(path));
	mod._compile(code, path);
	return mod.exports as Record<string, unknown>;
}

/**
 * Loads a user module and returns its exports (with `default` object exports merged in). Throws
 * BadInputError when the file is missing, does not compile, or throws while loading (with its message).
 */
export async function loadUserModule(tf: Tf, modulePath: string): Promise<Record<string, unknown>> {
	const path = resolve(modulePath);
	const name = basename(path);
	if (!existsSync(path)) {
		throw new BadInputError(moduleNotFoundText(modulePath));
	}
	const ext = extname(path).toLowerCase();
	const plainCjs = ext === '.js' || ext === '.cjs';
	if (!plainCjs && !['.mjs', '.ts', '.mts', '.cts', '.tsx', '.jsx'].includes(ext)) {
		throw new BadInputError(moduleExtensionText(name));
	}
	return withTfHook(tf, async () => {
		let exports: Record<string, unknown>;
		try {
			if (plainCjs) {
				try {
					exports = evaluate(readFileSync(path, 'utf8'), path);
				} catch (e) {
					if (!(e instanceof SyntaxError && esmHint.test(e.message))) {
						throw e;
					}
					exports = evaluate(await transpile(path), path);
				}
			} else {
				exports = evaluate(await transpile(path), path);
			}
		} catch (e) {
			if (e instanceof BadInputError) {
				throw e;
			}
			throw new BadInputError(moduleThrewText(name, errorFirstLine(e)));
		}
		const def = exports.default;
		if (def && typeof def === 'object') {
			return { ...(def as Record<string, unknown>), ...exports };
		}
		return exports;
	});
}

/**
 * Calls an export that is either a factory `(tf) => value | Promise<value>` or the value itself,
 * under the tfjs hook. Wraps a throw as BadInputError naming the module and export.
 */
export async function callFactory(
	tf: Tf,
	moduleName: string,
	exportName: string,
	value: unknown,
): Promise<unknown> {
	if (typeof value !== 'function') {
		return value;
	}
	try {
		return await withTfHook(tf, () => (value as (t: Tf) => unknown)(tf));
	} catch (e) {
		throw new BadInputError(factoryThrewText(moduleName, exportName, errorFirstLine(e)));
	}
}
