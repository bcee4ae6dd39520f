/**
 * Shared plumbing for `lrscope` subcommands: errors with exit codes, JSON output, TTY progress.
 * Exit codes (docs/engine.md): 0 success, 1 a finding the user asked to fail on, 2 bad input.
 */
import { progressLine, progressLineSeconds } from '../core/present/progress';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorText } from '../core/present/errorText';
import { numberFlagText, parseArgsText } from '../core/present/cliErrors';

/** Bad input: printed as one line `lrscope: <message>` and exit code 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/**
 * `parseArgs` for `lrscope <command>`: a flag error becomes a one-line UsageError that points at
 * the command's --help.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
	command: string,
	config: T,
): ReturnType<typeof parseArgs<T>> {
	try {
		const args = joinNegativeValues(config.args, config.options);
		return parseArgs(args ? { ...config, args } : config) as ReturnType<typeof parseArgs<T>>;
	} catch (e) {
		throw parseErrorToUsage(command, e);
	}
}

/**
 * `--steps -5`: parseArgs takes `-5` for an option and calls the value "ambiguous". A value that
 * reads as a negative number is joined to its flag (`--steps=-5`) so the flag's own check can
 * say what range it accepts.
 */
export function joinNegativeValues(
	args: readonly string[] | undefined,
	options: ParseArgsConfig['options'],
): string[] | undefined {
	if (!args || !options) {
		return args ? [...args] : args;
	}
	const outArgs: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		const next = args[i + 1];
		const spec = a.startsWith('--') && !a.includes('=') ? options[a.slice(2)] : undefined;
		if (spec?.type === 'string' && next !== undefined && /^-(\d|\.\d|inf)/i.test(next)) {
			outArgs.push(`${a}=${next}`);
			i++;
		} else {
			outArgs.push(a);
		}
	}
	return outArgs;
}

/** A parseArgs error (`ERR_PARSE_ARGS_*`) as a one-line UsageError; anything else unchanged. */
export function parseErrorToUsage(command: string, e: unknown): unknown {
	const code = (e as { code?: unknown } | null)?.code;
	if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) {
		return e;
	}
	// parseArgs messages span lines; the contract is one line.
	return new UsageError(parseArgsText(errorText(e), command));
}

/** A subcommand: `run` returns the exit code. */
export interface Subcommand {
	name: string;
	summary: string;
	help: string;
	run(argv: string[]): Promise<number>;
}

/** JSON.stringify with non-finite numbers written as `null` (JSON has no NaN; readers expect `null`). */
export function toJson(value: unknown, indent?: number): string {
	return JSON.stringify(
		value,
		(_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
		indent,
	);
}

/** Writes a line to stdout. */
export function out(line = ''): void {
	process.stdout.write(line + '\n');
}

/** Writes to stdout and resolves once it can take more (backpressure for streamed output). */
export function writeStdout(chunk: string): Promise<void> {
	return new Promise((resolve) => {
		if (process.stdout.write(chunk)) {
			resolve();
		} else {
			process.stdout.once('drain', resolve);
		}
	});
}

/** Parses a finite number flag or throws a UsageError naming the flag. */
export function numberFlag(
	name: string,
	value: string | undefined,
	fallback?: number,
): number | undefined {
	if (value === undefined) {
		return fallback;
	}
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n)) {
		throw new UsageError(numberFlagText(name, value));
	}
	return n;
}

/** A one-line progress bar on stderr when it is a TTY; silent otherwise. */
export class ProgressBar {
	private readonly _tty = Boolean(process.stderr.isTTY);
	private _last = Date.now();
	private readonly _t0 = this._last;
	private _pending: string | undefined;
	private _wrote = false;
	constructor(private readonly _label: string) {}
	/**
	 * Draws the bar on a terminal; elsewhere (CI logs, a pipe) writes a progress line at most every
	 * few seconds, so a long run does not look hung. `lr`/`loss` are for those lines.
	 */
	update(done: number, total: number, extra = '', lr?: number, loss?: number | null): void {
		const now = Date.now();
		if (!this._tty) {
			this._pending = progressLine(this._label, done, total, lr, loss, (now - this._t0) / 1000);
			if (now - this._last >= progressLineSeconds * 1000) {
				this._last = now;
				this._wrote = true;
				process.stderr.write(`${this._pending}\n`);
				this._pending = undefined;
			}
			return;
		}
		if (now - this._last < 80 && done < total) {
			return;
		}
		this._last = now;
		const width = 30;
		const frac = total > 0 ? Math.min(1, done / total) : 0;
		const filled = Math.round(frac * width);
		process.stderr.write(
			`\r${this._label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${extra}\x1b[K`,
		);
	}
	done(): void {
		if (this._tty) {
			process.stderr.write('\r\x1b[K');
		} else if (this._pending && this._wrote) {
			// The last state, when lines were being written (a run under 5 s writes none).
			process.stderr.write(`${this._pending}\n`);
		}
	}
}
