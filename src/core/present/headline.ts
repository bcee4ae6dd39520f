/**
 * Words for the headline suggestion (core/headline.ts). Every surface writes the headline through
 * these functions, so the notification, panel, side view, CodeLens, hover, quick fix, CLI and
 * reports show the same string.
 */
import type { Headline } from '../headline';
import { formatLr } from './format';

/** The headline as one short string: `3e-3 (valley)`, `3e-4 (no clear valley)`, `no suggestion`. */
export function headlineText(h: Headline): string {
	if (h.lr === null) {
		return 'no suggestion';
	}
	if (h.verdict === 'noClearValley') {
		return `${formatLr(h.lr)} (no clear valley)`;
	}
	return `${formatLr(h.lr)} (${h.rule})`;
}

/** A sentence explaining the verdict, or `undefined` when the curve is clear. */
export function verdictText(h: Headline): string | undefined {
	switch (h.verdict) {
		case 'clear':
			return undefined;
		case 'noAnswer':
			return 'no suggestion: too few finite points on the curve';
		case 'noClearValley': {
			const flat =
				h.flatUpTo !== undefined
					? `the loss is flat up to ${formatLr(h.flatUpTo)} and rises after`
					: 'the loss has no clear descent';
			const stable =
				h.stableUpTo !== undefined ? `; LRs up to ~${formatLr(h.stableUpTo / 10)} are stable` : '';
			return `no clear valley: ${flat}${stable}`;
		}
	}
}
