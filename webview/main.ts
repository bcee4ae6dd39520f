/**
 * Entry of the LR Scope webview bundle (dist/webview.js + dist/webview.css). One bundle serves both
 * surfaces: the panel (`body[data-surface=panel]`) and the compact side view (`side`). It renders
 * only what the host sent in the last snapshot plus live deltas, and persists only UI intent.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './tabs/layers/layers.css';
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
import { appendLayerSamples } from '../src/core/layers/series';
import { thinRecords } from '../src/core/liveRecords';
import { errorText } from '../src/core/present/errorText';
import { isToWebviewMessage } from '../src/shared/webviewGuards';
import type { ExportKind, FocusRequest, ToWebviewMessage } from '../src/shared/webviewProtocol';
import { MessageType } from '../src/shared/webviewProtocol';
import { exportData } from './chartExport';
import { buildPanel, renderPanel, showLive } from './panel';
import { panel, selectTab } from './panelDom';
import { state } from './panelState';
import { buildSide, renderSide } from './sideView';
import { onThemeChange, readChartTheme } from './theme';
import { host } from './vscodeApi';

/** Points a live run keeps in the view (the host's snapshots carry at most 20k). */
const maxViewRecords = 50_000;

function render(): void {
	if (state.surface === 'side') {
		renderSide();
	} else {
		renderPanel();
	}
}

function applyFocus(f: FocusRequest | undefined): void {
	if (!f) {
		return;
	}
	if (f.resultId && state.model.results.some((r) => r.id === f.resultId)) {
		state.selected.set(f.resultId);
		state.zoom.set(undefined);
	}
	// A live run's id selects it on the Live tab (warnings' "Show curves").
	if (f.resultId && state.model.live.some((r) => r.id === f.resultId)) {
		state.liveRunId.set(f.resultId);
	}
	if (f.tab && state.surface === 'panel') {
		selectTab(f.tab);
	}
}

let liveFrame = 0;
let lastLiveAnnouncement = 0;

function onMessage(m: ToWebviewMessage): void {
	switch (m.type) {
		case MessageType.Snapshot:
			state.model.results = m.results;
			state.model.live = m.live;
			state.model.defaultBeta = m.defaultBeta;
			state.model.loaded = true;
			applyFocus(m.focus);
			render();
			return;
		case MessageType.Focus:
			applyFocus(m);
			render();
			return;
		case MessageType.LiveAppend: {
			const run = state.model.live.find((r) => r.id === m.runId);
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
			if (
				state.surface === 'panel' &&
				state.activeTab() === 'live' &&
				state.currentLiveRun()?.id === run.id
			) {
				cancelAnimationFrame(liveFrame);
				liveFrame = requestAnimationFrame(() => showLive());
				// Screen readers get at most one live update every 5 s, plus every new finding.
				const now = Date.now();
				if (m.findings.length || now - lastLiveAnnouncement > 5000) {
					lastLiveAnnouncement = now;
					state.summary.textContent = m.findings.length
						? `${run.label}: ${m.findings.map((f) => f.message).join('; ')}`
						: `${run.label}: ${panel.live.status.textContent ?? ''}`;
				}
			}
			return;
		}
		case MessageType.ExportRequest: {
			void answerExport(m.requestId, m.kind);
			return;
		}
		default:
			assertNever(m);
	}
}

/** Answers the host's export request (the candidates chart is drawn as an image first). */
async function answerExport(requestId: number, kind: ExportKind): Promise<void> {
	const answer = await exportData(kind);
	host.post(
		'data' in answer
			? { type: MessageType.ExportResponse, requestId, kind, ok: true, data: answer.data }
			: { type: MessageType.ExportResponse, requestId, kind, ok: false, error: answer.error },
	);
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
		reportError(err instanceof Error ? (err.stack ?? err.message) : errorText(err));
	}
});

onThemeChange(() => {
	state.theme = readChartTheme();
	if (state.model.loaded) {
		render();
	}
});

if (state.surface === 'side') {
	buildSide();
} else {
	buildPanel();
}
// The listener is attached: ask for the snapshot (the host answers Ready with one; anything it
// posted before the listener existed would have been lost).
host.post({ type: MessageType.Ready, surface: state.surface });
