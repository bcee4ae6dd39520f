/**
 * Draws a verification's candidates (core/verify.ts) as a small standalone SVG: held-out loss per
 * candidate LR on a log x axis, the verified winner ringed and labelled, diverged probes as a cross
 * on the top edge. Pure (no DOM), so the panel (in the theme's colours), the side view and the
 * HTML report draw the same picture.
 */
import type { Verification } from '../verify';
import { formatLoss, formatLr } from './format';
import { linearTicks, logTicks } from './ticks';
import type { SvgTheme } from './svgTheme';
import { escapeXml } from './svgTheme';
import { candidateDiverged, candidatesSummaryText } from './verify';

/** The colours the candidates chart uses. */
export interface CandidatesSvgTheme {
	background: string;
	text: string;
	grid: string;
	/** Candidate points and the line joining them. */
	point: string;
	/** The verified winner's ring and label. */
	winner: string;
	/** Diverged probes. */
	diverged: string;
	fontFamily: string;
}

/** The candidates chart's colours from a report/hover theme. */
export function candidatesThemeOf(th: SvgTheme): CandidatesSvgTheme {
	return {
		background: th.background,
		text: th.text,
		grid: th.grid,
		point: th.smoothed,
		winner: th.headline,
		diverged: th.markers.steep,
		fontFamily: th.fontFamily,
	};
}

const f = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * The chart's title: `held-out loss after 96 steps`, and when some candidates were dropped early
 * (drawn hollow) `held-out loss after 96 steps (hollow: dropped after 48)`.
 */
export function chartTitle(v: Verification): string {
	const dropped = v.candidates.filter((c) => !candidateDiverged(c) && c.steps < v.steps);
	const at = [...new Set(dropped.map((c) => c.steps))].sort((a, b) => a - b);
	const when = at.length ? ` (hollow: dropped after ${at.join(', ')})` : '';
	return `held-out loss after ${v.steps} steps${when}`;
}

/** Renders the candidates chart as an SVG document string (`width` × `height` px). */
export function renderCandidatesSvg(
	v: Verification,
	opts: { width: number; height: number; theme: CandidatesSvgTheme },
): string {
	const th = opts.theme;
	const W = Math.max(160, opts.width);
	const H = Math.max(100, opts.height);
	const m = { l: 48, r: 16, t: 22, b: 34 };
	const pw = W - m.l - m.r;
	const ph = H - m.t - m.b;
	const cands = [...v.candidates].filter((c) => c.lr > 0).sort((a, b) => a.lr - b.lr);
	const finite = cands.filter((c) => !candidateDiverged(c)).map((c) => c.heldOutLoss as number);
	// Half a decade of room on each side, so the end points and their labels stay inside.
	const lx0 = Math.log10(cands.length ? cands[0].lr : 1e-3) - 0.5;
	const lx1 = Math.log10(cands.length ? cands[cands.length - 1].lr : 1e-1) + 0.5;
	const lo = finite.length ? Math.min(...finite) : 0;
	const hi = finite.length ? Math.max(...finite) : 1;
	const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.1 || 1;
	const [y0, y1] = [lo - pad, hi + pad];
	const X = (lr: number): number => m.l + ((Math.log10(lr) - lx0) / (lx1 - lx0)) * pw;
	const Y = (y: number): number => m.t + (1 - (y - y0) / (y1 - y0)) * ph;
	const label = candidatesSummaryText(v);
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" ` +
			`aria-label="${escapeXml(label)}" font-family="${escapeXml(th.fontFamily)}" font-size="11">`,
		`<title>${escapeXml(label)}</title>`,
		`<rect class="background" x="0" y="0" width="${W}" height="${H}" fill="${th.background}"/>`,
	];
	for (const t of logTicks(10 ** lx0, 10 ** lx1, 6)) {
		const x = f(X(t));
		out.push(
			`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="${th.grid}" stroke-width="1"/>`,
			`<text x="${x}" y="${H - m.b + 14}" text-anchor="middle" fill="${th.text}">${formatLr(t)}</text>`,
		);
	}
	for (const t of linearTicks(y0, y1, 4)) {
		const y = f(Y(t));
		out.push(
			`<line x1="${m.l}" y1="${y}" x2="${m.l + pw}" y2="${y}" stroke="${th.grid}" stroke-width="1"/>`,
			`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${th.text}">${formatLoss(t)}</text>`,
		);
	}
	out.push(
		`<text x="${f(m.l + pw / 2)}" y="${H - 4}" text-anchor="middle" fill="${th.text}">learning rate</text>`,
		`<text x="${m.l}" y="13" fill="${th.text}">${escapeXml(chartTitle(v))}</text>`,
	);
	const pts = cands.filter((c) => !candidateDiverged(c));
	if (pts.length > 1) {
		const d = pts.map((c, i) => `${i ? 'L' : 'M'}${f(X(c.lr))},${f(Y(c.heldOutLoss as number))}`);
		out.push(
			`<path d="${d.join(' ')}" fill="none" stroke="${th.point}" stroke-width="1" stroke-dasharray="3 3"/>`,
		);
	}
	for (const c of cands) {
		out.push(...candidateMark(c, v, { X, Y, top: m.t, th }));
	}
	out.push('</svg>');
	return out.join('\n');
}

/** One candidate: a dot (ringed and labelled for the winner), or a cross on the top edge if diverged. */
function candidateMark(
	c: Verification['candidates'][number],
	v: Verification,
	at: { X(lr: number): number; Y(y: number): number; top: number; th: CandidatesSvgTheme },
): string[] {
	const { th } = at;
	const x = f(at.X(c.lr));
	if (candidateDiverged(c)) {
		const y = at.top + 6;
		return [
			`<g class="candidate diverged" data-lr="${c.lr}">`,
			`<path d="M${f(Number(x) - 5)},${y - 5} l10,10 m0,-10 l-10,10" stroke="${th.diverged}" stroke-width="2"/>`,
			`<text x="${x}" y="${y + 16}" text-anchor="middle" fill="${th.diverged}">diverged</text>`,
			'</g>',
		];
	}
	const y = f(at.Y(c.heldOutLoss as number));
	if (c.lr !== v.lr && c.steps < v.steps) {
		return [
			`<circle class="candidate dropped" data-lr="${c.lr}" cx="${x}" cy="${y}" r="4" fill="none" stroke="${th.point}" stroke-width="1.5"/>`,
		];
	}
	if (c.lr !== v.lr) {
		return [
			`<circle class="candidate" data-lr="${c.lr}" cx="${x}" cy="${y}" r="4" fill="${th.point}"/>`,
		];
	}
	return [
		`<g class="candidate winner" data-lr="${c.lr}">`,
		`<circle cx="${x}" cy="${y}" r="4.5" fill="${th.winner}"/>`,
		`<circle cx="${x}" cy="${y}" r="8" fill="none" stroke="${th.winner}" stroke-width="2"/>`,
		`<text x="${x}" y="${f(Number(y) - 13)}" text-anchor="middle" font-weight="bold" fill="${th.winner}">verified ${formatLr(c.lr)}</text>`,
		'</g>',
	];
}
