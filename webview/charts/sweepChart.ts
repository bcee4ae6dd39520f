/**
 * The sweep tab's chart: per-LR training and validation loss by epoch.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import type { Y } from '../viewModels/series';
import { robustYRange } from '../viewModels/series';
import type { SweepViewModel } from '../viewModels/sweepViewModel';
import type { ChartHandle } from './plumbing';
import { axis, chartSize, epochIncrs, fitAxisSize, handle, lossValue } from './plumbing';

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
