/**
 * Sites where an optimizer is built: `tf.train.adam(0.01)` and its aliases (with or without an LR
 * argument), and `model.compile({ optimizer: 'sgd' })`, whose LR is tfjs's default for the name.
 */
import * as ts from 'typescript';
import type { OptimizerKind } from '../tfjsNames';
import {
	compileStringDefaults,
	compileStringNames,
	constructorDefaultLr,
	optimizerNames,
} from '../tfjsNames';
import type { SiteContext } from './context';
import { lineOf, lrOf, range } from './context';
import { isTfjsRequire, propName, unwrap } from './syntax';
import type { LrSite } from './types';

/** The optimizer a callee constructs (`tf.train.adam`, `train.adam`, `adam` bound to it), if any. */
export function optimizerOf(c: SiteContext, callee: ts.Expression): OptimizerKind | undefined {
	callee = unwrap(callee);
	if (ts.isIdentifier(callee)) {
		return c.b.optimizerFns.get(callee.text);
	}
	if (!ts.isPropertyAccessExpression(callee) || !optimizerNames.has(callee.name.text)) {
		return undefined;
	}
	const obj = unwrap(callee.expression);
	const ok =
		(ts.isIdentifier(obj) && c.b.trainObjects.has(obj.text)) ||
		(ts.isPropertyAccessExpression(obj) &&
			obj.name.text === 'train' &&
			ts.isIdentifier(unwrap(obj.expression)) &&
			c.namespaces.has((unwrap(obj.expression) as ts.Identifier).text)) ||
		(ts.isPropertyAccessExpression(obj) &&
			obj.name.text === 'train' &&
			isTfjsRequire(obj.expression));
	return ok ? (callee.name.text as OptimizerKind) : undefined;
}

/** The site of an optimizer constructor call: its LR argument, or tfjs's default when it has none. */
export function optimizerCallSite(
	c: SiteContext,
	node: ts.CallExpression,
	kind: OptimizerKind,
): LrSite {
	const arg = node.arguments[0];
	const r = range(c, node);
	if (arg) {
		return {
			kind: 'optimizer',
			optimizer: kind,
			...lrOf(c, arg, range(c, arg)),
			range: r,
			line: lineOf(c, r.start),
		};
	}
	const def = constructorDefaultLr[kind];
	return {
		kind: 'optimizer',
		optimizer: kind,
		value: def,
		isDefault: def !== undefined,
		note:
			def !== undefined ? `tf.train.${kind}() default` : `tf.train.${kind}() needs a learning rate`,
		argumentInsertAt: node.arguments.pos,
		range: r,
		line: lineOf(c, r.start),
	};
}

/** `compile({ optimizer: 'adam' })`: one site per string optimizer tfjs knows. */
export function compileStringSites(c: SiteContext, options: ts.ObjectLiteralExpression): LrSite[] {
	const sites: LrSite[] = [];
	for (const p of options.properties) {
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
				const r = range(c, lit);
				sites.push({
					kind: 'stringOptimizer',
					optimizer: d.kind,
					value: d.lr,
					isDefault: true,
					note: `tfjs's compile() default for '${lit.text}'`,
					literal: r,
					range: r,
					line: lineOf(c, r.start),
				});
			}
		}
	}
	return sites;
}
