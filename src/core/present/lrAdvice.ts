/**
 * The editor's words on a learning-rate literal and on a training script's last run: the
 * diagnostics of extension/editor/advice.ts (which decides; this writes).
 */
import { formatLr } from './format';

/** Where the range test trains: its useful LR range and where it diverged. */
export interface UsefulRangeWords {
	low: number;
	high: number;
	divergence: number | null;
}

/** Why an LR is judged: above the divergence, above the range that trains, or far below it. */
export type LrVerdictKind = 'aboveDivergence' | 'aboveRange' | 'farBelow';

/** The verdict's reason, after the LR ("is above where the range test diverged (0.3); …"). */
export function lrVerdictWhy(kind: LrVerdictKind, range: UsefulRangeWords): string {
	const trains = `it trains from ~${formatLr(range.low)} to ${formatLr(range.high)}`;
	if (kind === 'aboveDivergence') {
		return `is above where the range test diverged (${formatLr(range.divergence ?? range.high)}); ${trains}`;
	}
	if (kind === 'aboveRange') {
		return `is above the range that trains in the range test (the loss is lowest at ${formatLr(range.high)} and rises after); ${trains}`;
	}
	return `is far below the useful range of the range test (the loss only starts falling at ~${formatLr(range.low)}); training will be slow`;
}

/** The LR the diagnostic is about: "LR 0.3", or a default ("Adam's default learning rate (1e-3)"). */
export function lrSiteText(site: { value?: number; isDefault?: boolean; note?: string }): string {
	return site.isDefault
		? `${site.note ?? 'the default'} (${formatLr(site.value)})`
		: `LR ${formatLr(site.value)}`;
}

/** The whole diagnostic: the LR, why, the suggestion (`fix`, may be empty) and its source. */
export function lrDiagnosticText(what: string, why: string, fix: string, sourceAt: string): string {
	return `${what} ${why}${fix ? `; ${fix}` : ''} (from ${sourceAt}).`;
}

/** What happened to the script's last run. */
export type RunProblemWord = 'diverged' | 'had a layer problem' | 'stalled';

/** The diagnostic on the script's fit call: "The last run of this script diverged at step 31: …". */
export function runProblemText(
	problem: RunProblemWord,
	f: { unit: string; step: number; message: string; action?: string },
): string {
	return `The last run of this script ${problem} at ${f.unit} ${f.step}: ${f.message}${f.action ? ` ${f.action}` : ''}`;
}
