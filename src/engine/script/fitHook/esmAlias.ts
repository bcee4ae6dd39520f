/**
 * The ES-module half of tfjs aliasing (tfLoad.ts's `installAlias` does CommonJS): a script that
 * `import`s `@tensorflow/tfjs*` is resolved by Node's ESM resolver, which CommonJS hooks never see,
 * so without this its top-level package would come from the workspace while the packages that one
 * requires came from LR Scope — a mix of two tfjs versions. A `module.register` resolve hook (Node
 * ≥ 20.6) sends those specifiers to LR Scope's copy, as `require` from the hook's own file would
 * resolve them. `@tensorflow/tfjs-node`/`-node-gpu` go to a small CommonJS file that `require`s the
 * package, so the CommonJS hook gives the import its stand-in on the bundled tfjs (the workspace's
 * would throw for its missing binary); its last line lists the names tfjs exports, for Node's
 * CommonJS export detection (`import * as tf` / `import { tensor }`). A specifier LR Scope's copy
 * does not have falls through to Node's own resolution.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The loader, run on Node's loader thread: plain JavaScript, no imports from LR Scope. */
const loaderSource = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
let req;
const tfjs = /^@tensorflow\\/tfjs(?:-[a-z0-9-]+)?(?:\\/.*)?$/;
const native = /^@tensorflow\\/tfjs-node(?:-gpu)?(?:\\/|$)/;
let standIns = {};
export function initialize(data) {
	req = createRequire(data.ownFrom);
	standIns = data.standIns;
}
export async function resolve(specifier, context, next) {
	if (standIns[specifier]) {
		return { url: standIns[specifier], format: 'commonjs', shortCircuit: true };
	}
	if (req && tfjs.test(specifier) && !native.test(specifier)) {
		let file;
		try {
			file = req.resolve(specifier);
		} catch {
			file = undefined;
		}
		if (file) {
			return { url: pathToFileURL(file).href, shortCircuit: true };
		}
	}
	return next(specifier, context);
}
`;

/**
 * Registers the resolve hook so that ES-module imports of `@tensorflow/tfjs*` resolve from
 * `ownFrom` (a file next to LR Scope's node_modules). False when this Node has no `module.register`.
 */
export function registerEsmTfAlias(ownFrom: string): boolean {
	const register = (Module as unknown as { register?: (...args: unknown[]) => void }).register;
	if (typeof register !== 'function') {
		return false;
	}
	const standIns: Record<string, string> = {};
	for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
		const file = standInFile(pkg);
		if (file) {
			standIns[pkg] = pathToFileURL(file).href;
		}
	}
	register(`data:text/javascript,${encodeURIComponent(loaderSource)}`, {
		parentURL: pathToFileURL(ownFrom).href,
		data: { ownFrom, standIns },
	});
	return true;
}

/**
 * The CommonJS file an ES import of `pkg` (tfjs-node) loads instead: it `require`s `pkg`, which the
 * fit hook answers with its stand-in. Written once to the OS temp dir (never the workspace), named
 * by its content; undefined when it cannot be written (the import then resolves as Node would).
 */
function standInFile(pkg: string): string | undefined {
	const text = `'use strict';
// LR Scope: an ES import of ${pkg} gets the fit hook's stand-in on LR Scope's bundled tfjs.
module.exports = require('${pkg}');
// For Node's CommonJS export detection: the stand-in has tfjs's names and \`node\`.
0 && (module.exports = { ...require('@tensorflow/tfjs'), node, version });
`;
	const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
	const file = path.join(os.tmpdir(), `lrscope-esm-${pkg.replace(/\W+/g, '-')}-${hash}.cjs`);
	try {
		if (!fs.existsSync(file)) {
			const tmp = `${file}.${process.pid}`;
			fs.writeFileSync(tmp, text);
			fs.renameSync(tmp, file);
		}
		return file;
	} catch {
		return undefined;
	}
}
