/**
 * Quick fixes on LR sites and on `fit` lines, from the range test that applies to the site
 * (core/provenance.ts; none borrowed): set the LR to the headline (preferred, "Set learning rate to
 * 3e-3 (valley)") or another rule's value, insert a cosine / one-cycle / step schedule callback that
 * peaks at the headline (core `scheduleCode`, for the optimizer found at the site, the kind from
 * `recommendSchedule`; the class goes above the statement with the `fit` call and an instance into
 * its `callbacks`), or run a range test.
 */
import * as vscode from 'vscode';
import type { FitCall, LrSite, LrSiteReport, OffsetEdit } from '../../core/lrSites';
import { describeSchedule } from '../../core/present/schedule';
import { lrLiteral } from '../../core/present/format';
import type { EvidenceLookup } from './advice';
import {
	appliedOf,
	diagnosticCodes,
	fitForSite,
	optimizerForSchedule,
	siteOptimizer,
} from './advice';
import { offeredLrs } from './lrRange';
import type { EditorState } from './editorState';
import { Commands } from '../ids';
import { estimateSteps, scheduleChoices, scheduleEdits, setLrEdit } from './fixEdits';

const ourCodes: ReadonlySet<string> = new Set(Object.values(diagnosticCodes));

/** The LR Scope quick-fix provider. */
export class LrQuickFixProvider implements vscode.CodeActionProvider {
	/** Declared for VS Code's lightbulb filtering. */
	static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

	constructor(private readonly _state: EditorState) {}

	/** Fixes for the LR site or fit call under `range`. */
	provideCodeActions(
		doc: vscode.TextDocument,
		range: vscode.Range | vscode.Selection,
		context: vscode.CodeActionContext,
		token: vscode.CancellationToken,
	): vscode.CodeAction[] {
		if (!this._state.config.editor.quickFixes) {
			return [];
		}
		const report = this._state.sites(doc, token);
		const finder = this._state.cache.finder();
		if (!report || !finder || token.isCancellationRequested) {
			return [];
		}
		const start = doc.offsetAt(range.start);
		const end = doc.offsetAt(range.end);
		const touches = (r: { start: number; end: number } | undefined): boolean =>
			!!r && r.start <= end && start <= r.end;
		const site = report.sites.find(
			(s) => touches(s.literal) || touches(s.via?.range) || touches(s.range),
		);
		const fitHere = report.fits.find((f) => touches(f.nameRange));
		if (!site && !fitHere) {
			return [];
		}
		const ours = context.diagnostics.filter(
			(d) => d.source === 'LR Scope' && ourCodes.has(String(d.code)),
		);
		const evidence = this._state.evidence(doc);
		return [
			...setLrActions(doc, report, site, evidence, ours),
			...this._scheduleActions(doc, report, site, fitHere, evidence, ours),
			runHereAction(doc),
		];
	}

	/** "Insert a … schedule callback" for the fit call here, or the one the site trains with. */
	private _scheduleActions(
		doc: vscode.TextDocument,
		report: LrSiteReport,
		site: LrSite | undefined,
		fitHere: FitCall | undefined,
		evidence: EvidenceLookup,
		ours: vscode.Diagnostic[],
	): vscode.CodeAction[] {
		const finder = this._state.cache.finder();
		const fit = fitHere ?? fitForSite(report, site);
		const { kind, guessed } = optimizerForSchedule(report, site);
		const fitApplied = appliedOf(evidence(guessed ? undefined : kind));
		if (!finder || !fit || !fitApplied) {
			return [];
		}
		const text = doc.getText();
		const runSteps = this._state.liveRun(doc)?.live.stepCount;
		const { steps, how } = estimateSteps(fit, runSteps);
		return scheduleChoices(fitApplied.rangeTest, steps).map((c) => {
			const sizedFor = `${steps} steps (${how}), tf.train.${kind}${guessed ? ' (assumed)' : ''}: ${describeSchedule(c.spec)}; peak ${c.peakText}, from ${fitApplied.sourceAt}`;
			const a = new vscode.CodeAction(
				`Insert a ${c.label} schedule callback${c.recommended ? ' (recommended)' : ''} into ${fit.method}() · peak ${c.peakText}`,
				vscode.CodeActionKind.QuickFix,
			);
			a.edit = workspaceEdit(doc, scheduleEdits(finder, report, fit, c.spec, kind, text, sizedFor));
			a.diagnostics = ours;
			return a;
		});
	}
}

/** "Set learning rate to …" for each LR the applying range test offers that the site does not have. */
function setLrActions(
	doc: vscode.TextDocument,
	report: LrSiteReport,
	site: LrSite | undefined,
	evidence: EvidenceLookup,
	ours: vscode.Diagnostic[],
): vscode.CodeAction[] {
	const siteApplied = site && appliedOf(evidence(siteOptimizer(report, site)));
	if (!site || !siteApplied) {
		return [];
	}
	const actions: vscode.CodeAction[] = [];
	for (const o of offeredLrs(siteApplied.rangeTest)) {
		if (
			site.value !== undefined &&
			lrLiteral(o.lr) === lrLiteral(site.value) &&
			site.kind !== 'stringOptimizer'
		) {
			continue;
		}
		const edit = setLrEdit(site, o.lr, report);
		if (!edit) {
			break;
		}
		const a = new vscode.CodeAction(
			`Set learning rate to ${o.text}`,
			vscode.CodeActionKind.QuickFix,
		);
		a.edit = workspaceEdit(doc, [edit]);
		a.diagnostics = ours.filter(
			(d) => d.code === diagnosticCodes.lrTooHigh || d.code === diagnosticCodes.lrTooLow,
		);
		// The headline is the one preferred fix; a rule that differs from it never is.
		a.isPreferred = o.name === 'headline';
		actions.push(a);
	}
	return actions;
}

/** "Run LR range test here": the zero-config range test on this script. */
function runHereAction(doc: vscode.TextDocument): vscode.CodeAction {
	const run = new vscode.CodeAction('Run LR range test here', vscode.CodeActionKind.QuickFix);
	run.command = {
		title: 'Run LR range test here',
		command: Commands.runRangeTestOnScript,
		arguments: [{ scriptPath: doc.uri.fsPath }],
	};
	return run;
}

/** Offset edits as one workspace edit on `doc`. */
function workspaceEdit(doc: vscode.TextDocument, edits: OffsetEdit[]): vscode.WorkspaceEdit {
	const we = new vscode.WorkspaceEdit();
	for (const e of edits) {
		we.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.text);
	}
	return we;
}
