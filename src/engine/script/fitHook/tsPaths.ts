/**
 * TypeScript `paths` and `baseUrl` for the script's imports, as `tsconfig-paths`/`ts-node -r
 * tsconfig-paths/register` give them in monorepos (nx, …): the tsconfig nearest to the script
 * (following `extends`) is read once; a bare import that Node cannot resolve is tried against its
 * `paths` patterns, then against `baseUrl`. Only imports from the user's files (not node_modules).
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** What a tsconfig chain says about module resolution. */
export interface TsPaths {
	/** Absolute folder `paths` entries are relative to (baseUrl, else the defining tsconfig's folder). */
	pathsBase?: string;
	paths?: Record<string, string[]>;
	baseUrl?: string;
}

/** JSON with comments and trailing commas (tsconfig's dialect) → value; undefined when unreadable. */
export function parseJsonc(text: string): unknown {
	let out = '';
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === '"') {
			const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
			const s = m ? m[0] : text.slice(i);
			out += s;
			i += s.length;
		} else if (text.startsWith('//', i)) {
			const end = text.indexOf('\n', i);
			i = end < 0 ? text.length : end;
		} else if (text.startsWith('/*', i)) {
			const end = text.indexOf('*/', i + 2);
			i = end < 0 ? text.length : end + 2;
		} else {
			out += c;
			i++;
		}
	}
	try {
		return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
	} catch {
		return undefined;
	}
}

/** The nearest tsconfig.json at or above `dir`, up to the filesystem root. */
export function nearestTsconfig(dir: string): string | undefined {
	for (let d = dir; ; d = path.dirname(d)) {
		const p = path.join(d, 'tsconfig.json');
		if (fs.existsSync(p)) {
			return p;
		}
		if (path.dirname(d) === d) {
			return undefined;
		}
	}
}

/** `paths`/`baseUrl` of `file`, following `extends` (relative files only; later files override). */
export function readTsPaths(file: string, depth = 0): TsPaths {
	let json: { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
	try {
		json = parseJsonc(fs.readFileSync(file, 'utf8')) as typeof json;
	} catch {
		return {};
	}
	const dir = path.dirname(file);
	let base: TsPaths = {};
	const ext = typeof json?.extends === 'string' ? json.extends : undefined;
	if (ext && depth < 8 && (ext.startsWith('.') || path.isAbsolute(ext))) {
		const target = path.resolve(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
		base = readTsPaths(target, depth + 1);
	}
	const co = json?.compilerOptions ?? {};
	const out: TsPaths = { ...base };
	if (typeof co.baseUrl === 'string') {
		out.baseUrl = path.resolve(dir, co.baseUrl);
		out.pathsBase = out.baseUrl;
	}
	if (co.paths && typeof co.paths === 'object') {
		out.paths = co.paths as Record<string, string[]>;
		out.pathsBase = out.baseUrl ?? dir;
	}
	return out;
}

/** Candidate files for `request` under `ts` (paths patterns first, longest prefix first, then baseUrl). */
export function tsPathCandidates(request: string, ts: TsPaths): string[] {
	const out: string[] = [];
	const patterns = Object.keys(ts.paths ?? {}).sort((a, b) => b.length - a.length);
	for (const pattern of patterns) {
		const star = pattern.indexOf('*');
		let rest: string | undefined;
		if (star < 0) {
			rest = pattern === request ? '' : undefined;
		} else {
			const [pre, post] = [pattern.slice(0, star), pattern.slice(star + 1)];
			if (
				request.startsWith(pre) &&
				request.endsWith(post) &&
				request.length >= pre.length + post.length
			) {
				rest = request.slice(pre.length, request.length - post.length);
			}
		}
		if (rest === undefined) {
			continue;
		}
		for (const target of ts.paths?.[pattern] ?? []) {
			out.push(path.resolve(ts.pathsBase ?? '', target.replace('*', rest)));
		}
	}
	if (ts.baseUrl) {
		out.push(path.resolve(ts.baseUrl, request));
	}
	return out;
}

type ResolveFn = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/** Installs the fallback resolution for the script's tsconfig (nothing when it has none). */
export function installTsPaths(scriptPath: string): void {
	const tsconfig = nearestTsconfig(path.dirname(scriptPath));
	const ts = tsconfig ? readTsPaths(tsconfig) : {};
	if (!ts.paths && !ts.baseUrl) {
		return;
	}
	const M = Module as unknown as { _resolveFilename: ResolveFn };
	const orig = M._resolveFilename;
	M._resolveFilename = function (request, parent, isMain, options): string {
		try {
			return orig.call(this, request, parent, isMain, options);
		} catch (e) {
			const from = (parent as { filename?: string } | undefined)?.filename ?? '';
			const bare =
				!request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('node:');
			if (!bare || from.includes(`${path.sep}node_modules${path.sep}`)) {
				throw e;
			}
			for (const candidate of tsPathCandidates(request, ts)) {
				try {
					return orig.call(this, candidate, parent, isMain, options);
				} catch {
					// the next candidate
				}
			}
			throw e;
		}
	};
}
