/**
 * Syntax helpers for the LR-site finder: parsing, unwrapping, literal values, property names, tfjs requires.
 */
import * as ts from 'typescript';
import { tfjsModule } from '../tfjsNames';

/** The parser's script kind for a file name (default JS, which also accepts JSX). */
export function scriptKindFor(fileName: string): ts.ScriptKind {
	const ext = /\.[^./\\]+$/.exec(fileName)?.[0].toLowerCase() ?? '';
	switch (ext) {
		case '.ts':
		case '.mts':
		case '.cts':
			return ts.ScriptKind.TS;
		case '.tsx':
			return ts.ScriptKind.TSX;
		case '.jsx':
			return ts.ScriptKind.JSX;
		default:
			return ts.ScriptKind.JS;
	}
}

/** Parses `text` the way {@link findLrSites} does; exported for the benchmark's baseline. */
export function parseSource(text: string, fileName: string): ts.SourceFile {
	return ts.createSourceFile(
		fileName,
		text,
		ts.ScriptTarget.Latest,
		false,
		scriptKindFor(fileName),
	);
}

/** Cheap pre-check: could this file set a tfjs LR at all? (Skips the parse for other files.) */
export function mayHaveLrSites(text: string): boolean {
	return (
		text.includes('@tensorflow/tfjs') ||
		text.includes('learningRate') ||
		/\btf\s*\.\s*train\b/.test(text)
	);
}

/** Strips parentheses and TS-only wrappers (`x as number`, `x!`, `x satisfies T`). */
export function unwrap(e: ts.Expression): ts.Expression {
	for (;;) {
		if (
			ts.isParenthesizedExpression(e) ||
			ts.isAsExpression(e) ||
			ts.isNonNullExpression(e) ||
			ts.isSatisfiesExpression(e) ||
			ts.isTypeAssertionExpression(e)
		) {
			e = e.expression;
		} else {
			return e;
		}
	}
}

/** The number a numeric literal denotes (`1_000e-6`, `.001`, `0x10` …), or undefined. */
export function numericValue(literalText: string): number | undefined {
	const v = Number(literalText.replace(/_/g, ''));
	return Number.isFinite(v) ? v : undefined;
}

/** A property name as text, when it is an identifier or a string; undefined when computed. */
export function propName(name: ts.PropertyName): string | undefined {
	return ts.isIdentifier(name) ||
		ts.isStringLiteral(name) ||
		ts.isNoSubstitutionTemplateLiteral(name)
		? name.text
		: undefined;
}

/** `require('@tensorflow/tfjs…')` or `import('…')`, possibly awaited. */
export function isTfjsRequire(e: ts.Expression): boolean {
	e = unwrap(e);
	if (ts.isAwaitExpression(e)) {
		e = unwrap(e.expression);
	}
	if (!ts.isCallExpression(e) || e.arguments.length < 1) {
		return false;
	}
	const arg = e.arguments[0];
	const isRequire =
		(ts.isIdentifier(e.expression) && e.expression.text === 'require') ||
		e.expression.kind === ts.SyntaxKind.ImportKeyword;
	return isRequire && ts.isStringLiteralLike(arg) && tfjsModule.test(arg.text);
}
