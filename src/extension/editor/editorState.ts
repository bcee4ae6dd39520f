/**
 * What every editor provider shares: the site cache, the results store lookups that map a document
 * to the range tests that may advise on it (core/provenance.ts, with the user's script links) and its
 * live run, the settings, and one "changed" event (fired by
 * the store and by settings changes) that lenses and diagnostics refresh on.
 */
import * as vscode from 'vscode';
import type { LrSiteReport } from '../../core/lrSites';
import type { Config } from '../config';
import { Disposable } from '../dispose';
import { SettingSections } from '../ids';
import type { LiveRun, ResultsStore, StoredResult } from '../resultsStore';
import type { ResultOrigin, ScriptContext } from '../../core/provenance';
import { evidenceFor, optimizerKindOf } from '../../core/provenance';
import type { Evidence } from '../../core/provenance';
import { sourceText } from '../../core/present/provenance';
import type { OptimizerKind } from '../../core/tfjsNames';
import type { AppliedRun, EvidenceLookup, SiteEvidence } from './advice';
import type { ScriptLinks } from './scriptLinks';
import type { SiteCache } from './siteCache';

/** Where a stored range test came from (provenance of its advice). */
export function originOf(r: StoredResult): ResultOrigin {
	return {
		id: r.id,
		targetUri: r.targetUri,
		sourceKind: r.source.kind,
		optimizer: r.rangeTest?.model.optimizer,
		createdAt: r.createdAt,
	};
}

function toSiteEvidence(
	e: Evidence<ResultOrigin & { stored: StoredResult }>,
	optimizer: OptimizerKind | undefined,
	now: number,
): SiteEvidence {
	switch (e.kind) {
		case 'applies':
			return {
				kind: 'applies',
				applied: {
					id: e.result.id,
					label: e.result.stored.label,
					rangeTest: e.result.stored.rangeTest!,
					via: e.via,
					source: sourceText(e.result, e.via, now),
					sourceAt: sourceText(e.result, e.via, now, true),
				},
			};
		case 'otherOptimizer':
			return {
				kind: 'otherOptimizer',
				tested: optimizerKindOf(e.newest.optimizer) ?? e.newest.optimizer ?? 'another optimizer',
				site: optimizer ?? 'adam',
			};
		case 'none':
			return { kind: 'none' };
	}
}

/** Shared state of the editor features. */
export class EditorState extends Disposable {
	private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
	/** Results, live-run findings or editor settings changed: lenses and diagnostics must refresh. */
	readonly onDidChange = this._onDidChange.event;

	constructor(
		readonly cache: SiteCache,
		readonly store: ResultsStore,
		readonly config: Config,
		readonly links: ScriptLinks,
	) {
		super();
		this._register(links.onDidChange(() => this._onDidChange.fire()));
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
				if (e.affectsConfiguration(SettingSections.editor)) {
					this._onDidChange.fire();
				}
			}),
		);
	}

	/** Sites of a document (cached per version); undefined when cancelled. */
	sites(doc: vscode.TextDocument, token?: vscode.CancellationToken): LrSiteReport | undefined {
		return this.cache.get(doc, token);
	}

	/**
	 * What applies to `doc`'s LR sites, by site optimizer: the newest range test of this script or of
	 * a target linked to it with the same optimizer (core/provenance.ts), never another file's.
	 */
	evidence(doc: vscode.TextDocument, now = Date.now()): EvidenceLookup {
		const script: ScriptContext = {
			scriptUri: doc.uri.toString(),
			links: this.links.get(doc.uri.toString()),
		};
		const origins = this.store
			.list()
			.filter((r) => r.kind === 'rangeTest' && r.rangeTest)
			.map((r) => ({ ...originOf(r), stored: r }));
		const memo = new Map<string, SiteEvidence>();
		return (optimizer) => {
			const key = optimizer ?? '';
			let e = memo.get(key);
			if (!e) {
				e = toSiteEvidence(evidenceFor(origins, script, optimizer), optimizer, now);
				memo.set(key, e);
			}
			return e;
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
