/**
 * The side view's compact curve.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import type { LossViewModel } from '../viewModels/lossViewModel';
import { drawMarkers } from './lossMarkers';
import type { ChartHandle } from './plumbing';
import { axis, chartSize, fitAxisSize, handle, logXAxis } from './plumbing';
import { formatTick } from '../../src/core/present/format';

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
