/**
 * What every site visitor needs about one file: the parsed source and its text, the bindings,
 * positions as lines and ranges, and the value of an LR expression.
 */
import * as ts from 'typescript';
import type { Bindings } from './bindings';
import { numericValue, unwrap } from './syntax';
import type { LrSite, TextRange } from './types';

/** One file being searched. */
export interface SiteContext {
	sf: ts.SourceFile;
	text: string;
	b: Bindings;
	/** The names bound to tfjs; a global `tf` (browser <script> builds) when nothing else is bound. */
	namespaces: ReadonlySet<string>;
}

/** 1-based line of a position. */
export function lineOf(c: SiteContext, pos: number): number {
	return c.sf.getLineAndCharacterOfPosition(pos).line + 1;
}

/** A node's range without its leading trivia. */
export function range(c: SiteContext, n: ts.Node): TextRange {
	return { start: n.getStart(c.sf), end: n.end };
}

/** Start of the line that holds `pos`. */
export function lineStart(c: SiteContext, pos: number): number {
	return c.sf.getPositionOfLineAndCharacter(c.sf.getLineAndCharacterOfPosition(pos).line, 0);
}

/** The indentation of the line that holds `pos`. */
export function indentAt(c: SiteContext, pos: number): string {
	// Scan, not a regex on a slice: slicing to the end of a big file per call is quadratic.
	const from = lineStart(c, pos);
	let end = from;
	while (c.text[end] === ' ' || c.text[end] === '\t') {
		end++;
	}
	return c.text.slice(from, end);
}

/** Value, literal and via for an LR expression (a literal, or a name bound to a `const` literal). */
export function lrOf(
	c: SiteContext,
	expr: ts.Expression,
	useRange: TextRange,
): Pick<LrSite, 'value' | 'literal' | 'via' | 'expression'> {
	const e = unwrap(expr);
	if (ts.isNumericLiteral(e)) {
		return { value: numericValue(e.getText(c.sf)), literal: range(c, e), expression: useRange };
	}
	if (ts.isIdentifier(e)) {
		const lit = c.b.constNumbers.get(e.text);
		if (lit) {
			return {
				value: numericValue(lit.getText(c.sf)),
				literal: range(c, lit),
				via: { name: e.text, range: range(c, e) },
				expression: useRange,
			};
		}
	}
	return { expression: useRange };
}
