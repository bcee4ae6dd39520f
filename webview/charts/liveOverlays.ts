/**
 * What the live chart draws over its curves: non-finite spans, off-scale strips with their
 * largest value, and finding markers with stacked labels.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import { startLabels } from './canvas';
import { formatTick } from '../../src/core/present/format';
import { findingKindText } from '../../src/core/present/words';
import type { LiveMarker } from '../viewModels/liveMarkers';
import type { LiveViewModel } from '../viewModels/liveViewModel';

/** Faint shading where the main loss was NaN/Infinity (the curve has a gap there). */
export function drawNonFinite(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	if (!vm.nonFinite.length) {
		return;
	}
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	ctx.save();
	for (const s of vm.nonFinite) {
		const x0 = Math.max(bbox.left, u.valToPos(s.from, 'x', true) - 2 * dpr);
		const x1 = Math.min(bbox.left + bbox.width, u.valToPos(s.to, 'x', true) + 2 * dpr);
		if (x1 <= x0) {
			continue;
		}
		ctx.globalAlpha = theme.highContrast ? 0.3 : 0.14;
		ctx.fillStyle = theme.diverged;
		ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
		ctx.globalAlpha = 1;
		ctx.fillStyle = theme.diverged;
		ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
		ctx.textAlign = 'left';
		ctx.textBaseline = 'bottom';
		const text = 'loss NaN/Inf';
		const w = ctx.measureText(text).width;
		if (x1 - x0 > w + 8 * dpr) {
			ctx.fillText(text, x0 + 4 * dpr, bbox.top + bbox.height - 4 * dpr);
		}
	}
	ctx.restore();
}

/**
 * Marks where a loss runs above the y range: a solid strip along the top edge over those steps and
 * the largest value there ("↑ 4.49e+37"), so a clipped blow-up is never mistaken for a flat curve.
 */
export function drawOffScale(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	if (!vm.offScale.length) {
		return;
	}
	const { ctx, bbox } = u;
	const dpr = startLabels(u, theme);
	const right = bbox.left + bbox.width;
	let lastLabelEnd = -Infinity;
	for (const s of vm.offScale) {
		const x0 = Math.max(bbox.left, u.valToPos(s.from, 'x', true) - 1.5 * dpr);
		const x1 = Math.min(right, u.valToPos(s.to, 'x', true) + 1.5 * dpr);
		if (x1 < bbox.left || x0 > right) {
			continue;
		}
		ctx.fillStyle = theme.diverged;
		ctx.fillRect(x0, bbox.top, Math.max(2 * dpr, x1 - x0), 3 * dpr);
		const text = `↑ up to ${formatTick(s.max)}`;
		const w = ctx.measureText(text).width + 6 * dpr;
		// Under the middle of the strip (clear of the curves leaving the top at its start), kept inside
		// the plot; skipped when it would overlap the previous one.
		const left = Math.max(bbox.left, Math.min((x0 + x1 - w) / 2, right - w));
		if (left > lastLabelEnd) {
			ctx.fillStyle = theme.background;
			ctx.fillRect(left, bbox.top + 4 * dpr, w, 14 * dpr);
			ctx.fillStyle = theme.diverged;
			ctx.fillText(text, left + 3 * dpr, bbox.top + 5 * dpr);
			lastLabelEnd = left + w;
		}
	}
	ctx.restore();
}

/**
 * Finding markers: a dashed line per marker, then labels stacked in rows below the top edge (a
 * label takes the first row where it does not overlap another; near the right edge it flips left).
 */
export function drawFindings(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	const rowH = 15 * dpr;
	// Below the off-scale labels when there are any.
	const top0 = bbox.top + (vm.offScale.length ? 20 : 3) * dpr;
	startLabels(u, theme);
	const right = bbox.left + bbox.width;
	const visible = vm.markers
		.map((m) => ({ m, x: u.valToPos(m.x, 'x', true) }))
		.filter(({ x }) => x >= bbox.left - 0.5 && x <= right + 0.5);
	const colourOf = (m: LiveMarker): string =>
		m.severity === 'error'
			? theme.diverged
			: m.severity === 'warning'
				? theme.consensus
				: theme.raw;
	for (const { m, x } of visible) {
		ctx.strokeStyle = colourOf(m);
		ctx.lineWidth = 1.5 * dpr;
		ctx.setLineDash([4 * dpr, 3 * dpr]);
		ctx.beginPath();
		ctx.moveTo(Math.round(x) + 0.5, bbox.top);
		ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
		ctx.stroke();
	}
	ctx.setLineDash([]);
	const rows: { from: number; to: number }[][] = [];
	for (const { m, x } of visible) {
		const icon = m.severity === 'info' ? 'ℹ' : '⚠';
		let text = `${icon} ${m.label}`;
		let w = Math.min(ctx.measureText(text).width + 6 * dpr, bbox.width);
		if (x + w + 3 * dpr > right && w > 0.4 * bbox.width) {
			// No room on the right and too long to flip left without covering much of the curve (a
			// narrow panel): the kind alone. The list under the chart has the details.
			text = `${icon} ${findingKindText[m.kind]}${m.count > 1 ? ` ×${m.count}` : ''}`;
			w = ctx.measureText(text).width + 6 * dpr;
		}
		const left = Math.max(bbox.left, x + w + 3 * dpr > right ? x - w - 3 * dpr : x + 3 * dpr);
		let row = rows.findIndex((r) =>
			r.every((b) => left + w + 2 * dpr < b.from || left > b.to + 2 * dpr),
		);
		if (row < 0) {
			row = rows.length;
			rows.push([]);
		}
		rows[row].push({ from: left, to: left + w });
		const top = top0 + row * rowH;
		ctx.fillStyle = theme.background;
		ctx.globalAlpha = 0.85;
		ctx.fillRect(left, top - 1 * dpr, w, rowH - 2 * dpr);
		ctx.globalAlpha = 1;
		ctx.fillStyle = colourOf(m);
		ctx.fillText(text, left + 3 * dpr, top + 1 * dpr, w - 6 * dpr);
	}
	ctx.restore();
}
