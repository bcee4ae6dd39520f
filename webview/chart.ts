/**
 * uPlot renderers for the panel's charts. They map view-models (viewModel.ts) to pixels with the
 * theme's colours and hold no state of their own beyond the plot: a theme change rebuilds them.
 */
import uPlot from 'uplot';
import type { ChartTheme } from './theme';
import type { CompareSeries, LiveViewModel, LossViewModel, SweepViewModel, Y } from './viewModel';
import { alignSeries, formatLoss, formatLr, logTicks, robustYRange } from './viewModel';

/** A drawn chart. */
export interface ChartHandle {
	readonly plot: uPlot;
	/** The colours it was drawn with (exposed on the element for UI tests: `data-colors`). */
	readonly theme: ChartTheme;
	/** Base64 PNG of the chart with a title and a colour key, on the theme's background. */
	toPng(title: string): string;
	resetZoom(): void;
	destroy(): void;
}

/** Chart height as a fraction of its width, clamped: wide panels should not get towering charts. */
const aspect = 0.48;
/** Below this the axes labels crowd the plot area; above it the chart pushes the controls off screen. */
const minHeight = 220;
const maxHeight = 440;

/** Marker dash patterns (CSS px), so the four suggestions stay distinguishable without colour. */
const markerDash: Record<string, number[]> = {
	valley: [],
	slide: [6, 3],
	minimum: [2, 3],
	steep: [8, 3, 2, 3],
	consensus: [],
};

function chartSize(el: HTMLElement, fixedHeight?: number): { width: number; height: number } {
	const width = Math.max(200, Math.floor(el.clientWidth || 600));
	const height = fixedHeight ?? Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
	return { width, height };
}

function axis(theme: ChartTheme, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
	return {
		stroke: theme.text,
		font: `11px ${theme.fontFamily}`,
		labelFont: `11px ${theme.fontFamily}`,
		grid: { stroke: theme.grid, width: 1 },
		ticks: { stroke: theme.grid, width: 1, size: 4 },
		...extra,
	};
}

const logXAxis = (theme: ChartTheme, label: string): uPlot.Axis =>
	axis(theme, {
		label,
		labelSize: 18,
		splits: (_u, _i, min, max) => logTicks(min, max),
		// uPlot thins crowded log labels by passing null splits.
		values: (_u, splits) => splits.map((v) => (v == null ? '' : formatLr(v))),
	});

const lossValue = (_u: uPlot, v: number | null): string => formatLoss(v);
const lrValue = (_u: uPlot, v: number | null): string => (v === null ? '—' : formatLr(v));

/** Wraps a plot with resize handling, export and teardown. */
function handle(el: HTMLElement, plot: uPlot, theme: ChartTheme, fixedHeight?: number): ChartHandle {
	el.dataset.colors = JSON.stringify({ raw: theme.raw, smoothed: theme.smoothed, background: theme.background });
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
		toPng: (title) => toPng(plot, theme, title),
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

/** Options for the loss-vs-LR chart. */
export interface LossChartOptions {
	logY: boolean;
	zoom?: [number, number];
	onZoom(zoom: [number, number] | undefined): void;
}

/** Loss vs LR (log x): raw + smoothed (+ a comparison curve), suggestion markers, consensus band. */
export function lossChart(
	el: HTMLElement,
	vm: LossViewModel,
	compare: CompareSeries | null,
	theme: ChartTheme,
	opts: LossChartOptions,
): ChartHandle {
	const aligned = compare
		? alignSeries([
				{ x: vm.x, ys: [vm.raw, vm.smoothed] },
				{ x: compare.x, ys: [compare.smoothed] },
			])
		: { x: vm.x, ys: [vm.raw, vm.smoothed] };
	// With a comparison curve the x grids interleave; spanning gaps keeps each curve continuous.
	const spanGaps = compare !== null;
	const series: uPlot.Series[] = [
		{ label: 'LR', value: lrValue },
		{ label: 'raw loss', stroke: theme.raw, width: 1, spanGaps, points: { show: false }, value: lossValue },
		{ label: `smoothed (β ${vm.beta})`, stroke: theme.smoothed, width: 2, spanGaps, points: { show: false }, value: lossValue },
	];
	if (compare) {
		series.push({ label: `${compare.label} (smoothed)`, stroke: theme.compare, width: 1.5, dash: [6, 4], spanGaps, points: { show: false }, value: lossValue });
	}
	const fullX: [number, number] = [aligned.x[0] ?? vm.xRange[0], aligned.x[aligned.x.length - 1] ?? vm.xRange[1]];
	// y is fitted to the visible x window: uPlot stores the window's data indices in `idxs` just
	// before it ranges the y scale (the x scale itself is not committed yet at that point).
	const yRange = (u: uPlot): uPlot.Range.MinMax => {
		const [i0, i1] = u.series[0].idxs ?? [0, u.data[0].length - 1];
		const raw: Y[] = [];
		const sm: Y[] = [];
		u.data[0].forEach((_xv, i) => {
			if (i >= i0 && i <= i1) {
				raw.push((u.data[1][i] ?? null) as Y);
				sm.push((u.data[2][i] ?? null) as Y);
				if (u.data[3]) {
					sm.push((u.data[3][i] ?? null) as Y);
				}
			}
		});
		const [lo, hi] = robustYRange(raw, sm);
		if (opts.logY) {
			const pos = [...raw, ...sm].filter((v): v is number => v !== null && v > 0);
			const floor = pos.length ? Math.min(...pos) * 0.9 : 1e-3;
			return [Math.max(lo, floor), Math.max(hi, floor * 10)];
		}
		return [lo, hi];
	};
	const data = [aligned.x, ...aligned.ys] as uPlot.AlignedData;
	const plot = new uPlot(
		{
			...chartSize(el),
			series,
			scales: {
				x: { distr: 3, log: 10, range: (_u, min, max) => [min, max] },
				y: opts.logY ? { distr: 3, log: 10, range: yRange } : { range: yRange },
			},
			// Keep every tick label logTicks chose (uPlot's log filter would drop the 2× and 5× ones when zoomed).
			axes: [{ ...logXAxis(theme, 'learning rate (log)'), filter: (_u, splits) => splits }, axis(theme, { label: 'loss', labelSize: 18, size: 52 })],
			cursor: { drag: { x: true, y: false, setScale: true }, focus: { prox: 24 } },
			focus: { alpha: 0.4 },
			legend: { live: true },
			hooks: {
				drawAxes: [(u) => drawBand(u, vm, theme)],
				draw: [(u) => drawMarkers(u, vm, theme)],
				ready: [
					(u) => {
						if (opts.zoom) {
							u.setScale('x', { min: opts.zoom[0], max: opts.zoom[1] });
						}
					},
				],
				setScale: [
					(u, key) => {
						if (key !== 'x') {
							return;
						}
						const { min, max } = u.scales.x;
						const full = min === undefined || max === undefined || (nearly(min, fullX[0]) && nearly(max, fullX[1]));
						opts.onZoom(full ? undefined : [min, max]);
					},
				],
			},
		},
		data,
		el,
	);
	return handle(el, plot, theme);
}

function nearly(a: number, b: number): boolean {
	return Math.abs(Math.log(a) - Math.log(b)) < 1e-6;
}

/** Shades the LR band around the consensus (under the curves). */
function drawBand(u: uPlot, vm: LossViewModel, theme: ChartTheme): void {
	if (!vm.band) {
		return;
	}
	const { ctx, bbox } = u;
	const x0 = Math.max(bbox.left, u.valToPos(vm.band[0], 'x', true));
	const x1 = Math.min(bbox.left + bbox.width, u.valToPos(vm.band[1], 'x', true));
	if (x1 <= x0) {
		return;
	}
	ctx.save();
	ctx.globalAlpha = theme.highContrast ? 0.25 : 0.12;
	ctx.fillStyle = theme.consensus;
	ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
	ctx.restore();
}

/** Vertical marker lines with labels (staggered so close markers stay readable) and a dot on the curve. */
function drawMarkers(u: uPlot, vm: LossViewModel, theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	const fontPx = 11 * dpr;
	const rowH = fontPx + 4 * dpr;
	ctx.save();
	ctx.font = `${fontPx}px ${theme.fontFamily}`;
	// uPlot leaves its axis text alignment on the shared context.
	ctx.textAlign = 'left';
	ctx.textBaseline = 'top';
	const visible = [...vm.markers]
		.sort((a, b) => a.lr - b.lr)
		.map((m) => ({ m, x: u.valToPos(m.lr, 'x', true), colour: m.name === 'consensus' ? theme.consensus : theme.suggestion }))
		.filter(({ x }) => x >= bbox.left - 0.5 && x <= bbox.left + bbox.width + 0.5);
	// Lines and dots first, labels second, so no line crosses a label.
	for (const { m, x, colour } of visible) {
		ctx.strokeStyle = colour;
		ctx.lineWidth = (m.name === 'consensus' ? 2 : 1.25) * dpr;
		ctx.setLineDash((markerDash[m.name] ?? []).map((d) => d * dpr));
		ctx.beginPath();
		ctx.moveTo(Math.round(x) + 0.5, bbox.top);
		ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
		ctx.stroke();
		ctx.setLineDash([]);
		if (m.loss !== null) {
			const y = u.valToPos(m.loss, 'y', true);
			if (y >= bbox.top && y <= bbox.top + bbox.height) {
				ctx.fillStyle = colour;
				ctx.beginPath();
				ctx.arc(x, y, 3.5 * dpr, 0, 2 * Math.PI);
				ctx.fill();
			}
		}
	}
	const rows: number[] = [];
	for (const { m, x, colour } of visible) {
		// First row whose last label ends left of this one; labels flip left near the right edge.
		const w = ctx.measureText(m.label).width + 6 * dpr;
		const left = x + w + 2 * dpr > bbox.left + bbox.width ? x - w - 2 * dpr : x + 2 * dpr;
		let row = rows.findIndex((end) => end + 2 * dpr < left);
		if (row < 0) {
			row = rows.length;
		}
		rows[row] = left + w;
		const top = bbox.top + 2 * dpr + row * rowH;
		ctx.fillStyle = theme.background;
		ctx.fillRect(left, top - 1 * dpr, w, rowH - 2 * dpr);
		ctx.fillStyle = colour;
		ctx.fillText(m.label, left + 3 * dpr, top + 1 * dpr);
	}
	if ((vm.stopReason === 'diverged' || vm.stopReason === 'nonFinite') && vm.stopLr !== null) {
		const x = u.valToPos(vm.stopLr, 'x', true);
		if (x >= bbox.left && x <= bbox.left + bbox.width + 0.5) {
			ctx.strokeStyle = theme.diverged;
			ctx.lineWidth = 1.5 * dpr;
			ctx.setLineDash([3 * dpr, 3 * dpr]);
			ctx.beginPath();
			ctx.moveTo(x - 0.5, bbox.top);
			ctx.lineTo(x - 0.5, bbox.top + bbox.height);
			ctx.stroke();
			ctx.setLineDash([]);
			const text = vm.stopReason === 'diverged' ? 'diverged' : 'NaN/Inf';
			const w = ctx.measureText(text).width;
			ctx.fillStyle = theme.diverged;
			ctx.textBaseline = 'bottom';
			ctx.fillText(text, x - w - 4 * dpr, bbox.top + bbox.height - 3 * dpr);
		}
	}
	ctx.restore();
}

/** LR vs step for the schedule designer. */
export function scheduleChart(el: HTMLElement, x: number[], lr: Y[], theme: ChartTheme): ChartHandle {
	const plot = new uPlot(
		{
			...chartSize(el, 200),
			series: [
				{ label: 'step', value: (_u, v) => (v === null ? '—' : String(Math.round(v))) },
				{ label: 'learning rate', stroke: theme.consensus, width: 2, points: { show: false }, value: lrValue },
			],
			scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
			axes: [axis(theme, { label: 'step', labelSize: 18 }), axis(theme, { size: 60, values: (_u, s) => s.map((v) => (v == null ? '' : formatLr(v))) })],
			cursor: { drag: { x: false, y: false } },
			legend: { live: true },
		},
		[x, lr] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme, 200);
}

/** Per-LR training (solid) and validation (dashed) loss curves of a sweep, by epoch. */
export function sweepChart(el: HTMLElement, vm: SweepViewModel, theme: ChartTheme): ChartHandle {
	const series: uPlot.Series[] = [{ label: 'epoch', value: (_u, v) => (v === null ? '—' : String(v)) }];
	const data: Y[][] = [];
	vm.curves.forEach((c, i) => {
		const colour = theme.palette[i % theme.palette.length];
		const width = c.best ? 2.5 : 1.5;
		series.push({ label: `${c.label}${c.best ? ' (best)' : ''}`, stroke: colour, width, value: lossValue, points: { size: 5 } });
		data.push(c.loss);
		if (c.val) {
			series.push({ label: `${c.label} val`, stroke: colour, width: width - 0.5, dash: [5, 4], value: lossValue, points: { show: false } });
			data.push(c.val);
		}
	});
	const all = data.flat();
	const plot = new uPlot(
		{
			...chartSize(el),
			series,
			scales: { x: { time: false }, y: { range: () => robustYRange(all, []) } },
			axes: [axis(theme, { label: 'epoch', labelSize: 18 }), axis(theme, { label: 'loss', labelSize: 18, size: 52 })],
			cursor: { drag: { x: true, y: false, setScale: true }, focus: { prox: 24 } },
			focus: { alpha: 0.3 },
			legend: { live: true },
		},
		[vm.epochs, ...data] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme);
}

/** A live run: loss series (left axis), LR (right, log) and detector findings as vertical markers. */
export function liveChart(el: HTMLElement, vm: LiveViewModel, theme: ChartTheme): ChartHandle {
	const series: uPlot.Series[] = [{ label: 'step', value: (_u, v) => (v === null ? '—' : String(v)) }];
	const data: Y[][] = [];
	vm.series.forEach((s, i) => {
		const colour = s.name === 'loss' ? theme.smoothed : theme.palette[(i + 2) % theme.palette.length];
		// Validation loss arrives once per epoch: draw points and span the gaps between them.
		const sparse = s.name.startsWith('val_');
		series.push({ label: s.name, stroke: colour, width: sparse ? 2 : 1.25, spanGaps: sparse, points: { show: sparse, size: 6 }, value: lossValue, scale: 'y' });
		data.push(s.values);
	});
	const axes = [axis(theme, { label: 'step', labelSize: 18 }), axis(theme, { label: 'loss', labelSize: 18, size: 52 })];
	if (vm.lr) {
		series.push({ label: 'LR', stroke: theme.consensus, width: 1.25, dash: [4, 3], value: lrValue, scale: 'lr', points: { show: false } });
		data.push(vm.lr);
		axes.push(axis(theme, { scale: 'lr', side: 1, size: 56, grid: { show: false }, label: 'LR', labelSize: 18, values: (_u, s) => s.map((v) => (v == null ? '' : formatLr(v))) }));
	}
	const loss = vm.series.flatMap((s) => s.values);
	const plot = new uPlot(
		{
			...chartSize(el),
			series,
			scales: {
				x: { time: false },
				// The loss itself as the "smoothed" input keeps the whole descent in view and clips only a blow-up.
				y: { range: () => robustYRange(loss, loss) },
				lr: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
			},
			axes,
			cursor: { drag: { x: true, y: false, setScale: true }, focus: { prox: 24 } },
			focus: { alpha: 0.4 },
			legend: { live: true },
			hooks: { draw: [(u) => drawFindings(u, vm, theme)] },
		},
		[vm.x, ...data] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme);
}

function drawFindings(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	ctx.save();
	ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	// uPlot leaves its axis text alignment on the shared context.
	ctx.textAlign = 'left';
	ctx.textBaseline = 'top';
	vm.findings.forEach((f, i) => {
		const x = u.valToPos(f.step, 'x', true);
		if (x < bbox.left || x > bbox.left + bbox.width) {
			return;
		}
		const colour = f.severity === 'error' ? theme.diverged : f.severity === 'warning' ? theme.consensus : theme.raw;
		ctx.strokeStyle = colour;
		ctx.lineWidth = 1.5 * dpr;
		ctx.setLineDash([4 * dpr, 3 * dpr]);
		ctx.beginPath();
		ctx.moveTo(x, bbox.top);
		ctx.lineTo(x, bbox.top + bbox.height);
		ctx.stroke();
		ctx.setLineDash([]);
		const text = `⚠ ${f.label.split(':')[0]}`;
		const w = ctx.measureText(text).width;
		const left = x + w + 4 * dpr > bbox.left + bbox.width ? x - w - 4 * dpr : x + 4 * dpr;
		ctx.fillStyle = colour;
		ctx.fillText(text, left, bbox.top + 2 * dpr + (i % 3) * 14 * dpr);
	});
	ctx.restore();
}

/** The side view's compact curve: smoothed loss and the consensus marker, no legend or cursor. */
export function miniChart(el: HTMLElement, vm: LossViewModel, theme: ChartTheme): ChartHandle {
	const plot = new uPlot(
		{
			...chartSize(el, 130),
			series: [{}, { stroke: theme.smoothed, width: 1.75, points: { show: false } }],
			scales: {
				x: { distr: 3, log: 10, range: (_u, min, max) => [min, max] },
				y: { range: () => vm.yRange },
			},
			axes: [
				{ ...logXAxis(theme, ''), label: undefined, size: 24 },
				axis(theme, { size: 36, values: (_u, s) => s.map((v) => String(Number(v.toPrecision(2)))) }),
			],
			cursor: { show: false },
			legend: { show: false },
			hooks: { draw: [(u) => drawMarkers(u, { ...vm, markers: vm.markers.filter((m) => m.name === 'consensus') }, theme)] },
		},
		[vm.x, vm.smoothed] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme, 130);
}

/** Composes a PNG: title, colour key, then the chart canvas, on the theme background. */
function toPng(plot: uPlot, theme: ChartTheme, title: string): string {
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
