/** What a tab may change outside its own DOM, through callbacks the panel owns. */
import type { ChartHandle } from '../charts/plumbing';

export interface TabOutput {
	/** The tab drew its chart (the panel keeps the handle, to export and free it). */
	showChart(chart: ChartHandle): void;
	/** The tab's one-line summary for screen readers (the view's polite live region). */
	say(text: string): void;
}
