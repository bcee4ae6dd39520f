/** The Sweep tab: loss by epoch per learning rate, and the final losses as a table. */
import { formatLr } from '../../src/core/present/format';
import type { SweepResult } from '../../src/core/types';
import type { ResultView } from '../../src/shared/webviewProtocol';
import { sweepChart } from '../charts/sweepChart';
import { el } from '../dom';
import { fillEmpty, panel } from '../panelDom';
import type { ChartTheme } from '../theme';
import { buildSweepViewModel } from '../viewModels/sweepViewModel';
import type { TabOutput } from './tabOutput';

/** What the Sweep tab shows (built by the panel from its state). */
export interface SweepTabView {
	/** The selected sweep, else the newest one. */
	readonly sweep: (ResultView & { readonly sweep: SweepResult }) | undefined;
	readonly theme: ChartTheme;
}

/** Fills the Sweep tab (the panel has freed its previous chart). */
export function renderSweep(view: SweepTabView, out: TabOutput): void {
	const s = view.sweep;
	const p = panel.sweep;
	p.empty.hidden = s !== undefined;
	p.chart.hidden = s === undefined;
	p.table.hidden = s === undefined;
	if (!s) {
		fillEmpty(
			p.empty,
			'No sweeps yet.',
			'Run “LR Scope: Run LR Sweep” to train briefly at several LRs and compare their curves.',
		);
		out.say('No sweeps yet.');
		return;
	}
	const vm = buildSweepViewModel(s.sweep);
	out.showChart(sweepChart(p.chart, vm, view.theme));
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
	out.say(text);
}
