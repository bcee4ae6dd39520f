/**
 * Workspace-trust gate for everything that runs workspace code (range tests load the workspace's
 * tfjs, data modules and scripts). Tests simulate an untrusted workspace through `setTrustOverride`,
 * because code-server's trust state cannot be changed from an extension.
 */
import * as vscode from 'vscode';

let override: boolean | undefined;

/** Test seam: force trusted/untrusted (`undefined` = follow VS Code). */
export function setTrustOverride(value: boolean | undefined): void {
	override = value;
}

/** Whether workspace code may run. */
export function isTrusted(): boolean {
	return override ?? vscode.workspace.isTrusted;
}

/** The message shown when a command is refused in an untrusted workspace. */
export const untrustedMessage =
	'LR Scope: this workspace is not trusted. Running a range test or sweep executes code from the workspace (its tfjs, data modules and scripts). Trust the workspace to run it.';

/**
 * Returns true when workspace code may run; otherwise shows a clear warning with a
 * "Manage Workspace Trust" action and returns false.
 */
export function requireTrust(): boolean {
	if (isTrusted()) {
		return true;
	}
	void vscode.window
		.showWarningMessage(untrustedMessage, 'Manage Workspace Trust')
		.then((choice) => {
			if (choice) {
				void vscode.commands.executeCommand('workbench.trust.manage');
			}
		});
	return false;
}
