/**
 * What the webview holds: the host's last snapshot, the persisted UI intent (selection, tab, β,
 * zoom, live run and axis), the chart handles and theme, and the selection helpers, as one object.
 */
import type { LoadedRangeTest, SweepResult } from '../src/core/types';
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

/**
 * The webview's state, one object owned by the panel (and the side view): the tabs never read it,
 * they are handed views built from it (panel.ts).
 */
export class PanelState {
	readonly surface: WebviewSurface = document.body.dataset.surface === 'side' ? 'side' : 'panel';
	readonly app = document.getElementById('app') as HTMLElement;

	/** What the host sent last. */
	readonly model = {
		results: [] as ResultView[],
		live: [] as LiveRunView[],
		defaultBeta: 0.98,
		loaded: false,
	};
	/** The charts' colours (re-read when VS Code's theme changes). */
	theme: ChartTheme = readChartTheme();

	readonly selected = persisted('selectedId', '');
	readonly compareWith = persisted('compareId', '');
	readonly tab = persisted('tab', 'curve');
	readonly betaSetting = persisted('beta', -1);
	readonly logY = persisted('logY', false);
	readonly zoom = persisted('zoom', [0, 0]);
	readonly liveRunId = persisted('liveRunId', '');
	readonly liveAxis = persisted('liveLossAxis', 'auto');

	/** The screen-reader summary (one polite live region for the whole view). */
	readonly summary = el('div', {
		id: 'summary',
		class: 'sr-only',
		role: 'status',
		'aria-live': 'polite',
	});

	readonly charts: Partial<Record<'loss' | 'sweep' | 'live' | 'mini', ChartHandle>> = {};

	destroyChart(key: keyof PanelState['charts']): void {
		this.charts[key]?.destroy();
		delete this.charts[key];
	}

	rangeTests(): ResultView[] {
		return this.model.results.filter((r) => r.kind === 'rangeTest' && r.rangeTest);
	}

	sweeps(): ResultView[] {
		return this.model.results.filter((r) => r.kind === 'sweep' && r.sweep);
	}

	/** The selected result if it is a range test, else the newest range test. */
	currentRangeTest(): (ResultView & { rangeTest: LoadedRangeTest }) | undefined {
		const sel = this.model.results.find((r) => r.id === this.selected.get());
		const r = sel?.rangeTest ? sel : this.rangeTests()[0];
		return r as (ResultView & { rangeTest: LoadedRangeTest }) | undefined;
	}

	/** The selected result if it is a sweep, else the newest sweep. */
	currentSweep(): (ResultView & { sweep: SweepResult }) | undefined {
		const sel = this.model.results.find((r) => r.id === this.selected.get());
		const r = sel?.sweep ? sel : this.sweeps()[0];
		return r as (ResultView & { sweep: SweepResult }) | undefined;
	}

	currentLiveRun(): LiveRunView | undefined {
		return (
			this.model.live.find((r) => r.id === this.liveRunId.get()) ??
			this.model.live[this.model.live.length - 1]
		);
	}

	liveAxisMode(): LossAxisMode {
		const m = this.liveAxis.get();
		return m === 'linear' || m === 'log' ? m : 'auto';
	}

	beta(): number {
		const b = this.betaSetting.get();
		return b >= 0 && b < 1 ? b : this.model.defaultBeta;
	}

	activeTab(): PanelTab {
		const t = this.tab.get();
		return (panelTabs as readonly string[]).includes(t) ? (t as PanelTab) : 'curve';
	}
}

/** The one state of this webview. */
export const state = new PanelState();

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
