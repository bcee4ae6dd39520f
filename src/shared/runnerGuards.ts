/**
 * Arrival checks for runner protocol messages (both directions). One guard per message type, typed
 * against the union's tags (as webviewGuards.ts): a new message without a guard, or a guard for a
 * message that does not exist, is a compile error. Unknown or malformed → false.
 */
import type { FromRunnerMessage, ToRunnerMessage } from './runnerProtocol';
import { hasValidVerification } from './verifyGuards';

const isObj = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

/** A check of the fields of one message type (its `type` tag and `id` already matched). */
type FieldGuard = (x: Record<string, unknown>) => boolean;

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
	started: (x) => isObj(x.backend) && isNum(x.total),
	progress: (x) =>
		isNum(x.step) &&
		isNum(x.total) &&
		isNum(x.lr) &&
		isNumOrNull(x.loss) &&
		isNumOrNull(x.smoothed),
	sweepProgress: (x) =>
		isNum(x.lrIndex) && isNum(x.lrCount) && isNum(x.lr) && isNum(x.epoch) && isNum(x.fold),
	trainLog: (x) =>
		(x.unit === 'batch' || x.unit === 'epoch') &&
		isNum(x.step) &&
		isNum(x.epoch) &&
		isObj(x.values),
	verifyProgress: (x) =>
		isNum(x.step) && isNum(x.total) && isNum(x.candidate) && isNum(x.candidates) && isNum(x.lr),
	log: (x) => isStr(x.level) && isStr(x.message),
	result: (x) =>
		isObj(x.result) &&
		Array.isArray(x.result.lrs) &&
		Array.isArray(x.result.losses) &&
		hasValidVerification(x.result.report),
	sweepResult: (x) => isObj(x.result) && Array.isArray(x.result.results),
	monitorEnd: (x) => isNum(x.exitCode),
	error: (x) => isStr(x.code) && isStr(x.message),
	finding: (x) =>
		isObj(x.finding) &&
		isStr(x.finding.kind) &&
		isStr(x.finding.series) &&
		isNum(x.finding.step) &&
		isStr(x.finding.message),
	layerStats: (x) => isLayerSample(x.sample) && (x.nan === undefined || isNanOrigin(x.nan)),
	fitCall: (x) =>
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
	cancel: () => true,
	rangeTest: (x) => isRequest(x) && hasVerifyOptionTypes(x.options as Record<string, unknown>),
	sweep: isRequest,
	monitor: isRequest,
} satisfies Record<ToRunnerMessage['type'], FieldGuard>;

/** The guard of `x`'s type in `guards`; only own keys count (`toString` is not a message type). */
function check(guards: Record<string, FieldGuard>, x: unknown): boolean {
	return isObj(x) && isStr(x.id) && typeof x.type === 'string' && Object.hasOwn(guards, x.type)
		? guards[x.type](x)
		: false;
}

/** Host-side check of a message from the runner. */
export function isFromRunnerMessage(x: unknown): x is FromRunnerMessage {
	return check(fromRunnerGuards, x);
}

/** Runner-side check of a message from the host. */
export function isToRunnerMessage(x: unknown): x is ToRunnerMessage {
	return check(toRunnerGuards, x);
}
