/**
 * Entry of the LR Scope webview bundle (dist/webview.js + dist/webview.css). One bundle serves both
 * surfaces: the panel (`body[data-surface=panel]`) and the compact side view (`side`). It renders
 * only what the host sent in the last snapshot plus live deltas, and persists only UI intent.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './layers.css';
// Only the components used, so the bundle stays small; they style themselves with constructable
// stylesheets (adoptedStyleSheets), which the CSP allows without 'unsafe-inline'.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { thinRecords } from '../src/core/liveRecords';
import type { RangeTestResult, SweepResult } from '../src/core/types';
import { suggestionNames } from '../src/core/types';
import { isToWebviewMessage } from '../src/shared/webviewGuards';
import type {
	ExportKind,
	FocusRequest,
	LiveRunView,
	PanelTab,
	ResultView,
	ToWebviewMessage,
	WebviewSurface,
} from '../src/shared/webviewProtocol';
import { MessageType, panelTabs } from '../src/shared/webviewProtocol';
import type { ChartHandle } from './chart';
import { liveChart, lossChart, miniChart, sweepChart } from './chart';
import { el, option } from './dom';
import { appendLayerSamples } from '../src/core/layers/series';
import { LayersView } from './layersView';
import { ScheduleDesigner } from './scheduleDesigner';
import type { ChartTheme } from './theme';
import { onThemeChange, readChartTheme } from './theme';
import { host, persisted } from './vscodeApi';
import type { LossAxisMode, LossViewModel } from './viewModel';
import {
	buildCompareSeries,
	buildLiveViewModel,
	buildLossViewModel,
	buildSweepViewModel,
	rangeTestSummary,
} from './viewModel';
import { headlineOf } from '../src/core/headline';
import { liveCsv, rangeTestCsv, sweepCsv } from '../src/core/present/csv';
import { formatLoss, formatLr, formatTick } from '../src/core/present/format';
import { headlineText } from '../src/core/present/headline';
import {
	agreementText,
	backendText,
	findingKindText,
	stopReasonText,
} from '../src/core/present/words';

/** Points a live run keeps in the view (the host's snapshots carry at most 20k). */
const maxViewRecords = 50_000;

const surface: WebviewSurface = document.body.dataset.surface === 'side' ? 'side' : 'panel';
const app = document.getElementById('app') as HTMLElement;

/** What the host sent last. */
const model = {
	results: [] as ResultView[],
	live: [] as LiveRunView[],
	defaultBeta: 0.98,
	loaded: false,
};
let theme: ChartTheme = readChartTheme();

const selected = persisted('selectedId', '');
const compareWith = persisted('compareId', '');
const tabState = persisted('tab', 'curve');
const betaState = persisted('beta', -1);
const logYState = persisted('logY', false);
const zoomState = persisted('zoom', [0, 0]);
const liveRunState = persisted('liveRunId', '');
const liveAxisState = persisted('liveLossAxis', 'auto');

const tabLabels: Record<PanelTab, string> = {
	curve: 'Range test',
	schedule: 'Schedule',
	sweep: 'Sweep',
	live: 'Live runs',
};
const tabTitles: Record<PanelTab, string> = {
	curve: 'LR range test',
	schedule: 'Schedule preview',
	sweep: 'LR sweep',
	live: 'Live run',
};

// ---------------------------------------------------------------------------------------------
// Selection helpers

function rangeTests(): ResultView[] {
	return model.results.filter((r) => r.kind === 'rangeTest' && r.rangeTest);
}

function sweeps(): ResultView[] {
	return model.results.filter((r) => r.kind === 'sweep' && r.sweep);
}

/** The selected result if it is a range test, else the newest range test. */
function currentRangeTest(): (ResultView & { rangeTest: RangeTestResult }) | undefined {
	const sel = model.results.find((r) => r.id === selected.get());
	const r = sel?.rangeTest ? sel : rangeTests()[0];
	return r as (ResultView & { rangeTest: RangeTestResult }) | undefined;
}

/** The selected result if it is a sweep, else the newest sweep. */
function currentSweep(): (ResultView & { sweep: SweepResult }) | undefined {
	const sel = model.results.find((r) => r.id === selected.get());
	const r = sel?.sweep ? sel : sweeps()[0];
	return r as (ResultView & { sweep: SweepResult }) | undefined;
}

function currentLiveRun(): LiveRunView | undefined {
	return model.live.find((r) => r.id === liveRunState.get()) ?? model.live[model.live.length - 1];
}

function liveAxisMode(): LossAxisMode {
	const m = liveAxisState.get();
	return m === 'linear' || m === 'log' ? m : 'auto';
}

function beta(): number {
	const b = betaState.get();
	return b >= 0 && b < 1 ? b : model.defaultBeta;
}

function activeTab(): PanelTab {
	const t = tabState.get();
	return (panelTabs as readonly string[]).includes(t) ? (t as PanelTab) : 'curve';
}

function when(ms: number): string {
	const d = new Date(ms);
	return d.toLocaleString(undefined, {
		month: 'short',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
	});
}

/** File-name-safe slug of a label (the host only accepts plain names). */
function slug(label: string): string {
	return (
		label
			.replace(/[^A-Za-z0-9._-]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'result'
	);
}

// ---------------------------------------------------------------------------------------------
// Panel DOM (built once; parts are refreshed)

const charts: Partial<Record<'loss' | 'sweep' | 'live' | 'mini', ChartHandle>> = {};

function destroyChart(key: keyof typeof charts): void {
	charts[key]?.destroy();
	delete charts[key];
}

const summary = el('div', {
	id: 'summary',
	class: 'sr-only',
	role: 'status',
	'aria-live': 'polite',
});

const panel = {
	resultSelect: el('vscode-single-select', { id: 'result-select', 'aria-label': 'Result' }),
	compareSelect: el('vscode-single-select', { id: 'compare-select', 'aria-label': 'Compare with' }),
	exportPng: el(
		'vscode-button',
		{ id: 'export-png', secondary: '', title: 'Save the current chart as a PNG image' },
		'Export PNG',
	),
	exportCsv: el(
		'vscode-button',
		{ id: 'export-csv', secondary: '', title: 'Save the current data as CSV' },
		'Export CSV',
	),
	tabs: el('vscode-tabs', { id: 'tabs' }),
	panels: {} as Record<PanelTab, HTMLElement>,
	curve: {
		cards: el('section', { class: 'cards', id: 'curve-cards', 'aria-label': 'Suggestions' }),
		beta: el('input', {
			id: 'beta',
			type: 'range',
			min: '0',
			max: '0.995',
			step: '0.005',
			'aria-describedby': 'beta-help',
		}),
		betaValue: el('output', { id: 'beta-value', for: 'beta' }),
		logY: el('vscode-checkbox', { id: 'log-y', label: 'Log loss axis' }),
		resetZoom: el('vscode-button', { id: 'reset-zoom', secondary: '' }, 'Reset zoom'),
		chart: el('div', { id: 'loss-chart', class: 'chart', role: 'img' }),
		notes: el('ul', { id: 'curve-notes', class: 'notes' }),
		history: el('div', { id: 'history', class: 'history' }),
		empty: el('div', { class: 'empty', id: 'curve-empty' }),
	},
	designerRoot: el('div', { id: 'designer', class: 'designer' }),
	scheduleEmpty: el('div', { class: 'empty' }),
	sweep: {
		chart: el('div', { id: 'sweep-chart', class: 'chart', role: 'img' }),
		table: el('div', { id: 'sweep-table' }),
		empty: el('div', { class: 'empty' }),
	},
	live: {
		select: el('vscode-single-select', { id: 'live-select', 'aria-label': 'Live run' }),
		axis: el('vscode-single-select', { id: 'live-axis', 'aria-label': 'Loss axis' }),
		status: el('p', { id: 'live-status', class: 'muted' }),
		chart: el('div', { id: 'live-chart', class: 'chart', role: 'img' }),
		findings: el('ul', { id: 'live-findings', class: 'findings' }),
		empty: el('div', { class: 'empty' }),
	},
};

let designer: ScheduleDesigner | undefined;
/** The Live tab's Layers section (issue 15; its own files). */
const layersView = new LayersView();

function buildPanel(): void {
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
		c.notes,
		el('h2', {}, 'History'),
		c.history,
	);
	panel.panels.schedule.append(panel.scheduleEmpty, panel.designerRoot);
	panel.panels.sweep.append(panel.sweep.empty, panel.sweep.chart, panel.sweep.table);
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
	app.replaceChildren(header, panel.tabs, summary);

	designer = new ScheduleDesigner(
		panel.designerRoot,
		() => theme,
		(s) => host.setState({ ...host.getState(), designer: s }),
		(code, what) => host.post({ type: MessageType.CopyCode, code, what }),
		(spec, resultId) =>
			host.post({
				type: MessageType.TrainWithSchedule,
				spec,
				...(resultId ? { resultId } : {}),
			}),
	);

	panel.resultSelect.addEventListener('change', () => {
		const id = panel.resultSelect.value;
		selected.set(id);
		zoomState.set(undefined);
		const r = model.results.find((x) => x.id === id);
		// Jump to the tab that shows this kind of result.
		if (r?.kind === 'sweep' && activeTab() !== 'sweep') {
			selectTab('sweep');
		} else if (r?.kind === 'rangeTest' && activeTab() === 'sweep') {
			selectTab('curve');
		}
		renderPanel();
	});
	panel.compareSelect.addEventListener('change', () => {
		compareWith.set(panel.compareSelect.value);
		renderCurve();
	});
	panel.tabs.addEventListener('vsc-tabs-select', (e) => {
		const t = panelTabs[e.detail.selectedIndex] ?? 'curve';
		if (t !== activeTab()) {
			tabState.set(t);
			// The tab panel becomes visible in the component's next update; charts need its width.
			requestAnimationFrame(() => renderActiveTab());
		}
	});
	let betaFrame = 0;
	c.beta.addEventListener('input', () => {
		betaState.set(Number(c.beta.value));
		c.betaValue.textContent = beta().toFixed(3);
		// Recompute at most once per frame while the thumb is dragged.
		cancelAnimationFrame(betaFrame);
		betaFrame = requestAnimationFrame(() => renderCurve());
	});
	c.logY.addEventListener('change', () => {
		logYState.set(c.logY.checked);
		renderCurve();
	});
	c.resetZoom.addEventListener('click', () => {
		zoomState.set(undefined);
		charts.loss?.resetZoom();
	});
	panel.exportPng.addEventListener('click', () => saveExport('png'));
	panel.exportCsv.addEventListener('click', () => saveExport('csv'));
	l.select.addEventListener('change', () => {
		liveRunState.set(l.select.value);
		renderLive();
	});
	l.axis.addEventListener('change', () => {
		if (l.axis.value !== liveAxisMode()) {
			liveAxisState.set(l.axis.value);
			renderLive();
		}
	});
}

function selectTab(t: PanelTab): void {
	tabState.set(t);
	panel.tabs.selectedIndex = panelTabs.indexOf(t);
}

function renderPanel(): void {
	app.setAttribute('aria-busy', 'false');
	const results = model.results;
	const sel = results.find((r) => r.id === selected.get()) ?? results[0];
	if (sel && sel.id !== selected.get()) {
		selected.set(sel.id);
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
	const current = currentRangeTest();
	const others = rangeTests().filter((r) => r.id !== current?.id);
	if (!others.some((r) => r.id === compareWith.get())) {
		compareWith.set('');
	}
	fillSelect(
		panel.compareSelect,
		[
			{ value: '', label: '(none)' },
			...others.map((r) => ({ value: r.id, label: r.label, description: when(r.createdAt) })),
		],
		compareWith.get(),
	);
	panel.compareSelect.toggleAttribute('disabled', others.length === 0);
	panel.tabs.selectedIndex = panelTabs.indexOf(activeTab());
	renderActiveTab();
}

function fillSelect(
	select: HTMLElement & { value: string },
	options: { value: string; label: string; description?: string }[],
	value: string,
	emptyLabel = '',
): void {
	const signature = JSON.stringify([options, value]);
	if (select.dataset.signature === signature) {
		return;
	}
	select.dataset.signature = signature;
	select.replaceChildren(
		...(options.length ? options : [{ value: '', label: emptyLabel }]).map((o) =>
			option(o.value, o.label, o.description, o.value === value),
		),
	);
	select.toggleAttribute('disabled', options.length === 0);
	// vscode-single-select picks up new options asynchronously; set the value after they are slotted.
	queueMicrotask(() => {
		select.value = value;
	});
}

function renderActiveTab(attempt = 0): void {
	// A just-selected tab panel is shown in the tabs component's next update; wait a few frames
	// for it, since charts size themselves from its width.
	if (panel.panels[activeTab()].offsetParent === null && attempt < 5) {
		requestAnimationFrame(() => renderActiveTab(attempt + 1));
		return;
	}
	for (const k of ['loss', 'sweep', 'live'] as const) {
		destroyChart(k);
	}
	designer?.destroy();
	switch (activeTab()) {
		case 'curve':
			renderCurve();
			break;
		case 'schedule':
			renderSchedule();
			break;
		case 'sweep':
			renderSweep();
			break;
		case 'live':
			renderLive();
			break;
	}
}

function renderCurve(): void {
	const c = panel.curve;
	const r = currentRangeTest();
	c.betaValue.textContent = beta().toFixed(3);
	c.beta.value = String(beta());
	c.logY.checked = logYState.get();
	renderHistory(r?.id);
	const hasResult = r !== undefined;
	for (const node of [c.cards, c.chart, c.notes, c.beta.parentElement as HTMLElement]) {
		node.hidden = !hasResult;
	}
	destroyChart('loss');
	if (!r) {
		c.empty.hidden = false;
		c.empty.replaceChildren(
			el('p', {}, 'No range tests in this workspace yet.'),
			el(
				'p',
				{ class: 'muted' },
				'Run “LR Scope: Run LR Range Test” from the Command Palette; the curve and suggestions appear here.',
			),
		);
		summary.textContent = 'No range tests yet.';
		return;
	}
	c.empty.hidden = true;
	const vm = buildLossViewModel(r.rangeTest, beta());
	renderCards(r, vm);
	const cmp = rangeTests().find((x) => x.id === compareWith.get() && x.id !== r.id);
	const compare = cmp?.rangeTest ? buildCompareSeries(cmp.label, cmp.rangeTest, beta()) : null;
	const z = zoomState.get();
	const text = rangeTestSummary(r.label, r.rangeTest, vm);
	c.chart.setAttribute('aria-label', `Loss versus learning rate chart. ${text}`);
	if (activeTab() === 'curve' && c.chart.offsetParent !== null) {
		charts.loss = lossChart(c.chart, vm, compare, theme, {
			logY: logYState.get(),
			zoom: z[0] > 0 && z[1] > z[0] ? z : undefined,
			onZoom: (zoom) => zoomState.set(zoom),
		});
	}
	c.notes.replaceChildren(...r.rangeTest.notes.map((n) => el('li', {}, n)));
	summary.textContent = text;
}

function renderCards(r: ResultView & { rangeTest: RangeTestResult }, vm: LossViewModel): void {
	const t = r.rangeTest;
	const c = vm.report.consensus;
	const a = vm.report.agreement;
	// The headline (core/headline.ts) in the words every surface uses; its verdict when not clear.
	const headline = el(
		'div',
		{ class: 'card card-main', id: 'headline-card' },
		el('div', { class: 'card-label' }, 'Suggested LR'),
		// The text is exactly headlineText; the rule part is set smaller so the LR stays on one line.
		// `data-headline`: the stable hook the UI tests read (the same string on every surface).
		el(
			'div',
			{ class: 'card-value', id: 'headline-value', 'data-headline': vm.headlineText },
			...splitHeadline(vm.headlineText),
		),
		vm.verdict
			? el('div', { class: 'card-sub verdict', id: 'headline-verdict', role: 'note' }, vm.verdict)
			: el('div', { class: 'card-sub' }, c ? agreementText(a) : 'Too few finite points'),
	);
	const list = el('dl', { class: 'suggestions' });
	for (const n of suggestionNames) {
		const s = vm.report.suggestions[n];
		list.append(
			el('dt', { class: `swatch swatch-${n}` }, n),
			el('dd', { 'data-suggestion': n }, s ? formatLr(s.lr) : '—'),
		);
	}
	list.append(
		el('dt', { class: 'swatch swatch-consensus' }, 'consensus'),
		el('dd', { 'data-suggestion': 'consensus' }, c ? formatLr(c.lr) : '—'),
	);
	const spread =
		t.spread && t.spread.runs > 1 && vm.band
			? `${formatLr(vm.band[0])} – ${formatLr(vm.band[1])} over ${t.spread.runs} repeats`
			: vm.band
				? `${formatLr(vm.band[0])} – ${formatLr(vm.band[1])} across rules`
				: '—';
	const stopped = `${stopReasonText[t.stopReason]}${t.stopReason !== 'completed' && vm.stopLr !== null ? ` at ${formatLr(vm.stopLr)}` : ''}`;
	const facts = el(
		'dl',
		{ class: 'facts' },
		el('dt', {}, 'Spread'),
		el('dd', { id: 'spread-value' }, spread),
		el('dt', {}, 'Run'),
		el('dd', { id: 'stop-reason' }, `${stopped}; ${t.lrs.length}/${t.steps} steps`),
		el('dt', {}, 'Backend'),
		el('dd', { id: 'backend', title: t.backend.reason }, backendText(t.backend)),
		el('dt', {}, 'Model'),
		el('dd', {}, `${t.model.name} · ${t.model.optimizer} · ${t.model.loss} · batch ${t.batchSize}`),
	);
	panel.curve.cards.replaceChildren(
		headline,
		el('div', { class: 'card' }, el('div', { class: 'card-label' }, 'Suggestions'), list),
		el('div', { class: 'card card-wide' }, facts),
	);
}

/** `3e-3 (valley)` → the LR and, in a smaller span, ` (valley)`; the text content is unchanged. */
function splitHeadline(text: string): (Node | string)[] {
	const cut = text.indexOf(' (');
	return cut < 0
		? [text]
		: [text.slice(0, cut), el('span', { class: 'card-value-rule' }, text.slice(cut))];
}

function renderHistory(currentId: string | undefined): void {
	const list = el('ul', { class: 'history-list' });
	for (const r of rangeTests()) {
		const t = r.rangeTest as RangeTestResult;
		const isCurrent = r.id === currentId;
		const open = el(
			'button',
			{ class: 'link', type: 'button', 'aria-current': isCurrent ? 'true' : 'false' },
			r.label,
		);
		open.addEventListener('click', () => {
			selected.set(r.id);
			zoomState.set(undefined);
			renderPanel();
		});
		const cmp = el(
			'button',
			{ class: 'link secondary', type: 'button' },
			compareWith.get() === r.id ? 'Comparing' : 'Compare',
		);
		cmp.toggleAttribute('disabled', isCurrent);
		cmp.addEventListener('click', () => {
			compareWith.set(compareWith.get() === r.id ? '' : r.id);
			renderPanel();
		});
		list.append(
			el(
				'li',
				{ class: isCurrent ? 'current' : '' },
				open,
				el(
					'span',
					{ class: 'muted' },
					` ${when(r.createdAt)} · ${headlineText(headlineOf(t))} · ${stopReasonText[t.stopReason]}`,
				),
				cmp,
			),
		);
	}
	panel.curve.history.replaceChildren(
		list.children.length ? list : el('p', { class: 'muted' }, 'No earlier tests.'),
	);
}

function renderSchedule(): void {
	const r = currentRangeTest();
	panel.scheduleEmpty.hidden = r !== undefined;
	panel.scheduleEmpty.replaceChildren(
		el(
			'p',
			{ class: 'muted' },
			'No range test yet: the designer starts from a generic cosine decay.',
		),
	);
	const saved = host.getState().designer;
	designer?.show(r?.id ?? 'none', r?.rangeTest, saved);
	summary.textContent = r ? `Schedule designer for ${r.label}.` : 'Schedule designer.';
}

function renderSweep(): void {
	const s = currentSweep();
	const p = panel.sweep;
	p.empty.hidden = s !== undefined;
	p.chart.hidden = s === undefined;
	p.table.hidden = s === undefined;
	destroyChart('sweep');
	if (!s) {
		p.empty.replaceChildren(
			el('p', {}, 'No sweeps yet.'),
			el(
				'p',
				{ class: 'muted' },
				'Run “LR Scope: Run LR Sweep” to train briefly at several LRs and compare their curves.',
			),
		);
		summary.textContent = 'No sweeps yet.';
		return;
	}
	const vm = buildSweepViewModel(s.sweep);
	charts.sweep = sweepChart(p.chart, vm, theme);
	const table = el(
		'table',
		{ class: 'table' },
		el('caption', { class: 'sr-only' }, 'Final losses per learning rate'),
	);
	table.append(
		el(
			'thead',
			{},
			el(
				'tr',
				{},
				el('th', { scope: 'col' }, 'LR'),
				el('th', { scope: 'col' }, 'Final loss'),
				el('th', { scope: 'col' }, 'Final val loss'),
			),
		),
	);
	const body = el('tbody');
	for (const row of vm.rows) {
		body.append(
			el(
				'tr',
				{ class: row.best ? 'best' : '' },
				el('td', {}, row.lr + (row.best ? ' ★ best' : '')),
				el('td', {}, row.finalLoss),
				el('td', {}, row.finalValLoss),
			),
		);
	}
	table.append(body);
	p.table.replaceChildren(table);
	const best = s.sweep.best ? formatLr(s.sweep.best.lr) : 'none';
	const text = `Sweep ${s.label}: ${vm.curves.length} learning rates over ${s.sweep.epochs} epochs; best ${best}.`;
	p.chart.setAttribute('aria-label', `Loss by epoch for each learning rate. ${text}`);
	summary.textContent = text;
}

function renderLive(): void {
	const l = panel.live;
	const run = currentLiveRun();
	fillSelect(
		l.select,
		model.live.map((r) => ({ value: r.id, label: r.label, description: r.status })),
		run?.id ?? '',
		'No live runs',
	);
	l.empty.hidden = run !== undefined;
	l.chart.hidden = run === undefined;
	destroyChart('live');
	if (!run) {
		layersView.render(undefined, theme);
		l.status.textContent = '';
		l.findings.replaceChildren();
		l.empty.replaceChildren(
			el('p', {}, 'No watched runs.'),
			el(
				'p',
				{ class: 'muted' },
				'Monitor a training script or watch a log file; loss, validation loss and LR stream here with warnings marked.',
			),
		);
		return;
	}
	const mode = liveAxisMode();
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
	if (activeTab() === 'live' && l.chart.offsetParent !== null) {
		charts.live = liveChart(l.chart, vm, theme);
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
	layersView.render(run, theme);
}

// ---------------------------------------------------------------------------------------------
// Side view

const side = {
	title: el('p', { class: 'side-title', id: 'side-title' }),
	value: el('p', { class: 'side-value', id: 'side-headline' }),
	verdict: el('p', { class: 'side-verdict verdict', id: 'side-verdict', role: 'note' }),
	chart: el('div', { id: 'mini-chart', class: 'chart chart-mini', role: 'img' }),
	meta: el('p', { class: 'muted side-meta', id: 'side-meta' }),
	open: el('vscode-button', { id: 'open-panel' }, 'Open panel'),
};

function buildSide(): void {
	app.replaceChildren(
		el(
			'div',
			{ class: 'side' },
			side.title,
			side.value,
			side.verdict,
			side.chart,
			side.meta,
			side.open,
		),
		summary,
	);
	side.open.addEventListener('click', () => {
		const r = rangeTests()[0];
		host.post({ type: MessageType.OpenPanel, ...(r ? { resultId: r.id } : {}) });
	});
}

function renderSide(): void {
	app.setAttribute('aria-busy', 'false');
	destroyChart('mini');
	const r = rangeTests()[0];
	if (!r?.rangeTest) {
		side.title.textContent = 'No range tests yet.';
		side.value.textContent = '';
		side.verdict.hidden = true;
		side.meta.textContent = 'Run “LR Scope: Run LR Range Test” from the Command Palette.';
		side.chart.hidden = true;
		summary.textContent = 'No range tests yet.';
		return;
	}
	const vm = buildLossViewModel(r.rangeTest, beta());
	side.title.textContent = `${r.label} · ${when(r.createdAt)}`;
	side.value.replaceChildren(
		el('span', { class: 'muted' }, 'Suggested LR '),
		el('strong', { id: 'side-headline-value', 'data-headline': vm.headlineText }, vm.headlineText),
	);
	side.verdict.textContent = vm.verdict ?? '';
	side.verdict.hidden = vm.verdict === undefined;
	side.meta.textContent = `${stopReasonText[r.rangeTest.stopReason]} · ${r.rangeTest.backend.name}`;
	side.chart.hidden = false;
	charts.mini = miniChart(side.chart, vm, theme);
	const text = rangeTestSummary(r.label, r.rangeTest, vm);
	side.chart.setAttribute('aria-label', `Latest loss curve. ${text}`);
	summary.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Messages

function render(): void {
	if (surface === 'side') {
		renderSide();
	} else {
		renderPanel();
	}
}

function applyFocus(f: FocusRequest | undefined): void {
	if (!f) {
		return;
	}
	if (f.resultId && model.results.some((r) => r.id === f.resultId)) {
		selected.set(f.resultId);
		zoomState.set(undefined);
	}
	// A live run's id selects it on the Live tab (warnings' "Show curves").
	if (f.resultId && model.live.some((r) => r.id === f.resultId)) {
		liveRunState.set(f.resultId);
	}
	if (f.tab && surface === 'panel') {
		selectTab(f.tab);
	}
}

let liveFrame = 0;
let lastLiveAnnouncement = 0;

function onMessage(m: ToWebviewMessage): void {
	switch (m.type) {
		case MessageType.Snapshot:
			model.results = m.results;
			model.live = m.live;
			model.defaultBeta = m.defaultBeta;
			model.loaded = true;
			applyFocus(m.focus);
			render();
			return;
		case MessageType.Focus:
			applyFocus(m);
			render();
			return;
		case MessageType.LiveAppend: {
			const run = model.live.find((r) => r.id === m.runId);
			if (!run) {
				return;
			}
			// A loop, not push(...): spreading a large batch throws RangeError. The view keeps at
			// most ~2 × maxViewRecords points; the chart decimates to the canvas width anyway.
			for (const r of m.records) {
				run.records.push(r);
			}
			for (const f of m.findings) {
				run.findings.push(f);
			}
			if (run.records.length > 2 * maxViewRecords) {
				run.records = thinRecords(run.records, maxViewRecords);
			}
			if (m.layers) {
				appendLayerSamples((run.layers ??= []), m.layers);
			}
			if (surface === 'panel' && activeTab() === 'live' && currentLiveRun()?.id === run.id) {
				cancelAnimationFrame(liveFrame);
				liveFrame = requestAnimationFrame(() => renderLive());
				// Screen readers get at most one live update every 5 s, plus every new finding.
				const now = Date.now();
				if (m.findings.length || now - lastLiveAnnouncement > 5000) {
					lastLiveAnnouncement = now;
					summary.textContent = m.findings.length
						? `${run.label}: ${m.findings.map((f) => f.message).join('; ')}`
						: `${run.label}: ${panel.live.status.textContent ?? ''}`;
				}
			}
			return;
		}
		case MessageType.ExportRequest: {
			const answer = exportData(m.kind);
			host.post(
				'data' in answer
					? {
							type: MessageType.ExportResponse,
							requestId: m.requestId,
							kind: m.kind,
							ok: true,
							data: answer.data,
						}
					: {
							type: MessageType.ExportResponse,
							requestId: m.requestId,
							kind: m.kind,
							ok: false,
							error: answer.error,
						},
			);
			return;
		}
		default:
			assertNever(m);
	}
}

/** PNG (base64) or CSV text of what the active tab shows. */
function exportData(kind: ExportKind): { data: string; name: string } | { error: string } {
	const tab = surface === 'side' ? 'curve' : activeTab();
	try {
		if (kind === 'png') {
			const chart =
				surface === 'side'
					? charts.mini
					: tab === 'curve'
						? charts.loss
						: tab === 'sweep'
							? charts.sweep
							: tab === 'live'
								? charts.live
								: undefined;
			const title =
				tab === 'curve'
					? currentRangeTest()?.label
					: tab === 'sweep'
						? currentSweep()?.label
						: tab === 'live'
							? currentLiveRun()?.label
							: undefined;
			if (tab === 'schedule') {
				const canvas = document.querySelector<HTMLCanvasElement>('#schedule-chart canvas');
				return canvas
					? { data: canvas.toDataURL('image/png').split(',')[1] ?? '', name: 'lr-schedule.png' }
					: { error: 'no schedule preview to export' };
			}
			if (!chart) {
				return { error: `nothing to export on the ${tabLabels[tab]} tab` };
			}
			return {
				data: chart.toPng(`LR Scope — ${tabTitles[tab]}: ${title ?? ''}`),
				name: `lrscope-${tab}-${slug(title ?? 'chart')}.png`,
			};
		}
		if (tab === 'sweep') {
			const s = currentSweep();
			return s
				? { data: sweepCsv(s.sweep), name: `lrscope-sweep-${slug(s.label)}.csv` }
				: { error: 'no sweep to export' };
		}
		if (tab === 'live') {
			const r = currentLiveRun();
			return r
				? { data: liveCsv(r.records), name: `lrscope-live-${slug(r.label)}.csv` }
				: { error: 'no live run to export' };
		}
		const r = currentRangeTest();
		return r
			? { data: rangeTestCsv(r.rangeTest, beta()), name: `lrscope-range-test-${slug(r.label)}.csv` }
			: { error: 'no range test to export' };
	} catch (err) {
		return { error: `export failed: ${err instanceof Error ? err.message : String(err)}` };
	}
}

function saveExport(kind: ExportKind): void {
	const answer = exportData(kind);
	if ('error' in answer) {
		summary.textContent = `Cannot export: ${answer.error}.`;
		return;
	}
	host.post({ type: MessageType.SaveExport, kind, data: answer.data, suggestedName: answer.name });
}

function assertNever(x: never): never {
	throw new Error(`unhandled message ${JSON.stringify(x)}`);
}

function reportError(message: string): void {
	host.post({ type: MessageType.ReportError, message: message.slice(0, 2000) });
}

window.addEventListener('error', (e) => reportError(`${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) =>
	reportError(`unhandled rejection: ${String(e.reason)}`),
);
window.addEventListener('message', (e: MessageEvent<unknown>) => {
	if (!isToWebviewMessage(e.data)) {
		reportError(
			`dropped a malformed host message: ${JSON.stringify(e.data)?.slice(0, 200) ?? String(e.data)}`,
		);
		return;
	}
	try {
		onMessage(e.data);
	} catch (err) {
		reportError(err instanceof Error ? (err.stack ?? err.message) : String(err));
	}
});

onThemeChange(() => {
	theme = readChartTheme();
	if (model.loaded) {
		render();
	}
});

if (surface === 'side') {
	buildSide();
} else {
	buildPanel();
}
// The listener is attached: ask for the snapshot (STYLE 26).
host.post({ type: MessageType.Ready, surface });
