/** Arrival checks for runner protocol messages (both directions). Unknown or malformed → false. */
import type { FromRunnerMessage, ToRunnerMessage } from './runnerProtocol';

const isObj = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

/** Host-side check of a message from the runner. */
export function isFromRunnerMessage(x: unknown): x is FromRunnerMessage {
	if (!isObj(x) || !isStr(x.id)) {
		return false;
	}
	switch (x.type) {
		case 'started':
			return isObj(x.backend) && isNum(x.total);
		case 'progress':
			return (
				isNum(x.step) &&
				isNum(x.total) &&
				isNum(x.lr) &&
				isNumOrNull(x.loss) &&
				isNumOrNull(x.smoothed)
			);
		case 'sweepProgress':
			return isNum(x.lrIndex) && isNum(x.lrCount) && isNum(x.lr) && isNum(x.epoch) && isNum(x.fold);
		case 'trainLog':
			return (
				(x.unit === 'batch' || x.unit === 'epoch') &&
				isNum(x.step) &&
				isNum(x.epoch) &&
				isObj(x.values)
			);
		case 'log':
			return isStr(x.level) && isStr(x.message);
		case 'result':
			return isObj(x.result) && Array.isArray(x.result.lrs) && Array.isArray(x.result.losses);
		case 'sweepResult':
			return isObj(x.result) && Array.isArray(x.result.results);
		case 'monitorEnd':
			return isNum(x.exitCode);
		case 'error':
			return isStr(x.code) && isStr(x.message);
		case 'finding':
			return (
				isObj(x.finding) &&
				isStr(x.finding.kind) &&
				isStr(x.finding.series) &&
				isNum(x.finding.step) &&
				isStr(x.finding.message)
			);
		case 'layerStats':
			return (
				isObj(x.sample) &&
				isNum(x.sample.step) &&
				isNum(x.sample.every) &&
				Array.isArray(x.sample.layers) &&
				x.sample.layers.every(isStr) &&
				(['params', 'gradNorm', 'weightNorm', 'updateRatio', 'dead', 'saturated'] as const).every(
					(k) => {
						const a = (x.sample as Record<string, unknown>)[k];
						return (
							Array.isArray(a) &&
							a.length === (x.sample as { layers: unknown[] }).layers.length &&
							a.every(isNumOrNull)
						);
					},
				) &&
				(x.nan === undefined ||
					(isObj(x.nan) &&
						isNum(x.nan.step) &&
						(x.nan.layer === null || isStr(x.nan.layer)) &&
						['weight', 'gradient', 'output', 'loss'].includes(x.nan.where as string)))
			);
		case 'fitCall':
			return (
				(x.method === 'fit' || x.method === 'fitDataset') &&
				isNum(x.index) &&
				typeof x.intercepted === 'boolean'
			);
		default:
			return false;
	}
}

/** Runner-side check of a message from the host. */
export function isToRunnerMessage(x: unknown): x is ToRunnerMessage {
	if (!isObj(x) || !isStr(x.id)) {
		return false;
	}
	switch (x.type) {
		case 'cancel':
			return true;
		case 'rangeTest':
		case 'sweep':
		case 'monitor':
			return isObj(x.source) && isStr(x.source.kind) && isObj(x.options) && isStr(x.backend);
		default:
			return false;
	}
}
