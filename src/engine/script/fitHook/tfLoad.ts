/**
 * How the script gets its tfjs (Module._load / Module._resolveFilename hooks): every tfjs it loads is
 * patched as it loads (patchTf.ts); a tfjs-node that cannot load gets a stand-in (once per package,
 * one note); and with `config.tfAlias` every `@tensorflow/tfjs*` request resolves to LR Scope's
 * bundled copy (engine/script/tfAlias.ts), so one copy of each package loads and no kernel registers twice.
 */
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { errorFirstLine } from '../../../core/present/errorText';
import {
	aliasNote,
	aliasReason,
	noBinaryText,
	standInNote,
	standInReason,
	tfDescription,
} from '../../../core/present/tfjsNotes';
import { quietCpuBanner } from '../../backend/backendLoad';
import { makeTfjsNodeShim, registerFileRouters } from '../shimTfjsNode';
import type { Tf } from '../../sources/sourceTypes';
import {
	hasNativeBinding,
	nativeTfPackages,
	packageJsonOf,
	tfPackageOf,
	versionAt,
} from '../tfAlias';
import { registerEsmTfAlias } from './esmAlias';
import { patchTf } from './patchTf';
import { backendInfo, hookFile, originOf, resolveFrom, tfNames, type HookState } from './state';
import { scriptOwnTfReason, tfjsLentNote, tfjsLentReason } from '../../../core/present/scriptWords';

type Parent = { filename?: string } | undefined;
type ResolveFn = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Node's module internals the hooks replace (not in the typings). */
const M = Module as unknown as {
	_load: LoadFn;
	_resolveFilename: ResolveFn;
	_nodeModulePaths: (dir: string) => string[];
};

/** The main file of a `@tensorflow/tfjs` package (1.x: dist/index.js; 2.x–4.x: dist/tf.node.js). */
const tfjsMainFile = /[\\/]@tensorflow[\\/]tfjs[\\/]dist[\\/](?:tf\.node|index)\.js$/;

/** The stand-ins made so far, by package: a second require gets the same one (and no second note). */
const standIns = new Map<string, Tf>();

/** Installs the hooks (see file comment). */
export function installLoadHook(st: HookState): void {
	if (st.config.tfAlias) {
		installAlias();
	}
	const origLoad = M._load;
	M._load = function (request: string, parent: unknown, isMain: boolean): unknown {
		if (!parent && tfjsMainFile.test(request) && path.isAbsolute(request)) {
			// An ES `import` of @tensorflow/tfjs: Node's ESM loader hands CommonJS packages to _load
			// by their resolved file, without a parent module (a `require` of the file, such as the
			// tfjs-node stand-in's, has one). Patched and captured as a `require` of it would be.
			const mod = origLoad.call(this, request, parent, isMain) as Tf;
			patchTf(st, mod);
			if (!st.tf) {
				captureTf(st, mod, request, scriptOwnTfReason('@tensorflow/tfjs'));
			}
			return mod;
		}
		if (!tfNames.has(request)) {
			return origLoad.call(this, request, parent, isMain);
		}
		const p = parent as Parent;
		if (request === '@tensorflow/tfjs-layers') {
			const mod = origLoad.call(this, request, parent, isMain);
			patchTf(st, mod);
			return mod;
		}
		if (nativeTfPackages.includes(request)) {
			return loadNative(st, request, p, () => origLoad.call(this, request, parent, isMain) as Tf);
		}
		try {
			const mod = origLoad.call(this, request, parent, isMain) as Tf;
			patchTf(st, mod);
			if (!st.tf) {
				captureTf(st, mod, resolveFrom(p, request), scriptOwnTfReason(request));
			}
			return mod;
		} catch (e) {
			// No tfjs next to the script: lend it the bundled one.
			const tf = loadTfFile(st, ownTfFile());
			st.notes.push(tfjsLentNote(errorFirstLine(e).slice(0, 200), tf.version.tfjs));
			if (!st.tf) {
				captureTf(st, tf, ownTfFile(), tfjsLentReason);
			}
			return tf;
		}
	};
}

/** Records the script's tfjs and where it came from (aliased: said once, in a note). */
function captureTf(st: HookState, tf: Tf, file: string | undefined, reason: string): void {
	st.tf = tf;
	registerFileRouters(tf);
	if (originOf(file) === 'bundled') {
		// Its "install our node backend" banner on a cpu backend's first tensor (the speed probe
		// makes more than one): the notes say what ran. PROD silences tfjs's console warnings.
		quietCpuBanner(tf);
		tf.env().set('PROD', true);
	}
	const alias = st.config.tfAlias;
	if (alias && originOf(file) === 'bundled') {
		st.notes.push(
			aliasNote(alias.why, alias.workspaceTf, tf.version?.tfjs ?? '', st.config.mode === 'monitor'),
		);
		st.backend = backendInfo('bundled', '@tensorflow/tfjs', aliasReason(alias.why));
		return;
	}
	st.backend = backendInfo(originOf(file), '@tensorflow/tfjs', reason);
}

/**
 * `@tensorflow/tfjs-node`/`-node-gpu`: the real one when its binary is there (and no aliasing),
 * else a stand-in on the bundled tfjs (aliased) or on the tfjs next to the script.
 */
function loadNative(st: HookState, request: string, p: Parent, load: () => Tf): Tf {
	const made = standIns.get(request);
	if (made) {
		return made;
	}
	const alias = st.config.tfAlias;
	const pkgJson = packageJsonOf(p?.filename ?? path.join(process.cwd(), 'noop.js'), request);
	let failure: string;
	if (alias) {
		failure = alias.why;
	} else if (pkgJson && !hasNativeBinding(pkgJson)) {
		// Loading it would load its @tensorflow/tfjs and fail only then, leaving a second copy behind.
		failure = noBinaryText(request, versionAt(pkgJson));
	} else {
		try {
			const mod = load();
			patchTf(st, mod);
			if (!st.tf) {
				st.tf = mod;
				st.backend = backendInfo(originOf(pkgJson), request, `the script's own ${request}`);
			}
			return mod;
		} catch (e) {
			failure = errorFirstLine(e).slice(0, 200);
		}
	}
	const file = alias
		? ownTfFile()
		: (resolveFrom(p, '@tensorflow/tfjs') ??
			(pkgJson ? resolveFrom({ filename: pkgJson }, '@tensorflow/tfjs') : undefined) ??
			ownTfFile());
	const tf = loadTfFile(st, file);
	const shim = makeTfjsNodeShim(tf);
	standIns.set(request, shim);
	const desc = tfDescription(originOf(file), tf.version.tfjs);
	if (!st.tf) {
		st.shimmed = tf;
		st.tf = shim;
		if (alias) {
			captureTf(st, tf, file, '');
			st.tf = shim;
		} else {
			st.notes.push(standInNote(request, failure, desc));
			st.backend = backendInfo(originOf(file), '@tensorflow/tfjs', standInReason(request, desc));
		}
	}
	return shim;
}

/** LR Scope's own @tensorflow/tfjs entry file. */
function ownTfFile(): string {
	const file = resolveFrom({ filename: hookFile }, '@tensorflow/tfjs');
	if (!file) {
		throw new Error('LR Scope could not find its bundled @tensorflow/tfjs');
	}
	return file;
}

/** LR Scope's bundled tfjs, loaded as {@link loadTfFile} does (earlyWasm.ts starts wasm on it). */
export function loadOwnTf(st: HookState): Tf {
	return loadTfFile(st, ownTfFile());
}

/** Loads the tfjs at `file` (through the hooks: one copy), patched, with file:// routers. */
function loadTfFile(st: HookState, file: string): Tf {
	const tf = createRequire(hookFile)(file) as Tf;
	patchTf(st, tf);
	registerFileRouters(tf);
	return tf;
}

/** Resolves every `@tensorflow/tfjs*` request LR Scope can serve to its own copy (tfjs-node aside). */
function installAlias(): void {
	registerEsmTfAlias(hookFile);
	const orig = M._resolveFilename;
	const ownDir = path.dirname(hookFile);
	const ownParent = {
		id: hookFile,
		filename: hookFile,
		paths: M._nodeModulePaths(ownDir),
	};
	const cache = new Map<string, string | null>();
	M._resolveFilename = function (request, parent, isMain, options): string {
		const pkg = tfPackageOf(request);
		if (pkg && !nativeTfPackages.includes(pkg)) {
			let own = cache.get(request);
			if (own === undefined) {
				try {
					own = orig.call(this, request, ownParent, false);
				} catch {
					own = null;
				}
				cache.set(request, own);
			}
			if (own) {
				return own;
			}
		}
		return orig.call(this, request, parent, isMain, options);
	};
}
