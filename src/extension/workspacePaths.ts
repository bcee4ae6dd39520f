/** Paths in command arguments: workspace-relative ones are resolved against the first folder. */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Resolves a workspace-relative path against the first workspace folder. */
export function resolvePath(p: string): string {
	const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
	return path.isAbsolute(p) || !root ? p : path.join(root, p);
}
