/** The schedule designer's preview: the LR-vs-step chart of the spec being designed. */
import { describeSchedule } from '../src/core/present/schedule';
import type { ScheduleSpec } from '../src/core/schedules/spec';
import type { ChartHandle } from './charts/plumbing';
import { scheduleChart } from './charts/scheduleChart';
import { el } from './dom';
import type { ChartTheme } from './theme';
import { buildSchedulePreview } from './viewModels/scheduleViewModel';

/** Owns the preview chart inside its own `element`. */
export class SchedulePreview {
	readonly element = el('div', {
		class: 'chart chart-small',
		id: 'schedule-chart',
		role: 'img',
	});
	private _chart: ChartHandle | undefined;

	constructor(private readonly _theme: () => ChartTheme) {}

	/**
	 * Draws `spec` over `totalSteps()` steps; nothing without a valid spec or while the designer is
	 * hidden (uPlot cannot size a chart that is not laid out).
	 */
	draw(spec: ScheduleSpec | undefined, totalSteps: () => number, shown: boolean): void {
		this.destroy();
		if (!spec || !shown) {
			return;
		}
		const p = buildSchedulePreview(spec, totalSteps());
		this._chart = scheduleChart(this.element, p.x, p.lr, this._theme());
		this.element.setAttribute('aria-label', `Learning rate by step: ${describeSchedule(spec)}`);
	}

	/** Frees the chart. */
	destroy(): void {
		this._chart?.destroy();
		this._chart = undefined;
	}
}
