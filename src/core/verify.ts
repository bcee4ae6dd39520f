/**
 * The verified suggestion (issue: "measure, don't guess"): after the range test, short real
 * trainings ("probes") at a few candidate LRs taken from the curve, each from the same initial
 * weights and scored on held-out data; the best measured candidate becomes the headline LR.
 *
 * This file holds the data every layer shares (numbers only; words come from `core/present/`).
 * The candidate choice and the probe budget live here too (pure, unit-tested); the probes
 * themselves run in `engine/verify.ts`.
 */

/** `off`: the curve rule alone; `on`: always verify; `auto`: verify when the benchmark says it pays. */
export type VerifyMode = 'off' | 'auto' | 'on';

export const verifyModes: readonly VerifyMode[] = ['off', 'auto', 'on'];

/** One probed LR. */
export interface VerifyCandidate {
	lr: number;
	/**
	 * Where the LR came from: `curve` (the curve rule's headline LR), a fastai rule name
	 * (`valley`, `minimum`, …), or `factor` (a multiple of the curve LR).
	 */
	origin: string;
	/** Held-out loss after its probe; `null` when the probe's loss turned non-finite. */
	heldOutLoss: number | null;
	/** Training steps this candidate's probe ran (fewer when it was dropped early). */
	steps: number;
}

/** The evidence behind a verified headline (stored as `headline.verified`). */
export interface Verification {
	/** The measured winner: the LR every surface shows as the headline. */
	lr: number;
	/** The curve rule's LR before verification (what the headline would be without it). */
	curveLr: number;
	/** Every probed LR, in ascending LR order. */
	candidates: VerifyCandidate[];
	/** Probe length of the finalists, in steps. */
	steps: number;
	/** Where the held-out loss came from: the source's own validation data, or a held-out slice. */
	heldOut: 'validation' | 'slice';
	/** How many held-out examples each score averages. */
	heldOutExamples: number;
	/** Training steps spent on all probes together. */
	totalSteps: number;
	/** Where the probe length came from: the script's `fit` plan, the setting, or the default. */
	stepsFrom: 'plan' | 'option' | 'default';
}

/** A candidate before its probe: its LR and where it came from ({@link VerifyCandidate.origin}). */
export interface CandidateLr {
	lr: number;
	origin: string;
}

/**
 * The candidate LRs, in decades (log10) relative to the curve rule's LR: the curve LR itself and
 * half a decade and a decade either side (chosen by the tuning half of bench/suggestion-quality;
 * docs/algorithms.md, "The verified headline").
 */
export const defaultCandidateDecades: readonly number[] = [-1, -0.5, 0, 0.5];

/** The candidates around `curveLr` at the given decades, in ascending LR order (duplicates dropped). */
export function verifyCandidates(
	curveLr: number,
	decades: readonly number[] = defaultCandidateDecades,
): CandidateLr[] {
	if (!(curveLr > 0 && Number.isFinite(curveLr))) {
		return [];
	}
	const ds = [...new Set(decades)].sort((a, b) => a - b);
	return ds.map((d) => ({
		lr: d === 0 ? curveLr : curveLr * Math.pow(10, d),
		origin: d === 0 ? 'curve' : 'factor',
	}));
}

/**
 * One round of the probes: every candidate still in trains until step `end` (counted from its
 * start), then only the `keep` best by held-out loss go on to the next round.
 */
export interface ProbeRound {
	end: number;
	keep: number;
}

/** How the probes spend their steps. */
export interface ProbeSchedule {
	rounds: ProbeRound[];
	/** Steps of all probes together (what the budget counts). */
	totalSteps: number;
}

/** The shape of the probe rounds: fractions of the finalists' length and how many go on. */
export interface ScheduleShape {
	/** End of each round as a fraction of the finalists' probe length (the last one is 1). */
	fractions: readonly number[];
	/** Candidates kept after each round but the last. */
	keep: readonly number[];
}

/** Default: every candidate trains a quarter of the final length, the best two go on to the end. */
export const defaultScheduleShape: ScheduleShape = { fractions: [0.25, 1], keep: [2] };

/** Budget: range test plus probes stay within this fraction of a 9-point grid of the plan's length. */
export const budgetGridFraction = 1 / 3;
/** Points of the grid the budget compares with (1e-4 … 1 in half-decade steps). */
export const budgetGridPoints = 9;
/** The finalists' probes never run longer than this many steps (time to answer). */
export const maxProbeSteps = 1000;
/** Probes shorter than this many steps in the first round say too little: no verification. */
export const minProbeSteps = 8;

/** Steps left for the probes: `budgetGridFraction × 9 × planSteps − rangeTestSteps`. */
export function probeBudget(planSteps: number, rangeTestSteps: number): number {
	return Math.floor(budgetGridFraction * budgetGridPoints * planSteps - rangeTestSteps);
}

/** The steps of a schedule whose finalists run `length` steps. */
function scheduleFor(count: number, length: number, shape: ScheduleShape): ProbeSchedule {
	const rounds: ProbeRound[] = [];
	let alive = count;
	let prev = 0;
	let total = 0;
	shape.fractions.forEach((f, i) => {
		const end = Math.max(prev + 1, Math.round(f * length));
		total += alive * (end - prev);
		const keep = i < shape.keep.length ? Math.min(alive, shape.keep[i]) : alive;
		rounds.push({ end, keep });
		alive = keep;
		prev = end;
	});
	return { rounds, totalSteps: total };
}

/**
 * The probe schedule for `count` candidates: the finalists run the plan's length (at most
 * {@link maxProbeSteps}), shortened until everything fits {@link probeBudget}. `undefined` when
 * even the shortest useful schedule does not fit, unless `force` (mode `on`): then the shortest.
 */
export function probeSchedule(
	count: number,
	planSteps: number,
	rangeTestSteps: number,
	shape: ScheduleShape = defaultScheduleShape,
	force = false,
): ProbeSchedule | undefined {
	if (count < 1 || !(planSteps >= 1)) {
		return undefined;
	}
	const budget = probeBudget(planSteps, rangeTestSteps);
	const first = shape.fractions[0];
	const shortest = Math.ceil(minProbeSteps / first);
	let length = Math.min(Math.round(planSteps), maxProbeSteps);
	const unit = scheduleFor(count, 1000, shape).totalSteps / 1000;
	length = Math.min(length, Math.floor(budget / unit));
	while (length >= shortest && scheduleFor(count, length, shape).totalSteps > budget) {
		length -= 1;
	}
	if (length < shortest) {
		return force ? scheduleFor(count, shortest, shape) : undefined;
	}
	return scheduleFor(count, length, shape);
}

/**
 * The measured winner: the lowest held-out loss among the finite candidates that ran longest
 * (a finalist whose loss turned non-finite leaves the other finalists; `undefined` if none is finite).
 */
export function pickVerified(candidates: readonly VerifyCandidate[]): VerifyCandidate | undefined {
	const finite = candidates.filter((c) => c.heldOutLoss !== null);
	const longest = Math.max(0, ...finite.map((c) => c.steps));
	let best: VerifyCandidate | undefined;
	for (const c of candidates) {
		if (c.steps === longest && c.heldOutLoss !== null) {
			if (!best || c.heldOutLoss < best.heldOutLoss!) {
				best = c;
			}
		}
	}
	return best;
}

/** Whether mode `auto` verifies a headline (bench/suggestion-quality's tuning half decides). */
export function autoVerifies(headline: { lr: number | null }): boolean {
	return headline.lr !== null && headline.lr > 0;
}
