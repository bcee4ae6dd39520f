/**
 * ES-module syntax in `.js` files of CommonJS packages (scripts written for babel-node): shared by
 * the fit hook, which transforms such files on load, and the script runner, which turns on source
 * maps for them so stack traces and the reported fit line point at the real source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Nearest package.json's `type` for a file (cached per folder). */
const packageTypes = new Map<string, string>();
export function packageTypeOf(file: string): string {
	const dir = path.dirname(file);
	let type = packageTypes.get(dir);
	if (type === undefined) {
		type = 'commonjs';
		const pj = path.join(dir, 'package.json');
		if (fs.existsSync(pj)) {
			try {
				const t = (JSON.parse(fs.readFileSync(pj, 'utf8')) as { type?: unknown }).type;
				type = t === 'module' ? 'module' : 'commonjs';
			} catch {
				// An unreadable package.json: Node treats the folder as CommonJS too.
			}
		} else if (path.dirname(dir) !== dir) {
			type = packageTypeOf(dir);
		}
		packageTypes.set(dir, type);
	}
	return type;
}

/**
 * ES-module syntax at the start of a statement: `import x from`, `import * as`, `import {`,
 * `import './side-effect'`, `export …`. Comments and strings may give false positives, which only
 * cost a transform.
 */
const esmSyntax =
	/(^|[\n;])[ \t]*(import[ \t]+[\w$]+[ \t]*(,|from\b)|import[ \t]*[{*'"]|export[ \t]+(default|const|let|var|function|class|async|\{|\*)|export[ \t]*[{*])/;

export function hasEsmSyntax(code: string): boolean {
	return esmSyntax.test(code);
}

/** A `.js`/`.jsx` file outside node_modules, in a CommonJS package, that uses import/export. */
export function isEsmInCjs(file: string): boolean {
	if (!/\.jsx?$/i.test(file) || file.includes(`${path.sep}node_modules${path.sep}`)) {
		return false;
	}
	try {
		return packageTypeOf(file) !== 'module' && hasEsmSyntax(fs.readFileSync(file, 'utf8'));
	} catch {
		return false;
	}
}
