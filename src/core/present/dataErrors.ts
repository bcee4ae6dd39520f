/**
 * The errors of reading data files (CSV, JSON, .npy) and fitting them to a model: what is wrong with
 * the file, where, and what to do. The engine's readers (engine/sources/data/) decide; these say it.
 */
import { formatBytes, formatStoredValue } from './format';
import { classListText } from './dataNotes';

/** A shape the way tfjs writes it: `[null,28,28,1]`. */
export function shapeText(shape: readonly (number | null)[]): string {
	return `[${shape.map((d) => (d == null ? 'null' : String(d))).join(',')}]`;
}

/** The multi-index of flat position `j` in an example of shape `dims`: `[1,2]`. */
export function flatIndexText(j: number, dims: readonly number[]): string {
	const idx: number[] = [];
	for (let d = dims.length - 1; d >= 0; d--) {
		idx.unshift(j % dims[d]);
		j = Math.floor(j / dims[d]);
	}
	return `[${idx.join(',')}]`;
}

/** Names quoted, at most `max`, with the count when some are left off: `'a', 'b', … (30)`. */
export function quotedListText(names: readonly string[], max = 6): string {
	return (
		names
			.slice(0, max)
			.map((x) => `'${x}'`)
			.join(', ') + (names.length > max ? `, … (${names.length})` : '')
	);
}

/** A `what` ("data file", "model file") that does not exist. */
export function fileNotFoundText(what: string, path: string): string {
	return `${what} not found: ${path}`;
}

/** A `what` that is a folder where a file was expected. */
export function fileIsFolderText(what: string, path: string): string {
	return `${what} ${path} is a folder: give a file`;
}

/** A file over its size limit, refused before reading; `advice` says what to do instead. */
export function fileTooLargeText(
	name: string,
	size: number,
	limit: number,
	advice: string,
): string {
	return `${name} is ${formatBytes(size)}, over LR Scope's limit of ${formatBytes(limit)} for this file: ${advice}`;
}

/** The advice of a JSON data file over its size limit. */
export const jsonDataSizeAdvice =
	'JSON is parsed whole — save large data as x.npy,y.npy (read by offsets) or CSV';

/** A file that JSON.parse refused; `detail` is the parser's words. */
export function notValidJsonText(name: string, detail: string): string {
	return `${name} is not valid JSON (${detail})`;
}

/** A JSON data file without x and y. */
export function jsonDataShapeText(name: string): string {
	return `${name} must be an object {"x": [...], "y": [...]} (or "xs"/"ys")`;
}

/** What `typeof` says of a value, with null named. */
const kindOf = (value: unknown): string => (value === null ? 'null' : typeof value);

/** JSON data (`what`: "data.json x") that is not an array. */
export function notArrayText(what: string, value: unknown): string {
	return `${what} must be an array (of numbers or arrays), got ${kindOf(value)}`;
}

/** A JSON data entry that is not a number. */
export function notNumberAtText(what: string, path: readonly number[], value: unknown): string {
	return `${what}[${path.join('][')}] is ${JSON.stringify(value)?.slice(0, 30)}, not a number`;
}

/** Nested JSON arrays of different lengths; `entries` null when the entry is not an array. */
export function raggedText(
	what: string,
	path: readonly number[],
	entries: number | null,
	expected: number,
): string {
	return `${what} is ragged: ${what}[${path.join('][')}] has ${entries ?? 'no'} entries, expected ${expected}`;
}

/** A CSV with nothing in it. */
export function csvNoRowsText(name: string): string {
	return `data is empty: ${name} has no header and no rows`;
}

/** A CSV with only a header. */
export function csvNoDataRowsText(name: string): string {
	return `data is empty: ${name} has a header but no data rows`;
}

/** A CSV row (0-based, after the header) with another number of cells than the header. */
export function csvRowWidthText(
	name: string,
	row: number,
	cells: number,
	headerCells: number,
): string {
	return `${name} row ${row + 1} (line ${row + 2}) has ${cells} cells, the header has ${headerCells}`;
}

/** Where a CSV cell is: `data.csv row 3 (line 4), column 'age'` (row 0-based, after the header). */
export function csvCellWhere(name: string, row: number, column: string): string {
	return `${name} row ${row + 1} (line ${row + 2}), column '${column}'`;
}

/** A `--label` column the CSV does not have. */
export function labelColumnMissingText(
	column: string,
	name: string,
	header: readonly string[],
): string {
	return `label column '${column}' not found in ${name}; columns are ${quotedListText(header, 20)}`;
}

/** Every CSV column named as a label. */
export function noFeatureColumnsText(name: string): string {
	return `${name}: every column is a label, no feature columns remain`;
}

/** A text cell in a column that must hold numbers (`where`: {@link csvCellWhere}). */
export function cellNotNumberText(where: string, raw: string): string {
	return `${where} is '${raw}', not a number`;
}

/** An empty or NaN/Inf cell. */
export function cellNotFiniteText(where: string, raw: string): string {
	return `${where} is ${raw === '' ? 'empty' : `'${raw}' (NaN/Inf)`}: fix or drop that row`;
}

/** CSV features that no choice of encodings fits to the model's input width. */
export function csvWidthMismatchText(
	name: string,
	columns: number,
	ordinal: number,
	oneHot: number,
	target: number | undefined,
): string {
	return (
		`input shape mismatch: ${name} has ${columns} feature columns (${ordinal} wide ordinal, ${oneHot} one-hot) ` +
		`but the model takes ${target} features per example: check --label`
	);
}

/** A text label among several label columns. */
export function textLabelAmongSeveralText(where: string): string {
	return `${where} is text; with several label columns every label must be a number`;
}

/** A file that is not a .npy file. */
export function npyBadMagicText(name: string): string {
	return `${name} is not a .npy file (bad magic bytes): save it with numpy.save`;
}

/** A .npy file shorter than its shape needs. */
export function npyTruncatedText(
	name: string,
	shape: readonly number[],
	need: number,
	found: number,
): string {
	return `${name} is truncated: shape (${shape.join(', ')}) needs ${need} bytes of data, found ${found}`;
}

/** A .npy file whose header runs past its end. */
export function npyHeaderTruncatedText(name: string): string {
	return `${name} is truncated (header runs past the end of the file)`;
}

/** A .npy header without descr, fortran_order or shape. */
export function npyHeaderUnreadableText(name: string, header: string): string {
	return `${name} has an unreadable .npy header: ${header}`;
}

/** A Fortran-ordered .npy array. */
export function npyFortranText(name: string): string {
	return `${name} is Fortran-ordered: save numpy.ascontiguousarray(a) instead`;
}

/**
 * A .npy dtype LR Scope cannot read; `list` adds which it can: `all` (the data's reader), `short`
 * (the header's check), none (a large file read in chunks).
 */
export function npyDtypeText(name: string, descr: string, list?: 'all' | 'short'): string {
	const known =
		list === 'all'
			? ' (float16/32/64, int8–64, uint8–64, bool or unicode)'
			: list === 'short'
				? ' (use float32, int or bool arrays)'
				: '';
	return `${name} has dtype '${descr}', which is not supported${known}`;
}

/** A text .npy array too large to read whole. */
export function npyTextTooLargeText(name: string, size: number, limit: number): string {
	return `${name} is a text array of ${formatBytes(size)}; text labels are read from .npy files up to ${formatBytes(limit)}: encode the labels as integers`;
}

/** A .npy array with more values than the runner holds. */
export function npyTooManyValuesText(
	name: string,
	values: number,
	size: number,
	limit: number,
): string {
	return (
		`${name} holds ${values} values (${formatBytes(size)}), over LR Scope's limit of ${limit} values per array: ` +
		`the runner trains on data held in memory — save a subset, e.g. numpy.save('${name.replace(/\.npy$/i, '')}_small.npy', a[:100000])`
	);
}

/** Text features from a .npy file. */
export function npyStringFeaturesText(name: string): string {
	return `${name} holds strings; features must be numbers`;
}

/** Where a feature is when the reader does not say: `example 3, feature [0,2]`. */
export function exampleFeatureWhere(example: number, index: string): string {
	return `example ${example}, feature ${index}`;
}

/** Where a label is: `example 3` or `example 3, label [1]` (`index` for multi-value labels). */
export function exampleLabelWhere(example: number, index?: string): string {
	return `example ${example}${index !== undefined ? `, label ${index}` : ''}`;
}

/** An example of the data: `data.csv example 3`. */
export function exampleWhere(origin: string, example: number): string {
	return `${origin} example ${example}`;
}

/** A NaN or Inf in features or labels. */
export function nonFiniteText(what: string, value: number, where: string): string {
	return `${what} has ${value} at ${where}: fix or drop that example`;
}

/** Features whose per-example size does not fit the model's input. */
export function inputShapeMismatchText(
	origin: string,
	shape: readonly (number | null)[],
	perBatch: readonly (number | null)[],
	inputShape: readonly (number | null)[],
): string {
	return (
		`input shape mismatch: ${origin} features are ${shapeText(shape)} (${shapeText(perBatch)} per batch) ` +
		`but the model's input is ${shapeText(inputShape)}`
	);
}

/** A label that is not a class index for a classification loss. */
export function notClassIndexText(
	value: number,
	classes: number,
	where: string,
	loss: string,
): string {
	const hint = Number.isInteger(value)
		? ''
		: ': these look like regression targets (use --loss meanSquaredError)';
	return `label ${formatStoredValue(value)} at ${where} is not a class index 0..${classes - 1} for ${loss} with ${classes} outputs${hint}`;
}

/** More class names than the model has outputs (`loss` named for a binary loss). */
export function tooManyClassesText(
	classes: readonly string[],
	outputs: number,
	outputShape: readonly (number | null)[],
	loss?: string,
): string {
	return (
		`labels have ${classes.length} classes (${classListText(classes)}) but the model has ${outputs} outputs ${shapeText(outputShape)}` +
		(loss !== undefined ? ` for ${loss}` : '')
	);
}

/** Class-name labels for a loss that needs numbers. */
export function classNamesNeedNumbersText(classes: readonly string[], loss: string): string {
	return (
		`labels are class names (${classListText(classes)}) but loss ${loss} needs numbers: ` +
		'use a crossentropy loss (--loss categoricalCrossentropy) or numeric labels'
	);
}

/** Labels whose shape does not fit the model's output. */
export function labelShapeMismatchText(
	origin: string,
	shape: readonly number[],
	outputShape: readonly (number | null)[],
): string {
	return `label shape mismatch: ${origin} labels are ${shapeText(shape)} but the model's output is ${shapeText(outputShape)}`;
}

/** A binaryCrossentropy label outside [0, 1]. */
export function binaryLabelRangeText(where: string, value: number): string {
	return `binaryCrossentropy needs labels in [0, 1] but ${where} has ${formatStoredValue(value)}`;
}

/** Data with no examples. */
export function noExamplesText(origin: string): string {
	return `data is empty: ${origin} has no examples`;
}

/** Features and labels of different lengths. */
export function exampleCountMismatchText(origin: string, features: number, labels: number): string {
	return `${origin}: features have ${features} examples but labels have ${labels}`;
}

/** Too few examples to hold any out. */
export function validationTooSmallText(examples: number): string {
	return `validation mode needs at least 2 examples, the data has ${examples}`;
}

/** A batch size that is not a positive integer. */
export function batchSizeInvalidText(requested: number): string {
	return `batch size must be a positive integer, got ${requested}`;
}

/** Fewer training examples than one batch. */
export function dataSmallerThanBatchText(
	origin: string,
	examples: number,
	batchSize: number,
): string {
	return `data smaller than one batch: ${origin} has ${examples} training examples, batch size is ${batchSize}: lower --batch-size to ${examples} or less`;
}

/** A single .npy file given as `--data`. */
export function npyPairNeededText(arg: string): string {
	return `--data ${arg}: give both arrays as x.npy,y.npy`;
}

/** A `--data` of a kind LR Scope does not read. */
export function dataArgKindText(arg: string): string {
	return `--data ${arg}: expected a .csv, x.npy,y.npy pair, .json or .js/.ts data module`;
}
