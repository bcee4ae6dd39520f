/**
 * The verified headline's pick (core/verify.ts): which finalist of the probes wins, on its held-out
 * loss projected toward the plan's length, ties to the lower LR. Pure; unit-tested.
 */
import type { VerifyCandidate } from './verify';

/**
 * How the measured winner is picked ({@link pickVerified}). Chosen on the tuning half of
 * bench/suggestion-quality (docs/algorithms.md, "The verified headline").
 */
export interface PickRule {
	/** A finalist whose score is within this fraction of the best score is tied with it. */
	tolerance: number;
	/**
	 * How far a finalist's trend is projected toward the plan's length (see {@link pickScore}); 0: its
	 * last held-out loss alone.
	 */
	project: number;
	/** Who wins a tie: the lowest LR (probes shorter than the plan favour high LRs), or the LR nearest the curve's. */
	tie: 'lowest' | 'curve';
}

/**
 * Default: each finalist's pace over the second half of its probe projected a quarter of the way
 * per remaining doubling to the plan's length, ties within 5% to the lowest LR (chosen with the
 * window and schedule on bench/suggestion-quality's tuning half, seeds 1 and 2 pooled: 38 of 46
 * runs within 10% of the grid's best, 3% ties 36; docs/algorithms.md).
 */
export const defaultPickRule: PickRule = { tolerance: 0.05, project: 0.25, tie: 'lowest' };
/** {@link defaultPickRule}'s tolerance (what the evidence sentence quotes). */
export const defaultPickTolerance = defaultPickRule.tolerance;

/**
 * What the pick compares for a finalist: its last held-out loss `L`, projected to the plan's length
 * when it still fell over the second half of its probe: `L · (L / halfway)^(project · d)`, with `d`
 * the doublings from its length to the plan's (`log2(planSteps / steps)`) and the ratio at most 1 —
 * a probe shorter than the plan cuts short the LRs that learn slower but steadier, and this credits
 * them with the part of their pace the rest of the plan would likely keep. The last loss itself when
 * nothing is projected (no halfway loss, `project` 0, or a probe as long as the plan).
 */
export function pickScore(c: VerifyCandidate, rule: PickRule, planSteps?: number): number | null {
	const last = c.heldOutLoss;
	const half = c.halfwayLoss;
	if (last === null || rule.project <= 0 || half === undefined || half === null) {
		return last;
	}
	if (!(planSteps !== undefined && planSteps > c.steps && last > 0 && half > 0)) {
		return last;
	}
	const d = Math.log2(planSteps / c.steps);
	return last * Math.pow(Math.min(1, last / half), rule.project * d);
}

/**
 * The measured winner among the finite candidates that ran longest (a finalist whose loss turned
 * non-finite leaves the other finalists; `undefined` if none is finite): the finalists within
 * `rule.tolerance` of the best {@link pickScore} are tied, and the tie goes to the lowest LR or to
 * the LR nearest `at.curveLr` (`rule.tie`). Each finalist's `score` is set to what was compared.
 */
export function pickVerified(
	candidates: readonly VerifyCandidate[],
	rule: PickRule = defaultPickRule,
	at: { planSteps?: number; curveLr?: number } = {},
): VerifyCandidate | undefined {
	const finite = candidates.filter((c) => c.heldOutLoss !== null);
	const longest = Math.max(0, ...finite.map((c) => c.steps));
	const finalists = finite.filter((c) => c.steps === longest);
	if (finalists.length === 0) {
		return undefined;
	}
	finalists.forEach((c) => (c.score = pickScore(c, rule, at.planSteps)!));
	const best = Math.min(...finalists.map((c) => c.score!));
	const tied = finalists.filter((c) => c.score! <= best + Math.abs(best) * rule.tolerance);
	const away = (c: VerifyCandidate): number =>
		rule.tie === 'curve' && at.curveLr ? Math.abs(Math.log(c.lr / at.curveLr)) : c.lr;
	return tied.reduce((a, b) => (away(b) < away(a) || (away(b) === away(a) && b.lr < a.lr) ? b : a));
}
