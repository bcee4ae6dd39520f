/** Export: the active tab's chart as a PNG, or its data as CSV (the host saves the file). */
import { errorText } from '../src/core/present/errorText';
import { liveCsv, rangeTestCsv, sweepCsv } from '../src/core/present/csv';
import type { ExportKind } from '../src/shared/webviewProtocol';
import { MessageType } from '../src/shared/webviewProtocol';
import { tabLabels, tabTitles } from './panelDom';
import { state, slug } from './panelState';
import { type PngFigure, svgFigure } from './charts/png';
import { host } from './vscodeApi';

/**
 * The Range test tab's verified candidates chart with its evidence sentence, as drawn in the
 * panel (webview/tabs/verifySection.ts), when the selected result was verified.
 */
async function candidatesFigure(): Promise<PngFigure | undefined> {
	const svg = document.querySelector<SVGSVGElement>(
		'#verify-section:not([hidden]) #verify-chart svg',
	);
	const evidence = document.querySelector('#verify-evidence')?.textContent ?? '';
	return svg ? svgFigure(svg, evidence) : undefined;
}

/** PNG (base64) or CSV text of what the active tab shows. */
export async function exportData(
	kind: ExportKind,
): Promise<{ data: string; name: string } | { error: string }> {
	const tab = state.surface === 'side' ? 'curve' : state.activeTab();
	try {
		if (kind === 'png') {
			const chart =
				state.surface === 'side'
					? state.charts.mini
					: tab === 'curve'
						? state.charts.loss
						: tab === 'sweep'
							? state.charts.sweep
							: tab === 'live'
								? state.charts.live
								: undefined;
			const title =
				tab === 'curve'
					? state.currentRangeTest()?.label
					: tab === 'sweep'
						? state.currentSweep()?.label
						: tab === 'live'
							? state.currentLiveRun()?.label
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
			const below =
				tab === 'curve' && state.surface !== 'side' ? await candidatesFigure() : undefined;
			return {
				data: chart.toPng(`LR Scope — ${tabTitles[tab]}: ${title ?? ''}`, below),
				name: `lrscope-${tab}-${slug(title ?? 'chart')}.png`,
			};
		}
		if (tab === 'sweep') {
			const s = state.currentSweep();
			return s
				? { data: sweepCsv(s.sweep), name: `lrscope-sweep-${slug(s.label)}.csv` }
				: { error: 'no sweep to export' };
		}
		if (tab === 'live') {
			const r = state.currentLiveRun();
			return r
				? { data: liveCsv(r.records), name: `lrscope-live-${slug(r.label)}.csv` }
				: { error: 'no live run to export' };
		}
		const r = state.currentRangeTest();
		return r
			? {
					data: rangeTestCsv(r.rangeTest, state.beta()),
					name: `lrscope-range-test-${slug(r.label)}.csv`,
				}
			: { error: 'no range test to export' };
	} catch (err) {
		return { error: `export failed: ${errorText(err)}` };
	}
}

export async function saveExport(kind: ExportKind): Promise<void> {
	const answer = await exportData(kind);
	if ('error' in answer) {
		state.summary.textContent = `Cannot export: ${answer.error}.`;
		return;
	}
	host.post({ type: MessageType.SaveExport, kind, data: answer.data, suggestedName: answer.name });
}
