/**
 * Which range test may advise on a script's learning rates: one answer, from the right evidence
 * (docs/editor.md, "Which result applies"). A script's LR sites are judged only against results of **that script**, or of a
 * model/module the user **explicitly linked** to it — never the newest result of something else in
 * the workspace — and never across optimizers: an SGD literal is not judged by an Adam test. Without
 * an applicable result there is no verdict, only the offer to run a test of this script.
 *
 * Pure: the extension maps its stored results onto {@link ResultOrigin} and asks here.
 */
import type { OptimizerKind } from './tfjsNames';
import { optimizerKinds } from './tfjsNames';

/** Where a stored range test came from: what was tested, with which optimizer, when. */
export interface ResultOrigin {
	id: string;
	/** URI (string) of what was tested: the script, the `model.json` or the module. */
	targetUri: string | undefined;
	/** What kind of source was tested. */
	sourceKind: 'script' | 'saved' | 'module';
	/** The optimizer the test trained with, as the result records it (`Adam`, `sgd`, `RMSProp`, …). */
	optimizer: string | undefined;
	/** ms since epoch. */
	createdAt: number;
}

/** Why a result applies to a script: it is the script's own, or its target is linked to the script. */
export type ProvenanceVia = 'script' | 'link';

/** Whether one result may judge a site of one script, and why not. */
export type Applicability =
	| { applies: true; via: ProvenanceVia }
	| {
			applies: false;
			/** `otherTarget`: another script/model, not linked; `otherOptimizer`: right target, wrong optimizer. */
			reason: 'otherTarget' | 'otherOptimizer';
	  };

/** The script asking, and what the user linked to it. */
export interface ScriptContext {
	/** URI (string) of the script. */
	scriptUri: string;
	/** URIs (strings) of models/modules (or other scripts) the user linked to this script. */
	links: readonly string[];
}

/**
 * The canonical optimizer kind of a recorded optimizer name: tfjs class names (`SGD`, `RMSProp`,
 * `AdamOptimizer`), our names (`sgd`, `rmsprop`) and Keras spellings (`RMSprop`). Unknown → undefined.
 */
export function optimizerKindOf(name: string | undefined): OptimizerKind | undefined {
	if (!name) {
		return undefined;
	}
	const key = name
		.toLowerCase()
		.replace(/[_\-\s]/g, '')
		.replace(/optimizer$/, '');
	return optimizerKinds.find((k) => k === key);
}

/**
 * Whether `result` may judge an LR site of `script` whose optimizer is `siteOptimizer`.
 * Optimizers are compared only when both are known: a site whose optimizer the parser cannot tell
 * (`learningRate: x` alone) is judged by the script's (or link's) own test, which trained with
 * whatever the script really compiled.
 */
export function applicability(
	result: ResultOrigin,
	script: ScriptContext,
	siteOptimizer: OptimizerKind | undefined,
): Applicability {
	const target = result.targetUri;
	const via: ProvenanceVia | undefined =
		target === undefined
			? undefined
			: target === script.scriptUri
				? 'script'
				: script.links.includes(target)
					? 'link'
					: undefined;
	if (!via) {
		return { applies: false, reason: 'otherTarget' };
	}
	const tested = optimizerKindOf(result.optimizer);
	if (siteOptimizer && tested && tested !== siteOptimizer) {
		return { applies: false, reason: 'otherOptimizer' };
	}
	return { applies: true, via };
}

/** What {@link evidenceFor} found: the newest applicable result, or why there is none. */
export type Evidence<T extends ResultOrigin> =
	| { kind: 'applies'; result: T; via: ProvenanceVia }
	/** Results of this script (or a link) exist, but all for another optimizer: the newest of them. */
	| { kind: 'otherOptimizer'; newest: T }
	/** Nothing of this script or a linked target: offer to run a range test of this script. */
	| { kind: 'none' };

/**
 * The evidence for one site: the newest result (by `createdAt`) that applies — the script's own and
 * linked ones alike, since the user linked the latter on purpose — else why none does.
 */
export function evidenceFor<T extends ResultOrigin>(
	results: readonly T[],
	script: ScriptContext,
	siteOptimizer: OptimizerKind | undefined,
): Evidence<T> {
	const newestFirst = [...results].sort((a, b) => b.createdAt - a.createdAt);
	let otherOptimizer: T | undefined;
	for (const r of newestFirst) {
		const a = applicability(r, script, siteOptimizer);
		if (a.applies) {
			return { kind: 'applies', result: r, via: a.via };
		}
		if (a.reason === 'otherOptimizer') {
			otherOptimizer ??= r;
		}
	}
	return otherOptimizer ? { kind: 'otherOptimizer', newest: otherOptimizer } : { kind: 'none' };
}

/**
 * Targets a script may be linked to: every tested target except the script itself, newest first,
 * one entry each (for the link command's quick-pick).
 */
export function linkCandidates<T extends ResultOrigin>(
	results: readonly T[],
	scriptUri: string,
): T[] {
	const seen = new Set<string>();
	const out: T[] = [];
	for (const r of [...results].sort((a, b) => b.createdAt - a.createdAt)) {
		if (r.targetUri === undefined || r.targetUri === scriptUri || seen.has(r.targetUri)) {
			continue;
		}
		seen.add(r.targetUri);
		out.push(r);
	}
	return out;
}
