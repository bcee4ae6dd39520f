/**
 * The markers a loss-vs-LR drawing shows — the same for the panel chart, the side view and the SVG
 * reports: the headline (drawn distinctly), the fastai rules and their consensus. Every marker sits
 * on the smoothed curve at its own LR (`minimum` is `lrs[index] / 10`, so a suggestion's index is
 * not where it belongs on the curve).
 */
import type { Headline, HeadlinedReport, SuggestionName } from '../types';
import { suggestionNames } from '../types';
import { headlineText } from './headline';
import { formatLr } from './format';

/** A vertical marker on a loss-vs-LR drawing. */
export interface CurveMarker {
	name: SuggestionName | 'consensus' | 'headline';
	lr: number;
	/** Smoothed loss at `lr` (interpolated on the drawn curve), `null` when off the curve. */
	loss: number | null;
	/** `valley 3e-3`, `consensus 2e-3`, or for the headline `suggested 3e-3 (valley)`. */
	label: string;
}

const finite = (v: number | null | undefined): v is number =>
	typeof v === 'number' && Number.isFinite(v);

/**
 * The smoothed loss at `lr`: linear interpolation in log LR between the two curve points around it
 * — exactly where the drawn curve (straight segments on a log x axis) passes. `null` outside the
 * curve or next to a gap.
 */
export function lossAtLr(
	lrs: readonly number[],
	smoothed: readonly (number | null)[],
	lr: number,
): number | null {
	if (!(lr > 0) || !Number.isFinite(lr)) {
		return null;
	}
	const n = Math.min(lrs.length, smoothed.length);
	for (let i = 0; i < n; i++) {
		if (lrs[i] === lr) {
			return finite(smoothed[i]) ? smoothed[i] : null;
		}
		if (i + 1 < n && lrs[i] > 0 && lrs[i] < lr && lr < lrs[i + 1]) {
			const a = smoothed[i];
			const b = smoothed[i + 1];
			if (!finite(a) || !finite(b)) {
				return finite(a) ? a : finite(b) ? b : null;
			}
			const t = (Math.log(lr) - Math.log(lrs[i])) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
			return a + t * (b - a);
		}
	}
	return null;
}

/** What {@link curveMarkers} reads (a `LoadedRangeTest` satisfies it). */
export interface MarkerInput {
	lrs: readonly number[];
	smoothed: readonly (number | null)[];
	steps?: number;
	report: HeadlinedReport;
}

/**
 * The markers of a curve, in drawing order: the rules, the consensus, then the headline last (on
 * top). The rule the headline comes from is not drawn twice: the headline marker names it.
 */
export function curveMarkers(input: MarkerInput): CurveMarker[] {
	const h: Headline = input.report.headline;
	const at = (lr: number): number | null => lossAtLr(input.lrs, input.smoothed, lr);
	const out: CurveMarker[] = [];
	const standsFor = (name: SuggestionName | 'consensus', lr: number): boolean =>
		h.lr !== null && h.rule === name && h.lr === lr;
	for (const name of suggestionNames) {
		const s = input.report.suggestions[name];
		if (s && s.lr > 0 && !standsFor(name, s.lr)) {
			out.push({ name, lr: s.lr, loss: at(s.lr), label: `${name} ${formatLr(s.lr)}` });
		}
	}
	const c = input.report.consensus;
	if (c && c.lr > 0 && !standsFor('consensus', c.lr)) {
		out.push({ name: 'consensus', lr: c.lr, loss: at(c.lr), label: `consensus ${formatLr(c.lr)}` });
	}
	if (h.lr !== null && h.lr > 0) {
		out.push({ name: 'headline', lr: h.lr, loss: at(h.lr), label: `suggested ${headlineText(h)}` });
	}
	return out;
}
