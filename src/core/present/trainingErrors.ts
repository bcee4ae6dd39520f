/**
 * The errors of a range test's and sweep's options and of the data they train on (engine/training/):
 * which option is out of range and what it got, or why the data cannot be batched, held out or
 * folded. The engine checks; these say it.
 */

/** An option that must be a whole number in [min, max]: `--steps must be a whole number from 2 to 2000, got 1`. */
export function wholeNumberRangeText(flag: string, min: number, max: number, got: unknown): string {
	return `${flag} must be a whole number from ${min} to ${max}, got ${String(got)}`;
}

/** An option that must be a whole number. */
export function wholeNumberText(flag: string, got: unknown): string {
	return `${flag} must be a whole number, got ${String(got)}`;
}

/** `--start-lr` or `--end-lr` not finite. */
export const lrBoundsFiniteText = '--start-lr and --end-lr must be finite numbers';

/** A ramp other than exp or linear. */
export function rampText(got: unknown): string {
	return `--ramp must be exp or linear, got ${String(got)}`;
}

/** An exponential ramp from 0 or below. */
export function expRampStartText(startLr: number): string {
	return `an exponential ramp needs --start-lr > 0, got ${startLr}`;
}

/** An LR range that is empty or negative. */
export function lrOrderText(startLr: number, endLr: number): string {
	return `--end-lr (${endLr}) must be greater than --start-lr (${startLr}) and both ≥ 0`;
}

/** A smoothing beta outside [0, 1). */
export function betaRangeText(beta: number): string {
	return `the smoothing beta must be in [0, 1), got ${beta}`;
}

/** A divergence factor not above 1. */
export function divergeFactorText(factor: number): string {
	return `the divergence factor must be > 1, got ${factor}`;
}

/** A `--batch-size` below 1 or fractional. */
export function batchSizeOptionText(got: number): string {
	return `--batch-size must be a whole number ≥ 1, got ${got}`;
}

/** A negative `--budget`. */
export function budgetText(got: number): string {
	return `--budget must be seconds ≥ 0, got ${got}`;
}

/** `--lrs` with an empty, zero, negative or non-numeric entry. */
export function lrsListText(lrs: readonly number[]): string {
	return `--lrs must be a comma-separated list of positive numbers, got ${lrs.join(',')}`;
}

/** No range-test suggestion to centre a sweep's grid on. */
export const noSweepCentreText =
	'the range test gave no suggestion to centre the sweep on; pass --lrs a,b,c';

/** k folds asked of a dataset. */
export const foldsNeedTensorsText =
	'k-fold cross-validation needs tensor data, not a tf.data dataset; use --folds 1';

/** Too few examples for k folds. */
export function tooFewForFoldsText(examples: number, folds: number): string {
	return `the data has ${examples} examples, too few for ${folds} folds`;
}

/** Too few examples to hold out validation. */
export function tooFewToHoldOutText(examples: number): string {
	return `the data has ${examples} examples, too few to hold out a validation part`;
}

/** Validation mode on a dataset without validation data. */
export const datasetNeedsValidationText =
	'validation mode needs validation data when the data is a dataset (pass validationData)';

/** A model without an optimizer. */
export const notCompiledText =
	'the model is not compiled (no optimizer); give --optimizer and --loss';

/** A batch size given to the batcher that is not a whole number ≥ 1. */
export function batchSizeWholeText(got: number): string {
	return `the batch size must be a whole number ≥ 1, got ${got}`;
}

/** Data with no examples. */
export const noExamplesText = 'the data has no examples';

/** A dataset element without xs or ys. */
export const datasetElementText =
	'the dataset must yield {xs, ys} elements (as model.fitDataset expects)';

/** A dataset that gave no batch in an epoch. */
export const noBatchesText = 'the data yielded no batches for an epoch';

/** A range test's `--out` report of a kind LR Scope does not write. */
export function reportOutText(outPath: string): string {
	return `--out ${outPath}: the report must end in .html, .svg, .csv or .json`;
}
