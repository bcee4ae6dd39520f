/**
 * Quick fixes on LR sites and on `fit` lines, from the range test that applies to the site
 * (core/provenance.ts; none borrowed): set the LR to the headline (preferred, "Set learning rate to
 * 3e-3 (valley)") or another rule's value, insert a cosine / one-cycle / step schedule callback that
 * peaks at the headline (core `scheduleCode`, for the optimizer found at the site, the kind from
 * `recommendSchedule`; the class goes above the statement with the `fit` call and an instance into
 * its `callbacks`), or run a range test.
 */
import * as vscode from 'vscode';
import type { OffsetEdit } from '../../core/lrSites';
import { describeSchedule } from '../../core/schedules';
import { lrLiteral } from '../../core/present/format';
import {
	appliedOf,
	diagnosticCodes,
	fitForSite,
	offeredLrs,
	optimizerForSchedule,
	siteOptimizer,
} from './advice';
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
		const text = doc.getText();
		const actions: vscode.CodeAction[] = [];
		const toEdit = (edits: OffsetEdit[]): vscode.WorkspaceEdit => {
			const we = new vscode.WorkspaceEdit();
			for (const e of edits) {
				we.replace(
					doc.uri,
					new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)),
					e.text,
				);
			}
			return we;
		};

		const siteApplied = site && appliedOf(evidence(siteOptimizer(report, site)));
		if (site && siteApplied) {
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
				a.edit = toEdit([edit]);
				a.diagnostics = ours.filter(
					(d) => d.code === diagnosticCodes.lrTooHigh || d.code === diagnosticCodes.lrTooLow,
				);
				// The headline is the one preferred fix; a rule that differs from it never is.
				a.isPreferred = o.name === 'headline';
				actions.push(a);
			}
		}

		const fit = fitHere ?? fitForSite(report, site);
		const { kind, guessed } = optimizerForSchedule(report, site);
		const fitApplied = appliedOf(evidence(guessed ? undefined : kind));
		if (fit && fitApplied) {
			const runSteps = this._state
				.liveRun(doc)
				?.live.records.filter((r) => r.unit === 'step').length;
			const { steps, how } = estimateSteps(fit, runSteps);
			for (const c of scheduleChoices(fitApplied.rangeTest, steps)) {
				const sizedFor = `${steps} steps (${how}), tf.train.${kind}${guessed ? ' (assumed)' : ''}: ${describeSchedule(c.spec)}; peak ${c.peakText}, from ${fitApplied.sourceAt}`;
				const a = new vscode.CodeAction(
					`Insert a ${c.label} schedule callback${c.recommended ? ' (recommended)' : ''} into ${fit.method}() · peak ${c.peakText}`,
					vscode.CodeActionKind.QuickFix,
				);
				a.edit = toEdit(scheduleEdits(finder, report, fit, c.spec, kind, text, sizedFor));
				a.diagnostics = ours;
				actions.push(a);
			}
		}

		const run = new vscode.CodeAction('Run LR range test here', vscode.CodeActionKind.QuickFix);
		run.command = {
			title: 'Run LR range test here',
			command: Commands.runRangeTestOnScript,
			arguments: [{ scriptPath: doc.uri.fsPath }],
		};
		actions.push(run);
		return actions;
	}
}
