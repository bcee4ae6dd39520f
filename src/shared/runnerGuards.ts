/**
 * Arrival checks for runner protocol messages (both directions), built as webviewGuards.ts is: one
 * guard per message tag of `RunnerMessageType`, typed against the union's tags, and the envelope
 * (the run's `id`) checked first. The host client checks what the runner sends, the runner what the
 * host and the fit hook send. Unknown or malformed → false, and the receiver drops it.
 */
import type { FromRunnerMessage, ToRunnerMessage } from './runnerProtocol';
import { RunnerMessageType as T } from './runnerProtocol';
import { hasValidVerification } from './verifyGuards';
import { isNum, isNumOrNull, isObj, isOptional, messageGuard, type FieldGuard } from './guards';

const isStr = (x: unknown): x is string => typeof x === 'string';
/** Loss curves: arrays of numbers or `null` (a range test's repeats). */
const isLossCurves = (x: unknown): boolean =>
	Array.isArray(x) && x.every((c) => Array.isArray(c) && c.every(isNumOrNull));

/** The envelope: every runner message names its run. */
const hasRunId: FieldGuard = (x) => isStr(x.id);

const layerSampleFields = [
	'params',
	'gradNorm',
	'weightNorm',
	'updateRatio',
	'dead',
	'saturated',
] as const;

function isLayerSample(s: unknown): boolean {
	return (
		isObj(s) &&
		isNum(s.step) &&
		isNum(s.every) &&
		Array.isArray(s.layers) &&
		s.layers.every(isStr) &&
		(s.optimizer === undefined || isStr(s.optimizer)) &&
		layerSampleFields.every((k) => {
			const a = s[k];
			return (
				Array.isArray(a) && a.length === (s.layers as unknown[]).length && a.every(isNumOrNull)
			);
		})
	);
}

function isNanOrigin(n: unknown): boolean {
	return (
		isObj(n) &&
		isNum(n.step) &&
		(n.layer === null || isStr(n.layer)) &&
		['weight', 'gradient', 'output', 'loss'].includes(n.where as string)
	);
}

/** One guard per message the runner (or the fit hook through it) sends. */
const fromRunnerGuards = {
	[T.Started]: (x) => isObj(x.backend) && isNum(x.total),
	[T.Progress]: (x) =>
		isNum(x.step) &&
		isNum(x.total) &&
		isNum(x.lr) &&
		isNumOrNull(x.loss) &&
		isNumOrNull(x.smoothed),
	[T.SweepProgress]: (x) =>
		isNum(x.lrIndex) && isNum(x.lrCount) && isNum(x.lr) && isNum(x.epoch) && isNum(x.fold),
	[T.TrainLog]: (x) =>
		(x.unit === 'batch' || x.unit === 'epoch') &&
		isNum(x.step) &&
		isNum(x.epoch) &&
		isObj(x.values),
	[T.VerifyProgress]: (x) =>
		isNum(x.step) && isNum(x.total) && isNum(x.candidate) && isNum(x.candidates) && isNum(x.lr),
	[T.Log]: (x) => isStr(x.level) && isStr(x.message),
	[T.Result]: (x) =>
		isObj(x.result) &&
		Array.isArray(x.result.lrs) &&
		Array.isArray(x.result.losses) &&
		isOptional(x.result.repeatLosses, isLossCurves) &&
		hasValidVerification(x.result.report),
	[T.SweepResult]: (x) => isObj(x.result) && Array.isArray(x.result.results),
	[T.MonitorEnd]: (x) => isNum(x.exitCode),
	[T.Error]: (x) => isStr(x.code) && isStr(x.message),
	[T.Finding]: (x) =>
		isObj(x.finding) &&
		isStr(x.finding.kind) &&
		isStr(x.finding.series) &&
		isNum(x.finding.step) &&
		isStr(x.finding.message),
	[T.LayerStats]: (x) => isLayerSample(x.sample) && (x.nan === undefined || isNanOrigin(x.nan)),
	[T.FitCall]: (x) =>
		(x.method === 'fit' || x.method === 'fitDataset') &&
		isNum(x.index) &&
		typeof x.intercepted === 'boolean',
} satisfies Record<FromRunnerMessage['type'], FieldGuard>;

/**
 * The verification options of a range test, when given, have the right types (their values are
 * checked by the engine, which answers a bad one with a one-line reason instead of silence).
 */
const hasVerifyOptionTypes = (o: Record<string, unknown>): boolean =>
	(o.verify === undefined || isStr(o.verify)) &&
	(o.verifySteps === undefined || typeof o.verifySteps === 'number');

const isRequest: FieldGuard = (x) =>
	isObj(x.source) && isStr(x.source.kind) && isObj(x.options) && isStr(x.backend);

/** One guard per message the host sends the runner. */
const toRunnerGuards = {
	[T.Cancel]: () => true,
	[T.RangeTest]: (x) => isRequest(x) && hasVerifyOptionTypes(x.options as Record<string, unknown>),
	[T.Sweep]: isRequest,
	[T.Monitor]: isRequest,
} satisfies Record<ToRunnerMessage['type'], FieldGuard>;

/**
 * Host-side check of a message from the runner (the client, before its `switch`); the runner uses
 * it too for what the fit hook sends it.
 */
export const isFromRunnerMessage = messageGuard<FromRunnerMessage>(fromRunnerGuards, hasRunId);

/** Runner-side check of a message from the host, before the runner's `switch`. */
export const isToRunnerMessage = messageGuard<ToRunnerMessage>(toRunnerGuards, hasRunId);
