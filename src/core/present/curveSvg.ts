/**
 * Draws a range-test curve as a standalone SVG string: loss vs LR on a log x axis, raw and smoothed
 * loss, the headline marker (core/headline.ts), the fastai rules and their consensus, and the stop
 * reason. Pure (no DOM, no node
 * built-ins) and size-parameterised, so the CLI report, the HTML export and the editor hover (a small
 * inline curve) all use the same drawing.
 */
import type { LoadedRangeTest, SuggestionName } from '../types';
import { formatLr } from './format';
import { headlineText, verdictText } from './headline';
import { curveMarkers } from './markers';
import { linearTicks, logTicks } from './ticks';
import { stopReasonText } from './words';
import type { SvgTheme } from './svgTheme';
import { escapeXml, lightSvgTheme } from './svgTheme';

/** Size and look of one drawing. */
export interface CurveSvgOptions {
	width: number;
	height: number;
	theme?: SvgTheme;
	/** Title drawn above the plot; default: the model name. Empty string for none. */
	title?: string;
	/** Drop axis titles, legend and title (small inline curves); default when width < 320. */
	compact?: boolean;
	/** Extra LRs to mark (e.g. the value in the code, for the editor hover): a solid line and a label. */
	highlights?: { lr: number; label: string; color: string }[];
}

const isNum = (v: number | null | undefined): v is number =>
	typeof v === 'number' && Number.isFinite(v);

/**
 * Y range that keeps the part users read: from the lowest loss up to the descent (everything left of
 * the smoothed minimum: its smoothed maximum or raw 90th percentile) plus half that span again, so the
 * start of the blow-up shows; a diverging tail, often 100× the minimum, is clamped at the top.
 */
export function curveYRange(
	raw: readonly (number | null)[],
	smoothed: readonly (number | null)[],
): [number, number] {
	const r = raw.filter(isNum);
	const s = smoothed.filter(isNum);
	if (r.length + s.length === 0) {
		return [0, 1];
	}
	const lo = Math.min(...r, ...s);
	const top = Math.max(...r, ...s);
	let arg = -1;
	smoothed.forEach((v, i) => {
		if (isNum(v) && (arg < 0 || v < (smoothed[arg] as number))) {
			arg = i;
		}
	});
	const end = arg >= 0 ? arg + 1 : raw.length;
	const descent = smoothed.slice(0, end).filter(isNum);
	const sorted = raw
		.slice(0, end)
		.filter(isNum)
		.sort((a, b) => a - b);
	const q90 = sorted.length ? sorted[Math.floor(0.9 * (sorted.length - 1))] : lo;
	const base = Math.max(q90, ...descent, lo);
	const hi = Math.min(top, base + 0.5 * (base - lo));
	const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
	return [lo - pad, hi + pad];
}

const f = (v: number): string => String(Math.round(v * 10) / 10);

/** Where things go: the canvas, margins, plot size, axis ranges and the value → pixel maps. */
interface Frame {
	th: SvgTheme;
	W: number;
	H: number;
	compact: boolean;
	font: number;
	m: { l: number; r: number; t: number; b: number };
	pw: number;
	ph: number;
	lx0: number;
	lx1: number;
	y0: number;
	y1: number;
	X(lr: number): number;
	Y(v: number): number;
}

/** One point of the curve with a positive LR. */
interface CurvePoint {
	lr: number;
	raw: number | null;
	sm: number | null;
}

/** Renders the range-test curve as an SVG document string. */
export function renderCurveSvg(result: LoadedRangeTest, opts: CurveSvgOptions): string {
	const th = opts.theme ?? lightSvgTheme;
	const W = Math.max(80, opts.width);
	const compact = opts.compact ?? W < 320;
	const title = compact
		? ''
		: (opts.title ?? `${result.model.name} · ${result.model.optimizer} · ${result.model.loss}`);
	// A verdict ("no clear valley: …") gets its own line above the plot.
	const verdictLine = compact ? undefined : verdictText(result.report.headline);
	const pts = result.lrs
		.map((lr, i) => ({ lr, raw: result.losses[i], sm: result.smoothed[i] }))
		.filter((p) => p.lr > 0);
	const fr = frame(result, opts, th, pts, title, verdictLine);

	const parts: string[] = [];
	const head = result.report.headline;
	const verdict = verdictText(head);
	const label =
		`Loss vs learning rate for ${result.model.name}: ${stopReasonText[result.stopReason]}, ` +
		`suggested ${headlineText(head)}${verdict ? ` (${verdict})` : ''}`;
	parts.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${fr.W}" height="${fr.H}" viewBox="0 0 ${fr.W} ${fr.H}" role="img" ` +
			`aria-label="${escapeXml(label)}" font-family="${escapeXml(th.fontFamily)}" font-size="${fr.font}">`,
	);
	parts.push(`<title>${escapeXml(label)}</title>`);
	parts.push(
		`<rect class="background" x="0" y="0" width="${fr.W}" height="${fr.H}" fill="${th.background}"/>`,
	);
	parts.push(...gridSvg(fr, result));
	parts.push(...curvesSvg(fr, pts));
	// Markers: a line at each LR and a dot where the smoothed curve passes it (core/present/markers.ts);
	// the headline is solid, thicker, with a ring, and labelled at the bottom.
	parts.push('<g class="markers">');
	parts.push(...markersSvg(fr, result));
	parts.push(...highlightsSvg(fr, opts.highlights ?? []));
	parts.push('</g>');
	parts.push(...annotationsSvg(fr, result, title, verdictLine));
	parts.push('</svg>');
	return parts.join('\n');
}

/** The layout of one drawing. */
function frame(
	result: LoadedRangeTest,
	opts: CurveSvgOptions,
	th: SvgTheme,
	pts: readonly CurvePoint[],
	title: string,
	verdictLine: string | undefined,
): Frame {
	const W = Math.max(80, opts.width);
	const H = Math.max(50, opts.height);
	const compact = opts.compact ?? W < 320;
	const font = compact ? 9 : 12;
	const top = (title ? 34 : 16) + (verdictLine ? 18 : 0);
	const m = compact ? { l: 6, r: 6, t: 6, b: 14 } : { l: 56, r: 16, t: top, b: 58 };
	const pw = W - m.l - m.r;
	const ph = H - m.t - m.b;
	const lrMin = pts.length ? Math.min(...pts.map((p) => p.lr)) : result.startLr;
	const lrMax = pts.length ? Math.max(...pts.map((p) => p.lr)) : result.endLr;
	const lx0 = Math.log10(lrMin > 0 ? lrMin : 1e-7);
	const lx1 = Math.max(Math.log10(lrMax > 0 ? lrMax : 10), lx0 + 1e-6);
	const [y0, y1] = curveYRange(result.losses, result.smoothed);
	const X = (lr: number): number => m.l + ((Math.log10(lr) - lx0) / (lx1 - lx0)) * pw;
	// Values beyond the y range are clamped to the plot edge (no clipPath: ids would clash when several
	// curves share one page, as in hovers).
	const Y = (v: number): number =>
		m.t + (1 - (Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0)) * ph;
	return { th, W, H, compact, font, m, pw, ph, lx0, lx1, y0, y1, X, Y };
}

/** Grid lines, tick labels and the plot frame. */
function gridSvg(fr: Frame, result: LoadedRangeTest): string[] {
	const { th, W, compact, font, m, pw, ph, lx0, lx1, y0, y1, X, Y } = fr;
	const parts: string[] = [];
	// Grid and ticks.
	const xt = logTicks(10 ** lx0, 10 ** lx1, compact ? 4 : 8);
	const yt = compact ? [] : linearTicks(y0, y1, Math.max(2, Math.round(ph / 60)));
	parts.push(`<g class="grid" stroke="${th.grid}" stroke-width="1">`);
	for (const v of xt) {
		parts.push(
			`<line class="x-tick" data-lr="${v}" x1="${f(X(v))}" y1="${m.t}" x2="${f(X(v))}" y2="${m.t + ph}"/>`,
		);
	}
	for (const v of yt) {
		parts.push(
			`<line class="y-tick" x1="${m.l}" y1="${f(Y(v))}" x2="${m.l + pw}" y2="${f(Y(v))}"/>`,
		);
	}
	parts.push('</g>');
	parts.push(`<g class="tick-labels" fill="${th.text}">`);
	// Compact curves put the stop reason in the bottom-right corner, so tick labels that would run
	// into it are left out; labels at the edges are anchored inward so they are not clipped.
	const approxWidth = (text: string): number => text.length * font * 0.6;
	const stopText = stopReasonText[result.stopReason];
	const stopLeft = compact ? W - m.r - approxWidth(stopText) - 4 : Infinity;
	for (const v of xt) {
		const text = formatLr(v);
		const x = X(v);
		const w = approxWidth(text);
		let anchor = 'middle';
		let x0 = x - w / 2;
		if (x0 < 1) {
			anchor = 'start';
			x0 = x;
		} else if (x + w / 2 > W - 1) {
			anchor = 'end';
			x0 = x - w;
		}
		if (x0 + w > stopLeft) {
			continue;
		}
		parts.push(
			`<text class="x-label" x="${f(x)}" y="${f(m.t + ph + font + 3)}" text-anchor="${anchor}">${text}</text>`,
		);
	}
	for (const v of yt) {
		parts.push(
			`<text class="y-label" x="${m.l - 6}" y="${f(Y(v) + font / 3)}" text-anchor="end">${Number(v.toPrecision(4))}</text>`,
		);
	}
	parts.push('</g>');
	parts.push(
		`<rect class="frame" x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="${th.grid}"/>`,
	);

	return parts;
}

/** The raw and smoothed curves (a gap at every non-finite value). */
function curvesSvg(fr: Frame, pts: readonly CurvePoint[]): string[] {
	const { th, compact, X, Y } = fr;
	const parts: string[] = [];
	const path = (key: 'raw' | 'sm'): string => {
		let d = '';
		let pen = false;
		for (const p of pts) {
			const v = p[key];
			if (!isNum(v)) {
				pen = false;
				continue;
			}
			d += `${pen ? 'L' : 'M'}${f(X(p.lr))},${f(Y(v))}`;
			pen = true;
		}
		return d;
	};
	const raw = path('raw');
	const sm = path('sm');
	if (raw) {
		parts.push(
			`<path class="curve-raw" d="${raw}" fill="none" stroke="${th.raw}" stroke-width="1"/>`,
		);
	}
	if (sm) {
		parts.push(
			`<path class="curve-smoothed" d="${sm}" fill="none" stroke="${th.smoothed}" stroke-width="${compact ? 1.5 : 2}"/>`,
		);
	}

	return parts;
}

/** The suggestion, consensus and headline markers. */
function markersSvg(fr: Frame, result: LoadedRangeTest): string[] {
	const { th, compact, font, m, pw, ph, X, Y } = fr;
	const parts: string[] = [];
	let row = 0;
	for (const mk of curveMarkers(result)) {
		const x = f(X(mk.lr));
		const isHead = mk.name === 'headline';
		const c = isHead
			? th.headline
			: mk.name === 'consensus'
				? th.consensus
				: th.markers[mk.name as SuggestionName];
		const cls = isHead
			? 'marker headline'
			: mk.name === 'consensus'
				? 'marker consensus'
				: 'marker';
		parts.push(`<g class="${cls}" data-suggestion="${mk.name}" data-lr="${mk.lr}">`);
		parts.push(
			`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="${c}" ` +
				(isHead
					? `stroke-width="${compact ? 1.75 : 2.5}"/>`
					: `stroke-width="1" stroke-dasharray="${mk.name === 'consensus' ? '2 3' : '4 3'}"/>`),
		);
		if (mk.loss !== null) {
			const cy = f(Y(mk.loss));
			parts.push(
				isHead
					? `<circle class="on-curve" cx="${x}" cy="${cy}" r="${compact ? 3.5 : 6}" fill="${th.background}" stroke="${c}" stroke-width="2"/>` +
							`<circle cx="${x}" cy="${cy}" r="${compact ? 1.5 : 2.5}" fill="${c}"/>`
					: `<circle class="on-curve" cx="${x}" cy="${cy}" r="${compact ? 2.5 : 4}" fill="${c}"/>`,
			);
		}
		if (!compact) {
			// Near the right edge the label goes to the left of its line so it stays on the canvas.
			const left = Number(x) > m.l + pw - (isHead ? 200 : 90);
			const y = isHead ? m.t + ph - 6 : m.t + 12 + row++ * (font + 2);
			parts.push(
				`<text x="${f(Number(x) + (left ? -3 : 3))}" y="${f(y)}" fill="${c}"` +
					`${isHead ? ' font-weight="bold"' : ''}${left ? ' text-anchor="end"' : ''}>${escapeXml(mk.label)}</text>`,
			);
		}
		parts.push('<title>', escapeXml(mk.label), '</title></g>');
	}
	return parts;
}

/** Extra LRs to mark (the value in the code, in a hover), off-scale ones at the plot edge. */
function highlightsSvg(
	fr: Frame,
	highlights: readonly NonNullable<CurveSvgOptions['highlights']>[number][],
): string[] {
	const { font, m, pw, ph, lx0, lx1 } = fr;
	const parts: string[] = [];
	for (const h of highlights) {
		if (!(h.lr > 0) || !Number.isFinite(h.lr)) {
			continue;
		}
		// Off-scale values are drawn at the plot edge (with their label), so the user still sees which side.
		const x = f(m.l + Math.min(1, Math.max(0, (Math.log10(h.lr) - lx0) / (lx1 - lx0))) * pw);
		const left = Number(x) > m.l + pw / 2;
		parts.push(`<g class="marker highlight" data-lr="${h.lr}">`);
		parts.push(
			`<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + ph}" stroke="${escapeXml(h.color)}" stroke-width="2"/>`,
		);
		parts.push(
			`<text x="${f(Number(x) + (left ? -3 : 3))}" y="${f(m.t + font + 2)}" fill="${escapeXml(h.color)}" font-weight="bold"${left ? ' text-anchor="end"' : ''}>${escapeXml(h.label)}</text>`,
		);
		parts.push('<title>', escapeXml(`${h.label}: ${formatLr(h.lr)}`), '</title></g>');
	}
	return parts;
}

/** Title, verdict, axis titles, stop reason and legend (compact: the stop reason alone). */
function annotationsSvg(
	fr: Frame,
	result: LoadedRangeTest,
	title: string,
	verdictLine: string | undefined,
): string[] {
	const { th, W, H, compact, font, m, pw, ph } = fr;
	const parts: string[] = [];
	const stopText = stopReasonText[result.stopReason];
	if (!compact) {
		if (title) {
			parts.push(
				`<text class="title" x="${m.l}" y="20" fill="${th.text}" font-weight="bold" font-size="${font + 2}">${escapeXml(title)}</text>`,
			);
		}
		parts.push(
			`<text class="stop-reason" x="${W - m.r}" y="20" fill="${th.text}" text-anchor="end">${escapeXml(stopReasonText[result.stopReason])} · ${result.lrs.length}/${result.steps} steps</text>`,
		);
		if (verdictLine) {
			parts.push(
				`<text class="verdict" x="${m.l}" y="${m.t - 8}" fill="${th.text}">${escapeXml(verdictLine)}</text>`,
			);
		}
		parts.push(
			`<text class="x-title" x="${f(m.l + pw / 2)}" y="${H - 22}" fill="${th.text}" text-anchor="middle">learning rate (log scale)</text>`,
		);
		parts.push(
			`<text class="y-title" transform="translate(14 ${f(m.t + ph / 2)}) rotate(-90)" fill="${th.text}" text-anchor="middle">${result.lossMode === 'validation' ? 'validation loss' : 'loss'}</text>`,
		);
		const ly = H - 6;
		parts.push(`<g class="legend" fill="${th.text}">`);
		parts.push(
			`<line x1="${m.l}" y1="${ly - 4}" x2="${m.l + 18}" y2="${ly - 4}" stroke="${th.raw}" stroke-width="2"/><text x="${m.l + 22}" y="${ly}">raw</text>`,
		);
		parts.push(
			`<line x1="${m.l + 60}" y1="${ly - 4}" x2="${m.l + 78}" y2="${ly - 4}" stroke="${th.smoothed}" stroke-width="2"/><text x="${m.l + 82}" y="${ly}">smoothed (β=${result.beta})</text>`,
		);
		parts.push('</g>');
	} else {
		parts.push(
			`<text class="stop-reason" x="${W - m.r}" y="${H - 3}" fill="${th.text}" text-anchor="end">${escapeXml(stopText)}</text>`,
		);
	}
	return parts;
}
