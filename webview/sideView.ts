/** The side view: the latest range test's headline, a mini curve, and a button to the panel. */
import { stopReasonText } from '../src/core/present/words';
import { MessageType } from '../src/shared/webviewProtocol';
import { miniChart } from './charts/miniChart';
import { el } from './dom';
import { state, when } from './panelState';
import { buildLossViewModel, rangeTestSummary } from './viewModels/lossViewModel';
import { host } from './vscodeApi';

const side = {
	title: el('p', { class: 'side-title', id: 'side-title' }),
	value: el('p', { class: 'side-value', id: 'side-headline' }),
	verdict: el('p', { class: 'side-verdict verdict', id: 'side-verdict', role: 'note' }),
	evidence: el('p', { class: 'side-verdict evidence', id: 'side-evidence' }),
	chart: el('div', { id: 'mini-chart', class: 'chart chart-mini', role: 'img' }),
	meta: el('p', { class: 'muted side-meta', id: 'side-meta' }),
	open: el('vscode-button', { id: 'open-panel' }, 'Open panel'),
};

export function buildSide(): void {
	state.app.replaceChildren(
		el(
			'div',
			{ class: 'side' },
			side.title,
			side.value,
			side.verdict,
			side.evidence,
			side.chart,
			side.meta,
			side.open,
		),
		state.summary,
	);
	side.open.addEventListener('click', () => {
		const r = state.rangeTests()[0];
		host.post({ type: MessageType.OpenPanel, ...(r ? { resultId: r.id } : {}) });
	});
}

export function renderSide(): void {
	state.app.setAttribute('aria-busy', 'false');
	state.destroyChart('mini');
	const r = state.rangeTests()[0];
	if (!r?.rangeTest) {
		side.title.textContent = 'No range tests yet.';
		side.value.textContent = '';
		side.verdict.hidden = true;
		side.evidence.hidden = true;
		side.meta.textContent = 'Run “LR Scope: Run LR Range Test” from the Command Palette.';
		side.chart.hidden = true;
		state.summary.textContent = 'No range tests yet.';
		return;
	}
	const vm = buildLossViewModel(r.rangeTest, state.beta());
	side.title.textContent = `${r.label} · ${when(r.createdAt)}`;
	side.value.replaceChildren(
		el('span', { class: 'muted' }, 'Suggested LR '),
		el('strong', { id: 'side-headline-value', 'data-headline': vm.headlineText }, vm.headlineText),
	);
	side.verdict.textContent = vm.verdict ?? '';
	side.verdict.hidden = vm.verdict === undefined;
	side.evidence.textContent = vm.evidence ?? '';
	side.evidence.hidden = vm.evidence === undefined;
	side.meta.textContent = `${stopReasonText[r.rangeTest.stopReason]} · ${r.rangeTest.backend.name}`;
	side.chart.hidden = false;
	state.charts.mini = miniChart(side.chart, vm, state.theme);
	const text = rangeTestSummary(r.label, r.rangeTest, vm);
	side.chart.setAttribute('aria-label', `Latest loss curve. ${text}`);
	state.summary.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Messages
