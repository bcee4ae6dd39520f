/** JSON shapes shared by `lrscope --json` outputs (numbers stay numbers; words from present/). */
import type { Headline, HeadlineRule, HeadlineVerdict } from '../headline';
import { headlineText } from './headline';

/** The `headline` field of `--json` outputs: the LR, the rule, the verdict, and `headlineText`. */
export interface HeadlineJson {
	lr: number | null;
	rule: HeadlineRule;
	verdict: HeadlineVerdict;
	/** `3e-3 (valley)` — the string every surface shows. */
	text: string;
}

/** The `headline` field of a `--json` output. */
export function headlineJson(h: Headline): HeadlineJson {
	return { lr: h.lr, rule: h.rule, verdict: h.verdict, text: headlineText(h) };
}
