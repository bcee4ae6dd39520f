/**
 * `model.fit(x, y, opts)` and `model.fitDataset(ds, opts)` calls: where the statement starts, the
 * literal `epochs` and `batchSize`, and where and how a callback can be added.
 */
import * as ts from 'typescript';
import type { SiteContext } from './context';
import { indentAt, lineOf, lineStart, range } from './context';
import { numericValue, propName, unwrap } from './syntax';
import type { CallbacksSlot, FitCall, TextRange } from './types';

/** Whether a callee is `<something>.fit` or `.fitDataset`. */
export function isFitCallee(
	callee: ts.Expression,
): callee is ts.PropertyAccessExpression & { name: ts.MemberName } {
	return (
		ts.isPropertyAccessExpression(callee) &&
		(callee.name.text === 'fit' || callee.name.text === 'fitDataset')
	);
}

/** The innermost statement on the ancestor `stack` (the last entry is the node itself). */
function statementOf(stack: readonly ts.Node[]): ts.Node {
	for (let i = stack.length - 1; i > 0; i--) {
		const p = stack[i - 1];
		if (
			ts.isBlock(p) ||
			ts.isSourceFile(p) ||
			ts.isModuleBlock(p) ||
			ts.isCaseClause(p) ||
			ts.isDefaultClause(p)
		) {
			return stack[i];
		}
	}
	return stack[stack.length - 1];
}

/** The fit call, or undefined when it has too few arguments to be a tfjs one. */
export function fitCall(
	c: SiteContext,
	call: ts.CallExpression,
	name: ts.MemberName,
	stack: readonly ts.Node[],
): FitCall | undefined {
	const method = name.text as 'fit' | 'fitDataset';
	const optIndex = method === 'fit' ? 2 : 1;
	// `scaler.fit(x)` (one argument) is not a tfjs LayersModel.fit.
	if (call.arguments.length < optIndex) {
		return undefined;
	}
	const stmtStart = statementOf(stack).getStart(c.sf);
	const base = {
		method,
		range: range(c, call),
		nameRange: range(c, name),
		line: lineOf(c, name.getStart(c.sf)),
		statementLineStart: lineStart(c, stmtStart),
		statementIndent: indentAt(c, stmtStart),
	};
	const optArg = call.arguments[optIndex];
	if (!optArg) {
		return {
			...base,
			hasCallbacks: false,
			callbacks: { kind: 'argument', insertAt: call.arguments[call.arguments.length - 1].end },
		};
	}
	const opts = unwrap(optArg);
	if (!ts.isObjectLiteralExpression(opts)) {
		return {
			...base,
			hasCallbacks: false,
			callbacks: { kind: 'options', range: range(c, optArg) },
		};
	}
	const { epochs, batchSize, callbacks } = readOptions(c, opts);
	const optRange = range(c, opts);
	return {
		...base,
		options: optRange,
		hasCallbacks: callbacks !== undefined,
		callbacks: callbacks ?? propertySlot(c, opts, optRange),
		epochs,
		batchSize,
	};
}

/** The literal `epochs` and `batchSize` of an options object, and its `callbacks` slot if it has one. */
function readOptions(
	c: SiteContext,
	opts: ts.ObjectLiteralExpression,
): { epochs?: number; batchSize?: number; callbacks?: CallbacksSlot } {
	let epochs: number | undefined;
	let batchSize: number | undefined;
	let callbacks: CallbacksSlot | undefined;
	for (const p of opts.properties) {
		const key = p.name && propName(p.name);
		if (ts.isPropertyAssignment(p)) {
			const v = unwrap(p.initializer);
			if (key === 'epochs' && ts.isNumericLiteral(v)) {
				epochs = numericValue(v.text);
			} else if (key === 'batchSize' && ts.isNumericLiteral(v)) {
				batchSize = numericValue(v.text);
			} else if (key === 'callbacks') {
				callbacks = ts.isArrayLiteralExpression(v)
					? v.elements.length
						? { kind: 'array', insertAt: v.elements[v.elements.length - 1].end, empty: false }
						: { kind: 'array', insertAt: v.getStart(c.sf) + 1, empty: true }
					: { kind: 'expression', range: range(c, p.initializer), shorthand: false };
			}
		} else if (ts.isShorthandPropertyAssignment(p) && key === 'callbacks') {
			callbacks = { kind: 'expression', range: range(c, p), shorthand: true };
		}
	}
	return { epochs, batchSize, callbacks };
}

/** Where a `callbacks` property goes in an options object that has none, in its own style. */
function propertySlot(
	c: SiteContext,
	opts: ts.ObjectLiteralExpression,
	optRange: TextRange,
): CallbacksSlot {
	const props = opts.properties;
	const last = props[props.length - 1];
	const multiline = lineOf(c, optRange.start) !== lineOf(c, optRange.end);
	const trailingComma = props.hasTrailingComma;
	return {
		kind: 'property',
		insertAt: !last
			? optRange.start + 1
			: trailingComma
				? c.text.indexOf(',', last.end) + 1
				: last.end,
		empty: !last,
		multiline,
		trailingComma,
		indent: last ? indentAt(c, last.getStart(c.sf)) : indentAt(c, optRange.start) + '\t',
	};
}
