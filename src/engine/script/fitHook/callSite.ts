/** Where the script called fit: the first stack frame in the user's own code. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLrScopeFile } from '../ownFiles';
import { hookFile } from './state';

/** The first stack frame in the user's code (not tfjs, not node internals, not this hook). */
export function userCallSite(
	stack: string | undefined,
): { file: string; line: number; column: number } | undefined {
	for (const raw of (stack ?? '').split('\n').slice(1)) {
		const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(raw.trim());
		if (!m) {
			continue;
		}
		let file = m[1];
		if (file.startsWith('file://')) {
			file = fileURLToPath(file);
		}
		if (
			file.startsWith('node:') ||
			file.includes(`${path.sep}node_modules${path.sep}`) ||
			file === hookFile ||
			isLrScopeFile(file) ||
			!path.isAbsolute(file)
		) {
			continue;
		}
		return { file, line: Number(m[2]), column: Number(m[3]) };
	}
	return undefined;
}
