/** JSON shapes shared by `lrscope --json` outputs (numbers stay numbers; words from present/). */
import type { Headline, HeadlineRule, HeadlineVerdict } from '../types';
import type { Verification } from '../verify';
import { headlineText } from './headline';
import { candidateDiverged, verifiedEvidenceText } from './verify';

/** `headline.verified` of `--json`: the measured evidence, with its sentence. */
export interface VerifiedJson {
	/** The measured winner (also `headline.lr`). */
	lr: number;
	/** What the curve rule alone gave. */
	curveLr: number;
	/** Every probed LR, ascending; `heldOutLoss` is `null` when the probe diverged. */
	candidates: {
		lr: number;
		origin: string;
		heldOutLoss: number | null;
		/** Held-out loss at half the probe's length (a finalist's, when the pick projects). */
		halfwayLoss?: number | null;
		/** What the pick compared: the held-out loss, projected to `projectedTo` steps when set. */
		score?: number;
		steps: number;
		diverged: boolean;
		winner: boolean;
	}[];
	steps: number;
	/** The plan's length the finalists' trend was projected to (core/verify.ts `pickScore`). */
	projectedTo?: number;
	stepsFrom: Verification['stepsFrom'];
	heldOut: Verification['heldOut'];
	heldOutExamples: number;
	totalSteps: number;
	/** Seconds the verification took (absent in results stored before it was kept). */
	seconds?: number;
	/** `verified: 3e-3 beat 1e-3 and 1e-2 on held-out loss after 200 steps`. */
	text: string;
}

/** The `headline` field of `--json` outputs: the LR, the rule, the verdict, and `headlineText`. */
export interface HeadlineJson {
	lr: number | null;
	rule: HeadlineRule;
	verdict: HeadlineVerdict;
	/** `3e-3 (valley)` — the string every surface shows. */
	text: string;
	/** Present when short real trainings verified the LR (`--verify`). */
	verified?: VerifiedJson;
}

/** The `verified` field of a `--json` headline. */
export function verifiedJson(v: Verification): VerifiedJson {
	return {
		lr: v.lr,
		curveLr: v.curveLr,
		candidates: [...v.candidates]
			.sort((a, b) => a.lr - b.lr)
			.map((c) => ({
				lr: c.lr,
				origin: c.origin,
				heldOutLoss: candidateDiverged(c) ? null : c.heldOutLoss,
				...(c.halfwayLoss !== undefined ? { halfwayLoss: c.halfwayLoss } : {}),
				...(c.score !== undefined ? { score: c.score } : {}),
				steps: c.steps,
				diverged: candidateDiverged(c),
				winner: c.lr === v.lr,
			})),
		steps: v.steps,
		...(v.projectedTo !== undefined ? { projectedTo: v.projectedTo } : {}),
		stepsFrom: v.stepsFrom,
		heldOut: v.heldOut,
		heldOutExamples: v.heldOutExamples,
		totalSteps: v.totalSteps,
		...(v.seconds !== undefined ? { seconds: v.seconds } : {}),
		text: verifiedEvidenceText(v),
	};
}

/** The `headline` field of a `--json` output. */
export function headlineJson(h: Headline): HeadlineJson {
	return {
		lr: h.lr,
		rule: h.rule,
		verdict: h.verdict,
		text: headlineText(h),
		...(h.verified ? { verified: verifiedJson(h.verified) } : {}),
	};
}
