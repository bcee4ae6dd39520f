/**
 * The words of a thrown value. Anything can be thrown (a string, an object, undefined), so every
 * surface that reports a failure goes through here rather than assuming an `Error`.
 */

/** The message of an `Error`, or the thrown value as a string. */
export function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** The first line of {@link errorText}, trimmed; the error's name when that line is empty. */
export function errorFirstLine(e: unknown): string {
	return errorText(e).split('\n')[0].trim() || (e instanceof Error ? e.name : 'error');
}
