/**
 * Words for the headline suggestion (core/headline.ts). Every surface writes the headline through
 * these functions, so the notification, panel, side view, CodeLens, hover, quick fix, CLI and
 * reports show the same string.
 */
import type { Headline, HeadlineRule } from '../types';
import { formatLr } from './format';
import { verifiedEvidenceText } from './verify';

/** How a rule is named in the headline's words. */
export function ruleText(rule: HeadlineRule): string {
	return rule === 'valleyMinimum' ? 'valley–minimum' : rule;
}

/**
 * The headline as one short string: `3e-3 (valley–minimum)`, `3e-4 (no clear valley)`,
 * `3e-3 (verified)` (short real trainings picked it, core/verify.ts), `no suggestion`.
 */
export function headlineText(h: Headline): string {
	if (h.lr === null) {
		return 'no suggestion';
	}
	if (h.verified) {
		return `${formatLr(h.lr)} (verified)`;
	}
	if (h.verdict === 'noClearValley') {
		return `${formatLr(h.lr)} (no clear valley)`;
	}
	return `${formatLr(h.lr)} (${ruleText(h.rule)})`;
}

/**
 * A sentence explaining the verdict, or `undefined` when the curve is clear, e.g.
 * `no clear valley: the loss is flat up to 3e-2 and rises after; LRs up to ~3e-3 are stable`.
 * The "stable" LR is the headline's own (the fallback, `fallbackDecades` below where the loss rises).
 * A verified headline has no verdict: measured held-out losses replace the curve's doubts, and its
 * evidence ({@link headlineEvidenceText}) is shown instead.
 */
export function verdictText(h: Headline): string | undefined {
	if (h.verified) {
		return undefined;
	}
	const reason = verdictReasonText(h);
	switch (h.verdict) {
		case 'clear':
			return undefined;
		case 'noAnswer':
			return `no suggestion: ${reason}`;
		case 'noClearValley':
			return `no clear valley: ${reason}`;
	}
}

/**
 * Why the verdict is not clear, without the verdict's own words (`the loss is flat up to 3e-2 and
 * rises after; LRs up to ~3e-3 are stable`): for a line that already says "(no clear valley)".
 */
export function verdictReasonText(h: Headline): string | undefined {
	if (h.verified) {
		return undefined;
	}
	switch (h.verdict) {
		case 'clear':
			return undefined;
		case 'noAnswer':
			return 'too few finite points on the curve';
		case 'noClearValley': {
			let why: string;
			if (h.reason === 'flatToEnd' && h.flatUpTo !== undefined) {
				why = `the loss stays flat up to ${formatLr(h.flatUpTo)}, the end of the test`;
			} else if (h.reason === 'spread') {
				// The spread the verdict was decided on: the rules left after the flat-start misfires.
				why = `the rules disagree by ${(h.keptSpreadDecades ?? h.spreadDecades).toFixed(1)} decades`;
			} else if (
				h.flatUpTo !== undefined &&
				h.stableUpTo !== undefined &&
				h.flatUpTo < h.stableUpTo
			) {
				why = `the loss is flat up to ${formatLr(h.flatUpTo)} and rises after ${formatLr(h.stableUpTo)}`;
			} else if (h.flatUpTo !== undefined) {
				why = `the loss is flat up to ${formatLr(h.flatUpTo)} and rises after`;
			} else {
				why = 'the loss has no clear descent';
			}
			const stable = h.lr !== null ? `; LRs up to ~${formatLr(h.lr)} are stable` : '';
			return `${why}${stable}`;
		}
	}
}

/**
 * What the headline was computed from, when that is not the drawn curve: `from the mean curve of 3
 * runs` (repeats are averaged before the rule is applied, docs/algorithms.md). `undefined` for one run.
 */
export function headlineBasisText(h: Headline): string | undefined {
	return h.repeats !== undefined && h.repeats > 1
		? `from the mean curve of ${h.repeats} runs`
		: undefined;
}

/**
 * Under the panel's headline card, which draws the first run only: `from the mean curve of 3 runs;
 * the chart shows the first run`. `undefined` for one run.
 */
export function headlineCardBasisText(h: Headline): string | undefined {
	const basis = headlineBasisText(h);
	return basis && `${basis}; the chart shows the first run`;
}

/**
 * The line every surface shows under a verified headline (`verified: 3e-3 beat 1e-3 and 1e-2 on
 * held-out loss after 200 steps`), `undefined` when the headline was not verified.
 */
export function headlineEvidenceText(h: Headline): string | undefined {
	return h.verified ? verifiedEvidenceText(h.verified) : undefined;
}

/** Whether a surface may present the headline as a confident suggestion ("Suggested 3e-3 (…)"). */
export function headlineIsConfident(h: Headline): boolean {
	return h.lr !== null && (h.verdict === 'clear' || h.verified !== undefined);
}

/**
 * The headline as the lens, hover and notification say it: "suggested 3e-3 (valley)" when the
 * verdict is clear (`lead` names it: the notification says "suggested LR"); otherwise the verdict
 * first ("3e-4 (no clear valley) — the loss is flat up to 3e-2 and rises after; …"), never a
 * confident suggestion.
 */
export function headlineSummary(
	h: Headline,
	lead: 'suggested' | 'suggested LR' = 'suggested',
): string {
	const verdict = verdictText(h);
	if (h.verdict === 'clear' || verdict === undefined) {
		return `${lead} ${headlineText(h)}`;
	}
	return h.lr === null ? verdict : `${headlineText(h)} — ${verdictReasonText(h)}`;
}
