/**
 * The shapes the LR-site finder reports: sites, fit calls, their callback slots, and text edits.
 */
import type { OptimizerKind } from '../tfjsNames';

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

/** A text edit as offsets into the original text. */
export interface OffsetEdit {
	start: number;
	end: number;
	text: string;
}
