/**
 * The shape check of a verified headline (`report.headline.verified`, core/verify.ts), shared by the
 * runner guards (a result arriving from the runner) and the webview guards (a snapshot's results).
 */
import { isNum, isNumOrNull, isObj } from './guards';

const isStr = (x: unknown): x is string => typeof x === 'string';

/**
 * A result's `report.headline.verified`, when present, has the shape every surface reads
 * (core/verify.ts): finite LRs, candidates with a finite or null held-out loss.
 */
export function isVerification(v: unknown): boolean {
	return (
		isObj(v) &&
		isNum(v.lr) &&
		isNum(v.curveLr) &&
		isNum(v.steps) &&
		isNum(v.totalSteps) &&
		isNum(v.heldOutExamples) &&
		(v.seconds === undefined || isNum(v.seconds)) &&
		(v.heldOut === 'validation' || v.heldOut === 'slice') &&
		Array.isArray(v.candidates) &&
		v.candidates.every(
			(c) =>
				isObj(c) && isNum(c.lr) && isStr(c.origin) && isNumOrNull(c.heldOutLoss) && isNum(c.steps),
		)
	);
}

/** A range-test report whose headline is unverified, or verified with a valid shape. */
export function hasValidVerification(report: unknown): boolean {
	const h = isObj(report) ? report.headline : undefined;
	return !isObj(h) || h.verified === undefined || isVerification(h.verified);
}
