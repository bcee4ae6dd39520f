/**
 * Shared plumbing for `lrscope` subcommands: errors with exit codes, JSON output, TTY progress.
 * Exit codes (DESIGN.md): 0 success, 1 a finding the user asked to fail on, 2 bad input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
		return parseArgs(config);
	} catch (e) {
		// parseArgs messages span lines; the contract is one line.
		throw new UsageError(
			`${(e as Error).message.replace(/\s*\n\s*/g, ' ')}; see \`lrscope ${command} --help\``,
		);
	}
}

/** A subcommand: `run` returns the exit code. */
export interface Subcommand {
	name: string;
	summary: string;
	help: string;
	run(argv: string[]): Promise<number>;
}

/** JSON.stringify with non-finite numbers written as `null` (DESIGN.md contract). */
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
		throw new UsageError(`--${name} expects a number, got "${value}"`);
	}
	return n;
}

/** A one-line progress bar on stderr when it is a TTY; silent otherwise. */
export class ProgressBar {
	private readonly _tty = Boolean(process.stderr.isTTY);
	private _last = 0;
	constructor(private readonly _label: string) {}
	update(done: number, total: number, extra = ''): void {
		if (!this._tty) {
			return;
		}
		const now = Date.now();
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
		}
	}
}
