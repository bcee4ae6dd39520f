/**
 * The ES-module half of tfjs aliasing (tfLoad.ts's `installAlias` does CommonJS): a script that
 * `import`s `@tensorflow/tfjs*` is resolved by Node's ESM resolver, which CommonJS hooks never see,
 * so without this its top-level package would come from the workspace while the packages that one
 * requires came from LR Scope — a mix of two tfjs versions. A `module.register` resolve hook (Node
 * ≥ 20.6) sends those specifiers to LR Scope's copy, as `require` from the hook's own file would
 * resolve them. tfjs-node stays with the CommonJS stand-in logic; a specifier LR Scope's copy does
 * not have falls through to Node's own resolution.
 */
import Module from 'node:module';
import { pathToFileURL } from 'node:url';

/** The loader, run on Node's loader thread: plain JavaScript, no imports from LR Scope. */
const loaderSource = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
let req;
const tfjs = /^@tensorflow\\/tfjs(?:-[a-z0-9-]+)?(?:\\/.*)?$/;
const native = /^@tensorflow\\/tfjs-node(?:-gpu)?(?:\\/|$)/;
export function initialize(data) {
	req = createRequire(data.ownFrom);
}
export async function resolve(specifier, context, next) {
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
	register(`data:text/javascript,${encodeURIComponent(loaderSource)}`, {
		parentURL: pathToFileURL(ownFrom).href,
		data: { ownFrom },
	});
	return true;
}
