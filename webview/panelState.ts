/**
 * What the webview holds: the host's last snapshot, the persisted UI intent (selection, tab, β,
 * zoom, live run and axis), the chart handles and theme, and the selection helpers every tab uses.
 */
import type { RangeTestResult, SweepResult } from '../src/core/types';
import type {
	LiveRunView,
	PanelTab,
	ResultView,
	WebviewSurface,
} from '../src/shared/webviewProtocol';
import { panelTabs } from '../src/shared/webviewProtocol';
import type { ChartHandle } from './charts/plumbing';
import { el } from './dom';
import type { ChartTheme } from './theme';
import { readChartTheme } from './theme';
import type { LossAxisMode } from './viewModels/liveViewModel';
import { persisted } from './vscodeApi';

export const surface: WebviewSurface = document.body.dataset.surface === 'side' ? 'side' : 'panel';
export const app = document.getElementById('app') as HTMLElement;

/** What the host sent last. */
export const model = {
	results: [] as ResultView[],
	live: [] as LiveRunView[],
	defaultBeta: 0.98,
	loaded: false,
};
/** The charts' colours (re-read when VS Code's theme changes). */
export const look: { theme: ChartTheme } = { theme: readChartTheme() };

export const selected = persisted('selectedId', '');
export const compareWith = persisted('compareId', '');
export const tabState = persisted('tab', 'curve');
export const betaState = persisted('beta', -1);
export const logYState = persisted('logY', false);
export const zoomState = persisted('zoom', [0, 0]);
export const liveRunState = persisted('liveRunId', '');
export const liveAxisState = persisted('liveLossAxis', 'auto');

/** The screen-reader summary (one polite live region for the whole view). */
export const summary = el('div', {
	id: 'summary',
	class: 'sr-only',
	role: 'status',
	'aria-live': 'polite',
});

export const charts: Partial<Record<'loss' | 'sweep' | 'live' | 'mini', ChartHandle>> = {};

export function destroyChart(key: keyof typeof charts): void {
	charts[key]?.destroy();
	delete charts[key];
}

export function rangeTests(): ResultView[] {
	return model.results.filter((r) => r.kind === 'rangeTest' && r.rangeTest);
}

export function sweeps(): ResultView[] {
	return model.results.filter((r) => r.kind === 'sweep' && r.sweep);
}

/** The selected result if it is a range test, else the newest range test. */
export function currentRangeTest(): (ResultView & { rangeTest: RangeTestResult }) | undefined {
	const sel = model.results.find((r) => r.id === selected.get());
	const r = sel?.rangeTest ? sel : rangeTests()[0];
	return r as (ResultView & { rangeTest: RangeTestResult }) | undefined;
}

/** The selected result if it is a sweep, else the newest sweep. */
export function currentSweep(): (ResultView & { sweep: SweepResult }) | undefined {
	const sel = model.results.find((r) => r.id === selected.get());
	const r = sel?.sweep ? sel : sweeps()[0];
	return r as (ResultView & { sweep: SweepResult }) | undefined;
}

export function currentLiveRun(): LiveRunView | undefined {
	return model.live.find((r) => r.id === liveRunState.get()) ?? model.live[model.live.length - 1];
}

export function liveAxisMode(): LossAxisMode {
	const m = liveAxisState.get();
	return m === 'linear' || m === 'log' ? m : 'auto';
}

export function beta(): number {
	const b = betaState.get();
	return b >= 0 && b < 1 ? b : model.defaultBeta;
}

export function activeTab(): PanelTab {
	const t = tabState.get();
	return (panelTabs as readonly string[]).includes(t) ? (t as PanelTab) : 'curve';
}

export function when(ms: number): string {
	const d = new Date(ms);
	return d.toLocaleString(undefined, {
		month: 'short',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
	});
}

/** File-name-safe slug of a label (the host only accepts plain names). */
export function slug(label: string): string {
	return (
		label
			.replace(/[^A-Za-z0-9._-]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'result'
	);
}
