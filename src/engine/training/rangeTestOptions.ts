/** A range test's options: the defaults filled in, and checked (bad values are the user's). */
import { limits } from '../../shared/limits';
import { defaultRangeTestOptions, type RangeTestOptions } from '../../shared/runnerProtocol';
import { BadInputError } from '../../shared/errors';

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
		bad(`--steps must be a whole number from 2 to ${limits.rangeTestSteps.max}, got ${o.steps}`);
	}
	if (!(Number.isFinite(o.startLr) && Number.isFinite(o.endLr))) {
		bad('--start-lr and --end-lr must be finite numbers');
	}
	if (o.ramp !== 'exp' && o.ramp !== 'linear') {
		bad(`--ramp must be exp or linear, got ${String(o.ramp)}`);
	}
	if (o.ramp === 'exp' && !(o.startLr > 0)) {
		bad(`an exponential ramp needs --start-lr > 0, got ${o.startLr}`);
	}
	if (o.startLr < 0 || !(o.endLr > o.startLr)) {
		bad(`--end-lr (${o.endLr}) must be greater than --start-lr (${o.startLr}) and both ≥ 0`);
	}
	if (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > 50) {
		bad(`--repeat must be a whole number from 1 to 50, got ${o.repeat}`);
	}
	if (!(o.beta >= 0 && o.beta < 1)) {
		bad(`the smoothing beta must be in [0, 1), got ${o.beta}`);
	}
	if (!(o.divergeFactor > 1)) {
		bad(`the divergence factor must be > 1, got ${o.divergeFactor}`);
	}
	if (!Number.isInteger(o.seed)) {
		bad(`--seed must be a whole number, got ${o.seed}`);
	}
	if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1)) {
		bad(`--batch-size must be a whole number ≥ 1, got ${o.batchSize}`);
	}
	if (o.budgetSeconds !== undefined && !(o.budgetSeconds >= 0)) {
		bad(`--budget must be seconds ≥ 0, got ${o.budgetSeconds}`);
	}
}

/** `{...defaults, ...partial}` without letting `undefined` values erase defaults. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
