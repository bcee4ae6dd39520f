/**
 * The notes a range test or sweep adds to its result about how it used the data: held-out
 * validation, folds, a dataset's order, the sweep's LR grid. The engine decides; these say it (the
 * report, the panel, the CLI and the notification show a result's notes as they are).
 */
import type { Headline } from '../types';
import { headlineText } from './headline';

/** A fraction as a whole percentage: `20%`. */
function percent(fraction: number): string {
	return `${Math.round(fraction * 100)}%`;
}

/** Range test, repeats on a tf.data dataset: the dataset orders the batches, not the seed. */
export const datasetRepeatsNote =
	'the data is a dataset: its order comes from the dataset, so repeats differ only where the dataset reshuffles';

/** Range test in validation mode without validation data: what it held out. */
export function validationHoldOutNote(fraction: number, examples: number): string {
	return `validation mode: no validation data given, so ${percent(fraction)} of the training data (${examples} examples, seeded) is held out`;
}

/** Range test in validation mode: the loss recorded at each step. */
export function validationSampleNote(examples: number): string {
	return `validation loss on a fixed sample of ${examples} validation examples after every step`;
}

/** Sweep with one fold and no validation data: what it held out. */
export function sweepHoldOutNote(fraction: number, examples: number): string {
	return `no validation data given: ${percent(fraction)} of the data (${examples} examples, seeded) is held out for validation loss`;
}

/** Sweep with k folds. */
export function crossValidationNote(folds: number): string {
	return `${folds}-fold cross-validation (seeded split); curves are the mean over folds`;
}

/** Sweep with k folds on a source that has validation data of its own. */
export const foldsIgnoreValidationNote =
	'with --folds the given validation data is not used: each fold validates on its held-out part';

/** Sweep without `--lrs`: the grid around the range test's headline (engine's `defaultGridFactors`). */
export function sweepGridNote(head: Headline): string {
	return `LR grid: range-test suggestion ${headlineText(head)} × {1/10, 1/3, 1, 3, 10}`;
}
