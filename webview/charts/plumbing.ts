/**
 * Shared uPlot plumbing: the chart handle (resize, export, teardown), sizes, themed axes, log
 * ticks that thin to fit, and the legend's value formatters.
 */
import type uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import { formatLoss, formatLr } from '../../src/core/present/format';
import { logTicks } from '../../src/core/present/ticks';
import { type PngFigure, toPng } from './png';

/** A drawn chart. */
export interface ChartHandle {
	readonly plot: uPlot;
	/** The colours it was drawn with (exposed on the element for UI tests: `data-colors`). */
	readonly theme: ChartTheme;
	/** Base64 PNG of the chart with a title and a colour key, on the theme's background. */
	toPng(title: string, below?: PngFigure): string;
	resetZoom(): void;
	destroy(): void;
}

/** Chart height as a fraction of its width, clamped: wide panels should not get towering charts. */
const aspect = 0.48;
/** Below this the axes labels crowd the plot area; above it the chart pushes the controls off screen. */
const minHeight = 220;
const maxHeight = 440;

export function chartSize(
	el: HTMLElement,
	fixedHeight?: number,
): { width: number; height: number } {
	const width = Math.max(200, Math.floor(el.clientWidth || 600));
	const height =
		fixedHeight ?? Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
	return { width, height };
}

export function axis(theme: ChartTheme, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
	return {
		stroke: theme.text,
		font: `11px ${theme.fontFamily}`,
		labelFont: `11px ${theme.fontFamily}`,
		grid: { stroke: theme.grid, width: 1 },
		ticks: { stroke: theme.grid, width: 1, size: 4 },
		...extra,
	};
}

/** Epochs are whole numbers: tick steps uPlot may choose for an epoch axis (never 0.5). */
export const epochIncrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export const logXAxis = (theme: ChartTheme, label: string): uPlot.Axis =>
	axis(theme, {
		label,
		labelSize: 18,
		splits: (_u, _i, min, max) => logTicks(min, max),
		// uPlot thins crowded log labels by passing null splits.
		values: (_u, splits) => splits.map((v) => (v == null ? '' : formatLr(v))),
	});

export const lossValue = (_u: uPlot, v: number | null): string => formatLoss(v);
export const lrValue = (_u: uPlot, v: number | null): string => (v === null ? '—' : formatLr(v));

/** Wraps a plot with resize handling, export and teardown. */
export function handle(
	el: HTMLElement,
	plot: uPlot,
	theme: ChartTheme,
	fixedHeight?: number,
): ChartHandle {
	el.dataset.colors = JSON.stringify({
		raw: theme.raw,
		smoothed: theme.smoothed,
		suggestion: theme.suggestion,
		consensus: theme.consensus,
		background: theme.background,
	});
	let lastWidth = el.clientWidth;
	let frame = 0;
	const ro = new ResizeObserver(() => {
		// Resize on the next frame: resizing inside the callback changes layout again, which the
		// browser reports as a "ResizeObserver loop" error.
		cancelAnimationFrame(frame);
		frame = requestAnimationFrame(() => {
			if (el.clientWidth !== lastWidth && el.clientWidth > 0) {
				lastWidth = el.clientWidth;
				plot.setSize(chartSize(el, fixedHeight));
			}
		});
	});
	ro.observe(el);
	return {
		plot,
		theme,
		toPng: (title, below) => toPng(plot, theme, title, below),
		resetZoom: () => {
			const xs = plot.data[0];
			if (xs.length) {
				plot.setScale('x', { min: xs[0], max: xs[xs.length - 1] });
			}
		},
		destroy: () => {
			cancelAnimationFrame(frame);
			ro.disconnect();
			plot.destroy();
		},
	};
}

/**
 * An axis size that fits its widest tick label (uPlot calls it with the formatted labels and sizes
 * again until it settles), so labels like 1.5e+37 are never cut at the chart's edge.
 */
export function fitAxisSize(theme: ChartTheme, min: number): uPlot.Axis.Size {
	return (u, values, axisIdx, cycleNum) => {
		const ax = u.axes[axisIdx] as uPlot.Axis & { _size?: number };
		if (cycleNum > 1 && ax._size !== undefined) {
			// Settle: a changed size can change the labels, which could change the size again.
			return ax._size;
		}
		const ctx = u.ctx;
		ctx.save();
		ctx.font = `11px ${theme.fontFamily}`;
		const widest = Math.max(
			0,
			...(values ?? []).map((v) => (v == null ? 0 : ctx.measureText(String(v)).width)),
		);
		ctx.restore();
		// ctx sizes are device pixels only through uPlot's own font scaling; this font is CSS px.
		const tick = (ax.ticks?.size ?? 4) + (ax.gap ?? 5);
		return Math.max(min, Math.ceil(widest + tick + 6));
	};
}

/**
 * Ticks for a log axis `heightPx` tall: every 1st, 2nd, 5th, 10th… decade (aligned to multiples,
 * 1e0 1e5 1e10) so labels stay about 26 px apart; narrow ranges get logTicks' 2× and 5× steps.
 */
export function thinnedLogTicks(min: number, max: number, heightPx: number): number[] {
	const ticks = logTicks(min, max);
	// uPlot asks for splits before it has laid out the plot box the first time (height NaN/0).
	const room =
		Number.isFinite(heightPx) && heightPx > 0 ? Math.max(2, Math.floor(heightPx / 26)) : 8;
	if (ticks.length <= room || !(min > 0)) {
		return ticks;
	}
	const lo = Math.ceil(Math.log10(min) - 1e-9);
	const hi = Math.floor(Math.log10(max) + 1e-9);
	const step =
		[1, 2, 5, 10, 20, 50, 100].find((k) => Math.floor(hi / k) - Math.ceil(lo / k) + 1 <= room) ??
		100;
	const out: number[] = [];
	for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) {
		out.push(Number(`1e${e}`));
	}
	return out;
}
