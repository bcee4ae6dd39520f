/**
 * PNG export: the chart canvas under a title and a colour key, on the theme's background; below it,
 * when given, a second figure (the verified candidates chart) under its caption.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';

/** A figure drawn under the chart: an image of `width` × `height` CSS pixels and its caption. */
export interface PngFigure {
	image: CanvasImageSource;
	width: number;
	height: number;
	caption: string;
}

/** An SVG element of the page as a {@link PngFigure} (drawn as an image: same colours, same size). */
export async function svgFigure(svg: SVGSVGElement, caption: string): Promise<PngFigure> {
	const text = new XMLSerializer().serializeToString(svg);
	const image = new Image();
	image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
	await image.decode();
	const box = svg.getBoundingClientRect();
	return {
		image,
		width: box.width || image.naturalWidth,
		height: box.height || image.naturalHeight,
		caption,
	};
}

/** `text` broken into lines no wider than `width` (at the context's font). */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/)) {
		const next = line ? `${line} ${word}` : word;
		if (line && ctx.measureText(next).width > width) {
			lines.push(line);
			line = word;
		} else {
			line = next;
		}
	}
	return line ? [...lines, line] : lines;
}

/** Composes a PNG: title, colour key, the chart canvas, then `below` under its caption. */
export function toPng(plot: uPlot, theme: ChartTheme, title: string, below?: PngFigure): string {
	const src = plot.ctx.canvas;
	const dpr = uPlot.pxRatio;
	const head = Math.round(44 * dpr);
	const out = document.createElement('canvas');
	const ctx = out.getContext('2d');
	if (!ctx) {
		throw new Error('canvas 2D context unavailable');
	}
	const pad = 8 * dpr;
	const lineHeight = 16 * dpr;
	// The caption is measured before the canvas is sized (sizing resets the context's state).
	ctx.font = `${12 * dpr}px ${theme.fontFamily}`;
	const caption = below ? wrap(ctx, below.caption, src.width - 2 * pad) : [];
	const belowHeight = below
		? pad + caption.length * lineHeight + pad + Math.round(below.height * dpr)
		: 0;
	out.width = Math.max(src.width, below ? Math.round(below.width * dpr) + 2 * pad : 0);
	out.height = src.height + head + belowHeight;
	ctx.fillStyle = theme.background;
	ctx.fillRect(0, 0, out.width, out.height);
	ctx.fillStyle = theme.text;
	ctx.textBaseline = 'top';
	ctx.font = `600 ${13 * dpr}px ${theme.fontFamily}`;
	ctx.fillText(title, pad, 6 * dpr);
	ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	let x = pad;
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
	if (below) {
		let y = head + src.height + pad;
		ctx.font = `${12 * dpr}px ${theme.fontFamily}`;
		for (const line of caption) {
			ctx.fillText(line, pad, y);
			y += lineHeight;
		}
		ctx.drawImage(below.image, pad, y + pad, below.width * dpr, below.height * dpr);
	}
	return out.toDataURL('image/png').split(',')[1] ?? '';
}
