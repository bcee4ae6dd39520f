/**
 * What the editor says about a file's LR sites, computed from the sites (src/core/lrSites.ts), the
 * range test that applies to each site (core/provenance.ts: the script's own or a linked one, same
 * optimizer) and the file's live runs. The suggested LR is always the headline (core/headline.ts),
 * written by core/present. vscode-free on purpose: the providers only turn these
 * records into CodeLens, hovers, diagnostics and code actions, and the benchmark and unit tests
 * can call it directly.
 */
import {
	lrDiagnosticText,
	lrSiteText,
	lrVerdictWhy,
	type RunProblemWord,
	runProblemText,
} from '../../core/present/lrAdvice';
import type { FitCall, LrSite, LrSiteReport } from '../../core/lrSites';
import { headlineEvidenceText, headlineSummary } from '../../core/present/headline';
import type { ProvenanceVia } from '../../core/provenance';
import type { OptimizerKind } from '../../core/tfjsNames';
import { farBelowFactor, usefulRange, type UsefulRange } from './lrRange';
import type { Finding, LoadedRangeTest } from '../../core/types';

/** Stable diagnostic codes (the quick fixes filter on them; users can search for them). */
export const diagnosticCodes = {
	lrTooHigh: 'lr-too-high',
	lrTooLow: 'lr-too-low',
	runDiverged: 'run-diverged',
	runStalled: 'run-stalled',
	/** A layer finding (issue 15): the message names the layer and the action. */
	runLayerProblem: 'run-layer-problem',
} as const;

/** What a run problem's code says happened, for the lens and the diagnostic. */
function problemWord(code: DiagnosticCode): RunProblemWord {
	return code === diagnosticCodes.runDiverged
		? 'diverged'
		: code === diagnosticCodes.runLayerProblem
			? 'had a layer problem'
			: 'stalled';
}

/** A diagnostic code. */
export type DiagnosticCode = (typeof diagnosticCodes)[keyof typeof diagnosticCodes];

/** The diagnostics' `source`. */
export const diagnosticSource = 'LR Scope';

/** The range test a site is judged against: one that applies to it (core/provenance.ts). */
export interface AppliedResult {
	id: string;
	label: string;
	rangeTest: LoadedRangeTest;
	/** The script's own result, or one of a target the user linked to the script. */
	via: ProvenanceVia;
	/** Where it comes from, e.g. "range test of train.js · adam · 5 min ago". */
	source: string;
	/** The same with a clock time instead of "ago", for text that is not redrawn (diagnostics). */
	sourceAt: string;
}

/** What applies to one LR site (core/provenance.ts `Evidence`, with the result resolved). */
export type SiteEvidence =
	| { kind: 'applies'; applied: AppliedResult }
	/** The script (or a link) has range tests, but with another optimizer than the site's. */
	| { kind: 'otherOptimizer'; tested: string; site: OptimizerKind }
	/** Nothing of this script or a linked target: offer to run a range test of this script. */
	| { kind: 'none' };

/** The evidence for a site whose optimizer is `optimizer` (undefined: the parser cannot tell). */
export type EvidenceLookup = (optimizer: OptimizerKind | undefined) => SiteEvidence;

/** The applied result of `evidence`, if one applies. */
export function appliedOf(evidence: SiteEvidence): AppliedResult | undefined {
	return evidence.kind === 'applies' ? evidence.applied : undefined;
}

/** The optimizer a site trains with: its own, else the file's only one, else unknown. */
export function siteOptimizer(report: LrSiteReport, site: LrSite): OptimizerKind | undefined {
	if (site.optimizer) {
		return site.optimizer;
	}
	const kinds = new Set(report.sites.map((s) => s.optimizer).filter((k) => k !== undefined));
	return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** The part of a live run the editor uses. */
export interface AppliedRun {
	id: string;
	status: 'running' | 'finished' | 'failed' | 'cancelled';
	findings: readonly Finding[];
}

/** "suggested 3e-3 (valley) · from range test of train.js · adam · 5 min ago". */
export function suggestionLensText(applied: AppliedResult): string {
	return `${headlineSummary(applied.rangeTest.report.headline)} · from ${applied.source}`;
}

/** The run lens where no result applies; says why when the script was tested with another optimizer. */
export function runLensTitle(evidence: SiteEvidence): string {
	return evidence.kind === 'otherOptimizer'
		? `▶ LR range test for this script (the last one trained ${evidence.tested}, not ${evidence.site})`
		: '▶ LR range test for this script';
}

/** "last run: diverged at step 412 — show", when the newest run of this file found a problem. */
export function runLensText(run: AppliedRun): string | undefined {
	const p = runProblem(run);
	if (!p) {
		return undefined;
	}
	return `last run: ${problemWord(p.code)} at ${p.finding.unit} ${p.finding.step} — show`;
}

/** The run's most serious problem: divergence / non-finite loss first, then a plateau. */
export function runProblem(
	run: AppliedRun,
): { code: DiagnosticCode; finding: Finding } | undefined {
	const diverged = run.findings.find((f) => f.kind === 'divergence' || f.kind === 'nonFinite');
	if (diverged) {
		return { code: diagnosticCodes.runDiverged, finding: diverged };
	}
	// Layer findings say where inside the model, and often before the loss shows it.
	const layer = run.findings.find((f) => f.layer !== undefined || f.kind === 'earlyDivergence');
	if (layer) {
		return { code: diagnosticCodes.runLayerProblem, finding: layer };
	}
	const stalled = run.findings.find((f) => f.kind === 'plateau');
	return stalled ? { code: diagnosticCodes.runStalled, finding: stalled } : undefined;
}

/** A diagnostic to show, as offsets into the document. */
export interface AdviceDiagnostic {
	code: DiagnosticCode;
	severity: 'warning' | 'information';
	start: number;
	end: number;
	message: string;
	/** The site it is about (LR diagnostics). */
	site?: LrSite;
	/** The fit call it is about (run diagnostics). */
	fit?: FitCall;
}

/** Where a site's diagnostic goes: its literal when it has one here, else the whole call. */
function siteSpan(site: LrSite): { start: number; end: number } {
	// A `const lr = 0.1` used at the call: the literal is what a fix changes, so mark it.
	return site.literal ?? site.range;
}

/** Judges one LR value against a range test; undefined when it is fine (or cannot be judged). */
export function judgeLr(
	value: number,
	r: LoadedRangeTest,
	range = usefulRange(r),
): { code: DiagnosticCode; severity: 'warning' | 'information'; why: string } | undefined {
	if (!range || !(value > 0)) {
		return undefined;
	}
	if (range.divergence !== null && value >= range.divergence) {
		return {
			code: diagnosticCodes.lrTooHigh,
			severity: 'warning',
			why: lrVerdictWhy('aboveDivergence', range),
		};
	}
	if (value > range.high) {
		return {
			code: diagnosticCodes.lrTooHigh,
			severity: 'warning',
			why: lrVerdictWhy('aboveRange', range),
		};
	}
	if (value < range.low / farBelowFactor) {
		return {
			code: diagnosticCodes.lrTooLow,
			severity: 'information',
			why: lrVerdictWhy('farBelow', range),
		};
	}
	return undefined;
}

/**
 * Diagnostics for a file: each LR site judged against the result that applies to it (`evidence`,
 * by the site's optimizer; no verdict without one), and the `fit` line of a problem run. Every LR
 * message names its source.
 */
export function adviseDiagnostics(
	report: LrSiteReport,
	evidence: EvidenceLookup,
	run: AppliedRun | undefined,
): AdviceDiagnostic[] {
	const out: AdviceDiagnostic[] = [];
	const seen = new Set<number>();
	// Each result's useful range once, however many sites it judges.
	const ranges = new Map<string, UsefulRange | undefined>();
	for (const site of report.sites) {
		if (site.value === undefined) {
			continue;
		}
		const applied = appliedOf(evidence(siteOptimizer(report, site)));
		if (!applied) {
			continue;
		}
		const span = siteSpan(site);
		// One const used by two optimizers is one literal: one diagnostic.
		if (seen.has(span.start)) {
			continue;
		}
		if (!ranges.has(applied.id)) {
			ranges.set(applied.id, usefulRange(applied.rangeTest));
		}
		const verdict = judgeLr(site.value, applied.rangeTest, ranges.get(applied.id));
		if (!verdict) {
			continue;
		}
		seen.add(span.start);
		const h = applied.rangeTest.report.headline;
		const fix = h.lr === null ? '' : headlineSummary(h);
		out.push({
			...verdict,
			start: span.start,
			end: span.end,
			message: lrDiagnosticText(lrSiteText(site), verdict.why, fix, applied.sourceAt),
			site,
		});
	}
	const problem = run && runProblem(run);
	if (problem && report.fits.length) {
		const fit = report.fits[0];
		const f = problem.finding;
		out.push({
			code: problem.code,
			severity: 'warning',
			start: fit.nameRange.start,
			end: fit.nameRange.end,
			message: runProblemText(problemWord(problem.code), f),
			fit,
		});
	}
	return out;
}

/** Where CodeLens go and what they say (the provider adds the commands). */
export interface AdviceLens {
	start: number;
	kind: 'runRangeTest' | 'suggestion' | 'lastRun';
	title: string;
	/** A suggestion lens's tooltip: the evidence of a verified headline. */
	detail?: string;
	/** The result a suggestion lens opens. */
	resultId?: string;
}

/**
 * Lenses for a file: on every fit call "▶ LR range test" (and the last run's problem); on every
 * optimizer constructor the headline of the result that applies to it, with its source (plus
 * "▶ LR range test" when the file has no fit call), or — when none applies — "▶ LR range test for
 * this script".
 */
export function adviseLenses(
	report: LrSiteReport,
	evidence: EvidenceLookup,
	run: AppliedRun | undefined,
): AdviceLens[] {
	const out: AdviceLens[] = [];
	const lastRun = run && runLensText(run);
	for (const fit of report.fits) {
		out.push({ start: fit.range.start, kind: 'runRangeTest', title: '▶ LR range test' });
		if (lastRun) {
			out.push({ start: fit.range.start, kind: 'lastRun', title: lastRun });
		}
	}
	for (const site of report.sites) {
		if (site.kind !== 'optimizer' && site.kind !== 'stringOptimizer') {
			continue;
		}
		const e = evidence(siteOptimizer(report, site));
		if (e.kind !== 'applies') {
			// No borrowed verdict: offer a range test of this script instead.
			out.push({ start: site.range.start, kind: 'runRangeTest', title: runLensTitle(e) });
			continue;
		}
		if (!report.fits.length) {
			out.push({ start: site.range.start, kind: 'runRangeTest', title: '▶ LR range test' });
		}
		out.push({
			start: site.range.start,
			kind: 'suggestion',
			title: suggestionLensText(e.applied),
			detail: headlineEvidenceText(e.applied.rangeTest.report.headline),
			resultId: e.applied.id,
		});
	}
	return out;
}

/** The optimizer a schedule is generated for at `site`: its own, else the file's only one, else adam. */
export function optimizerForSchedule(
	report: LrSiteReport,
	site?: LrSite,
): { kind: NonNullable<LrSite['optimizer']>; guessed: boolean } {
	if (site?.optimizer) {
		return { kind: site.optimizer, guessed: false };
	}
	const kinds = new Set(report.sites.map((s) => s.optimizer).filter((k) => k !== undefined));
	if (kinds.size === 1) {
		return { kind: [...kinds][0], guessed: false };
	}
	// Only sgd/momentum differ in the generated code (setLearningRate); adam is tfjs's common default.
	return { kind: 'adam', guessed: true };
}

/** The fit call a site trains with: the first one after it, else the last one before it. */
export function fitForSite(report: LrSiteReport, site?: LrSite): FitCall | undefined {
	if (!site) {
		return report.fits[0];
	}
	return report.fits.find((f) => f.range.start > site.range.start) ?? report.fits.at(-1);
}
