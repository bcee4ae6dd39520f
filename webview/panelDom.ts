/** The panel's DOM (built once; the tabs refresh their parts), tab names, and select filling. */
import type { PanelTab } from '../src/shared/webviewProtocol';
import { panelTabs } from '../src/shared/webviewProtocol';
import { el, option } from './dom';
import { state } from './panelState';

export const tabLabels: Record<PanelTab, string> = {
	curve: 'Range test',
	schedule: 'Schedule',
	sweep: 'Sweep',
	live: 'Live runs',
};
export const tabTitles: Record<PanelTab, string> = {
	curve: 'LR range test',
	schedule: 'Schedule preview',
	sweep: 'LR sweep',
	live: 'Live run',
};

export const panel = {
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
		verify: el('section', { id: 'verify-section', class: 'verify', hidden: '' }),
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

export function selectTab(t: PanelTab): void {
	state.tab.set(t);
	panel.tabs.selectedIndex = panelTabs.indexOf(t);
}

export function fillSelect(
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

/** A tab's empty state: what is missing, and (muted) how to get it. */
export function fillEmpty(empty: HTMLElement, what: string, how: string): void {
	empty.replaceChildren(el('p', {}, what), el('p', { class: 'muted' }, how));
}
