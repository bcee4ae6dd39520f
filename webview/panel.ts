/** The panel: its toolbar and tabs (built once, wired to the state), and which tab renders. */
import { MessageType, panelTabs } from '../src/shared/webviewProtocol';
import { saveExport } from './chartExport';
import { el } from './dom';
import { fillSelect, panel, selectTab, tabLabels } from './panelDom';
import { state, when } from './panelState';
import type { CurveTabActions, CurveTabView } from './tabs/curveTab';
import { renderCurve } from './tabs/curveTab';
import type { LiveTabView } from './tabs/liveTab';
import { layersView, renderLive } from './tabs/liveTab';
import type { ScheduleTabView } from './tabs/scheduleTab';
import { buildScheduleTab, hideScheduleTab, renderSchedule } from './tabs/scheduleTab';
import type { SweepTabView } from './tabs/sweepTab';
import { renderSweep } from './tabs/sweepTab';
import { host } from './vscodeApi';
import { formatBeta } from '../src/core/present/format';

/** The tabs' one-line summaries go to the view's polite live region. */
function say(text: string): void {
	state.summary.textContent = text;
}

function curveView(): CurveTabView {
	const z = state.zoom.get();
	return {
		rangeTest: state.currentRangeTest(),
		history: state.rangeTests(),
		compareId: state.compareWith.get(),
		beta: state.beta(),
		logY: state.logY.get(),
		zoom: z[0] > 0 && z[1] > z[0] ? z : undefined,
		active: state.activeTab() === 'curve',
		theme: state.theme,
		when,
	};
}

const curveActions: CurveTabActions = {
	showChart: (chart) => {
		state.charts.loss = chart;
	},
	say,
	select: (id) => {
		state.selected.set(id);
		state.zoom.set(undefined);
		renderPanel();
	},
	toggleCompare: (id) => {
		state.compareWith.set(state.compareWith.get() === id ? '' : id);
		renderPanel();
	},
	zoomed: (zoom) => state.zoom.set(zoom),
};

/** Redraws the Range test tab. */
function showCurve(): void {
	state.destroyChart('loss');
	renderCurve(curveView(), curveActions);
}

function showSchedule(): void {
	const view: ScheduleTabView = {
		rangeTest: state.currentRangeTest(),
		saved: host.getState().designer,
	};
	renderSchedule(view, { say });
}

function showSweep(): void {
	state.destroyChart('sweep');
	const view: SweepTabView = { sweep: state.currentSweep(), theme: state.theme };
	renderSweep(view, {
		showChart: (chart) => {
			state.charts.sweep = chart;
		},
		say,
	});
}

/** Redraws the Live runs tab (also on each live delta). */
export function showLive(): void {
	state.destroyChart('live');
	const view: LiveTabView = {
		runs: state.model.live,
		run: state.currentLiveRun(),
		axis: state.liveAxisMode(),
		active: state.activeTab() === 'live',
		theme: state.theme,
	};
	renderLive(view, {
		showChart: (chart) => {
			state.charts.live = chart;
		},
	});
}

/** Builds the panel's DOM and wires its controls. */
export function buildPanel(): void {
	const header = el(
		'header',
		{ class: 'toolbar' },
		el(
			'div',
			{ class: 'field' },
			el('vscode-label', { for: 'result-select' }, 'Result'),
			panel.resultSelect,
		),
		el(
			'div',
			{ class: 'field' },
			el('vscode-label', { for: 'compare-select' }, 'Compare with'),
			panel.compareSelect,
		),
		el('div', { class: 'spacer' }),
		el('div', { class: 'button-row' }, panel.exportPng, panel.exportCsv),
	);
	for (const t of panelTabs) {
		panel.tabs.append(el('vscode-tab-header', { slot: 'header', 'data-tab': t }, tabLabels[t]));
		const p = el('vscode-tab-panel', { id: `panel-${t}` });
		panel.panels[t] = p;
		panel.tabs.append(p);
	}
	buildCurvePanel();
	panel.panels.schedule.append(panel.scheduleEmpty, panel.designerRoot);
	panel.panels.sweep.append(panel.sweep.empty, panel.sweep.chart, panel.sweep.table);
	buildLivePanel();
	state.app.replaceChildren(header, panel.tabs, state.summary);
	buildScheduleTab({
		theme: () => state.theme,
		save: (s) => host.setState({ ...host.getState(), designer: s }),
		copyCode: (code, what) => host.post({ type: MessageType.CopyCode, code, what }),
		trainWith: (spec, resultId) =>
			host.post({
				type: MessageType.TrainWithSchedule,
				spec,
				...(resultId ? { resultId } : {}),
			}),
	});
	wireToolbar();
	wireCurveControls();
	wireLiveControls();
}

function buildCurvePanel(): void {
	const c = panel.curve;
	const controls = el(
		'div',
		{ class: 'controls' },
		el('label', { for: 'beta', class: 'control-label' }, 'Smoothing β'),
		c.beta,
		c.betaValue,
		c.logY,
		c.resetZoom,
		el(
			'span',
			{ class: 'hint', id: 'beta-help' },
			'Drag across the chart to zoom, double-click to reset. β recomputes smoothing and suggestions.',
		),
	);
	panel.panels.curve.append(
		c.empty,
		c.cards,
		controls,
		c.chart,
		c.verify,
		c.notes,
		el('h2', {}, 'History'),
		c.history,
	);
}

function buildLivePanel(): void {
	const l = panel.live;
	panel.panels.live.append(
		l.empty,
		el(
			'div',
			{ class: 'toolbar' },
			el('div', { class: 'field' }, el('vscode-label', { for: 'live-select' }, 'Run'), l.select),
			el(
				'div',
				{ class: 'field field-narrow' },
				el('vscode-label', { for: 'live-axis' }, 'Loss axis'),
				l.axis,
			),
			l.status,
		),
		l.chart,
		l.findings,
		layersView.root,
	);
}

function wireToolbar(): void {
	panel.resultSelect.addEventListener('change', () => {
		const id = panel.resultSelect.value;
		state.selected.set(id);
		state.zoom.set(undefined);
		const r = state.model.results.find((x) => x.id === id);
		// Jump to the tab that shows this kind of result.
		if (r?.kind === 'sweep' && state.activeTab() !== 'sweep') {
			selectTab('sweep');
		} else if (r?.kind === 'rangeTest' && state.activeTab() === 'sweep') {
			selectTab('curve');
		}
		renderPanel();
	});
	panel.compareSelect.addEventListener('change', () => {
		state.compareWith.set(panel.compareSelect.value);
		showCurve();
	});
	panel.tabs.addEventListener('vsc-tabs-select', (e) => {
		const t = panelTabs[e.detail.selectedIndex] ?? 'curve';
		if (t !== state.activeTab()) {
			state.tab.set(t);
			// The tab panel becomes visible in the component's next update; charts need its width.
			requestAnimationFrame(() => renderActiveTab());
		}
	});
	panel.exportPng.addEventListener('click', () => void saveExport('png'));
	panel.exportCsv.addEventListener('click', () => void saveExport('csv'));
}

function wireCurveControls(): void {
	const c = panel.curve;
	let betaFrame = 0;
	c.beta.addEventListener('input', () => {
		state.betaSetting.set(Number(c.beta.value));
		c.betaValue.textContent = formatBeta(state.beta());
		// Recompute at most once per frame while the thumb is dragged.
		cancelAnimationFrame(betaFrame);
		betaFrame = requestAnimationFrame(() => showCurve());
	});
	c.logY.addEventListener('change', () => {
		state.logY.set(c.logY.checked);
		showCurve();
	});
	c.resetZoom.addEventListener('click', () => {
		state.zoom.set(undefined);
		state.charts.loss?.resetZoom();
	});
}

function wireLiveControls(): void {
	const l = panel.live;
	l.select.addEventListener('change', () => {
		state.liveRunId.set(l.select.value);
		showLive();
	});
	l.axis.addEventListener('change', () => {
		if (l.axis.value !== state.liveAxisMode()) {
			state.liveAxis.set(l.axis.value);
			showLive();
		}
	});
}

export function renderPanel(): void {
	state.app.setAttribute('aria-busy', 'false');
	const results = state.model.results;
	const sel = results.find((r) => r.id === state.selected.get()) ?? results[0];
	if (sel && sel.id !== state.selected.get()) {
		state.selected.set(sel.id);
	}
	fillSelect(
		panel.resultSelect,
		results.map((r) => ({
			value: r.id,
			label: `${r.kind === 'sweep' ? 'Sweep' : 'Range test'}: ${r.label}`,
			description: when(r.createdAt),
		})),
		sel?.id ?? '',
		'No results yet',
	);
	const current = state.currentRangeTest();
	const others = state.rangeTests().filter((r) => r.id !== current?.id);
	if (!others.some((r) => r.id === state.compareWith.get())) {
		state.compareWith.set('');
	}
	fillSelect(
		panel.compareSelect,
		[
			{ value: '', label: '(none)' },
			...others.map((r) => ({ value: r.id, label: r.label, description: when(r.createdAt) })),
		],
		state.compareWith.get(),
	);
	panel.compareSelect.toggleAttribute('disabled', others.length === 0);
	panel.tabs.selectedIndex = panelTabs.indexOf(state.activeTab());
	renderActiveTab();
}

function renderActiveTab(attempt = 0): void {
	// A just-selected tab panel is shown in the tabs component's next update; wait a few frames
	// for it, since charts size themselves from its width.
	if (panel.panels[state.activeTab()].offsetParent === null && attempt < 5) {
		requestAnimationFrame(() => renderActiveTab(attempt + 1));
		return;
	}
	for (const k of ['loss', 'sweep', 'live'] as const) {
		state.destroyChart(k);
	}
	hideScheduleTab();
	switch (state.activeTab()) {
		case 'curve':
			showCurve();
			break;
		case 'schedule':
			showSchedule();
			break;
		case 'sweep':
			showSweep();
			break;
		case 'live':
			showLive();
			break;
	}
}
