/** A script request's source, checked before anything runs; the hook's train logs as log records. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DetectorSet } from '../../core/detectors';
import type { DetectorConfig } from '../../core/detectors/options';
import { LayerDetectorSet } from '../../core/layers/layerDetectors';
import { errorText } from '../../core/present/errorText';
import { parseScheduleSpec } from '../../core/schedules/parseSpec';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { LogRecord } from '../../core/types';
import type { HookConfig } from '../../shared/fitHookProtocol';
import type { ModelSource, MonitorRequest, TrainLogMessage } from '../../shared/runnerProtocol';
import {
	badDetectorSettingsText,
	badScheduleText,
	cwdNotFoundText,
	noScriptText,
	notScriptSourceText,
	scriptArgsText,
	scriptExtensionText,
	scriptNotFileText,
	scriptNotFoundText,
} from '../../core/present/scriptWords';

/** Extensions a script may have. */
export const scriptExtensions = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.tsx'];
/** Checks the script source; returns a one-line problem or undefined. */
export function checkScriptSource(source: ModelSource): string | undefined {
	if (source.kind !== 'script') {
		return notScriptSourceText(source.kind);
	}
	const p = source.scriptPath;
	if (typeof p !== 'string' || p === '') {
		return noScriptText;
	}
	if (!scriptExtensions.includes(path.extname(p).toLowerCase())) {
		return scriptExtensionText(path.basename(p), scriptExtensions);
	}
	let st: fs.Stats;
	try {
		st = fs.statSync(p);
	} catch {
		return scriptNotFoundText(p);
	}
	if (!st.isFile()) {
		return scriptNotFileText(p);
	}
	if (
		source.cwd !== undefined &&
		!(fs.existsSync(source.cwd) && fs.statSync(source.cwd).isDirectory())
	) {
		return cwdNotFoundText(source.cwd);
	}
	if (!Array.isArray(source.args) || source.args.some((a) => typeof a !== 'string')) {
		return scriptArgsText;
	}
	return undefined;
}

/**
 * The working directory a script runs in: the request's `cwd`, else the nearest folder at or above
 * the script with a package.json — where `npm run` starts it, so paths the script resolves from the
 * package root work — else the script's own folder.
 */
export function scriptCwd(source: Extract<ModelSource, { kind: 'script' }>): string {
	if (source.cwd !== undefined) {
		return source.cwd;
	}
	const script = path.resolve(source.scriptPath);
	for (let d = path.dirname(script); ; d = path.dirname(d)) {
		if (fs.existsSync(path.join(d, 'package.json'))) {
			return d;
		}
		if (path.dirname(d) === d) {
			return path.dirname(script);
		}
	}
}

export function toRecord(m: TrainLogMessage): LogRecord {
	const values: Record<string, number | null> = { ...m.values };
	if (m.lr !== undefined) {
		values.lr = m.lr;
	}
	return { step: m.step, unit: m.unit === 'batch' ? 'step' : 'epoch', values };
}

/**
 * A monitor request's schedule, detectors and layer options: written into `config`, the detectors
 * returned; a string is the one-line bad-input problem.
 */
export function monitorSetup(
	msg: MonitorRequest,
	config: HookConfig,
): string | { detectors: DetectorSet; layerDetectors?: LayerDetectorSet } {
	let schedule: ScheduleSpec | undefined;
	if (msg.options.schedule !== undefined && msg.options.schedule !== null) {
		try {
			schedule = parseScheduleSpec(msg.options.schedule);
		} catch (e) {
			return badScheduleText(errorText(e));
		}
	}
	let detectors: DetectorSet;
	try {
		detectors = new DetectorSet((msg.options.detectors ?? {}) as DetectorConfig);
	} catch (e) {
		return badDetectorSettingsText(errorText(e));
	}
	if (msg.options.suggestedLr !== undefined) {
		detectors.setSuggestedLr(msg.options.suggestedLr);
	}
	config.schedule = schedule;
	config.gradNorm = msg.options.gradNorm !== false;
	config.backend = msg.backend;
	const layers = msg.options.layers;
	config.layers = layers === false ? false : typeof layers === 'object' ? layers : {};
	const layerDetectors =
		layers !== false
			? new LayerDetectorSet({
					disabled: detectors.options.disabled,
					suggestedLr: detectors.options.suggestedLr,
				})
			: undefined;
	return { detectors, layerDetectors };
}
