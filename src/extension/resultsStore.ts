/**
 * The workspace's LR Scope results: finished range tests and sweeps (persisted in the extension's
 * workspace storage, never in the user's folders) and live runs (monitor mode, watched logs; memory only).
 * Panels, views, CodeLens, hovers and diagnostics read from here; runs write to it.
 */
import type { LayerSample } from '../core/layers/types';
import { appendLayerSamples } from '../core/layers/series';
import * as vscode from 'vscode';
import { withHeadline } from '../core/headline';
import type { Finding, LoadedRangeTest, LogRecord, SweepResult } from '../core/types';
import type { ModelSource } from '../shared/runnerProtocol';
import { LiveRecords, type LiveRecordsOptions } from '../core/liveRecords';
import { Disposable } from './dispose';

/** A finished range test or sweep. */
export interface StoredResult {
	id: string;
	kind: 'rangeTest' | 'sweep';
	/** ms since epoch */
	createdAt: number;
	/** Short label, e.g. "dense-classifier/model.json". */
	label: string;
	source: ModelSource;
	/** The script or model file the result applies to (for CodeLens/diagnostics), as a URI string. */
	targetUri?: string;
	/** `report.headline` filled on load (`withHeadline`), so readers take it directly. */
	rangeTest?: LoadedRangeTest;
	sweep?: SweepResult;
}

/** A training run being watched: monitor mode or a tailed log file. */
export interface LiveRun {
	id: string;
	label: string;
	origin: 'monitor' | 'watch';
	/** Script or log file URI string. */
	targetUri?: string;
	status: 'running' | 'finished' | 'failed' | 'cancelled';
	/**
	 * The records held (bounded, see core/liveRecords.ts): the newest at full resolution, older
	 * steps min/max-decimated, every epoch. A fresh array on every read.
	 */
	readonly records: LogRecord[];
	/** Step-level records received in all (not only those held). */
	readonly stepCount: number;
	/** Every finding, exactly. */
	findings: Finding[];
	/** Monitor mode: per-layer samples (issue 15), bounded by `appendLayerSamples`. */
	layers?: LayerSample[];
}

export type StoreChange =
	| { kind: 'results' }
	| {
			kind: 'live';
			runId: string;
			records: LogRecord[];
			findings: Finding[];
			layers?: LayerSample[];
	  }
	| { kind: 'liveStatus'; runId: string };

const indexKey = 'lrScope.results.v1';
const maxResults = 50;

/** Owns results and live runs; fires `onDidChange` on every change. */
export class ResultsStore extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<StoreChange>());
	/** Fired on every change; live appends carry the new records. */
	readonly onDidChange = this._onDidChange.event;
	private _results: StoredResult[] = [];
	private readonly _live = new Map<string, LiveRun>();
	private readonly _buffers = new Map<string, LiveRecords>();

	constructor(
		private readonly _context: vscode.ExtensionContext,
		private readonly _liveOptions: Partial<LiveRecordsOptions> = {},
	) {
		super();
		// Results stored before headlines existed get theirs here, once.
		this._results = _context.workspaceState
			.get<StoredResult[]>(indexKey, [])
			.map((r) => (r.rangeTest ? { ...r, rangeTest: withHeadline(r.rangeTest) } : r));
	}

	/** Finished results, newest first. */
	list(): readonly StoredResult[] {
		return this._results;
	}

	get(id: string): StoredResult | undefined {
		return this._results.find((r) => r.id === id);
	}

	/** Newest range test, optionally only those applying to `targetUri`. */
	latestRangeTest(targetUri?: string): StoredResult | undefined {
		return this._results.find(
			(r) => r.kind === 'rangeTest' && (!targetUri || r.targetUri === targetUri),
		);
	}

	async add(result: StoredResult): Promise<void> {
		this._results = [result, ...this._results.filter((r) => r.id !== result.id)].slice(
			0,
			maxResults,
		);
		await this._save();
	}

	async remove(id: string): Promise<void> {
		this._results = this._results.filter((r) => r.id !== id);
		await this._save();
	}

	async clear(): Promise<void> {
		this._results = [];
		this._live.clear();
		this._buffers.clear();
		await this._save();
	}

	liveRuns(): readonly LiveRun[] {
		return [...this._live.values()];
	}

	getLive(id: string): LiveRun | undefined {
		return this._live.get(id);
	}

	startLive(run: Omit<LiveRun, 'records' | 'stepCount' | 'findings' | 'status'>): LiveRun {
		const buffer = new LiveRecords(this._liveOptions);
		this._buffers.set(run.id, buffer);
		const live: LiveRun = {
			...run,
			status: 'running',
			get records() {
				return buffer.toArray();
			},
			get stepCount() {
				return buffer.stepCount;
			},
			findings: [],
		};
		this._live.set(run.id, live);
		this._onDidChange.fire({ kind: 'liveStatus', runId: run.id });
		return live;
	}

	appendLive(
		runId: string,
		records: LogRecord[],
		findings: Finding[] = [],
		layers: LayerSample[] = [],
	): void {
		const live = this._live.get(runId);
		if (!live) {
			return;
		}
		// Never `push(...records)`: one poll of a long log can carry more records than a call
		// can take arguments (RangeError past ~120k).
		this._buffers.get(runId)?.push(records);
		for (const f of findings) {
			live.findings.push(f);
		}
		if (layers.length) {
			appendLayerSamples((live.layers ??= []), layers);
			this._onDidChange.fire({ kind: 'live', runId, records, findings, layers });
		} else {
			this._onDidChange.fire({ kind: 'live', runId, records, findings });
		}
	}

	setLiveStatus(runId: string, status: LiveRun['status']): void {
		const live = this._live.get(runId);
		if (live) {
			live.status = status;
			this._onDidChange.fire({ kind: 'liveStatus', runId });
		}
	}

	private async _save(): Promise<void> {
		await this._context.workspaceState.update(indexKey, this._results);
		this._onDidChange.fire({ kind: 'results' });
	}
}
