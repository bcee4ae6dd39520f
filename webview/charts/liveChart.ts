/**
 * The live tab's chart: loss series on a left axis (linear, or log drawn as log10 values), LR on
 * a right axis, with the overlays of liveOverlays.ts.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import { formatLogTick, formatLoss, formatLr, formatTick } from '../../src/core/present/format';
import type { LiveViewModel } from '../viewModels/liveViewModel';
import type { Y } from '../viewModels/series';
import { drawFindings, drawNonFinite, drawOffScale } from './liveOverlays';
import type { ChartHandle } from './plumbing';
import { axis, chartSize, fitAxisSize, handle, lrValue, thinnedLogTicks } from './plumbing';

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
	const { series, data } = lossSeries(vm, theme, drawable);
	const yAxis = lossAxis(vm, theme);
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
	const lr = vm.lr ? lrSeries(vm.lr, vm.lrLog, theme) : null;
	if (lr) {
		series.push(lr.series);
		data.push(lr.data);
		scales.lr = lr.scale;
		axes.push(lr.axis);
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

/** The loss series (clamped to just past the plot edge by `drawable`), after the x series. */
function lossSeries(
	vm: LiveViewModel,
	theme: ChartTheme,
	drawable: (v: Y) => Y,
): { series: uPlot.Series[]; data: Y[][] } {
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
	return { series, data };
}

/** The loss axis: linear, or log10 values labelled as powers of ten (decades thinned to fit). */
function lossAxis(vm: LiveViewModel, theme: ChartTheme): uPlot.Axis {
	return axis(theme, {
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
								: formatLogTick(v);
						}),
				}
			: {
					values: (_u: uPlot, splits: number[], _a: number, _s: number, incr: number) =>
						splits.map((v) => (v == null ? '' : formatTick(v, incr))),
				}),
	});
}

/** The LR series on its own right-hand scale (log when the LR spans more than two decades). */
function lrSeries(
	values: Y[],
	lrLog: boolean,
	theme: ChartTheme,
): { series: uPlot.Series; data: Y[]; scale: uPlot.Scale; axis: uPlot.Axis } {
	const lrs = values.filter((v): v is number => v !== null && v > 0);
	return {
		series: {
			label: 'LR',
			stroke: theme.consensus,
			width: 1.25,
			dash: [4, 3],
			value: lrValue,
			scale: 'lr',
			points: { show: false },
		},
		data: lrLog ? values.map((v) => (v !== null && v > 0 ? v : null)) : values,
		scale: lrLog
			? { distr: 3, log: 10, range: () => [Math.min(...lrs) / 1.3, Math.max(...lrs) * 1.3] }
			: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
		axis: axis(theme, {
			scale: 'lr',
			side: 1,
			size: fitAxisSize(theme, 40),
			grid: { show: false },
			label: lrLog ? 'LR (log)' : 'LR',
			labelSize: 18,
			...(lrLog
				? {
						splits: (u: uPlot, _i: number, min: number, max: number) =>
							thinnedLogTicks(min, max, u.bbox.height / uPlot.pxRatio),
						filter: (_u: uPlot, splits: number[]) => splits,
					}
				: {}),
			values: (_u, s) => s.map((v) => (v == null ? '' : formatLr(v))),
		}),
	};
}
