/**
 * Words for a verified headline (core/verify.ts): the evidence sentence every surface shows under
 * the headline, the candidates as table rows, where the held-out loss came from, and the progress
 * line while the probes train. Notification, panel, side view, CodeLens, hover, CLI and reports
 * all write verification through these functions, so they say the same thing.
 */
import type { Headline } from '../types';
import { type Verification, type VerifyCandidate } from '../verify';
import { defaultPickTolerance } from '../verifyPick';
import { formatLoss, formatLr, formatSeconds } from './format';

/** A candidate whose probe's loss turned non-finite. */
export function candidateDiverged(c: VerifyCandidate): boolean {
	return c.heldOutLoss === null || !Number.isFinite(c.heldOutLoss);
}

/** The winner among the candidates (the one at `v.lr`), if it is listed. */
export function winnerOf(v: Verification): VerifyCandidate | undefined {
	return v.candidates.find((c) => c.lr === v.lr);
}

/** `a`, `a and b`, `a, b and c`. */
function listText(items: readonly string[]): string {
	return items.length <= 1
		? (items[0] ?? '')
		: `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A beaten candidate in the evidence: `1e-2`, `1e-2 (diverged)`, `1e-2 (dropped after 50 steps)`. */
function beatenText(c: VerifyCandidate, steps: number): string {
	if (candidateDiverged(c)) {
		return `${formatLr(c.lr)} (diverged)`;
	}
	return c.steps < steps ? `${formatLr(c.lr)} (dropped after ${c.steps} steps)` : formatLr(c.lr);
}

/** Candidates named one by one up to this many; more are summed up as a range. */
const maxNamedCandidates = 3;

/**
 * The beaten candidates (ascending LR): `1e-3 and 0.01 (diverged)`, or for many
 * `the 6 other candidates from 3.2e-4 to 0.032 (1 diverged, 2 dropped early)`.
 */
function beatenListText(beaten: readonly VerifyCandidate[], steps: number): string {
	if (beaten.length <= maxNamedCandidates) {
		return listText(beaten.map((c) => beatenText(c, steps)));
	}
	const diverged = beaten.filter(candidateDiverged).length;
	const dropped = beaten.filter((c) => !candidateDiverged(c) && c.steps < steps).length;
	const counts = [
		diverged ? `${diverged} diverged` : '',
		dropped ? `${dropped} dropped early` : '',
	].filter(Boolean);
	const range = `from ${formatLr(beaten[0].lr)} to ${formatLr(beaten[beaten.length - 1].lr)}`;
	return `the ${beaten.length} other candidates ${range}${counts.length ? ` (${counts.join(', ')})` : ''}`;
}

/** What the pick compared for a finalist: its score (projected), else its held-out loss. */
const compared = (c: VerifyCandidate): number | null => c.score ?? c.heldOutLoss;

/**
 * Whether `c` tied with the winner rather than lost: a full-length probe whose score (held-out loss,
 * projected when the pick projects) was lower than the winner's, but within the pick's tolerance
 * (the lower LR wins a tie, core/verify.ts).
 */
export function candidateTied(c: VerifyCandidate, v: Verification): boolean {
	const w = winnerOf(v);
	const wScore = w ? compared(w) : null;
	return (
		c.lr !== v.lr &&
		!candidateDiverged(c) &&
		c.steps >= v.steps &&
		wScore !== null &&
		(compared(c) as number) < wScore
	);
}

/** How the held-out loss was compared: `after 40 steps, its trend projected to 160 steps`. */
function comparedText(v: Verification): string {
	const projected = v.projectedTo !== undefined && v.projectedTo > v.steps;
	return `after ${v.steps} steps${projected ? `, its trend projected to ${v.projectedTo} steps` : ''}`;
}

/**
 * The evidence sentence under a verified headline, e.g.
 * `verified: 3e-3 beat 1e-3 and 1e-2 on held-out loss after 200 steps (the curve alone gave 1e-3)`,
 * `verified: 3e-3, the curve's own suggestion, beat 1e-3 and 1e-2 (diverged) on held-out loss after
 * 200 steps`, `… on held-out loss after 50 steps, its trend projected to 200 steps` (core/verify.ts
 * `pickScore`). The beaten candidates are listed in ascending LR.
 */
export function verifiedEvidenceText(v: Verification): string {
	const others = v.candidates.filter((c) => c.lr !== v.lr).sort((a, b) => a.lr - b.lr);
	const tied = others.filter((c) => candidateTied(c, v));
	const beaten = others.filter((c) => !candidateTied(c, v));
	const curveWon = v.lr === v.curveLr;
	const who = curveWon ? `${formatLr(v.lr)}, the curve's own suggestion,` : formatLr(v.lr);
	const beat = beaten.length ? ` beat ${beatenListText(beaten, v.steps)}` : '';
	const verb = others.length ? '' : ' was the only candidate';
	const tie = tied.length
		? `${beaten.length ? ' and' : ''} tied with ${listText(tied.map((c) => formatLr(c.lr)))} (within ${Math.round(defaultPickTolerance * 100)}%: the lower LR wins)`
		: '';
	const curve = curveWon ? '' : ` (the curve alone gave ${formatLr(v.curveLr)})`;
	return `verified: ${who}${beat}${tie}${verb} on held-out loss ${comparedText(v)}${curve}`;
}

/** Where the held-out loss came from: `the script's validation data (200 examples)`. */
export function heldOutText(v: Verification): string {
	const what = v.heldOut === 'validation' ? 'the validation data' : 'a held-out slice of the data';
	return `${what} (${v.heldOutExamples} examples)`;
}

/** Where the probe length came from, for the table caption: `200 steps, from the script's fit plan`. */
export function probeLengthText(v: Verification): string {
	const from =
		v.stepsFrom === 'plan'
			? "from the script's fit plan (epochs × steps per epoch)"
			: v.stepsFrom === 'option'
				? 'as asked (--verify-steps)'
				: 'the default';
	return `${v.steps} steps, ${from}; ${v.totalSteps} probe steps in all`;
}

/** One candidate as a table row (panel, CLI, report): every cell already written. */
export interface CandidateRow {
	lr: string;
	loss: string;
	steps: string;
	/** `verified`, `diverged`, `dropped`, or empty. */
	status: string;
	/** Where the LR came from: `curve`, a rule name, `×3`, … */
	origin: string;
	winner: boolean;
	diverged: boolean;
}

/** A candidate's held-out loss cell: `0.709`, or `0.709 (projected 0.618)` when the pick projected. */
function lossText(c: VerifyCandidate, v: Verification): string {
	const measured = formatLoss(c.heldOutLoss);
	const projected =
		v.projectedTo !== undefined && c.score !== undefined && c.score !== c.heldOutLoss;
	return projected ? `${measured} (projected ${formatLoss(c.score ?? null)})` : measured;
}

/** Where a candidate's LR came from, in words (its `origin`). */
export function originText(origin: string): string {
	switch (origin) {
		case 'curve':
			return "the curve's suggestion";
		case 'climb':
			return 'above the window: its top led';
		default:
			return origin;
	}
}

/** The candidates as table rows, ascending LR. */
export function candidateRows(v: Verification): CandidateRow[] {
	return [...v.candidates]
		.sort((a, b) => a.lr - b.lr)
		.map((c) => {
			const winner = c.lr === v.lr;
			const diverged = candidateDiverged(c);
			return {
				lr: formatLr(c.lr),
				loss: diverged ? 'diverged' : lossText(c, v),
				steps: String(c.steps),
				status: winner
					? 'verified'
					: diverged
						? 'diverged'
						: c.steps < v.steps
							? 'dropped'
							: candidateTied(c, v)
								? 'tied'
								: '',
				origin: originText(c.origin),
				winner,
				diverged,
			};
		});
}

/** The candidates in one line for screen readers and alt text: `1e-3: 0.412; 3e-3: 0.388 (verified); …`. */
export function candidatesSummaryText(v: Verification): string {
	const rows = candidateRows(v)
		.map((r) => `${r.lr}: ${r.loss}${r.status && r.status !== 'diverged' ? ` (${r.status})` : ''}`)
		.join('; ');
	return `Held-out loss per candidate learning rate, measured on ${heldOutText(v)}: ${rows}.`;
}

/** What a verification progress message says: `verifying 3 candidates · step 120/400`. */
export function verifyProgressText(p: { step: number; total: number; candidates: number }): string {
	return `verifying ${p.candidates} candidate${p.candidates === 1 ? '' : 's'} · step ${p.step}/${p.total}`;
}

/** Why the engine did not verify a headline it was asked to verify (a run log line each). */
export type VerifySkip =
	| { kind: 'dataset' }
	| { kind: 'overBudget'; probeSteps: number; capSteps: number }
	| { kind: 'noRoom'; planSteps: number };

/** The log line of a verification the engine skipped: `verify: …, skipped`. */
export function verifySkippedText(skip: VerifySkip): string {
	switch (skip.kind) {
		case 'dataset':
			return 'verify: the tf.data dataset does not yield {xs, ys} batches of tensors (or arrays of tensors) the probes can read, skipped';
		case 'overBudget':
			return `verify: the probes (${skip.probeSteps} steps) do not fit the time the range test left of its budget (${skip.capSteps} steps at its step cost), skipped; --verify on runs them`;
		case 'noRoom':
			return `verify: a ${skip.planSteps}-step plan leaves no room for probes within the budget, skipped`;
	}
}

/** The run log's line when a tf.data dataset was read into memory for the probes. */
export function verifyDatasetText(examples: number, complete: boolean): string {
	return complete
		? `verify: the probes train on the tf.data dataset read into memory (${examples} examples)`
		: `verify: the probes train on the first ${examples} examples of the tf.data dataset, read into memory (the rest is left out)`;
}

/** The result's note when its verification was cancelled: the curve's headline stands. */
export const verifyCancelledNote = "verification was cancelled: the suggestion is the curve's";

/** The run log's warning when verification failed (`error` in full, from `errorText`). */
export function verifyFailedLogText(error: string): string {
	return `verification failed: ${error}`;
}

/** The result's note when verification failed (the error's first line): the curve's headline stands. */
export function verifyFailedNote(error: string): string {
	return `verification failed (${error.split('\n')[0]}): the suggestion is the curve's`;
}

/** A verify mode that is not off, auto or on. */
export function verifyModeText(value: unknown): string {
	return `--verify must be off, auto or on, got ${String(value)}`;
}

/**
 * How long a range test took to answer: `0.5 s`, or `0.8 s (range test 0.5 s, verification 0.3 s)`
 * when its headline was verified (older results without the verification's time: the range test's).
 */
export function answerTimeText(r: { seconds: number; report: { headline?: Headline } }): string {
	const v = r.report.headline?.verified?.seconds;
	return v === undefined
		? formatSeconds(r.seconds)
		: `${formatSeconds(r.seconds + v)} (range test ${formatSeconds(r.seconds)}, verification ${formatSeconds(v)})`;
}
