/**
 * uPlot renderers for the panel's charts. They map view-models (viewModel.ts) to pixels with the
 * theme's colours and hold no state of their own beyond the plot: a theme change rebuilds them.
 */
import uPlot from 'uplot';
import type { ChartTheme } from './theme';
import type {
	CompareSeries,
	LiveMarker,
	LiveViewModel,
	LossViewModel,
	SweepViewModel,
	Y,
} from './viewModel';
import { alignSeries, robustYRange } from './viewModel';
import { formatLoss, formatLr, formatTick } from '../src/core/present/format';
import { logTicks } from '../src/core/present/ticks';
import { findingKindText } from '../src/core/present/words';

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

/**
 * Marker dash patterns (CSS px), so the markers stay distinguishable without colour. The headline
 * is solid and thicker, with a ring on the curve; the rule it comes from is not drawn twice.
 */
const markerDash: Record<string, number[]> = {
	valley: [],
	slide: [6, 3],
	minimum: [2, 3],
	steep: [8, 3, 2, 3],
	consensus: [1, 4],
	headline: [],
};

function chartSize(el: HTMLElement, fixedHeight?: number): { width: number; height: number } {
	const width = Math.max(200, Math.floor(el.clientWidth || 600));
	const height =
		fixedHeight ?? Math.round(Math.min(maxHeight, Math.max(minHeight, width * aspect)));
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

/** Epochs are whole numbers: tick steps uPlot may choose for an epoch axis (never 0.5). */
const epochIncrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

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
function handle(
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
		{
			label: 'raw loss',
			stroke: theme.raw,
			width: 1,
			spanGaps,
			points: { show: false },
			value: lossValue,
		},
		{
			label: `smoothed (β ${vm.beta})`,
			stroke: theme.smoothed,
			width: 2,
			spanGaps,
			points: { show: false },
			value: lossValue,
		},
	];
	if (compare) {
		series.push({
			label: `${compare.label} (smoothed)`,
			stroke: theme.compare,
			width: 1.5,
			dash: [6, 4],
			spanGaps,
			points: { show: false },
			value: lossValue,
		});
	}
	const fullX: [number, number] = [
		aligned.x[0] ?? vm.xRange[0],
		aligned.x[aligned.x.length - 1] ?? vm.xRange[1],
	];
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
			axes: [
				{ ...logXAxis(theme, 'learning rate (log)'), filter: (_u, splits) => splits },
				axis(theme, { label: 'loss', labelSize: 18, size: fitAxisSize(theme, 40) }),
			],
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
						const full =
							min === undefined ||
							max === undefined ||
							(nearly(min, fullX[0]) && nearly(max, fullX[1]));
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

/** Shades the LR band of the rules (or of the consensus across repeats), under the curves. */
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
function drawMarkers(u: uPlot, vm: LossViewModel, theme: ChartTheme, labels = true): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	const fontPx = 11 * dpr;
	const rowH = fontPx + 4 * dpr;
	ctx.save();
	ctx.font = `${fontPx}px ${theme.fontFamily}`;
	// uPlot leaves its axis text alignment on the shared context.
	ctx.textAlign = 'left';
	ctx.textBaseline = 'top';
	// The headline last, so it is drawn on top of the rule markers.
	const visible = [...vm.markers]
		.sort((a, b) => Number(a.name === 'headline') - Number(b.name === 'headline') || a.lr - b.lr)
		.map((m) => ({
			m,
			x: u.valToPos(m.lr, 'x', true),
			colour: m.name === 'headline' ? theme.consensus : theme.suggestion,
		}))
		.filter(({ x }) => x >= bbox.left - 0.5 && x <= bbox.left + bbox.width + 0.5);
	// Where each marker was drawn (CSS px in the canvas), for the render test: pixels alone cannot
	// say which LR a marker stands for.
	const drawn: { name: string; lr: number; loss: number | null; x: number; y: number | null }[] =
		[];
	// Lines and dots first, labels second, so no line crosses a label.
	for (const { m, x, colour } of visible) {
		const head = m.name === 'headline';
		ctx.strokeStyle = colour;
		ctx.lineWidth = (head ? 2.5 : 1.25) * dpr;
		ctx.setLineDash((markerDash[m.name] ?? []).map((d) => d * dpr));
		ctx.beginPath();
		ctx.moveTo(Math.round(x) + 0.5, bbox.top);
		ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
		ctx.stroke();
		ctx.setLineDash([]);
		let dotY: number | null = null;
		if (m.loss !== null) {
			const y = u.valToPos(m.loss, 'y', true);
			if (y >= bbox.top && y <= bbox.top + bbox.height) {
				dotY = y;
				if (head) {
					// A ring on the curve: the background inside keeps the curve visible through it.
					ctx.fillStyle = theme.background;
					ctx.lineWidth = 2 * dpr;
					ctx.beginPath();
					ctx.arc(x, y, 5.5 * dpr, 0, 2 * Math.PI);
					ctx.fill();
					ctx.stroke();
				}
				ctx.fillStyle = colour;
				ctx.beginPath();
				ctx.arc(x, y, (head ? 2.5 : 3.5) * dpr, 0, 2 * Math.PI);
				ctx.fill();
			}
		}
		drawn.push({
			name: m.name,
			lr: m.lr,
			loss: m.loss,
			x: x / dpr,
			y: dotY === null ? null : dotY / dpr,
		});
	}
	u.root.dataset.markers = JSON.stringify(drawn);
	u.root.dataset.plot = JSON.stringify({
		left: bbox.left / dpr,
		top: bbox.top / dpr,
		width: bbox.width / dpr,
		height: bbox.height / dpr,
		x: [u.scales.x.min, u.scales.x.max],
		y: [u.scales.y.min, u.scales.y.max],
		yLog: u.scales.y.distr === 3,
	});
	const rows: number[] = [];
	for (const { m, x, colour } of labels ? visible : []) {
		// First row whose last label ends left of this one; labels flip left near the right edge.
		ctx.font = `${m.name === 'headline' ? '600 ' : ''}${fontPx}px ${theme.fontFamily}`;
		const w = ctx.measureText(m.label).width + 6 * dpr;
		const left =
			x + w + 2 * dpr > bbox.left + bbox.width ? Math.max(bbox.left, x - w - 2 * dpr) : x + 2 * dpr;
		let row = rows.findIndex((end) => end + 2 * dpr < left);
		if (row < 0) {
			row = rows.length;
		}
		rows[row] = left + w;
		const top = bbox.top + 2 * dpr + row * rowH;
		ctx.fillStyle = theme.background;
		ctx.fillRect(left, top - 1 * dpr, w, rowH - 2 * dpr);
		ctx.fillStyle = colour;
		ctx.font = `${m.name === 'headline' ? '600 ' : ''}${fontPx}px ${theme.fontFamily}`;
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
export function scheduleChart(
	el: HTMLElement,
	x: number[],
	lr: Y[],
	theme: ChartTheme,
): ChartHandle {
	const plot = new uPlot(
		{
			...chartSize(el, 200),
			series: [
				{ label: 'step', value: (_u, v) => (v === null ? '—' : String(Math.round(v))) },
				{
					label: 'learning rate',
					stroke: theme.consensus,
					width: 2,
					points: { show: false },
					value: lrValue,
				},
			],
			scales: {
				x: { time: false },
				y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
			},
			axes: [
				axis(theme, { label: 'step', labelSize: 18 }),
				axis(theme, {
					size: fitAxisSize(theme, 40),
					values: (_u, s) => s.map((v) => (v == null ? '' : formatLr(v))),
				}),
			],
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
	const series: uPlot.Series[] = [
		{ label: 'epoch', value: (_u, v) => (v === null ? '—' : String(v)) },
	];
	const data: Y[][] = [];
	vm.curves.forEach((c, i) => {
		const colour = theme.palette[i % theme.palette.length];
		const width = c.best ? 2.5 : 1.5;
		series.push({
			label: `${c.label}${c.best ? ' (best)' : ''}`,
			stroke: colour,
			width,
			value: lossValue,
			points: { size: 5 },
		});
		data.push(c.loss);
		if (c.val) {
			series.push({
				label: `${c.label} val`,
				stroke: colour,
				width: width - 0.5,
				dash: [5, 4],
				value: lossValue,
				points: { show: false },
			});
			data.push(c.val);
		}
	});
	const all = data.flat();
	const plot = new uPlot(
		{
			...chartSize(el),
			series,
			scales: { x: { time: false }, y: { range: () => robustYRange(all, []) } },
			axes: [
				axis(theme, { label: 'epoch', labelSize: 18, incrs: epochIncrs }),
				axis(theme, { label: 'loss', labelSize: 18, size: fitAxisSize(theme, 40) }),
			],
			cursor: { drag: { x: true, y: false, setScale: true }, focus: { prox: 24 } },
			focus: { alpha: 0.3 },
			legend: { live: true },
		},
		[vm.epochs, ...data] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme);
}

/** A live run: loss series (left axis), LR (right axis) and detector findings as vertical markers. */
export function liveChart(el: HTMLElement, vm: LiveViewModel, theme: ChartTheme): ChartHandle {
	const [yLo, yHi] = vm.y.range;
	// Values beyond the range are drawn just past the plot edge (uPlot clips them there), so the curve
	// visibly leaves the chart instead of the canvas being asked for a line to 1e37 px.
	const over = vm.y.log ? yHi * 1.5 : yHi + (yHi - yLo) * 0.1;
	const under = vm.y.log ? yLo / 1.5 : yLo - (yHi - yLo) * 0.1;
	// A log axis is drawn as a linear axis of log10(loss) with 10^k labels: uPlot finds no tick
	// increment for scales past ~1e17 (its 17-digit limit), which a blown-up loss easily reaches.
	const drawable = (v: Y): Y => {
		if (v === null || (vm.y.log && v <= 0)) {
			return null;
		}
		const c = Math.min(over, Math.max(under, v));
		return vm.y.log ? Math.log10(c) : c;
	};
	const yScaleRange: [number, number] = vm.y.log ? [Math.log10(yLo), Math.log10(yHi)] : [yLo, yHi];
	const xLabel = vm.xUnit;
	const series: uPlot.Series[] = [
		{ label: xLabel, value: (_u, v) => (v === null ? '—' : String(v)) },
	];
	const data: Y[][] = [];
	let paletteIdx = 2;
	vm.series.forEach((s) => {
		const colour =
			s.name === 'loss' ? theme.smoothed : theme.palette[paletteIdx++ % theme.palette.length];
		// The legend reads the true value, not the clamped one that is drawn.
		const value = (_u: uPlot, _v: number | null, _si: number, idx: number | null): string =>
			formatLoss(idx === null ? null : (s.values[idx] ?? null));
		// Per-epoch series have one point per epoch: draw the points and span the gaps between them.
		series.push({
			label: s.name,
			stroke: colour,
			width: s.perEpoch ? 2 : 1.25,
			dash: s.perEpoch && !s.name.startsWith('val') ? [5, 3] : undefined,
			spanGaps: s.perEpoch,
			points: { show: s.perEpoch, size: 6, fill: colour },
			value,
			scale: 'y',
		});
		data.push(s.values.map(drawable));
	});
	const yAxis = axis(theme, {
		label: vm.y.log ? 'loss (log)' : 'loss',
		labelSize: 18,
		size: fitAxisSize(theme, 40),
		...(vm.y.log
			? {
					splits: (u: uPlot, _i: number, min: number, max: number) =>
						thinnedLogTicks(10 ** min, 10 ** max, u.bbox.height / uPlot.pxRatio).map((v) =>
							Math.log10(v),
						),
					// Decades past 1000 as 1e+5, like the ones past 1e+6, so one axis uses one style.
					values: (_u: uPlot, splits: number[]) =>
						splits.map((v) => {
							if (v == null) {
								return '';
							}
							const e = Math.round(v);
							return Math.abs(v - e) < 1e-9 && Math.abs(e) >= 3
								? `1e${e > 0 ? '+' : ''}${e}`
								: formatTick(Number((10 ** v).toPrecision(6)));
						}),
				}
			: {
					values: (_u: uPlot, splits: number[], _a: number, _s: number, incr: number) =>
						splits.map((v) => (v == null ? '' : formatTick(v, incr))),
				}),
	});
	const axes = [
		axis(theme, {
			label: xLabel,
			labelSize: 18,
			size: 30,
			values: (_u, splits, _a, _s, incr) =>
				splits.map((v) => (v == null ? '' : formatTick(v, incr))),
		}),
		yAxis,
	];
	const scales: uPlot.Scales = {
		x: { time: false },
		y: { range: () => yScaleRange },
	};
	if (vm.lr) {
		series.push({
			label: 'LR',
			stroke: theme.consensus,
			width: 1.25,
			dash: [4, 3],
			value: lrValue,
			scale: 'lr',
			points: { show: false },
		});
		data.push(vm.lrLog ? vm.lr.map((v) => (v !== null && v > 0 ? v : null)) : vm.lr);
		const lrs = vm.lr.filter((v): v is number => v !== null && v > 0);
		scales.lr = vm.lrLog
			? { distr: 3, log: 10, range: () => [Math.min(...lrs) / 1.3, Math.max(...lrs) * 1.3] }
			: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] };
		axes.push(
			axis(theme, {
				scale: 'lr',
				side: 1,
				size: fitAxisSize(theme, 40),
				grid: { show: false },
				label: vm.lrLog ? 'LR (log)' : 'LR',
				labelSize: 18,
				...(vm.lrLog
					? {
							splits: (u: uPlot, _i: number, min: number, max: number) =>
								thinnedLogTicks(min, max, u.bbox.height / uPlot.pxRatio),
							filter: (_u: uPlot, splits: number[]) => splits,
						}
					: {}),
				values: (_u, s) => s.map((v) => (v == null ? '' : formatLr(v))),
			}),
		);
	}
	const plot = new uPlot(
		{
			...chartSize(el),
			series,
			scales,
			axes,
			cursor: { drag: { x: true, y: false, setScale: true }, focus: { prox: 24 } },
			focus: { alpha: 0.4 },
			legend: { live: true },
			hooks: {
				drawAxes: [(u) => drawNonFinite(u, vm, theme)],
				draw: [(u) => drawOffScale(u, vm, theme), (u) => drawFindings(u, vm, theme)],
			},
		},
		[vm.x, ...data] as uPlot.AlignedData,
		el,
	);
	return handle(el, plot, theme);
}

/**
 * An axis size that fits its widest tick label (uPlot calls it with the formatted labels and sizes
 * again until it settles), so labels like 1.5e+37 are never cut at the chart's edge.
 */
function fitAxisSize(theme: ChartTheme, min: number): uPlot.Axis.Size {
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
function thinnedLogTicks(min: number, max: number, heightPx: number): number[] {
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

/** Faint shading where the main loss was NaN/Infinity (the curve has a gap there). */
function drawNonFinite(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
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
function drawOffScale(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	if (!vm.offScale.length) {
		return;
	}
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	ctx.save();
	ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	ctx.textAlign = 'left';
	ctx.textBaseline = 'top';
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
function drawFindings(u: uPlot, vm: LiveViewModel, theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	const rowH = 15 * dpr;
	// Below the off-scale labels when there are any.
	const top0 = bbox.top + (vm.offScale.length ? 20 : 3) * dpr;
	ctx.save();
	ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	ctx.textAlign = 'left';
	ctx.textBaseline = 'top';
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

/** The side view's compact curve: smoothed loss and the headline marker, no legend or cursor. */
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
				axis(theme, {
					size: fitAxisSize(theme, 30),
					values: (_u, s, _i, _r, incr) => s.map((v) => formatTick(v, incr)),
				}),
			],
			cursor: { show: false },
			legend: { show: false },
			hooks: {
				draw: [
					(u) =>
						drawMarkers(
							u,
							{ ...vm, markers: vm.markers.filter((m) => m.name === 'headline') },
							theme,
							// The value is written above the chart; a label would not fit.
							false,
						),
				],
			},
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
