/**
 * The one way a command is registered: by its id from ids.ts, with a failure reported to the log
 * and to the user, because VS Code shows nothing useful for a rejected command. Also the one way a
 * context key is set.
 */
import * as vscode from 'vscode';
import { errorText } from '../core/present/errorText';
import type { CommandId, ContextKey } from './ids';

/** Reports a failed command; the run manager shows it as a run error. */
export interface CommandErrorSink {
	log: { error(message: string, e?: unknown): void };
	showError(message: string): void;
}

/**
 * Registers `id`. With a `sink`, a throw or rejection is logged and shown as "LR Scope: <command>
 * failed: …"; without one (commands that only UI elements call and that cannot fail) it is not wrapped.
 */
export function registerCommand(
	id: CommandId,
	fn: (...args: any[]) => unknown,
	sink?: CommandErrorSink,
): vscode.Disposable {
	if (!sink) {
		return vscode.commands.registerCommand(id, fn);
	}
	return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
		try {
			return await fn(...args);
		} catch (e) {
			sink.log.error(`${id} failed`, e);
			sink.showError(`LR Scope: ${id.replace('lrScope.', '')} failed: ${errorText(e)}`);
			return undefined;
		}
	});
}

/** Sets a context key for `when` clauses. */
export function setContext(key: ContextKey, value: unknown): Thenable<unknown> {
	return vscode.commands.executeCommand('setContext', key, value);
}
