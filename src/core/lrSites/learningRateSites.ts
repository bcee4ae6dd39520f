/** Sites where `learningRate: …` is written in an object literal (configs, custom objects). */
import * as ts from 'typescript';
import type { OptimizerKind } from '../tfjsNames';
import { compileStringDefaults, compileStringNames } from '../tfjsNames';
import type { SiteContext } from './context';
import { lineOf, lrOf, range } from './context';
import { propName, unwrap } from './syntax';
import type { LrSite } from './types';

/** Whether a node is a `learningRate` property (long or shorthand). */
export function isLearningRateProperty(
	node: ts.Node,
): node is ts.PropertyAssignment | ts.ShorthandPropertyAssignment {
	return (
		(ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
		propName(node.name) === 'learningRate'
	);
}

/** The site of a `learningRate` property; a sibling `optimizer: 'adam'` names its optimizer. */
export function learningRateSite(
	c: SiteContext,
	node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment,
	parent: ts.Node | undefined,
): LrSite {
	const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
	const r = range(c, node);
	let optimizer: OptimizerKind | undefined;
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
	return {
		kind: 'learningRateProperty',
		...(optimizer ? { optimizer } : {}),
		...lrOf(c, value, range(c, value)),
		range: r,
		line: lineOf(c, r.start),
	};
}
