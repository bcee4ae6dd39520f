/**
 * What the editor says about a file's LR sites, computed from the sites (src/core/lrSites.ts) and
 * the applicable range test / live runs. vscode-free on purpose: the providers only turn these
 * records into CodeLens, hovers, diagnostics and code actions, and the benchmark and unit tests
 * can call it directly.
 */
import { divergenceLr } from '../../core/recommend';
import { formatLrShort } from '../../core/reportSvg';
import type { FitCall, LrSite, LrSiteReport } from '../../core/lrSites';
import type { Finding, RangeTestResult, SuggestionName } from '../../core/types';
import { suggestionNames } from '../../core/types';

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
function problemWord(code: DiagnosticCode): string {
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

/** The range test the sites are judged against, and whether it is the script's own. */
export interface AppliedResult {
	id: string;
	label: string;
	rangeTest: RangeTestResult;
	/** True when the result's `targetUri` is this document; false = newest in the workspace. */
	forThisFile: boolean;
}

/** The part of a live run the editor uses. */
export interface AppliedRun {
	id: string;
	status: 'running' | 'finished' | 'failed' | 'cancelled';
	findings: readonly Finding[];
}

/** LRs that train in a range test: from where the loss starts falling to where it is lowest. */
export interface UsefulRange {
	/** First LR at which the smoothed loss has fallen 10% of the way from its start to its minimum. */
	low: number;
	/** LR of the minimum smoothed loss (before divergence). */
	high: number;
	/** LR where the test diverged (recommend.ts `divergenceLr`), or null. */
	divergence: number | null;
}

/** Fewest finite smoothed points before the editor judges an LR (a shorter curve says too little). */
export const minPointsToJudge = 8;
/** "Far below": this many times below `UsefulRange.low`. */
export const farBelowFactor = 10;

/** The useful range of a curve, or undefined when it is too short to judge. */
export function usefulRange(r: RangeTestResult): UsefulRange | undefined {
	const divergence = divergenceLr(r);
	let first: number | undefined;
	let minV = Infinity;
	let minI = -1;
	let finite = 0;
	for (let i = 0; i < r.lrs.length; i++) {
		const s = r.smoothed[i];
		if (divergence !== null && r.lrs[i] >= divergence) {
			break;
		}
		if (s === null || !Number.isFinite(s) || !(r.lrs[i] > 0)) {
			continue;
		}
		finite++;
		first ??= s;
		if (s < minV) {
			minV = s;
			minI = i;
		}
	}
	if (finite < minPointsToJudge || first === undefined || minI < 0) {
		return undefined;
	}
	const threshold = first - 0.1 * (first - minV);
	let low = r.lrs[minI];
	for (let i = 0; i <= minI; i++) {
		const s = r.smoothed[i];
		if (s !== null && Number.isFinite(s) && s <= threshold && r.lrs[i] > 0) {
			low = r.lrs[i];
			break;
		}
	}
	return { low, high: r.lrs[minI], divergence };
}

/** One suggestion offered as a value. */
export interface OfferedLr {
	name: SuggestionName | 'consensus';
	lr: number;
}

/** The suggestions in the order the quick fixes offer them: the preferred one (valley, else consensus) first. */
export function offeredLrs(r: RangeTestResult): OfferedLr[] {
	const out: OfferedLr[] = [];
	const rep = r.report;
	const valley = rep.suggestions.valley;
	if (valley && valley.lr > 0) {
		out.push({ name: 'valley', lr: valley.lr });
	} else if (rep.consensus && rep.consensus.lr > 0) {
		out.push({ name: 'consensus', lr: rep.consensus.lr });
	}
	for (const name of suggestionNames) {
		const s = rep.suggestions[name];
		if (s && s.lr > 0 && !out.some((o) => o.name === name)) {
			out.push({ name, lr: s.lr });
		}
	}
	return out;
}

/** An LR as the editor writes it: `3.0e-3` (two significant digits, always exponent form). */
export function formatLrExp(lr: number): string {
	return lr.toExponential(1);
}

/** The literal to write into code for `lr` (short, round-trips to the shown value). */
export function lrLiteral(lr: number): string {
	return String(Number(lr.toPrecision(2)));
}

/** "suggested 3.0e-3 (valley · 4/4 agree)" plus where the result came from when not this file's. */
export function suggestionLensText(applied: AppliedResult): string | undefined {
	const best = offeredLrs(applied.rangeTest)[0];
	if (!best) {
		return undefined;
	}
	const a = applied.rangeTest.report.agreement;
	const from = applied.forThisFile ? '' : ` · from ${applied.label}, the newest in this workspace`;
	return `suggested ${formatLrExp(best.lr)} (${best.name} · ${a.agreeing}/${a.of} agree${from})`;
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
	r: RangeTestResult,
	range = usefulRange(r),
): { code: DiagnosticCode; severity: 'warning' | 'information'; why: string } | undefined {
	if (!range || !(value > 0)) {
		return undefined;
	}
	const trains = `it trains from ~${formatLrShort(range.low)} to ${formatLrShort(range.high)}`;
	if (range.divergence !== null && value >= range.divergence) {
		return {
			code: diagnosticCodes.lrTooHigh,
			severity: 'warning',
			why: `is above where the last range test diverged (${formatLrShort(range.divergence)}); ${trains}`,
		};
	}
	if (value > range.high) {
		return {
			code: diagnosticCodes.lrTooHigh,
			severity: 'warning',
			why: `is above the range that trains in the last range test (the loss is lowest at ${formatLrShort(range.high)} and rises after); ${trains}`,
		};
	}
	if (value < range.low / farBelowFactor) {
		return {
			code: diagnosticCodes.lrTooLow,
			severity: 'information',
			why: `is far below the useful range of the last range test (the loss only starts falling at ~${formatLrShort(range.low)}); training will be slow`,
		};
	}
	return undefined;
}

/** Diagnostics for a file: LR sites judged against `applied`, and the `fit` line of a problem run. */
export function adviseDiagnostics(
	report: LrSiteReport,
	applied: AppliedResult | undefined,
	run: AppliedRun | undefined,
): AdviceDiagnostic[] {
	const out: AdviceDiagnostic[] = [];
	if (applied) {
		const range = usefulRange(applied.rangeTest);
		const best = offeredLrs(applied.rangeTest)[0];
		const seen = new Set<number>();
		for (const site of report.sites) {
			if (site.value === undefined) {
				continue;
			}
			const span = siteSpan(site);
			// One const used by two optimizers is one literal: one diagnostic.
			if (seen.has(span.start)) {
				continue;
			}
			const verdict = judgeLr(site.value, applied.rangeTest, range);
			if (!verdict) {
				continue;
			}
			seen.add(span.start);
			const what = site.isDefault
				? `${site.note ?? 'the default'} (${formatLrShort(site.value)})`
				: `LR ${formatLrShort(site.value)}`;
			const fix = best ? `; suggested ${formatLrExp(best.lr)} (${best.name})` : '';
			out.push({
				...verdict,
				start: span.start,
				end: span.end,
				message: `${what} ${verdict.why}${fix}.`,
				site,
			});
		}
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
			message: `The last run of this script ${problemWord(problem.code)} at ${f.unit} ${f.step}: ${f.message}${f.action ? ` ${f.action}` : ''}`,
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
}

/**
 * Lenses for a file: on every fit call "▶ LR range test" (and the last run's problem); on every
 * optimizer constructor the suggestion (plus "▶ LR range test" when the file has no fit call).
 */
export function adviseLenses(
	report: LrSiteReport,
	applied: AppliedResult | undefined,
	run: AppliedRun | undefined,
): AdviceLens[] {
	const out: AdviceLens[] = [];
	const suggestion = applied && suggestionLensText(applied);
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
		if (!report.fits.length) {
			out.push({ start: site.range.start, kind: 'runRangeTest', title: '▶ LR range test' });
		}
		if (suggestion) {
			out.push({ start: site.range.start, kind: 'suggestion', title: suggestion });
		}
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
