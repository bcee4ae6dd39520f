/**
 * The host half of one LR Scope webview (panel or side view): the `ready` handshake, snapshots,
 * live deltas while visible, validation of every inbound message, and the export round trip.
 * The panel and the side view each own one session; the protocol logic lives only here.
 */
import { errorText } from '../../core/present/errorText';
import * as vscode from 'vscode';
import { thinRecords } from '../../core/liveRecords';
import { parseScheduleSpec } from '../../core/schedules/parseSpec';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { LiveRun, ResultsStore, StoreChange, StoredResult } from '../resultsStore';
import { Disposable } from '../dispose';
import { isFromWebviewMessage } from '../../shared/webviewGuards';
import { assertNever } from '../../shared/guards';
import type {
	ExportKind,
	ExportResponseMessage,
	FocusRequest,
	FromWebviewMessage,
	LiveRunView,
	ResultView,
	SaveExportMessage,
	ToWebviewMessage,
	WebviewSurface,
} from '../../shared/webviewProtocol';
import { MessageType } from '../../shared/webviewProtocol';
import type { PanelLog } from './panelLog';

/** What a session needs from its owner (a `WebviewPanel` or a `WebviewView`). */
export interface SessionHost {
	readonly webview: vscode.Webview;
	readonly visible: boolean;
	/** Fires when `visible` may have changed. */
	readonly onDidChangeVisibility: vscode.Event<unknown>;
}

/** Actions a session cannot do alone. */
export interface SessionActions {
	/** Side view → "Open panel". */
	openPanel(resultId?: string): void;
	/** The default smoothing β (the setting). */
	defaultBeta(): number;
	/**
	 * Designer → "Train script with this schedule": pick the script (the result's, else the open
	 * editor's, else ask) and run it in monitor mode with `spec` applied per batch.
	 */
	trainWithSchedule(spec: ScheduleSpec, resultId?: string): void;
}

/** Live runs longer than this are thinned for the snapshot. */
const maxSnapshotRecords = 20_000;
/**
 * A larger append (the first poll of a long log reads up to 64 MB) is sent as a thinned snapshot
 * instead, so one message never carries more than a frame's worth of points.
 */
const maxAppendRecords = 5_000;

/** How long the host waits for the webview to answer an export request. */
const exportTimeoutMs = 15_000;

/** Host side of one webview's protocol. */
export class WebviewSession extends Disposable {
	private _ready = false;
	private _pendingFocus: FocusRequest | undefined;
	private _nextRequestId = 1;
	private readonly _pending = new Map<number, (m: ExportResponseMessage | undefined) => void>();
	private readonly _onDidBecomeReady = this._register(new vscode.EventEmitter<void>());
	/** Fires after each `ready` handshake (the webview (re)loaded and has its snapshot). */
	readonly onDidBecomeReady = this._onDidBecomeReady.event;

	constructor(
		private readonly _host: SessionHost,
		private readonly _surface: WebviewSurface,
		private readonly _store: ResultsStore,
		private readonly _log: PanelLog,
		private readonly _actions: SessionActions,
	) {
		super();
		this._register(_host.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
		this._register(_host.onDidChangeVisibility(() => this._onVisibility()));
		this._register(_store.onDidChange((e) => this._onStoreChange(e)));
		this._register(new vscode.Disposable(() => this._failPending()));
	}

	/** Whether the webview has completed the handshake and is visible (posts would arrive). */
	get isLive(): boolean {
		return this._ready && this._host.visible;
	}

	/**
	 * Validates and dispatches one inbound message. Returns whether it was accepted; malformed or
	 * unknown messages are dropped and logged. Public so ext-host tests can feed bad messages in.
	 */
	receive(message: unknown): boolean {
		if (!isFromWebviewMessage(message)) {
			this._log.warn(
				`[${this._surface}] dropped a malformed webview message: ${describe(message)}`,
			);
			return false;
		}
		return this._dispatch(message);
	}

	/** Selects a result/tab: now if the webview is listening, else with the next snapshot. */
	focus(request: FocusRequest): void {
		if (this.isLive) {
			this._post({ type: MessageType.Focus, ...request });
		} else {
			this._pendingFocus = request;
		}
	}

	/** Asks the webview for the current chart as PNG or CSV; `undefined` if it cannot answer. */
	async requestExport(kind: ExportKind): Promise<Uint8Array | undefined> {
		if (!this.isLive) {
			return undefined;
		}
		const requestId = this._nextRequestId++;
		const answer = await new Promise<ExportResponseMessage | undefined>((resolve) => {
			const timer = setTimeout(() => {
				this._pending.delete(requestId);
				this._log.warn(`[${this._surface}] export ${kind} timed out after ${exportTimeoutMs} ms`);
				resolve(undefined);
			}, exportTimeoutMs);
			this._pending.set(requestId, (m) => {
				clearTimeout(timer);
				resolve(m);
			});
			this._post({ type: MessageType.ExportRequest, requestId, kind });
		});
		if (!answer) {
			return undefined;
		}
		if (!answer.ok) {
			this._log.warn(`[${this._surface}] export ${kind}: ${answer.error}`);
			return undefined;
		}
		return decodeExport(kind, answer.data);
	}

	/** Handles one valid message; false when the host refuses its content (said to the user). */
	private _dispatch(m: FromWebviewMessage): boolean {
		switch (m.type) {
			case MessageType.Ready:
				if (m.surface !== this._surface) {
					this._log.warn(`[${this._surface}] ready from a '${m.surface}' script; answering anyway`);
				}
				this._ready = true;
				this._postSnapshot();
				this._onDidBecomeReady.fire();
				return true;
			case MessageType.ExportResponse: {
				const resolve = this._pending.get(m.requestId);
				this._pending.delete(m.requestId);
				if (resolve) {
					resolve(m);
				} else {
					this._log.warn(`[${this._surface}] export answer for unknown request ${m.requestId}`);
				}
				return true;
			}
			case MessageType.SaveExport:
				void this._saveExport(m);
				return true;
			case MessageType.CopyCode:
				void this._copy(m.code, m.what);
				return true;
			case MessageType.TrainWithSchedule:
				return this._trainWithSchedule(m.spec, m.resultId);
			case MessageType.OpenPanel:
				this._actions.openPanel(m.resultId);
				return true;
			case MessageType.ReportError:
				this._log.error(`[${this._surface} webview] ${m.message}`);
				return true;
			default:
				return assertNever(m);
		}
	}

	private _onVisibility(): void {
		if (!this._host.visible) {
			// Without retainContextWhenHidden the webview is torn down; it sends `ready` again when shown.
			this._ready = false;
			this._failPending();
		} else if (this._ready) {
			// Context was retained (e.g. a future option): the view missed deltas while hidden.
			this._postSnapshot();
		}
	}

	private _onStoreChange(e: StoreChange): void {
		if (!this.isLive) {
			return;
		}
		if (e.kind === 'live' && e.records.length <= maxAppendRecords) {
			this._post({
				type: MessageType.LiveAppend,
				runId: e.runId,
				records: e.records,
				findings: e.findings,
				...(e.layers ? { layers: e.layers } : {}),
			});
		} else {
			this._postSnapshot();
		}
	}

	private _postSnapshot(): void {
		const focus = this._pendingFocus;
		this._pendingFocus = undefined;
		this._post({
			type: MessageType.Snapshot,
			results: this._store.list().map(toResultView),
			live: this._store.liveRuns().map(toLiveRunView),
			defaultBeta: this._actions.defaultBeta(),
			...(focus ? { focus } : {}),
		});
	}

	private _post(message: ToWebviewMessage): void {
		this._host.webview.postMessage(message).then(
			(delivered) => {
				if (!delivered) {
					this._log.info(
						`[${this._surface}] ${message.type} not delivered (view hidden or closed)`,
					);
				}
			},
			(err: unknown) =>
				this._log.warn(`[${this._surface}] post ${message.type} failed: ${errorText(err)}`),
		);
	}

	/**
	 * The guard only checked the spec's outline; the core decides whether it is a schedule. A bad
	 * one starts nothing and the user reads the core's one-line reason.
	 */
	private _trainWithSchedule(raw: unknown, resultId: string | undefined): boolean {
		let spec: ScheduleSpec;
		try {
			spec = parseScheduleSpec(raw);
		} catch (err) {
			const reason = errorText(err).replace(/\.$/, '');
			this._log.warn(`[${this._surface}] refused trainWithSchedule: ${reason}`);
			void vscode.window.showErrorMessage(
				`LR Scope: cannot train with this schedule: ${reason}. Fix it in the designer and try again.`,
			);
			return false;
		}
		this._actions.trainWithSchedule(spec, resultId);
		return true;
	}

	private async _copy(code: string, what: string): Promise<void> {
		await vscode.env.clipboard.writeText(code);
		void vscode.window.showInformationMessage(`LR Scope: copied the ${what} to the clipboard.`);
	}

	private async _saveExport(m: SaveExportMessage): Promise<void> {
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
		const target = await vscode.window.showSaveDialog({
			defaultUri: folder ? vscode.Uri.joinPath(folder, m.suggestedName) : undefined,
			filters: m.kind === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
			title: `Export LR Scope chart as ${m.kind.toUpperCase()}`,
		});
		if (!target) {
			return;
		}
		try {
			await vscode.workspace.fs.writeFile(target, decodeExport(m.kind, m.data));
			this._log.info(`exported ${m.kind} to ${target.toString()}`);
		} catch (err) {
			this._log.error(`export to ${target.toString()} failed: ${errorText(err)}`);
			void vscode.window.showErrorMessage(
				`LR Scope: could not write ${target.fsPath}: ${errorText(err)}`,
			);
		}
	}

	private _failPending(): void {
		for (const resolve of this._pending.values()) {
			resolve(undefined);
		}
		this._pending.clear();
	}
}

/** Decodes an export payload: base64 for PNG, UTF-8 text for CSV. */
export function decodeExport(kind: ExportKind, data: string): Uint8Array {
	return kind === 'png'
		? new Uint8Array(Buffer.from(data, 'base64'))
		: new TextEncoder().encode(data);
}

/** The webview's copy of a stored result (no model/data paths: the view does not need them). */
export function toResultView(r: StoredResult): ResultView {
	return {
		id: r.id,
		kind: r.kind,
		createdAt: r.createdAt,
		label: r.label,
		...(r.rangeTest ? { rangeTest: r.rangeTest } : {}),
		...(r.sweep ? { sweep: r.sweep } : {}),
	};
}

/** The webview's copy of a live run, thinned evenly when very long (the chart decimates anyway). */
export function toLiveRunView(r: LiveRun): LiveRunView {
	return {
		id: r.id,
		label: r.label,
		origin: r.origin,
		status: r.status,
		// Keeps the last record (the live edge) and every epoch record (validation points, epoch findings).
		records: thinRecords(r.records, maxSnapshotRecords),
		findings: r.findings,
		...(r.layers ? { layers: r.layers } : {}),
	};
}

function describe(message: unknown): string {
	try {
		const text = JSON.stringify(message);
		return text === undefined
			? String(message)
			: text.length > 200
				? `${text.slice(0, 200)}…`
				: text;
	} catch {
		return String(message);
	}
}
