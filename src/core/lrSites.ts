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
import { collectBindings } from './lrSites/bindings';
import type { SiteContext } from './lrSites/context';
import { fitCall, isFitCallee } from './lrSites/fitCalls';
import { isLearningRateProperty, learningRateSite } from './lrSites/learningRateSites';
import { compileStringSites, optimizerCallSite, optimizerOf } from './lrSites/optimizerSites';
import { parseSource, unwrap } from './lrSites/syntax';
import type { FitCall, LrSite, LrSiteReport } from './lrSites/types';

// This file is the entry of the `dist/lrSites.js` bundle, which the extension `require`s lazily
// (src/extension/editor/siteCache.ts): what it exports is that bundle's API.
export type {
	CallbacksSlot,
	FitCall,
	LrSite,
	LrSiteKind,
	LrSiteReport,
	OffsetEdit,
	TextRange,
} from './lrSites/types';
export { callbacksEdit } from './lrSites/callbacksEdit';
export { mayHaveLrSites, numericValue, parseSource, scriptKindFor } from './lrSites/syntax';
export { compileStringDefaults, constructorDefaultLr } from './tfjsNames';

/** Finds LR sites and fit calls in `text`. Never throws on bad syntax (the parser recovers). */
export function findLrSites(text: string, fileName = 'file.js'): LrSiteReport {
	const sf = parseSource(text, fileName);
	const b = collectBindings(sf);
	// A global `tf` (browser <script> builds) counts as the tfjs namespace when nothing else is bound.
	const c: SiteContext = {
		sf,
		text,
		b,
		namespaces: b.namespaces.size ? b.namespaces : new Set(['tf']),
	};
	const sites: LrSite[] = [];
	const fits: FitCall[] = [];
	const stack: ts.Node[] = [];
	const visit = (node: ts.Node): void => {
		stack.push(node);
		if (ts.isCallExpression(node)) {
			const callee = unwrap(node.expression);
			const kind = optimizerOf(c, callee);
			const options = node.arguments[0] && unwrap(node.arguments[0]);
			if (kind) {
				sites.push(optimizerCallSite(c, node, kind));
			} else if (isFitCallee(callee)) {
				const f = fitCall(c, node, callee.name, stack);
				if (f) {
					fits.push(f);
				}
			} else if (
				ts.isPropertyAccessExpression(callee) &&
				callee.name.text === 'compile' &&
				options &&
				ts.isObjectLiteralExpression(options)
			) {
				sites.push(...compileStringSites(c, options));
			}
		} else if (isLearningRateProperty(node)) {
			sites.push(learningRateSite(c, node, stack[stack.length - 2]));
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
