/**
 * The schedule designer's chart: LR vs step.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import { formatLr } from '../../src/core/present/format';
import type { Y } from '../viewModels/series';
import type { ChartHandle } from './plumbing';
import { axis, chartSize, fitAxisSize, handle, lrValue } from './plumbing';

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
