/** The log watcher's file-system watchers (they cost nothing until something changes) and knobs. */
import * as vscode from 'vscode';

/** Knobs for tests. */
export interface LogWatcherOptions {
	/**
	 * While some followed run is running, every run is also polled this often: file-system events
	 * are not guaranteed (a folder created just before its log was written may never report
	 * changes). With no running run there is no timer at all.
	 */
	pollMs: number;
	/** A run with no new data for this long is shown as finished (it becomes running again on data). */
	idleMs: number;
	/** Logs older than this when found do not notify about their history. */
	staleMs: number;
	/** A new folder is listed this long after it appears (writers create the folder, then the file). */
	newFolderDelayMs: number;
	maxRuns: number;
	/** Bytes one poll reads; a longer backlog is read in several polls, one after the other. */
	maxBytesPerPoll: number;
}

export const defaults: LogWatcherOptions = {
	pollMs: 2000,
	idleMs: 120_000,
	staleMs: 5 * 60_000,
	newFolderDelayMs: 300,
	maxRuns: 50,
	maxBytesPerPoll: 4 * 1024 * 1024,
};

/** Watchers for one workspace folder: the globs, new folders, and package.json files. */
export function watchFolder(
	folder: vscode.WorkspaceFolder,
	globs: string[],
	on: {
		onLog: (uri: vscode.Uri) => void;
		onCreate: (uri: vscode.Uri) => void;
		onPackageJson: (uri: vscode.Uri) => void;
	},
): vscode.Disposable[] {
	// Deletes are never watched; new folders only for creates (see logWatcher.ts's file comment).
	const watch = (glob: string, changes: boolean): vscode.FileSystemWatcher =>
		vscode.workspace.createFileSystemWatcher(
			new vscode.RelativePattern(folder, glob),
			false,
			!changes,
			true,
		);
	const watchers: vscode.Disposable[] = [];
	for (const glob of globs) {
		const w = watch(glob, true);
		w.onDidCreate(on.onLog);
		w.onDidChange(on.onLog);
		watchers.push(w);
	}
	const dirs = watch('**/*', false);
	dirs.onDidCreate(on.onCreate);
	const pkgs = watch('**/package.json', true);
	pkgs.onDidCreate(on.onPackageJson);
	pkgs.onDidChange(on.onPackageJson);
	watchers.push(dirs, pkgs);
	return watchers;
}
