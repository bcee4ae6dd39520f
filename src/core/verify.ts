/**
 * The verified suggestion (issue: "measure, don't guess"): after the range test, short real
 * trainings ("probes") at a few candidate LRs taken from the curve, each from the same initial
 * weights and scored on held-out data; the best measured candidate becomes the headline LR.
 *
 * This file holds the data every layer shares (numbers only; words come from `core/present/`).
 * The candidate choice and the probe budget live here too (pure, unit-tested); the probes
 * themselves run in `engine/training/verify.ts`.
 */

/** `off`: the curve rule alone; `on`: always verify; `auto`: verify when the benchmark says it pays. */
export type VerifyMode = 'off' | 'auto' | 'on';

/**
 * The default mode: `auto` (bench/suggestion-quality's tuning half, seeds 1 and 2 pooled: verified,
 * 38 of 46 runs within 10% of the grid's best, worst 2.05×; the curve rule alone from the mean of 3
 * curves 23 of 46, worst 9.5×).
 */
export const defaultVerifyMode: VerifyMode = 'auto';

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
	/** Held-out loss at half its probe's length (a finalist's; what `pickScore` (verifyPick.ts) projects from). */
	halfwayLoss?: number | null;
	/** What the pick compared (`pickScore` (verifyPick.ts)); absent for a candidate dropped or diverged. */
	score?: number;
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
	/** Seconds the verification took (probes and their held-out scoring); absent in older results. */
	seconds?: number;
	/** Where the probe length came from: the script's `fit` plan, the setting, or the default. */
	stepsFrom: 'plan' | 'option' | 'default';
	/** The plan's length the finalists' trend was projected to, when the pick projected (see `pickScore` (verifyPick.ts)). */
	projectedTo?: number;
}

/** A candidate before its probe: its LR and where it came from ({@link VerifyCandidate.origin}). */
export interface CandidateLr {
	lr: number;
	origin: string;
}

/**
 * Which LRs around the curve rule's LR are probed: the curve LR itself and the points of the
 * half-decade lattice (…, 1e-3, 3.2e-3, 1e-2, …: the grid a grid search would try) from `below`
 * decades under it to `above` decades over it. Chosen by the tuning half of bench/suggestion-quality
 * (docs/algorithms.md, "The verified headline").
 */
export interface CandidateWindow {
	below: number;
	above: number;
}

/**
 * Default: 1 decade below to 1 above (4–5 candidates), with a climb above it
 * ({@link defaultClimbTimes}): the tuning half of bench/suggestion-quality, seeds 1–3 pooled
 * (docs/algorithms.md, "The climb").
 */
export const defaultCandidateWindow: CandidateWindow = { below: 1, above: 1 };
/** Spacing of the lattice, in decades. */
export const latticeDecades = 0.5;
/** A lattice point this close (decades) to the curve LR is not probed separately. */
export const sameLrDecades = 0.1;

/** The candidates around `curveLr` (see {@link CandidateWindow}), in ascending LR order. */
export function verifyCandidates(
	curveLr: number,
	window: CandidateWindow = defaultCandidateWindow,
): CandidateLr[] {
	if (!(curveLr > 0 && Number.isFinite(curveLr))) {
		return [];
	}
	const c = Math.log10(curveLr);
	const lo = Math.ceil((c - window.below) / latticeDecades - 1e-9);
	const hi = Math.floor((c + window.above) / latticeDecades + 1e-9);
	const out: CandidateLr[] = [{ lr: curveLr, origin: 'curve' }];
	for (let k = lo; k <= hi; k++) {
		const d = k * latticeDecades;
		if (Math.abs(d - c) >= sameLrDecades) {
			out.push({ lr: Math.pow(10, d), origin: 'grid' });
		}
	}
	return out.sort((a, b) => a.lr - b.lr);
}

/**
 * Where the candidates are centred: `curve` (the curve rule's LR); `minimumReach`: on fastai's
 * `minimum` (the LR of the curve's lowest loss ÷ 10, fastai's reference rule) whenever the window
 * around the curve's LR would not reach up to it — the guard against a fallback that answers decades
 * too low, where no candidate can recover; `minimumNotClear`: on `minimum` whenever the curve has no
 * clear valley (bench only: it lost on the tuning half).
 */
export type CandidateCentre = 'curve' | 'minimumReach' | 'minimumNotClear';

/**
 * Default: `minimumReach` (bench/suggestion-quality's tuning half, seeds 1 and 2 pooled: it fires on
 * none of the 46 runs, so it ties the curve-centred window there; `minimumNotClear` lost a run,
 * 37 of 46 within 10% against 38; docs/algorithms.md).
 */
export const defaultCandidateCentre: CandidateCentre = 'minimumReach';

/**
 * The LR the candidates are centred on ({@link CandidateCentre}) and where it came from; the curve's
 * LR when `minimumLr` is missing or not positive.
 */
export function candidateCentre(
	curveLr: number,
	verdict: string | undefined,
	minimumLr: number | null | undefined,
	rule: CandidateCentre = defaultCandidateCentre,
	window: CandidateWindow = defaultCandidateWindow,
): CandidateLr {
	const curve = { lr: curveLr, origin: 'curve' };
	if (rule === 'curve' || typeof minimumLr !== 'number' || !(minimumLr > 0)) {
		return curve;
	}
	if (!Number.isFinite(minimumLr)) {
		return curve;
	}
	const moves =
		rule === 'minimumNotClear'
			? verdict !== 'clear'
			: curveLr * Math.pow(10, window.above) < minimumLr;
	return moves ? { lr: minimumLr, origin: 'minimum' } : curve;
}

/** The candidates around `centre` ({@link candidateCentre}): the centre keeps its origin. */
export function centredCandidates(
	centre: CandidateLr,
	window: CandidateWindow = defaultCandidateWindow,
): CandidateLr[] {
	return verifyCandidates(centre.lr, window).map((c) =>
		c.origin === 'curve' ? { ...c, origin: centre.origin } : c,
	);
}

/**
 * The climb (issue 19: a window whose top candidate wins may stop short of the best LR, and a curve
 * rule that answered far too low leaves every candidate too low): when the highest LR probed has the
 * lowest held-out loss after the first round, the next point of the lattice above it is probed for the
 * first round too, up to this many times while each new top wins and the budget has room
 * ({@link climbFits}); the climbed candidates then compete like the others. Chosen on the tuning
 * half of bench/suggestion-quality (docs/algorithms.md, "The climb").
 */
export const defaultClimbTimes = 1;

/** The next point of the half-decade lattice above `lr` (what a climb probes). */
export function climbLr(lr: number): number {
	return Math.pow(10, (Math.floor(Math.log10(lr) / latticeDecades + 1e-9) + 1) * latticeDecades);
}

/**
 * Whether to climb after the first round: the LR of the highest candidate when it has the lowest
 * finite held-out loss (ties go to the lower LR), and its first round's steps still fit: `spent`
 * (the schedule's steps plus earlier climbs) + `roundSteps` ≤ `budget`. `undefined`: no climb.
 */
export function climbFrom(
	probed: readonly { lr: number; heldOutLoss: number | null }[],
	spent: number,
	roundSteps: number,
	budget: number,
): number | undefined {
	const finite = probed.filter((c) => c.heldOutLoss !== null);
	if (finite.length === 0 || spent + roundSteps > budget) {
		return undefined;
	}
	const top = probed.reduce((a, b) => (b.lr > a.lr ? b : a));
	const best = finite.reduce((a, b) =>
		b.heldOutLoss! < a.heldOutLoss! || (b.heldOutLoss === a.heldOutLoss && b.lr < a.lr) ? b : a,
	);
	return best === top ? climbLr(top.lr) : undefined;
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
	/** Held-out slices each candidate trains and is scored on (its loss: their mean). */
	slices: number;
	/** Steps of all probes together when none stops early (what the budget counts). */
	totalSteps: number;
	/** Half the finalists' length: their held-out loss is scored here too (the pick's projection). */
	halfway: number;
}

/**
 * The shape of the probe rounds: where each round ends, as a fraction (a power of 2) of the
 * finalists' length, and how many candidates go on after each round but the last.
 */
export interface ScheduleShape {
	fractions: readonly number[];
	keep: readonly number[];
	/**
	 * Held-out slices per candidate (default 1): each trains from the same start on its own slice's
	 * training part and batch order ({@link sliceSeed}); the candidate's loss is their mean. Only
	 * bench/suggestion-quality simulates more than one (on its tuning half, the budget's shorter
	 * probes lost more than the second slice gained; docs/algorithms.md), the engine runs one.
	 */
	slices?: number;
}

/**
 * Default: every candidate half the finalists' length, the best 3 on to the end (the tuning half of
 * bench/suggestion-quality, with the projecting pick: longer finalists beat one round of equal
 * probes once the pick credits a slower LR's pace; docs/algorithms.md).
 */
export const defaultScheduleShape: ScheduleShape = { fractions: [0.5, 1], keep: [3] };

/** One round, every candidate the same length (the default before the projecting pick). */
export const oneRoundScheduleShape: ScheduleShape = { fractions: [1], keep: [] };

/** Successive halving: every candidate a quarter of the final length, the best two to the end. */
export const halvingScheduleShape: ScheduleShape = { fractions: [0.25, 1], keep: [2] };

/** Budget: range test plus probes stay within this fraction of a 9-point grid of the plan's length. */
export const budgetGridFraction = 1 / 3;
/** Points of the grid the budget compares with (1e-4 … 1 in half-decade steps). */
export const budgetGridPoints = 9;
/** The finalists' probes never run longer than this many steps (time to answer). */
export const maxProbeSteps = 1000;
/** A first round shorter than this many steps says too little: no verification. */
export const minProbeSteps = 8;
/** The finalists' length is the plan's, or the plan's halved up to this many times to fit. */
export const maxHalvings = 4;

/** Steps left for the probes: `budgetGridFraction × 9 × planSteps − rangeTestSteps`. */
export function probeBudget(planSteps: number, rangeTestSteps: number): number {
	return Math.floor(budgetGridFraction * budgetGridPoints * planSteps - rangeTestSteps);
}

/** Step `fraction` of a probe of `base` steps halved `halvings` times (the points the bench records). */
export function probeStep(base: number, fraction: number, halvings: number): number {
	return Math.max(1, Math.round((base * fraction) / Math.pow(2, halvings)));
}

/** The schedule whose finalists run `base / 2^halvings` steps. */
function scheduleFor(
	count: number,
	base: number,
	halvings: number,
	shape: ScheduleShape,
): ProbeSchedule {
	const rounds: ProbeRound[] = [];
	const slices = shape.slices ?? 1;
	let alive = count;
	let prev = 0;
	let total = 0;
	shape.fractions.forEach((f, i) => {
		const end = Math.max(prev + 1, probeStep(base, f, halvings));
		total += alive * (end - prev) * slices;
		const keep = i < shape.keep.length ? Math.min(alive, shape.keep[i]) : alive;
		rounds.push({ end, keep });
		alive = keep;
		prev = end;
	});
	const last = shape.fractions[shape.fractions.length - 1];
	return { rounds, slices, totalSteps: total, halfway: probeStep(base, last / 2, halvings) };
}

/**
 * The probe schedule for `count` candidates: the finalists run the plan's length (at most
 * {@link maxProbeSteps}), halved until everything fits {@link probeBudget}. `undefined` when no
 * schedule with a first round of at least {@link minProbeSteps} fits, unless `force` (mode `on`):
 * then the shortest such schedule (or the plan's own when even that is too short). `maxSteps` caps
 * the probes' steps further (the time left for them, see {@link timeCapSteps}).
 */
export function probeSchedule(
	count: number,
	planSteps: number,
	rangeTestSteps: number,
	shape: ScheduleShape = defaultScheduleShape,
	force = false,
	maxSteps = Infinity,
): ProbeSchedule | undefined {
	if (count < 1 || !(planSteps >= 1)) {
		return undefined;
	}
	const budget = Math.min(probeBudget(planSteps, rangeTestSteps), maxSteps);
	const base = Math.min(Math.round(planSteps), maxProbeSteps);
	let shortest: ProbeSchedule | undefined;
	for (let h = 0; h <= maxHalvings; h++) {
		const s = scheduleFor(count, base, h, shape);
		if (s.rounds[0].end < minProbeSteps) {
			break;
		}
		if (s.totalSteps <= budget) {
			return s;
		}
		shortest = s;
	}
	return force ? (shortest ?? scheduleFor(count, base, 0, shape)) : undefined;
}

/**
 * The probe steps that fit the time left of a run's budget: `budgetSeconds` of training for the
 * range test and its probes together (the range test's own time budget, engine/training/rangeBudget.ts), at
 * the step cost the range test measured. `Infinity` when there is no budget (0) or no measured cost.
 * Mode `auto` keeps to it, so a slow model's default test stays within its time (the probes shrink
 * or are skipped); mode `on` does not.
 */
export function timeCapSteps(
	budgetSeconds: number,
	rangeTestSeconds: number,
	secondsPerStep: number,
): number {
	if (!(budgetSeconds > 0) || !(secondsPerStep > 0) || !Number.isFinite(secondsPerStep)) {
		return Infinity;
	}
	return Math.max(0, Math.floor((budgetSeconds - rangeTestSeconds) / secondsPerStep));
}

/**
 * When mode `auto` verifies: `always` (whenever the probes fit the budget) or `notClear` (only
 * headlines without a clear valley). Chosen by the tuning half of bench/suggestion-quality.
 */
export const autoVerifyWhen: 'always' | 'notClear' = 'always';

/** Whether mode `auto` verifies a headline (see {@link autoVerifyWhen}). */
export function autoVerifies(headline: { lr: number | null; verdict?: string }): boolean {
	const wanted = autoVerifyWhen === 'always' || headline.verdict !== 'clear';
	return wanted && headline.lr !== null && headline.lr > 0;
}

/**
 * Range-test repeats to run when the headline is verified: the probes measure what the mean of
 * several curves only smooths, so one curve leaves them more of the budget (bench/suggestion-quality).
 */
export const verifyRangeTestRepeats = 1;

/**
 * The seed of the probes' held-out slice number `k` (slice 0 is the run's own seed): each slice
 * holds out different examples and trains in its own batch order.
 */
export function sliceSeed(seed: number, k: number): number {
	return seed + 7919 * k;
}

/** Steps of all probes (on `slices` held-out slices each) when nobody's loss turns non-finite. */
export function probeStepsTotal(count: number, rounds: readonly ProbeRound[], slices = 1): number {
	let alive = count;
	let prev = 0;
	let total = 0;
	for (const r of rounds) {
		total += alive * (r.end - prev) * slices;
		alive = Math.min(alive, r.keep);
		prev = r.end;
	}
	return total;
}
