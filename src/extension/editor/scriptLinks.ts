/**
 * Which models/modules (or other scripts) the user linked to a script, so that their range tests may
 * advise on the script's learning rates (core/provenance.ts). Remembered per workspace in
 * `workspaceState`; set by `lrScope.linkResultToScript`.
 */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';

const linksKey = 'lrScope.scriptLinks.v1';

/** Script URI → linked target URIs (strings), persisted in `workspaceState`. */
export class ScriptLinks extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	/** Fired when any script's links change. */
	readonly onDidChange = this._onDidChange.event;

	constructor(private readonly _state: vscode.Memento) {
		super();
	}

	private _all(): Record<string, string[]> {
		return this._state.get<Record<string, string[]>>(linksKey, {});
	}

	/** The targets linked to `scriptUri`. */
	get(scriptUri: string): readonly string[] {
		return this._all()[scriptUri] ?? [];
	}

	/** Replaces the targets linked to `scriptUri` (an empty list removes the entry). */
	async set(scriptUri: string, targets: readonly string[]): Promise<void> {
		const all = { ...this._all() };
		const unique = [...new Set(targets)].filter((t) => t !== scriptUri);
		if (unique.length) {
			all[scriptUri] = unique;
		} else {
			delete all[scriptUri];
		}
		await this._state.update(linksKey, all);
		this._onDidChange.fire();
	}
}
