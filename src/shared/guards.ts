/**
 * The pieces both protocols' arrival checks are built from (webviewGuards.ts, runnerGuards.ts,
 * verifyGuards.ts): value checks, and {@link messageGuard}, which turns a table of one field check
 * per message tag into the type guard a receiver runs before its `switch`.
 */

/** A plain object (not null, not an array). */
export const isObj = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);
/** A finite number. */
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** A finite number or `null` (a gap in a curve). */
export const isNumOrNull = (x: unknown): boolean => x === null || isNum(x);
/** Absent, or passing `check`. */
export const isOptional = (x: unknown, check: (v: unknown) => boolean): boolean =>
	x === undefined || check(x);

/** A check of the fields of one message type (its `type` tag, and envelope, already matched). */
export type FieldGuard = (x: Record<string, unknown>) => boolean;

/**
 * The arrival check of one direction of a protocol: `x` is an object whose `type` is one of the
 * table's own keys (`toString` is not a message type), whose envelope passes, and whose fields pass
 * that tag's check. Tables are typed `satisfies Record<Message['type'], FieldGuard>`, so a message
 * without a check, or a check for a message that does not exist, is a compile error.
 */
export function messageGuard<M extends { type: string }>(
	guards: Record<M['type'], FieldGuard>,
	envelope: FieldGuard = () => true,
): (x: unknown) => x is M {
	const table: Record<string, FieldGuard> = guards;
	return (x: unknown): x is M =>
		isObj(x) &&
		typeof x.type === 'string' &&
		Object.hasOwn(table, x.type) &&
		envelope(x) &&
		table[x.type](x);
}

/** The end of a receiver's `switch` over a guarded union: a compile error when a tag is missed. */
export function assertNever(x: never): never {
	throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
