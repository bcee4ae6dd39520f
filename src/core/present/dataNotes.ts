/**
 * The notes loading a model and its data adds to a result: what was read of a CSV, how columns and
 * labels were encoded, what was held out, which loss and optimizer were assumed. The engine's
 * readers (engine/sources/) decide; these say it.
 */
import { formatBytes } from './format';

/** Class names in a message, at most six: `cat, dog, fish, …`. */
export function classListText(names: readonly string[]): string {
	return names.slice(0, 6).join(', ') + (names.length > 6 ? ', …' : '');
}

/** The first eight values with their codes: `a=0, b=1, …`. */
function codedValues(values: readonly string[]): string {
	return values
		.slice(0, 8)
		.map((v, k) => `${v}=${k}`)
		.join(', ');
}

/** A CSV over the read limit: only its first rows were used. */
export function csvTruncatedNote(name: string, size: number, rows: number, limit: number): string {
	return (
		`${name} is ${formatBytes(size)}: used its first ${rows} rows (LR Scope reads at most ${formatBytes(limit)} of a CSV); ` +
		'a range test needs only steps × batch size examples — shuffle the file or pass a sample to use other rows'
	);
}

/** No `--label` given: the label column guessed. */
export function labelColumnGuessNote(column: string): string {
	return `label column '${column}' assumed (give --label to choose)`;
}

/** A text column turned into numbers, one-hot or ordinal. */
export function columnEncodedNote(
	column: string,
	values: readonly string[],
	oneHot: boolean,
): string {
	const more = values.length > 8 ? ', …' : '';
	return oneHot
		? `column '${column}' one-hot encoded (${values.length} values: ${values.slice(0, 8).join(', ')}${more})`
		: `column '${column}' ordinal encoded (${codedValues(values)}${more})`;
}

/** Class-name labels for a crossentropy loss, as indices (sparse) or one-hot. */
export function classLabelsNote(classes: readonly string[], sparse: boolean): string {
	return (
		`labels: ${classes.length} classes (${codedValues(classes)})` +
		(sparse ? ' as indices' : ' one-hot')
	);
}

/** Two class names for a binary loss with one output. */
export function binaryLabelsNote(negative: string, positive: string): string {
	return `labels: '${positive}' = 1, '${negative}' = 0`;
}

/** Class names one-hot for a binary loss with several outputs. */
export function classesOneHotNote(classes: readonly string[]): string {
	return `labels: ${classes.length} classes one-hot (${classListText(classes)})`;
}

/** One-hot rows given to a sparse loss. */
export const oneHotToIndicesNote =
	'one-hot labels converted to class indices for sparseCategoricalCrossentropy';

/** Integer labels given to a categorical loss. */
export function integerLabelsOneHotNote(classes: number, loss: string): string {
	return `integer labels one-hot encoded over ${classes} classes for ${loss}`;
}

/** Validation examples split off the data. */
export function validationSplitNote(heldOut: number, total: number, seed: number): string {
	return `validation: ${heldOut} of ${total} examples held out (seed ${seed})`;
}

/** A saved model's optimizer state is not used. */
export const optimizerStateIgnoredNote =
	'saved optimizer state ignored (the range test starts from a fresh optimizer)';

/** No loss given or saved: the one inferred from the data (`what` names the model). */
export function lossInferredNote(because: string, loss: string, what: string): string {
	return `loss inferred from ${because}: ${loss} (${what} was saved without a trainingConfig); pass --loss to override`;
}

/** `--optimizer` differs from the saved one. */
export function optimizerOverrideNote(given: string, saved: string): string {
	return `optimizer '${given}' overrides the saved ${saved}`;
}

/** No optimizer given or saved: the default assumed. */
export function optimizerDefaultNote(optimizer: string, what: string): string {
	return `optimizer: ${optimizer} (${what} names none); pass --optimizer to override`;
}

/** `--loss` differs from the saved one. */
export function lossOverrideNote(given: string, saved: string): string {
	return `loss '${given}' overrides the saved ${saved}`;
}

/** A module's model was compiled by the module itself: trained as it is. */
export function compiledByModuleNote(module: string, optimizer: string, loss: string): string {
	return `model compiled by ${module} (${optimizer}, ${loss})`;
}
