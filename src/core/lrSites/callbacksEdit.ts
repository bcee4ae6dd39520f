/**
 * The edit that adds a callback instance to a fit call's callbacks.
 */
import type { FitCall, OffsetEdit } from './types';

/**
 * The edit that adds `instance` (e.g. `new LrScopeSchedule()`) to a fit call's callbacks, keeping
 * what is there: appends to an array, wraps a single callback or a variable
 * (`[...[cb].flat(), x]` works for both a callback and an array of them), adds the property, or
 * adds an options argument. `text` is the original source (for the expression being wrapped).
 */
export function callbacksEdit(fit: FitCall, instance: string, text: string): OffsetEdit {
	const c = fit.callbacks;
	switch (c.kind) {
		case 'array':
			return { start: c.insertAt, end: c.insertAt, text: c.empty ? instance : `, ${instance}` };
		case 'expression': {
			const expr = c.shorthand ? 'callbacks' : text.slice(c.range.start, c.range.end);
			const wrapped = `[...[${expr}].flat(), ${instance}]`;
			return {
				start: c.range.start,
				end: c.range.end,
				text: c.shorthand ? `callbacks: ${wrapped}` : wrapped,
			};
		}
		case 'property': {
			const prop = `callbacks: [${instance}]`;
			if (c.empty) {
				return { start: c.insertAt, end: c.insertAt, text: ` ${prop} ` };
			}
			if (c.multiline) {
				return {
					start: c.insertAt,
					end: c.insertAt,
					text: c.trailingComma ? `\n${c.indent}${prop},` : `,\n${c.indent}${prop}`,
				};
			}
			return {
				start: c.insertAt,
				end: c.insertAt,
				text: c.trailingComma ? ` ${prop},` : `, ${prop}`,
			};
		}
		case 'options': {
			const expr = text.slice(c.range.start, c.range.end);
			return {
				start: c.range.start,
				end: c.range.end,
				text: `{ ...${expr}, callbacks: [...[${expr}.callbacks ?? []].flat(), ${instance}] }`,
			};
		}
		case 'argument':
			return { start: c.insertAt, end: c.insertAt, text: `, { callbacks: [${instance}] }` };
	}
}
