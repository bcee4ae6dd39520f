/**
 * The range-test tab's chart: loss vs LR (log x), raw and smoothed, an optional comparison curve.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import type { CompareSeries, LossViewModel } from '../viewModels/lossViewModel';
import type { Y } from '../viewModels/series';
import { alignSeries, robustYRange } from '../viewModels/series';
import { drawBand, drawMarkers } from './lossMarkers';
import type { ChartHandle } from './plumbing';
import { axis, chartSize, fitAxisSize, handle, logXAxis, lossValue, lrValue } from './plumbing';

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
	const series = lossSeries(vm, compare, theme);
	const fullX: [number, number] = [
		aligned.x[0] ?? vm.xRange[0],
		aligned.x[aligned.x.length - 1] ?? vm.xRange[1],
	];
	const yRange = visibleYRange(opts.logY);
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

/** The raw, smoothed and comparison series; with a comparison the x grids interleave, so gaps are spanned. */
function lossSeries(
	vm: LossViewModel,
	compare: CompareSeries | null,
	theme: ChartTheme,
): uPlot.Series[] {
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
	return series;
}

/**
 * The y range fitted to the visible x window: uPlot stores the window's data indices in `idxs` just
 * before it ranges the y scale (the x scale itself is not committed yet at that point).
 */
function visibleYRange(logY: boolean): (u: uPlot) => uPlot.Range.MinMax {
	return (u: uPlot): uPlot.Range.MinMax => {
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
		if (logY) {
			const pos = [...raw, ...sm].filter((v): v is number => v !== null && v > 0);
			const floor = pos.length ? Math.min(...pos) * 0.9 : 1e-3;
			return [Math.max(lo, floor), Math.max(hi, floor * 10)];
		}
		return [lo, hi];
	};
}
