/**
 * LR Scope's own files, so that an error or a fit call site is never attributed to them: a stack
 * frame in `dist/` (the bundles) or, through source maps (`--enable-source-maps` for TypeScript
 * scripts), in `src/` of LR Scope's install is not the user's code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined | null = null;

/** The folder of LR Scope's package.json (name `lr-scope`), found from this file; cached. */
export function lrScopeRoot(): string | undefined {
	if (root !== null) {
		return root;
	}
	root = undefined;
	for (let d = __dirname; ; d = path.dirname(d)) {
		try {
			const pkg = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as {
				name?: string;
			};
			if (pkg.name === 'lr-scope') {
				root = d;
				break;
			}
		} catch {
			// no package.json here
		}
		if (path.dirname(d) === d) {
			break;
		}
	}
	return root;
}

/** Whether `file` (absolute) is one of LR Scope's own sources or bundles. */
export function isLrScopeFile(file: string): boolean {
	const r = lrScopeRoot();
	return (
		r !== undefined &&
		(file.startsWith(path.join(r, 'src') + path.sep) ||
			file.startsWith(path.join(r, 'dist') + path.sep))
	);
}
