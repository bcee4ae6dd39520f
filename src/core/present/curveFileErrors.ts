/**
 * The errors of `lrscope suggest` (a curve file: JSON or CSV of lr and loss) and `lrscope schedule`
 * (a schedule spec and its flags): one sentence each, with the value that was wrong.
 */

/** A loss cell that is not a number. */
export function notANumberText(where: string, value: unknown): string {
	return `${where} is not a number: ${JSON.stringify(value)}`;
}

/** An LR cell that is not a finite number > 0. */
export function badLrValueText(where: string, value: unknown): string {
	return `${where} must be a finite number > 0, got ${JSON.stringify(value)}`;
}

/** A curve file that does not parse as JSON. */
export function curveJsonText(file: string, detail: string): string {
	return `${file} is not valid JSON: ${detail}`;
}

/** An empty curve file. */
export function curveEmptyText(file: string): string {
	return `${file} is empty; expected {"lrs":[...],"losses":[...]} or a CSV with lr,loss columns`;
}

/** LRs that go down at point `i` (`reversed`: the whole list runs backwards). */
export function lrsNotIncreasingText(
	file: string,
	i: number,
	lr: number,
	previous: number,
	reversed: boolean,
): string {
	return `${file}: the LRs must increase step by step, but point ${i} (${lr}) is below point ${i - 1} (${previous})${reversed ? ' (reversed? list the steps in order)' : ''}`;
}

/** JSON that is not an object. */
export function curveNotObjectText(file: string): string {
	return `${file}: expected a JSON object {"lrs":[...],"losses":[...]}`;
}

/** An object without the two arrays; `keys` are the ones it has. */
export function curveArraysText(file: string, keys: readonly string[]): string {
	return `${file}: expected arrays "lrs" and "losses" (got ${keys.join(', ') || 'an empty object'})`;
}

/** Arrays of different lengths. */
export function curveLengthsText(file: string, lrs: number, key: string, losses: number): string {
	return `${file}: "lrs" has ${lrs} values but "${key}" has ${losses}`;
}

/** A bad `numIt` in the file. */
export function curveNumItText(file: string, value: unknown): string {
	return `${file}: numIt must be an integer ≥ 0, got ${JSON.stringify(value)}`;
}

/** A CSV without lr and loss columns. */
export function curveCsvHeaderText(file: string, header: readonly string[]): string {
	return `${file}: the CSV header needs columns "lr" and "loss" (got ${header.join(', ')})`;
}

/** `suggest` given other than one file. */
export function suggestFileCountText(count: number): string {
	return `suggest expects one curve file, got ${count}; see \`lrscope suggest --help\``;
}

/** A file that cannot be read; `reason` is its error code or message. */
export function cannotReadText(file: string, reason: string): string {
	return `cannot read ${file}: ${reason}`;
}

/** `--num-it` that is not a whole number ≥ 0. */
export function numItFlagText(value: unknown): string {
	return `--num-it expects an integer ≥ 0, got ${value}`;
}

/** `--tolerance` that is not > 0. */
export function toleranceFlagText(value: unknown): string {
	return `--tolerance expects a number of decades > 0, got ${value}`;
}

/** `--spec` that does not parse as JSON. */
export function specJsonText(detail: string): string {
	return `--spec is not valid JSON (${detail}); e.g. '{"kind":"cosine","initialLearningRate":0.01,"decaySteps":1000}'`;
}

/** `--spec` missing; `kinds` are the schedule kinds. */
export function specRequiredText(kinds: readonly string[]): string {
	return `--spec is required, e.g. --spec '{"kind":"oneCycle","maxLr":0.01,"totalSteps":1000}' (kinds: ${kinds.join(', ')})`;
}

/** `--optimizer` not one of `kinds`. */
export function optimizerFlagText(kinds: readonly string[], value: string): string {
	return `--optimizer must be one of ${kinds.join(', ')}, got "${value}"`;
}

/** `--losses` that does not parse as JSON. */
export function lossesJsonText(detail: string): string {
	return `--losses is not valid JSON (${detail}); e.g. '[1.2,0.9,0.85]'`;
}

/** `--losses` that is not an array of numbers. */
export const lossesArrayText =
	'--losses must be a JSON array of numbers (null for a non-finite epoch)';

/** `--losses` with another kind than reduceOnPlateau. */
export const lossesKindText = '--losses only applies to kind "reduceOnPlateau"';

/** `--steps` missing. */
export const stepsRequiredText = '--steps N is required (or --code to print the tfjs callback)';

/** `--steps` out of range. */
export function scheduleStepsText(maxSteps: number, raw: string): string {
	return `--steps expects an integer from 0 to ${maxSteps}, got "${raw}"`;
}
