/** Size checks and words for the data files the runner reads (limits: src/shared/limits.ts). */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { BadInputError } from '../../../shared/errors';
import { formatBytes } from '../../../core/present/format';

/**
 * The size of `path`, which must be a regular file: a directory or a missing file is a one-line
 * BadInputError (`what` names it: "data file", "model file").
 */
export function fileSize(path: string, what: string): number {
	let st;
	try {
		st = statSync(path);
	} catch {
		throw new BadInputError(`${what} not found: ${path}`);
	}
	if (st.isDirectory()) {
		throw new BadInputError(`${what} ${path} is a folder: give a file`);
	}
	return st.size;
}

/** Refuses a file larger than `limit` bytes before reading it, saying the limit and what to do. */
export function checkSize(path: string, size: number, limit: number, advice: string): void {
	if (size > limit) {
		throw new BadInputError(
			`${basename(path)} is ${formatBytes(size)}, over LR Scope's limit of ${formatBytes(limit)} for this file: ${advice}`,
		);
	}
}
