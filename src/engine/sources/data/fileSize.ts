/** Size checks and words for the data files the runner reads (limits: src/shared/limits.ts). */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { BadInputError } from '../../../shared/errors';
import {
	fileIsFolderText,
	fileNotFoundText,
	fileTooLargeText,
} from '../../../core/present/dataErrors';

/**
 * The size of `path`, which must be a regular file: a directory or a missing file is a one-line
 * BadInputError (`what` names it: "data file", "model file").
 */
export function fileSize(path: string, what: string): number {
	let st;
	try {
		st = statSync(path);
	} catch {
		throw new BadInputError(fileNotFoundText(what, path));
	}
	if (st.isDirectory()) {
		throw new BadInputError(fileIsFolderText(what, path));
	}
	return st.size;
}

/** Refuses a file larger than `limit` bytes before reading it, saying the limit and what to do. */
export function checkSize(path: string, size: number, limit: number, advice: string): void {
	if (size > limit) {
		throw new BadInputError(fileTooLargeText(basename(path), size, limit, advice));
	}
}
