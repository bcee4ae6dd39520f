/**
 * Finds the places in JS/TS source where a TensorFlow.js learning rate is set ("LR sites") and the
 * `model.fit` / `fitDataset` calls they train with, using the TypeScript compiler's parser (no
 * program, no type checker: `createSourceFile` alone parses JS, TS, JSX and TSX in about a
 * millisecond per thousand lines). Pure: no vscode, no tfjs. The extension loads this module
 * lazily from its own bundle (`dist/lrSites.js`, with typescript inside), so the extension host
 * pays for the parser only when a tfjs file is open.
 *
 * Aliases are resolved by name over the whole file (no scope analysis): `import * as tf`,
 * `const tf = require('@tensorflow/tfjs-node')`, `const { train } = tf`, `import { train } from
 * '@tensorflow/tfjs'`, `const { adam } = tf.train`, and an LR identifier whose single `const`
 * declaration is a number literal (followed one level). Anything else is "computed": the site is
 * reported with `value: undefined` and no literal range, so nothing offers to rewrite it.
 */
import * as ts from 'typescript';
import type { OptimizerKind } from './scheduleCode';

/** A half-open character range `[start, end)` in the source text. */
export interface TextRange {
	start: number;
	end: number;
}

/** How the LR is given at a site. */
export type LrSiteKind =
	/** `tf.train.adam(0.01)` and aliases. */
	| 'optimizer'
	/** `learningRate: 0.01` in any object literal (configs, custom objects, `{ optimizer, learningRate }`). */
	| 'learningRateProperty'
	/** `model.compile({ optimizer: 'sgd' })`: the LR is tfjs's default for that name. */
	| 'stringOptimizer';

/** One place that sets a learning rate. */
export interface LrSite {
	kind: LrSiteKind;
	/** The optimizer, when known (always for 'optimizer' and 'stringOptimizer'). */
	optimizer?: OptimizerKind;
	/** The LR this code sets, when it is a literal (directly or through a `const`), or tfjs's default. */
	value?: number;
	/** The number literal that holds `value` (possibly a `const` initialiser elsewhere in the file). */
	literal?: TextRange;
	/** When the LR came through an identifier: its name and the range of the use at the site. */
	via?: { name: string; range: TextRange };
	/** True when `value` is tfjs's default (no LR argument, or a string optimizer). */
	isDefault?: boolean;
	/** Human note about a default or a missing argument, e.g. "tfjs's compile() default for 'sgd'". */
	note?: string;
	/** The LR expression as written (argument or property value), when there is one. */
	expression?: TextRange;
	/** Where an LR argument can be inserted when the call has none (just after `(`). */
	argumentInsertAt?: number;
	/** The whole call (`tf.train.adam(…)`), property (`learningRate: …`) or string literal. */
	range: TextRange;
	/** 1-based line of `range.start`, for messages. */
	line: number;
}

/** How to add a callback instance to a `fit` call's callbacks. */
export type CallbacksSlot =
	/** `callbacks: [a, b]`: append after the last element (or inside an empty array). */
	| { kind: 'array'; insertAt: number; empty: boolean }
	/** `callbacks: cb` or `{ callbacks }`: wrap the expression. */
	| { kind: 'expression'; range: TextRange; shorthand: boolean }
	/** Options object without `callbacks`: add the property. */
	| {
			kind: 'property';
			insertAt: number;
			empty: boolean;
			multiline: boolean;
			trailingComma: boolean;
			indent: string;
	  }
	/** Options given as an expression (`fit(x, y, opts)`): spread it into a new object. */
	| { kind: 'options'; range: TextRange }
	/** No options argument at all: append one after the last argument. */
	| { kind: 'argument'; insertAt: number };

/** A `model.fit(x, y, opts)` or `model.fitDataset(ds, opts)` call. */
export interface FitCall {
	method: 'fit' | 'fitDataset';
	/** The whole call expression. */
	range: TextRange;
	/** `fit` / `fitDataset` (the property name), for lenses and diagnostics. */
	nameRange: TextRange;
	line: number;
	/** The options object literal, when the call has one. */
	options?: TextRange;
	/** True when the options object has a `callbacks` property. */
	hasCallbacks: boolean;
	/** Where and how to add a callback. */
	callbacks: CallbacksSlot;
	/** Start of the line of the innermost statement that contains the call, and its indentation. */
	statementLineStart: number;
	statementIndent: string;
	/** `epochs: N` when it is a number literal. */
	epochs?: number;
	/** `batchSize: N` when it is a number literal. */
	batchSize?: number;
}

/** Everything found in one file. */
export interface LrSiteReport {
	sites: LrSite[];
	fits: FitCall[];
	/** An identifier bound to the tfjs module (`tf`), for generated code; undefined with named imports only. */
	tfNamespace?: string;
	/** `import { … } from '@tensorflow/tfjs…'`: where a specifier can be added and which names it has. */
	namedImport?: { insertAt: number; names: string[] };
	/** True when the file imports or requires a tfjs package (or uses a global `tf.train`). */
	usesTfjs: boolean;
	/** Parse errors the parser reported (the finder still reports what it found). */
	parseErrors: number;
}

/** The optimizer constructors `tf.train.*` has (tfjs 4.22). */
const optimizerNames: ReadonlySet<string> = new Set([
	'sgd',
	'momentum',
	'adam',
	'adamax',
	'rmsprop',
	'adagrad',
	'adadelta',
]);

/**
 * Defaults of the `tf.train.*` constructors' `learningRate` parameter (tfjs-core 4.22
 * optimizer_constructors.ts). sgd, momentum, rmsprop and adagrad have none: it is required.
 */
export const constructorDefaultLr: Readonly<Partial<Record<OptimizerKind, number>>> = {
	adam: 0.001,
	adamax: 0.002,
	adadelta: 0.001,
};

/**
 * What `model.compile({ optimizer: '<name>' })` builds (tfjs-layers 4.22 optimizers.ts
 * `getOptimizer`): note that these differ from the constructor defaults (adadelta 1, sgd 0.01).
 */
export const compileStringDefaults: Readonly<Record<string, { kind: OptimizerKind; lr: number }>> =
	{
		sgd: { kind: 'sgd', lr: 0.01 },
		adam: { kind: 'adam', lr: 0.001 },
		adamax: { kind: 'adamax', lr: 0.002 },
		rmsprop: { kind: 'rmsprop', lr: 0.001 },
		adagrad: { kind: 'adagrad', lr: 0.01 },
		adadelta: { kind: 'adadelta', lr: 1 },
	};
// tfjs accepts the capitalised Keras names too.
const compileStringNames: Readonly<Record<string, string>> = {
	sgd: 'sgd',
	SGD: 'sgd',
	adam: 'adam',
	Adam: 'adam',
	adamax: 'adamax',
	Adamax: 'adamax',
	rmsprop: 'rmsprop',
	RMSProp: 'rmsprop',
	adagrad: 'adagrad',
	Adagrad: 'adagrad',
	adadelta: 'adadelta',
	Adadelta: 'adadelta',
};

const tfjsModule = /^@tensorflow\/tfjs(-node(-gpu)?|-core)?(\/dist\/.*)?$/;

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
function unwrap(e: ts.Expression): ts.Expression {
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

function propName(name: ts.PropertyName): string | undefined {
	return ts.isIdentifier(name) ||
		ts.isStringLiteral(name) ||
		ts.isNoSubstitutionTemplateLiteral(name)
		? name.text
		: undefined;
}

function isTfjsRequire(e: ts.Expression): boolean {
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

/** Name bindings that matter, collected over the whole file. */
interface Bindings {
	namespaces: Set<string>;
	trainObjects: Set<string>;
	optimizerFns: Map<string, OptimizerKind>;
	/** const name → number literal node; `null` when the name is declared more than once (ambiguous). */
	constNumbers: Map<string, ts.NumericLiteral | null>;
	namedImport?: { insertAt: number; names: string[] };
	usesTfjs: boolean;
}

function collectBindings(sf: ts.SourceFile): Bindings {
	const b: Bindings = {
		namespaces: new Set(),
		trainObjects: new Set(),
		optimizerFns: new Map(),
		constNumbers: new Map(),
		usesTfjs: false,
	};
	const declared = new Set<string>();
	const isNamespace = (e: ts.Expression): boolean => {
		e = unwrap(e);
		return isTfjsRequire(e) || (ts.isIdentifier(e) && b.namespaces.has(e.text));
	};
	const isTrain = (e: ts.Expression): boolean => {
		e = unwrap(e);
		return (
			(ts.isIdentifier(e) && b.trainObjects.has(e.text)) ||
			(ts.isPropertyAccessExpression(e) && e.name.text === 'train' && isNamespace(e.expression))
		);
	};
	// Without parent pointers (cheaper parse), the enclosing declaration list's `const` flag is tracked here.
	let inConst = false;
	const visit = (node: ts.Node): void => {
		if (ts.isVariableDeclarationList(node)) {
			const outer = inConst;
			inConst = (node.flags & ts.NodeFlags.Const) !== 0;
			ts.forEachChild(node, visit);
			inConst = outer;
			return;
		}
		if (
			ts.isImportDeclaration(node) &&
			ts.isStringLiteral(node.moduleSpecifier) &&
			tfjsModule.test(node.moduleSpecifier.text)
		) {
			b.usesTfjs = true;
			const clause = node.importClause;
			if (clause?.name) {
				// `import tf from '@tensorflow/tfjs'` (esModuleInterop / bundlers).
				b.namespaces.add(clause.name.text);
			}
			const nb = clause?.namedBindings;
			if (nb && ts.isNamespaceImport(nb)) {
				b.namespaces.add(nb.name.text);
			} else if (nb && ts.isNamedImports(nb)) {
				const names: string[] = [];
				for (const el of nb.elements) {
					const imported = (el.propertyName ?? el.name).text;
					names.push(imported);
					if (imported === 'train') {
						b.trainObjects.add(el.name.text);
					}
				}
				const last = nb.elements.at(-1);
				b.namedImport ??= { insertAt: last ? last.end : nb.getStart(sf) + 1, names };
			}
		} else if (
			ts.isImportEqualsDeclaration(node) &&
			ts.isExternalModuleReference(node.moduleReference)
		) {
			const spec = node.moduleReference.expression;
			if (ts.isStringLiteral(spec) && tfjsModule.test(spec.text)) {
				b.usesTfjs = true;
				b.namespaces.add(node.name.text);
			}
		} else if (ts.isVariableDeclaration(node) && node.initializer) {
			const init = node.initializer;
			const isConst = inConst;
			if (isTfjsRequire(init)) {
				b.usesTfjs = true;
			}
			if (ts.isIdentifier(node.name)) {
				const name = node.name.text;
				const u = unwrap(init);
				if (isNamespace(u)) {
					b.namespaces.add(name);
				} else if (isTrain(u)) {
					b.trainObjects.add(name);
				} else if (
					ts.isPropertyAccessExpression(u) &&
					optimizerNames.has(u.name.text) &&
					isTrain(u.expression)
				) {
					b.optimizerFns.set(name, u.name.text as OptimizerKind);
				}
				if (declared.has(name)) {
					b.constNumbers.set(name, null);
				} else if (isConst && ts.isNumericLiteral(u)) {
					b.constNumbers.set(name, u);
				}
				declared.add(name);
			} else if (ts.isObjectBindingPattern(node.name)) {
				// const { train } = tf;  const { adam, sgd: s } = tf.train;  const { train: t } = require(...)
				const fromNs = isNamespace(init);
				const fromTrain = !fromNs && isTrain(init);
				for (const el of node.name.elements) {
					if (!ts.isIdentifier(el.name)) {
						continue;
					}
					const key = el.propertyName ? propName(el.propertyName) : el.name.text;
					if (fromNs && key === 'train') {
						b.trainObjects.add(el.name.text);
					} else if (fromTrain && key && optimizerNames.has(key)) {
						b.optimizerFns.set(el.name.text, key as OptimizerKind);
					}
				}
			}
		}
		ts.forEachChild(node, visit);
	};
	// Two passes so that `const tf = require(...)` is known before `const { train } = tf` is seen,
	// whatever the order of declarations in the file.
	visit(sf);
	declared.clear();
	b.constNumbers.clear();
	visit(sf);
	return b;
}

/** Finds LR sites and fit calls in `text`. Never throws on bad syntax (the parser recovers). */
export function findLrSites(text: string, fileName = 'file.js'): LrSiteReport {
	const sf = parseSource(text, fileName);
	const b = collectBindings(sf);
	const sites: LrSite[] = [];
	const fits: FitCall[] = [];
	const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
	const range = (n: ts.Node): TextRange => ({ start: n.getStart(sf), end: n.end });
	// A global `tf` (browser <script> builds) counts as the tfjs namespace when nothing else is bound.
	const namespaces = b.namespaces.size ? b.namespaces : new Set(['tf']);

	const optimizerOf = (callee: ts.Expression): OptimizerKind | undefined => {
		callee = unwrap(callee);
		if (ts.isIdentifier(callee)) {
			return b.optimizerFns.get(callee.text);
		}
		if (!ts.isPropertyAccessExpression(callee) || !optimizerNames.has(callee.name.text)) {
			return undefined;
		}
		const obj = unwrap(callee.expression);
		const ok =
			(ts.isIdentifier(obj) && b.trainObjects.has(obj.text)) ||
			(ts.isPropertyAccessExpression(obj) &&
				obj.name.text === 'train' &&
				ts.isIdentifier(unwrap(obj.expression)) &&
				namespaces.has((unwrap(obj.expression) as ts.Identifier).text)) ||
			(ts.isPropertyAccessExpression(obj) &&
				obj.name.text === 'train' &&
				isTfjsRequire(obj.expression));
		return ok ? (callee.name.text as OptimizerKind) : undefined;
	};

	/** Value, literal and via for an LR expression. */
	const lrOf = (
		expr: ts.Expression,
		useRange: TextRange,
	): Pick<LrSite, 'value' | 'literal' | 'via' | 'expression'> => {
		const e = unwrap(expr);
		if (ts.isNumericLiteral(e)) {
			return { value: numericValue(e.getText(sf)), literal: range(e), expression: useRange };
		}
		if (ts.isIdentifier(e)) {
			const lit = b.constNumbers.get(e.text);
			if (lit) {
				return {
					value: numericValue(lit.getText(sf)),
					literal: range(lit),
					via: { name: e.text, range: range(e) },
					expression: useRange,
				};
			}
		}
		return { expression: useRange };
	};

	const statementOf = (stack: readonly ts.Node[]): ts.Node => {
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
	};
	const lineStart = (pos: number): number =>
		sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(pos).line, 0);
	const indentAt = (pos: number): string => {
		// Scan, not a regex on a slice: slicing to the end of a big file per call is quadratic.
		const from = lineStart(pos);
		let end = from;
		while (text[end] === ' ' || text[end] === '\t') {
			end++;
		}
		return text.slice(from, end);
	};

	const fitCall = (
		call: ts.CallExpression,
		name: ts.MemberName,
		stack: readonly ts.Node[],
	): FitCall | undefined => {
		const method = name.text as 'fit' | 'fitDataset';
		const optIndex = method === 'fit' ? 2 : 1;
		// `scaler.fit(x)` (one argument) is not a tfjs LayersModel.fit.
		if (call.arguments.length < optIndex) {
			return undefined;
		}
		const stmt = statementOf(stack);
		const stmtStart = stmt.getStart(sf);
		const base = {
			method,
			range: range(call),
			nameRange: range(name),
			line: lineOf(name.getStart(sf)),
			statementLineStart: lineStart(stmtStart),
			statementIndent: indentAt(stmtStart),
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
			return { ...base, hasCallbacks: false, callbacks: { kind: 'options', range: range(optArg) } };
		}
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
							: { kind: 'array', insertAt: v.getStart(sf) + 1, empty: true }
						: { kind: 'expression', range: range(p.initializer), shorthand: false };
				}
			} else if (ts.isShorthandPropertyAssignment(p) && key === 'callbacks') {
				callbacks = { kind: 'expression', range: range(p), shorthand: true };
			}
		}
		const optRange = range(opts);
		const hasCallbacks = callbacks !== undefined;
		if (!callbacks) {
			const props = opts.properties;
			const last = props[props.length - 1];
			const multiline = lineOf(optRange.start) !== lineOf(optRange.end);
			const trailingComma = props.hasTrailingComma;
			callbacks = {
				kind: 'property',
				insertAt: !last
					? optRange.start + 1
					: trailingComma
						? text.indexOf(',', last.end) + 1
						: last.end,
				empty: !last,
				multiline,
				trailingComma,
				indent: last ? indentAt(last.getStart(sf)) : indentAt(optRange.start) + '\t',
			};
		}
		return { ...base, options: optRange, hasCallbacks, callbacks, epochs, batchSize };
	};

	const stack: ts.Node[] = [];
	const visit = (node: ts.Node): void => {
		stack.push(node);
		if (ts.isCallExpression(node)) {
			const callee = unwrap(node.expression);
			const kind = optimizerOf(callee);
			if (kind) {
				const arg = node.arguments[0];
				const r = range(node);
				if (arg) {
					sites.push({
						kind: 'optimizer',
						optimizer: kind,
						...lrOf(arg, range(arg)),
						range: r,
						line: lineOf(r.start),
					});
				} else {
					const def = constructorDefaultLr[kind];
					sites.push({
						kind: 'optimizer',
						optimizer: kind,
						value: def,
						isDefault: def !== undefined,
						note:
							def !== undefined
								? `tf.train.${kind}() default`
								: `tf.train.${kind}() needs a learning rate`,
						argumentInsertAt: node.arguments.pos,
						range: r,
						line: lineOf(r.start),
					});
				}
			} else if (
				ts.isPropertyAccessExpression(callee) &&
				(callee.name.text === 'fit' || callee.name.text === 'fitDataset')
			) {
				const f = fitCall(node, callee.name, stack);
				if (f) {
					fits.push(f);
				}
			} else if (
				ts.isPropertyAccessExpression(callee) &&
				callee.name.text === 'compile' &&
				node.arguments[0] &&
				ts.isObjectLiteralExpression(unwrap(node.arguments[0]))
			) {
				for (const p of (unwrap(node.arguments[0]) as ts.ObjectLiteralExpression).properties) {
					if (
						ts.isPropertyAssignment(p) &&
						p.name &&
						propName(p.name) === 'optimizer' &&
						ts.isStringLiteralLike(unwrap(p.initializer))
					) {
						const lit = unwrap(p.initializer) as ts.StringLiteralLike;
						const canonical = compileStringNames[lit.text];
						if (canonical) {
							const d = compileStringDefaults[canonical];
							const r = range(lit);
							sites.push({
								kind: 'stringOptimizer',
								optimizer: d.kind,
								value: d.lr,
								isDefault: true,
								note: `tfjs's compile() default for '${lit.text}'`,
								literal: r,
								range: r,
								line: lineOf(r.start),
							});
						}
					}
				}
			}
		} else if (
			(ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
			propName(node.name) === 'learningRate'
		) {
			const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
			const r = range(node);
			// A sibling `optimizer: 'adam'` names the optimizer the LR is for.
			let optimizer: OptimizerKind | undefined;
			const parent = stack[stack.length - 2];
			if (parent && ts.isObjectLiteralExpression(parent)) {
				for (const p of parent.properties) {
					if (
						ts.isPropertyAssignment(p) &&
						propName(p.name) === 'optimizer' &&
						ts.isStringLiteralLike(unwrap(p.initializer))
					) {
						optimizer =
							compileStringDefaults[
								compileStringNames[(unwrap(p.initializer) as ts.StringLiteralLike).text] ?? ''
							]?.kind;
					}
				}
			}
			sites.push({
				kind: 'learningRateProperty',
				...(optimizer ? { optimizer } : {}),
				...lrOf(value, range(value)),
				range: r,
				line: lineOf(r.start),
			});
		}
		ts.forEachChild(node, visit);
		stack.pop();
	};
	visit(sf);

	const tfNamespace = b.namespaces.has('tf') ? 'tf' : [...b.namespaces][0];
	const usesTfjs = b.usesTfjs || sites.some((s) => s.kind === 'optimizer');
	const parseErrors =
		(sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
	return {
		sites,
		fits,
		tfNamespace: tfNamespace ?? (b.namedImport ? undefined : 'tf'),
		namedImport: b.namedImport,
		usesTfjs,
		parseErrors,
	};
}

/** A text edit as offsets into the original text. */
export interface OffsetEdit {
	start: number;
	end: number;
	text: string;
}

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
