/**
 * Arrival checks for webview protocol messages (both directions). Hand-written so that every field
 * the receiver touches is checked; anything unknown or malformed → false, and the caller drops it.
 */
import type { FromWebviewMessage, ToWebviewMessage } from './webviewProtocol';
import { MessageType, panelTabs, protocolLimits } from './webviewProtocol';
import { hasValidVerification } from './verifyGuards';
import { isObj, isOptional, messageGuard, type FieldGuard } from './guards';

const isStr = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const isId = (x: unknown): x is string => isStr(x, protocolLimits.maxIdChars) && x.length > 0;
const isRequestId = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isExportKind = (x: unknown): boolean => x === 'png' || x === 'csv';
const isTab = (x: unknown): boolean =>
	typeof x === 'string' && (panelTabs as readonly string[]).includes(x);

/** A bare file name: no directories, no parent references, no control characters. */
export function isPlainFileName(x: unknown): x is string {
	return isStr(x, 200) && x.length > 0 && !/[\\/:\u0000-\u001f]/.test(x) && x !== '.' && x !== '..';
}

/**
 * The outline of a ScheduleSpec: an object with a non-empty `kind` whose JSON stays within
 * `maxSpecChars`. The fields themselves are the core's `parseScheduleSpec`'s job (on the host).
 */
function isScheduleOutline(x: unknown): boolean {
	if (!isObj(x) || !isStr(x.kind, protocolLimits.maxIdChars) || x.kind.length === 0) {
		return false;
	}
	try {
		const text = JSON.stringify(x);
		return text !== undefined && text.length <= protocolLimits.maxSpecChars;
	} catch {
		// Cycles or BigInts: not something the webview's structured clone of a spec produces.
		return false;
	}
}

/**
 * One guard per message a webview sends. Typed against the union's tags, so a new message without
 * a guard here is a compile error, and a guard for a message that does not exist is one too.
 */
const fromWebviewGuards = {
	[MessageType.Ready]: (x) => x.surface === 'panel' || x.surface === 'side',
	[MessageType.ExportResponse]: (x) => {
		if (!isRequestId(x.requestId) || !isExportKind(x.kind)) {
			return false;
		}
		return x.ok === true
			? isStr(x.data, protocolLimits.maxExportChars)
			: x.ok === false && isStr(x.error, protocolLimits.maxMessageChars);
	},
	[MessageType.SaveExport]: (x) =>
		isExportKind(x.kind) &&
		isStr(x.data, protocolLimits.maxExportChars) &&
		isPlainFileName(x.suggestedName),
	[MessageType.CopyCode]: (x) =>
		isStr(x.code, protocolLimits.maxCodeChars) &&
		x.code.length > 0 &&
		isStr(x.what, protocolLimits.maxMessageChars),
	[MessageType.TrainWithSchedule]: (x) => isScheduleOutline(x.spec) && isOptional(x.resultId, isId),
	[MessageType.OpenPanel]: (x) => isOptional(x.resultId, isId),
	[MessageType.ReportError]: (x) => isStr(x.message, protocolLimits.maxMessageChars),
} satisfies Record<FromWebviewMessage['type'], FieldGuard>;

/**
 * One guard per message the host sends. The host is trusted code, so these check the shape the
 * renderer relies on (arrays are arrays), not every number in every curve.
 */
const toWebviewGuards = {
	[MessageType.Snapshot]: (x) =>
		Array.isArray(x.results) &&
		x.results.every(
			(r) =>
				isObj(r) &&
				isId(r.id) &&
				(r.kind === 'rangeTest' || r.kind === 'sweep') &&
				// The candidates chart reads a verified headline's candidates.
				(!isObj(r.rangeTest) || hasValidVerification(r.rangeTest.report)),
		) &&
		Array.isArray(x.live) &&
		x.live.every(
			(r) =>
				isObj(r) &&
				isId(r.id) &&
				Array.isArray(r.records) &&
				Array.isArray(r.findings) &&
				isOptional(r.layers, Array.isArray),
		) &&
		typeof x.defaultBeta === 'number' &&
		x.defaultBeta >= 0 &&
		x.defaultBeta < 1 &&
		isOptional(x.focus, isFocus),
	[MessageType.LiveAppend]: (x) =>
		isId(x.runId) &&
		Array.isArray(x.records) &&
		Array.isArray(x.findings) &&
		isOptional(x.layers, Array.isArray),
	[MessageType.Focus]: (x) => isFocus(x),
	[MessageType.ExportRequest]: (x) => isRequestId(x.requestId) && isExportKind(x.kind),
} satisfies Record<ToWebviewMessage['type'], FieldGuard>;

/** Host-side check of a message from a webview, run before dispatch. */
export const isFromWebviewMessage = messageGuard<FromWebviewMessage>(fromWebviewGuards);

/** Webview-side check of a message from the host. */
export const isToWebviewMessage = messageGuard<ToWebviewMessage>(toWebviewGuards);

function isFocus(x: unknown): boolean {
	return isObj(x) && isOptional(x.resultId, isId) && isOptional(x.tab, isTab);
}
