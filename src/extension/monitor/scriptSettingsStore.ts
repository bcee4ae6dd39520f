/**
 * Arguments and environment per training script, remembered in the workspace's state (never in the
 * user's files), keyed by the script's URI. Used by the range test on a script and by monitor mode.
 */
import type * as vscode from 'vscode';
import { asScriptSettings } from './scriptArgs';
import type { ScriptSettings } from './scriptArgs';

const stateKey = 'lrScope.scriptSettings.v1';
/** Old entries beyond this are dropped (least recently set first). */
const maxScripts = 200;

/** Reads and writes the remembered script settings. */
export class ScriptSettingsStore {
	constructor(private readonly _state: vscode.Memento) {}

	private _all(): Record<string, unknown> {
		const v = this._state.get<unknown>(stateKey, {});
		return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
	}

	/** The settings of `scriptUri` (no args, no env when never set). */
	get(scriptUri: vscode.Uri): ScriptSettings {
		return asScriptSettings(this._all()[scriptUri.toString()]);
	}

	/** Remembers the settings of `scriptUri`. */
	async set(scriptUri: vscode.Uri, settings: ScriptSettings): Promise<void> {
		const all = this._all();
		delete all[scriptUri.toString()];
		all[scriptUri.toString()] = { args: [...settings.args], env: { ...settings.env } };
		const keys = Object.keys(all);
		for (const k of keys.slice(0, Math.max(0, keys.length - maxScripts))) {
			delete all[k];
		}
		await this._state.update(stateKey, all);
	}
}
