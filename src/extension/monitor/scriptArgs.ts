/**
 * Pure helpers for "LR Scope: Set Script Arguments…": the user types the arguments and the
 * environment of a training script as one line each (as in a terminal); these split, validate and
 * format them. No 'vscode' here, so the rules are unit-tested (test/unit/warnings.test.ts).
 */

/** What is remembered per script (in workspaceState, keyed by the script's URI). */
export interface ScriptSettings {
	args: string[];
	env: Record<string, string>;
}

/** An empty setting: no arguments, no extra environment. */
export const emptyScriptSettings: Readonly<ScriptSettings> = Object.freeze({ args: [], env: {} });

/**
 * Splits a command line the way a POSIX shell would for plain words: whitespace separates words,
 * single quotes keep everything literally, double quotes keep spaces (and `\"`, `\\` escapes),
 * a backslash outside quotes escapes the next character. Throws a one-line message on an
 * unclosed quote, because silently guessing would run the script with the wrong arguments.
 */
export function splitArgs(line: string): string[] {
	const out: string[] = [];
	let word = '';
	let inWord = false;
	let quote: '"' | "'" | null = null;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (quote === "'") {
			if (c === "'") {
				quote = null;
			} else {
				word += c;
			}
			continue;
		}
		if (quote === '"') {
			if (c === '"') {
				quote = null;
			} else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
				word += line[++i];
			} else {
				word += c;
			}
			continue;
		}
		if (c === "'" || c === '"') {
			quote = c;
			inWord = true;
		} else if (c === '\\' && i + 1 < line.length) {
			word += line[++i];
			inWord = true;
		} else if (/\s/.test(c)) {
			if (inWord) {
				out.push(word);
				word = '';
				inWord = false;
			}
		} else {
			word += c;
			inWord = true;
		}
	}
	if (quote) {
		throw new Error(`unclosed ${quote === '"' ? 'double' : 'single'} quote in: ${line}`);
	}
	if (inWord) {
		out.push(word);
	}
	return out;
}

/** Quotes one argument only when it needs it, so `formatArgs(splitArgs(s))` round-trips. */
export function quoteArg(a: string): string {
	if (a !== '' && /^[\w@%+=:,./-]+$/.test(a)) {
		return a;
	}
	return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The arguments as one editable line. */
export function formatArgs(args: readonly string[]): string {
	return args.map(quoteArg).join(' ');
}

/**
 * Parses `KEY=VALUE KEY2="a b"` into an environment. Keys must look like environment variable
 * names; throws a one-line message naming the offending word otherwise.
 */
export function parseEnv(line: string): Record<string, string> {
	const env: Record<string, string> = {};
	for (const word of splitArgs(line)) {
		const eq = word.indexOf('=');
		const key = eq > 0 ? word.slice(0, eq) : '';
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
			throw new Error(`expected KEY=VALUE (e.g. EPOCHS=5), got "${word}"`);
		}
		env[key] = word.slice(eq + 1);
	}
	return env;
}

/** The environment as one editable line. */
export function formatEnv(env: Readonly<Record<string, string>>): string {
	return Object.entries(env)
		.map(([k, v]) => `${k}=${quoteArg(v)}`)
		.join(' ');
}

/** Validates a remembered value read back from workspaceState (it may be from an older version). */
export function asScriptSettings(value: unknown): ScriptSettings {
	if (typeof value !== 'object' || value === null) {
		return { args: [], env: {} };
	}
	const v = value as { args?: unknown; env?: unknown };
	const args = Array.isArray(v.args)
		? v.args.filter((a): a is string => typeof a === 'string')
		: [];
	const env: Record<string, string> = {};
	if (typeof v.env === 'object' && v.env !== null) {
		for (const [k, x] of Object.entries(v.env)) {
			if (typeof x === 'string') {
				env[k] = x;
			}
		}
	}
	return { args, env };
}
