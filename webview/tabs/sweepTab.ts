/** The Sweep tab: loss by epoch per learning rate, and the final losses as a table. */
import { formatLr } from '../../src/core/present/format';
import { sweepChart } from '../charts/sweepChart';
import { el } from '../dom';
import { fillEmpty, panel } from '../panelDom';
import { charts, currentSweep, destroyChart, look, summary } from '../panelState';
import { buildSweepViewModel } from '../viewModels/sweepViewModel';

export function renderSweep(): void {
	const s = currentSweep();
	const p = panel.sweep;
	p.empty.hidden = s !== undefined;
	p.chart.hidden = s === undefined;
	p.table.hidden = s === undefined;
	destroyChart('sweep');
	if (!s) {
		fillEmpty(
			p.empty,
			'No sweeps yet.',
			'Run “LR Scope: Run LR Sweep” to train briefly at several LRs and compare their curves.',
		);
		summary.textContent = 'No sweeps yet.';
		return;
	}
	const vm = buildSweepViewModel(s.sweep);
	charts.sweep = sweepChart(p.chart, vm, look.theme);
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
