/** The Range test tab: suggestion cards, β and zoom controls, the loss chart, notes, history. */
import { formatBeta, formatLr } from '../../src/core/present/format';
import { headlineText } from '../../src/core/present/headline';
import { agreementText, backendText, stopReasonText } from '../../src/core/present/words';
import type { BackendInfo, LoadedRangeTest } from '../../src/core/types';
import { suggestionNames } from '../../src/core/types';
import type { ResultView } from '../../src/shared/webviewProtocol';
import { lossChart } from '../charts/lossChart';
import { renderVerification } from './verifySection';
import { el } from '../dom';
import { fillEmpty, panel } from '../panelDom';
import type { ChartTheme } from '../theme';
import type { LossViewModel } from '../viewModels/lossViewModel';
import {
	buildCompareSeries,
	buildLossViewModel,
	rangeTestSummary,
} from '../viewModels/lossViewModel';
import type { TabOutput } from './tabOutput';

type RangeTestView = ResultView & { readonly rangeTest: LoadedRangeTest };

/** What the Range test tab shows (built by the panel from its state). */
export interface CurveTabView {
	/** The selected range test, else the newest one. */
	readonly rangeTest: RangeTestView | undefined;
	/** Every range test, newest first (the history list). */
	readonly history: readonly ResultView[];
	/** The range test compared with, if any (its id; '' for none). */
	readonly compareId: string;
	readonly beta: number;
	readonly logY: boolean;
	/** The loss chart's LR window, if zoomed. */
	readonly zoom: [number, number] | undefined;
	/** Whether the Range test tab is the one shown (the chart is drawn only then). */
	readonly active: boolean;
	readonly theme: ChartTheme;
	/** When a result was made, in the panel's words. */
	when(ms: number): string;
}

/** What the Range test tab asks of the panel, beyond its chart and summary. */
export interface CurveTabActions extends TabOutput {
	/** A history entry was opened. */
	select(id: string): void;
	/** A history entry's Compare button was pressed. */
	toggleCompare(id: string): void;
	/** The user zoomed the loss chart (undefined: reset). */
	zoomed(zoom: [number, number] | undefined): void;
}

/** Fills the Range test tab (the panel has freed its previous chart). */
export function renderCurve(view: CurveTabView, act: CurveTabActions): void {
	const c = panel.curve;
	const r = view.rangeTest;
	c.betaValue.textContent = formatBeta(view.beta);
	c.beta.value = String(view.beta);
	c.logY.checked = view.logY;
	renderHistory(view, act);
	const hasResult = r !== undefined;
	for (const node of [c.cards, c.chart, c.notes, c.beta.parentElement as HTMLElement]) {
		node.hidden = !hasResult;
	}
	renderVerification(c.verify, r?.rangeTest.report.headline.verified, view.theme);
	if (!r) {
		c.empty.hidden = false;
		fillEmpty(
			c.empty,
			'No range tests in this workspace yet.',
			'Run “LR Scope: Run LR Range Test” from the Command Palette; the curve and suggestions appear here.',
		);
		act.say('No range tests yet.');
		return;
	}
	c.empty.hidden = true;
	const vm = buildLossViewModel(r.rangeTest, view.beta);
	renderCards(r, vm);
	const cmp = view.history.find((x) => x.id === view.compareId && x.id !== r.id);
	const compare = cmp?.rangeTest ? buildCompareSeries(cmp.label, cmp.rangeTest, view.beta) : null;
	const text = rangeTestSummary(r.label, r.rangeTest, vm);
	c.chart.setAttribute('aria-label', `Loss versus learning rate chart. ${text}`);
	if (view.active && c.chart.offsetParent !== null) {
		act.showChart(
			lossChart(c.chart, vm, compare, view.theme, {
				logY: view.logY,
				zoom: view.zoom,
				onZoom: (zoom) => act.zoomed(zoom),
			}),
		);
	}
	c.notes.replaceChildren(...r.rangeTest.notes.map((n) => el('li', {}, n)));
	act.say(text);
}

function renderCards(r: RangeTestView, vm: LossViewModel): void {
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
		// Under the value: a verified headline's evidence, else the verdict, else the rules' agreement.
		vm.evidence
			? el('div', { class: 'card-sub evidence', id: 'headline-evidence' }, vm.evidence)
			: vm.verdict
				? el('div', { class: 'card-sub verdict', id: 'headline-verdict', role: 'note' }, vm.verdict)
				: el('div', { class: 'card-sub' }, c ? agreementText(a) : 'Too few finite points'),
		vm.headlineBasis
			? el('div', { class: 'card-sub', id: 'headline-basis' }, vm.headlineBasis)
			: '',
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
		backendFact(t.backend),
		el('dt', {}, 'Model'),
		el('dd', {}, `${t.model.name} · ${t.model.optimizer} · ${t.model.loss} · batch ${t.batchSize}`),
	);
	// A redraw (theme change, β, a new result) keeps the "why" open if the user opened it.
	const whyOpen = panel.curve.cards.querySelector('details.why')?.hasAttribute('open') ?? false;
	facts.querySelector('details.why')?.toggleAttribute('open', whyOpen);
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
		: [text.slice(0, cut), ' ', el('span', { class: 'card-value-rule' }, text.slice(cut + 1))];
}

function renderHistory(view: CurveTabView, act: CurveTabActions): void {
	const currentId = view.rangeTest?.id;
	const list = el('ul', { class: 'history-list' });
	for (const r of view.history) {
		const t = r.rangeTest as LoadedRangeTest;
		const isCurrent = r.id === currentId;
		const open = el(
			'button',
			{ class: 'link', type: 'button', 'aria-current': isCurrent ? 'true' : 'false' },
			r.label,
		);
		open.addEventListener('click', () => act.select(r.id));
		const cmp = el(
			'button',
			{ class: 'link secondary', type: 'button' },
			view.compareId === r.id ? 'Comparing' : 'Compare',
		);
		cmp.toggleAttribute('disabled', isCurrent);
		cmp.addEventListener('click', () => act.toggleCompare(r.id));
		list.append(
			el(
				'li',
				{ class: isCurrent ? 'current' : '' },
				open,
				el(
					'span',
					{ class: 'muted' },
					` ${view.when(r.createdAt)} · ${headlineText(t.report.headline)} · ${stopReasonText[t.stopReason]}`,
				),
				cmp,
			),
		);
	}
	panel.curve.history.replaceChildren(
		list.children.length ? list : el('p', { class: 'muted' }, 'No earlier tests.'),
	);
}

/**
 * The Backend fact: what ran, and why (what `auto` measured) as a disclosure, so keyboard and
 * screen-reader users reach it too, unlike a tooltip.
 */
function backendFact(b: BackendInfo): HTMLElement {
	const why = b.reason
		? [
				' ',
				el(
					'details',
					{ class: 'why' },
					el('summary', {}, 'why'),
					el('div', { class: 'why-text' }, b.reason),
				),
			]
		: [];
	return el('dd', { id: 'backend' }, backendText(b), ...why);
}
