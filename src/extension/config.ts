/**
 * Typed reader for the `lrScope.*` settings, read fresh on every access so a change applies to the
 * next run. Every setting contributed in package.json
 * has a reader here; `test/unit/manifest.test.ts` checks both directions through `settingKeys`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendChoice, RangeTestOptions, SweepOptions } from '../shared/runnerProtocol';
import { defaultRangeTestOptions } from '../shared/runnerProtocol';
import { verifyModes, type VerifyMode } from '../core/verify';
import { normalizeDetectorSettings } from './warnings/detectorSettings';
import type { DetectorSettings } from './warnings/detectorSettings';
import type { NotifyLevel } from './warnings/notifyPolicy';
import { SettingSections } from './ids';
import type { NumberSettingKey } from './settingBounds';
import { numberSettingBounds } from './settingBounds';

/** Default `lrScope.watch.globs`: tfjs/Keras-style JSONL and CSV logs and TensorBoard event files. */
export const defaultWatchGlobs: readonly string[] = [
	'**/logs/**/*.jsonl',
	'**/*.log.jsonl',
	'**/events.out.tfevents.*',
	'**/training_log.csv',
];

/** Every contributed setting key (without the `lrScope.` prefix). */
export const settingKeys = [
	'backend',
	'wasmThreads',
	'timeoutSeconds',
	'openPanelOnResult',
	'rangeTest.startLr',
	'rangeTest.endLr',
	'rangeTest.steps',
	'rangeTest.ramp',
	'rangeTest.smoothingBeta',
	'rangeTest.divergeFactor',
	'rangeTest.batchSize',
	'rangeTest.seed',
	'rangeTest.repeat',
	'rangeTest.verify',
	'sweep.epochs',
	'sweep.folds',
	'editor.codeLens',
	'editor.hover',
	'editor.diagnostics',
	'editor.quickFixes',
	'watch.enabled',
	'watch.globs',
	'detectors.divergenceFactor',
	'detectors.spikeMultiplier',
	'detectors.plateauPatienceSteps',
	'detectors.plateauPatienceEpochs',
	'detectors.overfittingPatience',
	'detectors.disabled',
	'warnings.notify',
	'monitor.gradNorm',
	'monitor.layers',
	'monitor.timeoutMinutes',
	'script.fitTimeoutSeconds',
	'script.cwd',
] as const;

/** A setting key. */
export type SettingKey = (typeof settingKeys)[number];

const section = SettingSections.root;

/** Reads the settings fresh on every access (they can change at any time). */
export class Config {
	private get _cfg(): vscode.WorkspaceConfiguration {
		return vscode.workspace.getConfiguration(section);
	}

	private _get<T>(key: SettingKey, fallback: T): T {
		return this._cfg.get<T>(key, fallback);
	}

	/** Whether the user set `key` anywhere (user, workspace or folder settings), not just its default. */
	private _isSet(key: SettingKey): boolean {
		const i = this._cfg.inspect(key);
		return (
			i !== undefined &&
			(i.globalValue !== undefined ||
				i.workspaceValue !== undefined ||
				i.workspaceFolderValue !== undefined)
		);
	}

	private _number(key: SettingKey & NumberSettingKey, fallback: number): number {
		const [min, max] = numberSettingBounds[key];
		const v = this._get<unknown>(key, fallback);
		// A hand-edited settings.json can hold anything; clamp rather than fail the run.
		return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
	}

	/** Which tfjs backend the runner uses. */
	get backend(): BackendChoice {
		const v = this._get<string>('backend', 'auto');
		return v === 'tfjs-node' || v === 'wasm' || v === 'cpu' ? v : 'auto';
	}

	/**
	 * Cap on the threads of the wasm backend (0 = all: `os.availableParallelism()`, the default;
	 * 1 = single-threaded).
	 */
	get wasmThreads(): number {
		return Math.round(this._number('wasmThreads', 0));
	}

	/** Hard limit for one run, in seconds. */
	get timeoutSeconds(): number {
		return this._number('timeoutSeconds', 600);
	}

	/** Whether the panel opens when a run finishes. */
	get openPanelOnResult(): boolean {
		return this._get<boolean>('openPanelOnResult', true) !== false;
	}

	/** Range-test options from the settings (fastai defaults). */
	get rangeTest(): Partial<RangeTestOptions> {
		const d = defaultRangeTestOptions;
		const batchSize = this._number('rangeTest.batchSize', 0);
		const ramp = this._get<string>('rangeTest.ramp', d.ramp);
		return {
			startLr: this._number('rangeTest.startLr', d.startLr),
			endLr: this._number('rangeTest.endLr', d.endLr),
			// Steps and repeats left at their defaults may shrink to the time budget (engine/training/rangeBudget.ts).
			...(this._isSet('rangeTest.steps')
				? { steps: Math.round(this._number('rangeTest.steps', d.steps)) }
				: {}),
			ramp: ramp === 'linear' ? 'linear' : 'exp',
			beta: this._number('rangeTest.smoothingBeta', d.beta),
			divergeFactor: this._number('rangeTest.divergeFactor', d.divergeFactor),
			seed: Math.round(this._number('rangeTest.seed', d.seed)),
			// Only when the user set it: left alone, the engine runs 3 curves, or 1 when it verifies.
			...(this._isSet('rangeTest.repeat')
				? { repeat: Math.round(this._number('rangeTest.repeat', d.repeat)) }
				: {}),
			verify: this.verify,
			// 0 = the model's/source's own batch size.
			...(batchSize > 0 ? { batchSize: Math.round(batchSize) } : {}),
		};
	}

	/** Whether a range test verifies its suggestion with short probe trainings (`off`/`auto`/`on`). */
	get verify(): VerifyMode {
		const v = this._get<string>('rangeTest.verify', defaultRangeTestOptions.verify);
		return (verifyModes as readonly string[]).includes(v)
			? (v as VerifyMode)
			: defaultRangeTestOptions.verify;
	}

	/** Sweep options from the settings. */
	get sweep(): Partial<SweepOptions> {
		return {
			epochs: Math.round(this._number('sweep.epochs', 3)),
			folds: Math.round(this._number('sweep.folds', 1)),
		};
	}

	/** Which in-editor surfaces are on (CodeLens, hover, diagnostics, quick fixes). */
	get editor(): { codeLens: boolean; hover: boolean; diagnostics: boolean; quickFixes: boolean } {
		return {
			codeLens: this._get<boolean>('editor.codeLens', true) !== false,
			hover: this._get<boolean>('editor.hover', true) !== false,
			diagnostics: this._get<boolean>('editor.diagnostics', true) !== false,
			quickFixes: this._get<boolean>('editor.quickFixes', true) !== false,
		};
	}

	/** Passive watching of training logs (JSONL/CSV/TensorBoard event files) found by globs. */
	get watch(): { enabled: boolean; globs: string[] } {
		const globs = this._get<unknown>('watch.globs', defaultWatchGlobs);
		return {
			enabled: this._get<boolean>('watch.enabled', true) !== false,
			globs: Array.isArray(globs)
				? globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '')
				: [...defaultWatchGlobs],
		};
	}

	/** Detector thresholds for live runs (clamped; defaults = the core's). */
	get detectors(): DetectorSettings {
		return normalizeDetectorSettings({
			divergenceFactor: this._get<unknown>('detectors.divergenceFactor', undefined),
			spikeMultiplier: this._get<unknown>('detectors.spikeMultiplier', undefined),
			plateauPatienceSteps: this._get<unknown>('detectors.plateauPatienceSteps', undefined),
			plateauPatienceEpochs: this._get<unknown>('detectors.plateauPatienceEpochs', undefined),
			overfittingPatience: this._get<unknown>('detectors.overfittingPatience', undefined),
			disabled: this._get<unknown>('detectors.disabled', []),
		});
	}

	/** Which findings raise a notification. */
	get warningsNotify(): NotifyLevel {
		const v = this._get<string>('warnings.notify', 'all');
		return v === 'errors' || v === 'off' ? v : 'all';
	}

	/** Monitor mode ("Train with LR Scope") and range tests on scripts. */
	get monitor(): {
		gradNorm: boolean;
		layers: boolean;
		timeoutMinutes: number;
		fitTimeoutSeconds: number;
		/** `lrScope.script.cwd` as written ('' = the nearest package.json folder). */
		cwd: string;
	} {
		return {
			gradNorm: this._get<boolean>('monitor.gradNorm', true) !== false,
			layers: this._get<boolean>('monitor.layers', true) !== false,
			// 0 = no limit: real training may take hours; Stop Training ends it.
			timeoutMinutes: this._number('monitor.timeoutMinutes', 0),
			fitTimeoutSeconds: this._number('script.fitTimeoutSeconds', 120),
			cwd: (this._get<string>('script.cwd', '') ?? '').trim(),
		};
	}
}

/**
 * The script source's `cwd` under `lrScope.script.cwd` (`setting`): absolute as written, relative
 * from the script's workspace folder; none when empty (the runner's default: the nearest
 * package.json folder, as `npm run`).
 */
export function scriptCwdFor(
	setting: string,
	scriptPath: string,
	workspaceFolder: string | undefined,
): { cwd?: string } {
	if (!setting) {
		return {};
	}
	return {
		cwd: path.isAbsolute(setting)
			? setting
			: path.resolve(workspaceFolder ?? path.dirname(scriptPath), setting),
	};
}
