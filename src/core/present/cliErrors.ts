/**
 * The CLI's usage errors for the commands that run the engine (range-test, sweep, monitor's
 * sources): a flag's bad value, a missing or misplaced file, flags that cannot go together. The
 * CLI (src/cli/) checks; these say it, one line each.
 */

/** A line of parseArgs' message made one line, with where to look. */
export function parseArgsText(message: string, command: string): string {
	return `${message.replace(/\s*\n\s*/g, ' ')}; see \`lrscope ${command} --help\``;
}

/** A flag that needs a number. */
export function numberFlagText(name: string, value: string): string {
	return `--${name} expects a number, got "${value}"`;
}

/** A flag that needs a whole number in [min, max] (`max` unbounded: `≥ min`). */
export function wholeNumberFlagText(
	name: string,
	min: number,
	max: number,
	value: unknown,
): string {
	const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
	return `--${name} expects a whole number ${range}, got "${String(value)}"`;
}

/** A flag that takes one of a few words. */
export function choiceFlagText(name: string, choices: readonly string[], value: unknown): string {
	const list =
		choices.length === 2
			? `${choices[0]} or ${choices[1]}`
			: `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
	return `--${name} expects ${list}, got "${String(value)}"`;
}

/** `--backend` of no known name. */
export function backendFlagText(backends: readonly string[], value: unknown): string {
	return `--backend expects one of ${backends.join(', ')}, got "${String(value)}"`;
}

/** An input file that does not exist. */
export function noSuchFileText(flag: string, file: string): string {
	return `--${flag} ${file}: no such file`;
}

/** An input path that is a directory or not a regular file. */
export function notAFileText(flag: string, file: string, directory: boolean): string {
	return `--${flag} ${file}: is ${directory ? 'a directory' : 'not a regular file'}; give a file`;
}

/** An `--out` of another file type than the command writes. */
export function outExtensionText(out: string, extensions: readonly string[]): string {
	return `--out ${out}: expected a ${extensions.join(', ')} file`;
}

/** An `--out` that is a directory. */
export function outIsDirectoryText(out: string): string {
	return `--out ${out}: is a directory; give a file name`;
}

/** An `--out` whose folder is a file. */
export function outParentIsFileText(out: string, dir: string): string {
	return `--out ${out}: ${dir} is a file, not a folder`;
}

/** `--out` in a build without the report writer. */
export const outUnavailableText = '--out is not available in this build';

/** A sweep's `--out` of another file type. */
export function sweepOutKindText(out: string): string {
	return `--out ${out}: a sweep is written as .json, .html or .csv`;
}

/** `--module` together with `--model` or `--data`. */
export const moduleOrModelText = 'give either --module or --model with --data, not both';

/** `--script` together with another source. */
export const oneSourceText = 'give either --script or --model/--data or --module, not several';

/** No model given. */
export const missingModelText = 'missing --model <model.json> (or --module <file>); see --help';

/** No data given. */
export const missingDataText = 'missing --data <file.csv | x.npy,y.npy | data.json | data.js>';

/** A CSV without `--label`. */
export const csvNeedsLabelText = 'a CSV needs --label <column,...> naming the label column(s)';

/** `--lrs` that are not all positive numbers. */
export function lrsFlagText(value: string): string {
	return `--lrs expects positive numbers separated by commas, got "${value}"`;
}

/** A flag that needs a whole number ≥ 1 (the monitor's `--every`, `--layers-every`). */
export function positiveWholeFlagText(name: string, value: unknown): string {
	return `--${name} expects a whole number ≥ 1, got "${String(value)}"`;
}

/** No `--script` for the monitor. */
export const missingScriptText = 'missing --script <train.js>';

/** A `--script` that does not exist. */
export function scriptFlagNotFoundText(script: string): string {
	return `script not found: ${script}`;
}

/** An `--env` entry without `=`. */
export function envFlagText(value: string): string {
	return `--env expects KEY=VALUE, got "${value}"`;
}

/** A `--fit-timeout` that is not a positive number of seconds. */
export function fitTimeoutFlagText(value: unknown): string {
	return `--fit-timeout expects seconds > 0, got "${String(value)}"`;
}

/** A `--fail-on` finding kind the monitor does not know. */
export function monitorFailOnText(kinds: readonly string[], value: string): string {
	return `--fail-on expects "any" or a list of ${kinds.join(', ')}; got "${value}"`;
}

/** A `--schedule` that is neither JSON nor a readable file. */
export function scheduleUnreadableText(value: string): string {
	return `--schedule expects JSON like '{"kind":"cosine",...}' or a .json file; cannot read "${value}"`;
}

/** A `--schedule` that is not valid JSON. */
export function scheduleJsonText(detail: string): string {
	return `--schedule is not valid JSON: ${detail}`;
}

/** `lrscope read` with no or several paths. */
export function readArgCountText(count: number): string {
	return `read expects one log file or logdir, got ${count}; see \`lrscope read --help\``;
}

/** A subcommand LR Scope does not have. */
export function unknownCommandText(name: string): string {
	return `unknown command "${name}"; run \`lrscope --help\` for the list`;
}

/** A diagnose `--config` that is not a JSON object of detector options. */
export function diagnoseConfigText(detail: string): string {
	return `--config expects a JSON object of detector options (${detail})`;
}

/** A diagnose `--config` that sets what only the monitor sets. */
export const configMonitoredText = '--config cannot set isMonitored';

/** A `--suggested-lr` of 0 or below. */
export const suggestedLrText = '--suggested-lr must be > 0';

/** `lrscope diagnose` without a path. */
export const diagnoseNoPathText =
	'diagnose expects at least one log file or logdir; see `lrscope diagnose --help`';

/** A diagnose `--fail-on` other than warning or error. */
export function diagnoseFailOnText(value: string): string {
	return `--fail-on expects "warning" or "error", got "${value}"`;
}

/** A diagnose `--interval` below 10 ms. */
export const intervalText = '--interval must be at least 10 (milliseconds)';

/** Logs with no records (`notes`: the reader said why above). */
export function noLogRecordsText(paths: readonly string[], notes: boolean): string {
	return `no log records found in ${paths.join(', ')}${notes ? ' (see the notes above)' : ''}`;
}
