/**
 * The Range test tab's "Verified suggestion" section (issue 19): the evidence sentence, the
 * candidates' held-out losses as a small chart (core/present/candidatesSvg.ts, drawn in the
 * theme's colours) and the same numbers as a table, for screen readers and keyboard users. Shown
 * only when the selected result's headline was verified.
 */
import type { CandidatesSvgTheme } from '../../src/core/present/candidatesSvg';
import { renderCandidatesSvg } from '../../src/core/present/candidatesSvg';
import {
	candidateRows,
	candidatesSummaryText,
	heldOutText,
	probeLengthText,
	verifiedEvidenceText,
} from '../../src/core/present/verify';
import type { Verification } from '../../src/core/verify';
import { el } from '../dom';
import type { ChartTheme } from '../theme';

/** The chart's height: room for the winner's label above its dot and the LR axis below. */
const chartHeight = 200;
/** Wide enough for five candidates' labels, narrow enough to sit beside the table. */
const maxChartWidth = 520;

/** The candidates chart's colours: the headline marker's colour for the winner, as on the curve. */
export function candidatesTheme(t: ChartTheme): CandidatesSvgTheme {
	return {
		background: t.background,
		text: t.text,
		grid: t.grid,
		point: t.smoothed,
		winner: t.consensus,
		diverged: t.diverged,
		fontFamily: t.fontFamily,
	};
}

/** Fills `section` with the verification of the selected result, or hides it when there is none. */
export function renderVerification(
	section: HTMLElement,
	v: Verification | undefined,
	theme: ChartTheme,
): void {
	section.hidden = v === undefined;
	if (!v) {
		section.replaceChildren();
		return;
	}
	const colours = candidatesTheme(theme);
	const width = Math.min(maxChartWidth, Math.max(240, section.clientWidth || maxChartWidth));
	const svgText = renderCandidatesSvg(v, { width, height: chartHeight, theme: colours });
	const svg = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
	const chart = el('div', {
		id: 'verify-chart',
		class: 'verify-chart',
		role: 'img',
		'aria-label': candidatesSummaryText(v),
		'data-colors': JSON.stringify(colours),
	});
	chart.append(document.importNode(svg, true));
	section.replaceChildren(
		el('h2', { id: 'verify-heading' }, 'Verified suggestion'),
		el('p', { id: 'verify-evidence', class: 'evidence' }, verifiedEvidenceText(v)),
		el('div', { class: 'verify-body' }, chart, candidatesTable(v)),
		el(
			'p',
			{ class: 'muted verify-how' },
			`Held-out loss on ${heldOutText(v)}; probes of ${probeLengthText(v)}, each from the same initial weights (the model and optimizer are restored afterwards).`,
		),
	);
}

/** The candidates as a table: the chart's text alternative, reachable by keyboard and screen reader. */
function candidatesTable(v: Verification): HTMLElement {
	const body = el('tbody');
	for (const r of candidateRows(v)) {
		body.append(
			el(
				'tr',
				{
					class: r.winner ? 'best' : r.diverged ? 'diverged' : '',
					'data-candidate-lr': r.lr,
				},
				el('td', {}, r.lr),
				el('td', {}, r.loss),
				el('td', {}, r.steps),
				el('td', {}, r.origin),
				el('td', {}, r.winner ? '★ verified' : r.status),
			),
		);
	}
	return el(
		'table',
		{ class: 'table verify-table', id: 'verify-table', tabindex: '0' },
		el('caption', { class: 'sr-only' }, 'Held-out loss per candidate learning rate'),
		el(
			'thead',
			{},
			el(
				'tr',
				{},
				el('th', { scope: 'col' }, 'Candidate LR'),
				el('th', { scope: 'col' }, 'Held-out loss'),
				el('th', { scope: 'col' }, 'Steps'),
				el('th', { scope: 'col' }, 'From'),
				el('th', { scope: 'col' }, ''),
			),
		),
		body,
	);
}
