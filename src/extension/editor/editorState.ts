/**
 * What every editor provider shares: the site cache, the results store lookups that map a document
 * to the range test and live run that apply to it, the settings, and one "changed" event (fired by
 * the store and by settings changes) that lenses and diagnostics refresh on.
 */
import * as vscode from 'vscode';
import type { LrSiteReport } from '../../core/lrSites';
import type { Config } from '../config';
import { Disposable } from '../dispose';
import type { LiveRun, ResultsStore, StoredResult } from '../resultsStore';
import type { AppliedResult, AppliedRun } from './advice';
import type { SiteCache } from './siteCache';

/** Commands the editor features call (ids match package.json / `Commands`). */
export const editorCommands = {
	runRangeTestOnScript: 'lrScope.runRangeTestOnScript',
	openPanel: 'lrScope.openPanel',
} as const;

/** Shared state of the editor features. */
export class EditorState extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	/** Results, live-run findings or editor settings changed: lenses and diagnostics must refresh. */
	readonly onDidChange = this._onDidChange.event;

	constructor(
		readonly cache: SiteCache,
		readonly store: ResultsStore,
		readonly config: Config,
	) {
		super();
		this._register(
			store.onDidChange((e) => {
				// Live appends without findings change nothing the editor shows.
				if (e.kind !== 'live' || e.findings.length > 0) {
					this._onDidChange.fire();
				}
			}),
		);
		this._register(
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration('lrScope.editor')) {
					this._onDidChange.fire();
				}
			}),
		);
	}

	/** Sites of a document (cached per version); undefined when cancelled. */
	sites(doc: vscode.TextDocument, token?: vscode.CancellationToken): LrSiteReport | undefined {
		return this.cache.get(doc, token);
	}

	/** The newest range test whose target is `doc`, else the newest in the workspace. */
	appliedResult(doc: vscode.TextDocument): (AppliedResult & { stored: StoredResult }) | undefined {
		const own = this.store.latestRangeTest(doc.uri.toString());
		const stored = own?.rangeTest
			? own
			: this.store.list().find((r) => r.kind === 'rangeTest' && r.rangeTest);
		if (!stored?.rangeTest) {
			return undefined;
		}
		return {
			id: stored.id,
			label: stored.label,
			rangeTest: stored.rangeTest,
			forThisFile: stored === own,
			stored,
		};
	}

	/** The newest live run (monitor mode / watched log) of `doc`. */
	liveRun(doc: vscode.TextDocument): (AppliedRun & { live: LiveRun }) | undefined {
		const key = doc.uri.toString();
		const live = this.store
			.liveRuns()
			.filter((r) => r.targetUri === key)
			.at(-1);
		return live ? { id: live.id, status: live.status, findings: live.findings, live } : undefined;
	}
}
