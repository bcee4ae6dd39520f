/**
 * PNG export: the chart canvas under a title and a colour key, on the theme's background.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';

/** Composes a PNG: title, colour key, then the chart canvas, on the theme background. */
export function toPng(plot: uPlot, theme: ChartTheme, title: string): string {
	const src = plot.ctx.canvas;
	const dpr = uPlot.pxRatio;
	const head = Math.round(44 * dpr);
	const out = document.createElement('canvas');
	out.width = src.width;
	out.height = src.height + head;
	const ctx = out.getContext('2d');
	if (!ctx) {
		throw new Error('canvas 2D context unavailable');
	}
	ctx.fillStyle = theme.background;
	ctx.fillRect(0, 0, out.width, out.height);
	ctx.fillStyle = theme.text;
	ctx.textBaseline = 'top';
	ctx.font = `600 ${13 * dpr}px ${theme.fontFamily}`;
	ctx.fillText(title, 8 * dpr, 6 * dpr);
	ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	let x = 8 * dpr;
	for (const s of plot.series.slice(1)) {
		if (!s.show || typeof s.stroke !== 'function' || !s.label) {
			continue;
		}
		const colour = String(s.stroke(plot, 1));
		ctx.fillStyle = colour;
		ctx.fillRect(x, 27 * dpr, 12 * dpr, 3 * dpr);
		x += 16 * dpr;
		ctx.fillStyle = theme.text;
		const label = String(s.label);
		ctx.fillText(label, x, 23 * dpr);
		x += ctx.measureText(label).width + 14 * dpr;
	}
	ctx.drawImage(src, 0, head);
	return out.toDataURL('image/png').split(',')[1] ?? '';
}
