/** A range test's options: the defaults filled in, and checked (bad values are the user's). */
import { limits } from '../../shared/limits';
import { defaultRangeTestOptions, type RangeTestOptions } from '../../shared/runnerProtocol';
import { BadInputError } from '../../shared/errors';
import {
	batchSizeOptionText,
	betaRangeText,
	budgetText,
	divergeFactorText,
	expRampStartText,
	lrBoundsFiniteText,
	lrOrderText,
	rampText,
	wholeNumberRangeText,
	wholeNumberText,
} from '../../core/present/trainingErrors';

/** The options a run uses: the defaults (3 repeats, 100 steps, …) overridden by those given. */
export function resolveRangeTestOptions(options: Partial<RangeTestOptions>): RangeTestOptions {
	return { ...defaultRangeTestOptions, ...stripUndefined(options) };
}

/** Checks options; bad values are the user's (flags or settings), so a BadInputError. */
export function checkRangeTestOptions(o: RangeTestOptions): void {
	const bad = (m: string): never => {
		throw new BadInputError(m);
	};
	if (!Number.isInteger(o.steps) || o.steps < 2 || o.steps > limits.rangeTestSteps.max) {
		bad(wholeNumberRangeText('--steps', 2, limits.rangeTestSteps.max, o.steps));
	}
	if (!(Number.isFinite(o.startLr) && Number.isFinite(o.endLr))) {
		bad(lrBoundsFiniteText);
	}
	if (o.ramp !== 'exp' && o.ramp !== 'linear') {
		bad(rampText(o.ramp));
	}
	if (o.ramp === 'exp' && !(o.startLr > 0)) {
		bad(expRampStartText(o.startLr));
	}
	if (o.startLr < 0 || !(o.endLr > o.startLr)) {
		bad(lrOrderText(o.startLr, o.endLr));
	}
	if (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > 50) {
		bad(wholeNumberRangeText('--repeat', 1, 50, o.repeat));
	}
	if (!(o.beta >= 0 && o.beta < 1)) {
		bad(betaRangeText(o.beta));
	}
	if (!(o.divergeFactor > 1)) {
		bad(divergeFactorText(o.divergeFactor));
	}
	if (!Number.isInteger(o.seed)) {
		bad(wholeNumberText('--seed', o.seed));
	}
	if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) {
		bad(batchSizeOptionText(o.batchSize));
	}
	if (o.budgetSeconds !== undefined && !(o.budgetSeconds >= 0)) {
		bad(budgetText(o.budgetSeconds));
	}
}

/** `{...defaults, ...partial}` without letting `undefined` values erase defaults. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
