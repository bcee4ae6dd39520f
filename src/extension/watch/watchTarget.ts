/**
 * Which live run a matched log file belongs to (pure). A JSONL/CSV file is its own run. A
 * TensorBoard event file belongs to its logdir: tfjs-node's `tf.node.tensorBoard(logdir)` writes
 * `logdir/train/events…` and `logdir/val/events…`, which are one run with `loss` and `val_loss`.
 */
import * as path from 'node:path';
import { isEventFileName } from '../../core/logs/logFile';

/** A run to follow: one log file, or one TensorBoard logdir. */
export interface WatchTarget {
	kind: 'file' | 'logdir';
	/** Absolute path of the file or the logdir (the key of the run). */
	path: string;
}

/** Writer sub-folders of a tfjs-node logdir. */
const writerDirs = new Set(['train', 'val', 'validation', 'eval']);

/** The run `file` belongs to. */
export function watchTargetFor(file: string): WatchTarget {
	if (!isEventFileName(file)) {
		return { kind: 'file', path: file };
	}
	const dir = path.dirname(file);
	const logdir = writerDirs.has(path.basename(dir).toLowerCase()) ? path.dirname(dir) : dir;
	return { kind: 'logdir', path: logdir };
}

/** The run id of a target (stable across reloads, so the panel keeps its selection). */
export function watchRunId(target: WatchTarget): string {
	return `watch:${target.path}`;
}
