/** The Live runs tab: the run's curves with warnings marked, its findings, and its layers. */
import { formatLoss, formatTick } from '../../src/core/present/format';
import { findingKindText } from '../../src/core/present/words';
import type { LiveRunView } from '../../src/shared/webviewProtocol';
import { liveChart } from '../charts/liveChart';
import { el } from '../dom';
import { LayersView } from './layers/layersView';
import { fillEmpty, fillSelect, panel } from '../panelDom';
import type { ChartTheme } from '../theme';
import type { LossAxisMode } from '../viewModels/liveViewModel';
import { buildLiveViewModel } from '../viewModels/liveViewModel';
import type { TabOutput } from './tabOutput';

/** What the Live runs tab shows (built by the panel from its state). */
export interface LiveTabView {
	readonly runs: readonly LiveRunView[];
	/** The chosen run, else the newest one. */
	readonly run: LiveRunView | undefined;
	readonly axis: LossAxisMode;
	/** Whether the Live tab is the one shown (the chart is drawn only then). */
	readonly active: boolean;
	readonly theme: ChartTheme;
}

/** The Live tab's Layers section (issue 15; its own files). */
export const layersView = new LayersView();

/** Fills the Live runs tab (the panel has freed its previous chart). */
export function renderLive(view: LiveTabView, out: Pick<TabOutput, 'showChart'>): void {
	const l = panel.live;
	const run = view.run;
	fillSelect(
		l.select,
		view.runs.map((r) => ({ value: r.id, label: r.label, description: r.status })),
		run?.id ?? '',
		'No live runs',
	);
	l.empty.hidden = run !== undefined;
	l.chart.hidden = run === undefined;
	if (!run) {
		layersView.render(undefined, view.theme);
		l.status.textContent = '';
		l.findings.replaceChildren();
		fillEmpty(
			l.empty,
			'No watched runs.',
			'Monitor a training script or watch a log file; loss, validation loss and LR stream here with warnings marked.',
		);
		return;
	}
	const mode = view.axis;
	const vm = buildLiveViewModel(run.records, run.findings, mode);
	fillSelect(
		l.axis,
		[
			{
				value: 'auto',
				label: `Auto (${vm.y.auto ? (vm.y.log ? 'log' : 'linear') : 'from the data'})`,
			},
			{ value: 'linear', label: 'Linear' },
			{ value: 'log', label: 'Log' },
		],
		mode,
	);
	// What the chart shows, for UI tests (pixels alone cannot say where a marker is meant to be).
	l.chart.dataset.yAxis = `${vm.y.log ? 'log' : 'linear'} ${formatTick(vm.y.range[0])} ${formatTick(vm.y.range[1])}`;
	l.chart.dataset.markers = JSON.stringify(vm.markers.map((m) => ({ x: m.x, label: m.label })));
	if (view.active && l.chart.offsetParent !== null) {
		out.showChart(liveChart(l.chart, vm, view.theme));
	}
	const last =
		vm.series
			.find((s) => s.name === 'loss')
			?.values.filter((v) => v !== null)
			.at(-1) ?? null;
	l.status.textContent = `${run.status} · ${run.records.length} records · last loss ${formatLoss(last)}`;
	l.findings.replaceChildren(
		...run.findings.map((f, i) => {
			const x = vm.findings[i]?.x;
			// Epoch findings sit on the step axis where that epoch ended; say so, since the list names the epoch.
			const where =
				f.unit === 'epoch' && vm.xUnit === 'step'
					? x !== null && x !== undefined
						? `epoch ${f.step}, ended at step ${x}`
						: `epoch ${f.step}`
					: `${f.unit} ${f.step}`;
			return el(
				'li',
				{ class: `finding finding-${f.severity}` },
				el('strong', {}, `${findingKindText[f.kind]} `),
				`${f.message} `,
				el('span', { class: 'muted' }, `(${where}) — ${f.action}`),
			);
		}),
	);
	l.chart.setAttribute(
		'aria-label',
		`Live run ${run.label}: ${l.status.textContent}; ${run.findings.length} findings.`,
	);
	layersView.render(run, view.theme);
}
