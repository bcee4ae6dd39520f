/** The in-memory loaders: TypeScript, and ES-module syntax in a CommonJS package (nothing is written). */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { BadInputError } from '../../../shared/errors';
import { hasEsmSyntax, packageTypeOf } from '../esmInCjs';
import { hookFile, type HookState, type Rec } from './state';
import {
	esmInCjsText,
	esmTransformedNote,
	esmTransformedPrefix,
	noTypeScriptCompilerText,
} from '../../../core/present/scriptWords';

type Transform = (code: string, file: string) => string;

/** esbuild (the script's, else ours) as a → CommonJS transform for `loader(file)`; undefined without it. */
function esbuildTransformer(
	scriptPath: string,
	loader: (file: string) => string,
): Transform | undefined {
	for (const from of [scriptPath, hookFile]) {
		try {
			const esbuild = createRequire(from)('esbuild') as {
				transformSync: (c: string, o: Rec) => { code: string };
			};
			return (code, file) =>
				esbuild.transformSync(code, {
					loader: loader(file),
					format: 'cjs',
					target: 'node20',
					sourcemap: 'inline',
					sourcefile: file,
				}).code;
		} catch {
			// try the next place
		}
	}
	return undefined;
}

/** Loads esbuild (the script's, else ours) or TypeScript for in-memory TS → CJS transforms. */
function tsTransformer(scriptPath: string): Transform {
	const viaEsbuild = esbuildTransformer(scriptPath, (file) => (file.endsWith('x') ? 'tsx' : 'ts'));
	if (viaEsbuild) {
		return viaEsbuild;
	}
	for (const from of [scriptPath, hookFile]) {
		try {
			const ts = createRequire(from)('typescript') as {
				transpileModule: (c: string, o: Rec) => { outputText: string };
				ModuleKind: Rec;
				ScriptTarget: Rec;
			};
			return (code, file) =>
				ts.transpileModule(code, {
					fileName: file,
					compilerOptions: {
						module: ts.ModuleKind.CommonJS,
						target: ts.ScriptTarget.ES2022,
						esModuleInterop: true,
						inlineSourceMap: true,
					},
				}).outputText;
		} catch {
			// try the next place
		}
	}
	return () => {
		throw new BadInputError(noTypeScriptCompilerText);
	};
}

type ExtensionLoader = (m: { _compile: (c: string, f: string) => void }, f: string) => void;

/** Node's CommonJS loaders by file extension (`Module._extensions`, not in the typings). */
function moduleExtensions(): Record<string, ExtensionLoader> {
	return (Module as unknown as { _extensions: Record<string, ExtensionLoader> })._extensions;
}

/** TS files load through an in-memory transform: resolution stays relative to the real file. */
export function installTsLoader(scriptPath: string): void {
	const exts = moduleExtensions();
	let transform: Transform | undefined;
	for (const ext of ['.ts', '.cts', '.tsx']) {
		if (exts[ext]) {
			continue;
		}
		exts[ext] = (m, file) => {
			transform ??= tsTransformer(scriptPath);
			m._compile(transform(fs.readFileSync(file, 'utf8'), file), file);
		};
	}
}

/**
 * `.js` files that use `import`/`export` in a CommonJS package (no `"type": "module"`) — scripts
 * written for babel-node — are transformed to CommonJS in memory as they load, so extension-less and
 * directory imports (`import * as d from './date_format'`) resolve as under babel-node instead of
 * failing in Node's ESM loader. Real ES modules (`.mjs`, `"type": "module"`) and files in
 * node_modules stay on Node's own loaders.
 */
export function installEsmInCjsLoader(scriptPath: string, st: HookState): void {
	const exts = moduleExtensions();
	const orig = exts['.js'];
	let transform: Transform | undefined;
	exts['.js'] = function (m, file) {
		if (!file.includes(`${path.sep}node_modules${path.sep}`) && packageTypeOf(file) !== 'module') {
			const code = fs.readFileSync(file, 'utf8');
			if (hasEsmSyntax(code)) {
				transform ??= esmTransformer(scriptPath);
				const out = transform(code, file);
				if (!st.notes.some((n) => n.startsWith(esmTransformedPrefix))) {
					st.notes.push(esmTransformedNote(path.basename(file)));
				}
				m._compile(out, file);
				return;
			}
		}
		orig.call(this, m, file);
	};
}

/** esbuild (the script's, else ours) as a JS ESM → CJS transform; without it, a clear error. */
function esmTransformer(scriptPath: string): Transform {
	const viaEsbuild = esbuildTransformer(scriptPath, (file) => (file.endsWith('x') ? 'jsx' : 'js'));
	return (
		viaEsbuild ??
		((_code, file) => {
			throw new BadInputError(esmInCjsText(path.basename(file)));
		})
	);
}
