/**
 * Name bindings over a whole file: which identifiers are the tfjs namespace, `tf.train`, an
 * optimizer constructor, or a `const` number; and the tfjs named import, if any.
 */
import * as ts from 'typescript';
import type { OptimizerKind } from '../tfjsNames';
import { optimizerNames, tfjsModule } from '../tfjsNames';
import { isTfjsRequire, propName, unwrap } from './syntax';

/** Name bindings that matter, collected over the whole file. */
export interface Bindings {
	namespaces: Set<string>;
	trainObjects: Set<string>;
	optimizerFns: Map<string, OptimizerKind>;
	/** const name → number literal node; `null` when the name is declared more than once (ambiguous). */
	constNumbers: Map<string, ts.NumericLiteral | null>;
	namedImport?: { insertAt: number; names: string[] };
	usesTfjs: boolean;
}

/** The bindings of a file, in two passes so that declaration order does not matter. */
export function collectBindings(sf: ts.SourceFile): Bindings {
	const b: Bindings = {
		namespaces: new Set(),
		trainObjects: new Set(),
		optimizerFns: new Map(),
		constNumbers: new Map(),
		usesTfjs: false,
	};
	const declared = new Set<string>();
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
		if (ts.isImportDeclaration(node)) {
			addImport(node, b, sf);
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
			addVariable(node, node.initializer, inConst, b, declared);
		}
		ts.forEachChild(node, visit);
	};
	visit(sf);
	declared.clear();
	b.constNumbers.clear();
	visit(sf);
	return b;
}

/** The identifier is bound to the tfjs namespace, or the expression requires tfjs. */
function isNamespace(b: Bindings, e: ts.Expression): boolean {
	e = unwrap(e);
	return isTfjsRequire(e) || (ts.isIdentifier(e) && b.namespaces.has(e.text));
}

/** The expression is `tf.train` or a name bound to it. */
function isTrain(b: Bindings, e: ts.Expression): boolean {
	e = unwrap(e);
	return (
		(ts.isIdentifier(e) && b.trainObjects.has(e.text)) ||
		(ts.isPropertyAccessExpression(e) && e.name.text === 'train' && isNamespace(b, e.expression))
	);
}

/** `import tf from`, `import * as tf from`, `import { train } from` a tfjs module. */
function addImport(node: ts.ImportDeclaration, b: Bindings, sf: ts.SourceFile): void {
	if (!ts.isStringLiteral(node.moduleSpecifier) || !tfjsModule.test(node.moduleSpecifier.text)) {
		return;
	}
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
}

/** `const tf = require(…)`, `const t = tf.train`, `const { adam } = tf.train`, `const lr = 0.01`. */
function addVariable(
	node: ts.VariableDeclaration,
	init: ts.Expression,
	isConst: boolean,
	b: Bindings,
	declared: Set<string>,
): void {
	if (isTfjsRequire(init)) {
		b.usesTfjs = true;
	}
	if (ts.isIdentifier(node.name)) {
		const name = node.name.text;
		const u = unwrap(init);
		if (isNamespace(b, u)) {
			b.namespaces.add(name);
		} else if (isTrain(b, u)) {
			b.trainObjects.add(name);
		} else if (
			ts.isPropertyAccessExpression(u) &&
			optimizerNames.has(u.name.text) &&
			isTrain(b, u.expression)
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
		const fromNs = isNamespace(b, init);
		const fromTrain = !fromNs && isTrain(b, init);
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
