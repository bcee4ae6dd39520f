/**
 * Messages between the extension host and the LR Scope webviews (the `lrScope.lossCurves` panel and
 * the `lrScope.sideView` view). Imported by both sides; no 'vscode', no DOM. Every message crossing
 * the boundary is checked on arrival by the guards in `webviewGuards.ts`.
 *
 * Flow: the webview posts `ready` once its listener is attached; the host answers with a full
 * `snapshot` (and again whenever the view becomes visible, because a hidden webview without
 * `retainContextWhenHidden` is torn down). Live-run points stream as `liveAppend` deltas only while
 * the view is visible. Requests that need an answer (`exportRequest`) carry a `requestId` that the
 * reply echoes.
 */
import type { LayerSample } from '../core/layers/types';
import type { Finding, LoadedRangeTest, LogRecord, SweepResult } from '../core/types';

/**
 * Message tags. Strings rather than a `const enum`: they read well in the log when a message is
 * dropped, they match the runner protocol, and they survive separately built bundles unchanged.
 */
export const MessageType = {
	//#region host → webview
	Snapshot: 'snapshot',
	LiveAppend: 'liveAppend',
	Focus: 'focus',
	ExportRequest: 'exportRequest',
	//#endregion
	//#region webview → host
	Ready: 'ready',
	ExportResponse: 'exportResponse',
	SaveExport: 'saveExport',
	CopyCode: 'copyCode',
	TrainWithSchedule: 'trainWithSchedule',
	OpenPanel: 'openPanel',
	ReportError: 'reportError',
	//#endregion
} as const;

/** Which surface a webview is. */
export type WebviewSurface = 'panel' | 'side';

/** The panel's tabs. */
export type PanelTab = 'curve' | 'schedule' | 'sweep' | 'live';

/** Every tab, in display order. */
export const panelTabs: readonly PanelTab[] = ['curve', 'schedule', 'sweep', 'live'];

/** What can be exported from the panel. */
export type ExportKind = 'png' | 'csv';

/** A stored result as the webview sees it (the store's record without the run's source details). */
export interface ResultView {
	id: string;
	kind: 'rangeTest' | 'sweep';
	/** ms since epoch */
	createdAt: number;
	label: string;
	/** With its headline (filled once at load), so the webview never computes it. */
	rangeTest?: LoadedRangeTest;
	sweep?: SweepResult;
}

/** A watched training run as the webview sees it. */
export interface LiveRunView {
	id: string;
	label: string;
	origin: 'monitor' | 'watch';
	status: 'running' | 'finished' | 'failed' | 'cancelled';
	records: LogRecord[];
	findings: Finding[];
	/** Monitor mode: per-layer samples for the Layers view (issue 15). */
	layers?: LayerSample[];
}

/** host → webview: everything the view shows; sent after `ready` and on every visibility regain. */
export interface SnapshotMessage {
	type: typeof MessageType.Snapshot;
	/** Finished results, newest first. */
	results: ResultView[];
	live: LiveRunView[];
	/** The host's default smoothing β (the webview's own slider value wins once the user moved it). */
	defaultBeta: number;
	/** A selection/tab the host asks for (from `showPanel`); absent = keep the webview's own. */
	focus?: FocusRequest;
}

/** What `showPanel` asks the view to bring forward. */
export interface FocusRequest {
	resultId?: string;
	tab?: PanelTab;
}

/** host → webview: new records and findings of a live run; only posted while the view is visible. */
export interface LiveAppendMessage {
	type: typeof MessageType.LiveAppend;
	runId: string;
	records: LogRecord[];
	findings: Finding[];
	/** New per-layer samples, when the run has any. */
	layers?: LayerSample[];
}

/** host → webview: select a result and/or a tab in an already loaded view. */
export interface FocusMessage extends FocusRequest {
	type: typeof MessageType.Focus;
}

/** host → webview: render the current chart as PNG or CSV and answer with `exportResponse`. */
export interface ExportRequestMessage {
	type: typeof MessageType.ExportRequest;
	requestId: number;
	kind: ExportKind;
}

/** Messages the host posts to a webview. */
export type ToWebviewMessage =
	SnapshotMessage | LiveAppendMessage | FocusMessage | ExportRequestMessage;

/** webview → host: the message listener is attached; send a snapshot. */
export interface ReadyMessage {
	type: typeof MessageType.Ready;
	surface: WebviewSurface;
}

/**
 * webview → host: the answer to `exportRequest`. `data` is base64 for PNG and UTF-8 text for CSV;
 * `error` says why there is nothing to export (e.g. no result selected).
 */
export type ExportResponseMessage = {
	type: typeof MessageType.ExportResponse;
	requestId: number;
	kind: ExportKind;
} & ({ ok: true; data: string } | { ok: false; error: string });

/** webview → host: the user pressed an export button; the host asks where to save and writes it. */
export interface SaveExportMessage {
	type: typeof MessageType.SaveExport;
	kind: ExportKind;
	/** base64 for PNG, text for CSV. */
	data: string;
	/** A file name to propose, e.g. `lr-range-test.png` (no directories). */
	suggestedName: string;
}

/** webview → host: put generated code on the clipboard (webviews cannot write it reliably). */
export interface CopyCodeMessage {
	type: typeof MessageType.CopyCode;
	code: string;
	/** What was copied, for the confirmation, e.g. "cosine schedule callback". */
	what: string;
}

/**
 * webview → host: train a script for real (monitor mode) with the designer's schedule applied per
 * batch, without editing the script. `spec` is a core `ScheduleSpec` as JSON; the guard checks only
 * its outline (an object with a `kind`, bounded size) and the host re-validates it with the core's
 * `parseScheduleSpec`. `resultId` is the designer's selected result: its script is the default.
 */
export interface TrainWithScheduleMessage {
	type: typeof MessageType.TrainWithSchedule;
	/** Typed loosely on purpose: only the outline is guaranteed until `parseScheduleSpec` ran. */
	spec: { kind: string };
	resultId?: string;
}

/** webview → host (side view): open the full panel, optionally on a result. */
export interface OpenPanelMessage {
	type: typeof MessageType.OpenPanel;
	resultId?: string;
}

/** webview → host: an error inside the webview, so it lands in the LR Scope log. */
export interface ReportErrorMessage {
	type: typeof MessageType.ReportError;
	message: string;
}

/** Messages a webview posts to the host. */
export type FromWebviewMessage =
	| ReadyMessage
	| ExportResponseMessage
	| SaveExportMessage
	| CopyCodeMessage
	| TrainWithScheduleMessage
	| OpenPanelMessage
	| ReportErrorMessage;

/** Limits the guards enforce, so a broken webview cannot make the host allocate without bound. */
export const protocolLimits = {
	/** Generated schedule code is a few hundred characters; 100k leaves room and stops abuse. */
	maxCodeChars: 100_000,
	/** A PNG of a 4k-wide chart is ~2 MB, base64 ~2.7 MB; CSV of 50 results is far below. */
	maxExportChars: 32 * 1024 * 1024,
	maxMessageChars: 4_000,
	maxIdChars: 200,
	/** A ScheduleSpec as JSON: a piecewise schedule with hundreds of boundaries stays far below. */
	maxSpecChars: 20_000,
} as const;
