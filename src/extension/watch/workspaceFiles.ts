/** The workspace's files as the log watcher sees them: sizes, ignored folders, tfjs users, globs. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `@tensorflow/tfjs`, `-node`, `-node-gpu`, … in a package.json's dependencies. */
const tfjsDependency = /"@tensorflow\/tfjs[\w-]*"\s*:/;

export function safeSize(p: string): number {
	try {
		return fs.statSync(p).size;
	} catch {
		return 0;
	}
}

/** node_modules, .git and other dot-folders never hold the user's training logs. */
export function isIgnoredPath(p: string): boolean {
	return p
		.split(/[\\/]/)
		.some((part) => part === 'node_modules' || (part.startsWith('.') && part.length > 1));
}

/** Whether a package.json lists a `@tensorflow/tfjs*` package. */
export function usesTfjs(file: string): boolean {
	try {
		const st = fs.statSync(file);
		return st.size < 1024 * 1024 && tfjsDependency.test(fs.readFileSync(file, 'utf8'));
	} catch {
		return false;
	}
}

/** `dir/package.json` and `dir/<sub>/package.json` (no node_modules, no dot-folders). */
export function shallowPackageJsons(dir: string): string[] {
	const out = [path.join(dir, 'package.json')];
	try {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			if (e.isDirectory() && !isIgnoredPath(e.name)) {
				out.push(path.join(dir, e.name, 'package.json'));
			}
		}
	} catch {
		// An unreadable folder has no package.json to read.
	}
	return out;
}

/** Files under `dir` (a folder, else nothing), at most `maxDepth` levels and `max` files. */
export function listFiles(dir: string, maxDepth: number, max: number): string[] {
	const out: string[] = [];
	const walk = (d: string, depth: number): void => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(d, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			if (out.length >= max) {
				return;
			}
			const p = path.join(d, e.name);
			if (e.isFile()) {
				out.push(p);
			} else if (e.isDirectory() && depth < maxDepth && !isIgnoredPath(e.name)) {
				walk(p, depth + 1);
			}
		}
	};
	walk(dir, 0);
	return out;
}

/** A workspace glob (`**`, `*`, `?`, literal text) as a RegExp over a `/`-separated relative path. */
export function globToRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*' && glob[i + 1] === '*') {
			// `**/` matches any number of folders, including none.
			if (glob[i + 2] === '/') {
				re += '(?:.*/)?';
				i += 2;
			} else {
				re += '.*';
				i += 1;
			}
		} else if (c === '*') {
			re += '[^/]*';
		} else if (c === '?') {
			re += '[^/]';
		} else {
			re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
		}
	}
	return new RegExp(`^${re}$`);
}
