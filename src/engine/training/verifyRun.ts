/**
 * The verification step after a range test (core/verify.ts, engine/training/verify.ts), as the runner and
 * the fit hook run it: checks the options, streams `verifyProgress`, and returns the result with
 * its headline replaced by the measured winner (`lr`) and its evidence (`verified`). A range test
 * that was cancelled, or a verification that is cancelled or fails, keeps the curve's headline and
 * says why in a note: the curve is never lost to its check.
 */
import { verifyModeText } from '../../core/present/verify';
import { nearestIndex } from '../../core/suggest';
import { errorText } from '../../core/present/errorText';
import {
	verifyCancelledNote,
	verifyFailedLogText,
	verifyFailedNote,
} from '../../core/present/verify';
import type { LoadedRangeTest } from '../../core/types';
import { timeCapSteps, verifyModes, verifyRangeTestRepeats } from '../../core/verify';
import { limits } from '../../shared/limits';
import type { FromRunnerMessage, RangeTestOptions } from '../../shared/runnerProtocol';
import { BadInputError, CancelledError } from '../../shared/errors';
import { defaultBudgetSeconds } from './rangeBudget';
import { resolveRangeTestOptions } from './rangeTest';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { verifyHeadline } from './verify';

/**
 * The range-test options a run uses: when the headline will be verified and no repeat count was
 * asked for, `verifyRangeTestRepeats` curves (1) instead of the default 3 — the probes measure what
 * the mean of more curves only smooths, and the budget goes to them (bench/suggestion-quality).
 */
export function rangeTestOptionsWithVerify(
	options: Partial<RangeTestOptions>,
): Partial<RangeTestOptions> {
	const verifying = resolveRangeTestOptions(options).verify !== 'off';
	return verifying && options.repeat === undefined
		? { ...options, repeat: verifyRangeTestRepeats }
		: options;
}

/** Checks the verify options; bad values are the user's (flags or settings). */
export function checkVerifyOptions(o: Pick<RangeTestOptions, 'verify' | 'verifySteps'>): void {
	if (!(verifyModes as readonly string[]).includes(o.verify)) {
		throw new BadInputError(verifyModeText(o.verify));
	}
	const s = o.verifySteps;
	const { min, max } = limits.verifySteps;
	if (s !== undefined && (!Number.isInteger(s) || s < min || s > max)) {
		throw new BadInputError(
			`--verify-steps must be a whole number from ${min} to ${max}, got ${s}`,
		);
	}
}

/** Training steps the range test recorded over all its curves (its first curve × their number). */
function recordedSteps(result: LoadedRangeTest, repeats: number | undefined): number {
	return result.lrs.length * Math.max(1, repeats ?? 1);
}

/** Where the verification runs and whom it tells. */
export interface VerifyRunContext {
	id: string;
	send: (m: FromRunnerMessage) => void;
	isCancelled?: () => boolean;
	/** The script's own training plan in steps (epochs × steps per epoch), when known. */
	planSteps?: number;
}

/**
 * Verifies a finished range test's headline when the options ask for it; returns the result to
 * send (the same object, with `report.headline` replaced when a winner was measured).
 */
export async function verifyRangeTest(
	tf: Tf,
	loaded: LoadedSource,
	result: LoadedRangeTest,
	options: Partial<RangeTestOptions>,
	ctx: VerifyRunContext,
): Promise<LoadedRangeTest> {
	const o = resolveRangeTestOptions(options);
	if (o.verify === 'off' || result.stopReason === 'cancelled' || ctx.isCancelled?.()) {
		return result;
	}
	const headline = result.report.headline;
	const fromOption = o.verifySteps !== undefined;
	const planSteps = fromOption ? o.verifySteps : ctx.planSteps;
	const log = (message: string): void =>
		ctx.send({ type: 'log', id: ctx.id, level: 'info', message });
	const t0 = performance.now();
	try {
		const v = await verifyHeadline(
			tf,
			loaded,
			headline,
			result.report,
			{
				mode: o.verify,
				planSteps,
				stepsFrom: planSteps === undefined ? undefined : fromOption ? 'option' : 'plan',
				seed: o.seed,
				batchSize: o.batchSize,
				rangeTestSteps: o.steps * o.repeat,
				maxProbeSteps: timeCapSteps(
					o.budgetSeconds ?? defaultBudgetSeconds,
					result.seconds,
					result.seconds / Math.max(1, recordedSteps(result, headline.repeats)),
				),
			},
			{
				onProgress: (p) => ctx.send({ type: 'verifyProgress', id: ctx.id, ...p }),
				isCancelled: ctx.isCancelled,
				onLog: log,
			},
		);
		if (!v) {
			if (ctx.isCancelled?.()) {
				result.notes = [...result.notes, verifyCancelledNote];
			}
			return result;
		}
		result.report = {
			...result.report,
			headline: {
				...headline,
				lr: v.lr,
				index: nearestIndex(result.lrs, v.lr),
				verified: { ...v, seconds: (performance.now() - t0) / 1000 },
			},
		};
		return result;
	} catch (e) {
		if (!(e instanceof CancelledError)) {
			ctx.send({
				type: 'log',
				id: ctx.id,
				level: 'warn',
				message: verifyFailedLogText(errorText(e)),
			});
		}
		result.notes = [
			...result.notes,
			e instanceof CancelledError ? verifyCancelledNote : verifyFailedNote(errorText(e)),
		];
		return result;
	}
}
