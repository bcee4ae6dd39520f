/**
 * Scores a headline policy on a recorded run (bench/quality/measure.ts) without training: the
 * curve rule alone (from one range-test curve or the mean of three), or the curve rule followed by
 * the verification probes with a candidate window and a schedule shape — exactly the candidates,
 * budget, rounds and pick of `verifyHeadline` (core/verify.ts), read from the recorded probe losses.
 */
import {
	type CandidateCentre,
	candidateCentre,
	centredCandidates,
	climbFrom,
	type CandidateLr,
	type CandidateWindow,
	defaultCandidateWindow,
	probeBudget,
	probeSchedule,
	probeStepsTotal,
	type ScheduleShape,
	type VerifyCandidate,
} from '../../src/core/verify';
import { type PickRule, pickVerified } from '../../src/core/verifyPick';
import { curveMinimumLr, grid, lrKey, type RunRecord, sliceMean } from './measure';

export interface Policy {
	name: string;
	/** Range-test curves the headline is computed from: the first one, or the mean of three. */
	curves: 1 | 3;
	verify?: {
		window: CandidateWindow;
		shape: ScheduleShape;
		/** `always`: whenever the schedule fits the budget; `notClear`: only without a clear valley. */
		when: 'always' | 'notClear';
		/**
		 * With one curve: when it has no clear valley, run the other two curves too and centre the
		 * candidates on the headline of the mean of 3 (their steps count against the budget).
		 */
		rescue?: 'mean3';
		/**
		 * With one curve, where the candidates are centred instead of the curve rule's LR: on fastai's
		 * `minimum` of the curve (the LR of its lowest loss ÷ 10) when it has no clear valley
		 * (`minimumNotClear`), or whenever the window would not reach up to it (`minimumReach`).
		 */
		centre?: CandidateCentre;
		/**
		 * Climb: when the highest candidate has the lowest held-out loss after the first round, probe
		 * the next lattice LR above it for the first round too (up to `times`, while each new top wins);
		 * `reserve`: the schedule is sized for one candidate more, so the climb always fits.
		 */
		climb?: { times: number; reserve: boolean };
		/**
		 * Sentinels (bench only so far): the grid LRs outside the window probed beside it from the
		 * first round — every whole decade of the grid, or every grid point — so a curve rule that
		 * answered decades off still has a candidate near the best LR.
		 */
		sentinels?: 'decades' | 'grid';
		/** With `sentinels`: probe them always, or only when the curve has no clear valley. */
		sentinelsWhen?: 'always' | 'notClear';
		/** Mode `on`: probe even when the budget is too small (shortest schedule). */
		force?: boolean;
		/** {@link pickVerified}'s rule. */
		pick: PickRule;
		/**
		 * Bench only (not in the engine): score a finalist by the mean of its held-out loss at
		 * half and at full length instead of the last (less slice noise, more bias to fast LRs).
		 */
		meanOfLastTwo?: boolean;
	};
}

export interface Outcome {
	lr: number | null;
	/** Cross-validated held-out loss ÷ the grid's best (Infinity: diverged or no answer). */
	ratio: number;
	/** Range test + probe steps ÷ the steps of one 9-point grid of the plan's length. */
	costOfGrid: number;
	/** Estimated seconds to answer: the range test's measured time + probe steps × measured step time. */
	seconds: number;
	verified: boolean;
}

function ratioOf(rec: RunRecord, lr: number | null): number {
	if (lr === null) {
		return Infinity;
	}
	const t = rec.truth[lrKey(lr)];
	if (t === undefined) {
		throw new Error(`${rec.workload} seed ${rec.seed}: no truth recorded for LR ${lr}`);
	}
	return t === null || !Number.isFinite(t) ? Infinity : t / rec.bestGridLoss;
}

/** When set, a missing probe is noted in {@link missingClimbs} and read as diverged. */
let missingLog = false;
export function logMissing(on: boolean): void {
	missingLog = on;
}

/**
 * The held-out loss a probe at `lr` recorded at step `end` (`null`: non-finite by then); with
 * `slices` > 1, the mean over the record's first `slices` held-out slices (`null` if any is).
 */
function probeLoss(rec: RunRecord, lr: number, end: number, slices = 1): number | null {
	const i = rec.probes.checkpoints.indexOf(end);
	const losses = rec.probes.byLr[lrKey(lr)];
	if (i >= 0 && (!losses || !(lrKey(lr) in rec.truth)) && missingLog) {
		const k = `${rec.workload}-s${rec.seed}`;
		missingClimbs.set(k, (missingClimbs.get(k) ?? new Set()).add(lr));
		return null;
	}
	if (i < 0 || !losses) {
		throw new Error(`${rec.workload} seed ${rec.seed}: no probe recorded at LR ${lr}, step ${end}`);
	}
	const mean = sliceMean(rec, lrKey(lr), i, slices);
	if (mean === undefined) {
		throw new Error(`${rec.workload} seed ${rec.seed}: not every slice recorded LR ${lr}`);
	}
	return mean;
}

/** Every LR a climb would ask of `rec` that it lacks (bench/quality/recordClimb.ts records them). */
export const missingClimbs = new Map<string, Set<number>>();

/** A candidate scored by the mean of its halfway and last held-out losses (when both are finite). */
function meanOfLastTwo(c: VerifyCandidate): VerifyCandidate {
	const h = c.halfwayLoss;
	return c.heldOutLoss === null || h === undefined || h === null
		? c
		: { ...c, heldOutLoss: (c.heldOutLoss + h) / 2, halfwayLoss: undefined };
}

/** `cands` and the grid LRs `which` names that are not within 0.1 decade of one of them. */
function withSentinels(cands: CandidateLr[], which: 'decades' | 'grid' | undefined): CandidateLr[] {
	const far = (lr: number): boolean => cands.every((c) => Math.abs(Math.log10(c.lr / lr)) > 0.1);
	const pts = which === undefined ? [] : grid.filter((_g, i) => which === 'grid' || i % 2 === 0);
	return [...cands, ...pts.filter(far).map((lr) => ({ lr, origin: 'sentinel' }))];
}

/** Runs a schedule on the recorded probe losses: the winner, as `verifyHeadline` would pick it. */
export function simulate(
	rec: RunRecord,
	head: { lr: number; verdict: string },
	v: NonNullable<Policy['verify']>,
	rangeTestSteps: number,
): { lr: number; probeSteps: number; probed: VerifyCandidate[]; firstEnd: number } | undefined {
	// The minimum of the first curve: the centre moves only with one curve (`centre` ignored with 3).
	const min = v.centre && v.centre !== 'curve' ? curveMinimumLr(rec) : null;
	const centre = candidateCentre(head.lr, head.verdict, min, v.centre ?? 'curve', v.window);
	const curveLr = centre.lr;
	const sentinels =
		v.sentinelsWhen === 'notClear' && head.verdict === 'clear' ? undefined : v.sentinels;
	const cands = withSentinels(centredCandidates(centre, v.window), sentinels);
	const reserve = v.climb?.reserve ? 1 : 0;
	const schedule = probeSchedule(
		cands.length + reserve,
		rec.planSteps,
		rangeTestSteps,
		v.shape,
		v.force,
	);
	if (!schedule) {
		return undefined;
	}
	const probed: VerifyCandidate[] = cands.map((c) => ({ ...c, heldOutLoss: null, steps: 0 }));
	let alive = [...probed];
	let extra = 0;
	const budget = probeBudget(rec.planSteps, rangeTestSteps);
	const slices = schedule.slices;
	const spent = probeStepsTotal(cands.length, schedule.rounds, slices);
	schedule.rounds.forEach((round, r) => {
		for (const c of alive) {
			c.steps = round.end;
			c.heldOutLoss = probeLoss(rec, c.lr, round.end, slices);
			if (c.heldOutLoss !== null && round.end >= schedule.halfway) {
				c.halfwayLoss = probeLoss(rec, c.lr, schedule.halfway, slices);
			}
		}
		if (r === 0 && v.climb && schedule.rounds.length > 1) {
			for (let k = 0; k < v.climb.times; k++) {
				const lr = climbFrom(probed, spent + extra, round.end * slices, budget);
				if (lr === undefined) {
					break;
				}
				const c: VerifyCandidate = { lr, origin: 'climb', heldOutLoss: null, steps: round.end };
				c.heldOutLoss = probeLoss(rec, lr, round.end, slices);
				probed.push(c);
				alive.push(c);
				extra += round.end * slices;
			}
		}
		alive = alive
			.filter((c) => c.heldOutLoss !== null)
			.sort((a, b) => a.heldOutLoss! - b.heldOutLoss!)
			.slice(0, round.keep);
	});
	const scored = v.meanOfLastTwo ? probed.map(meanOfLastTwo) : probed;
	const best = pickVerified(scored, v.pick, { planSteps: rec.planSteps, curveLr });
	return {
		lr: best?.lr ?? head.lr,
		probeSteps: spent + extra,
		probed,
		firstEnd: schedule.rounds[0].end,
	};
}

/** Scores one policy on one recorded run. */
export function score(rec: RunRecord, p: Policy): Outcome {
	const allSteps = rec.rangeTestSteps.reduce((a, b) => a + b, 0);
	const rescued =
		p.curves === 1 && p.verify?.rescue === 'mean3' && rec.headline1.verdict !== 'clear';
	const three = p.curves === 3 || rescued;
	const head = three ? rec.headline3 : rec.headline1;
	const rtSteps = three ? allSteps : rec.rangeTestSteps[0];
	const rtSeconds = (rec.rangeTestSeconds * rtSteps) / allSteps;
	const gridSteps = 9 * rec.planSteps;
	let lr = head.lr;
	let probeSteps = 0;
	let verified = false;
	const wants = p.verify && (p.verify.when === 'always' || head.verdict !== 'clear');
	if (p.verify && wants && head.lr !== null) {
		const v = three ? { ...p.verify, centre: undefined } : p.verify;
		const sim = simulate(rec, { lr: head.lr, verdict: head.verdict }, v, rtSteps);
		if (sim) {
			lr = sim.lr;
			probeSteps = sim.probeSteps;
			verified = true;
		}
	}
	return {
		lr,
		ratio: ratioOf(rec, lr),
		costOfGrid: (rtSteps + probeSteps) / gridSteps,
		seconds: rtSeconds + probeSteps * rec.probes.secondsPerStep,
		verified,
	};
}

const windows: CandidateWindow[] = [
	{ below: 1, above: 0.5 },
	{ below: 1.5, above: 0.5 },
	{ below: 2, above: 0.5 },
	{ below: 1, above: 1 },
	{ below: 1.5, above: 1 },
	{ below: 2, above: 1 },
	{ below: 0.5, above: 0.5 },
];
const shapes: { name: string; shape: ScheduleShape }[] = [
	{ name: 'one round', shape: { fractions: [1], keep: [] } },
	{ name: '1/4 then best 2', shape: { fractions: [0.25, 1], keep: [2] } },
	{ name: '1/8 then best 2', shape: { fractions: [0.125, 1], keep: [2] } },
	{ name: '1/8, 1/2 (best 3), 1 (best 1)', shape: { fractions: [0.125, 0.5, 1], keep: [3, 1] } },
	{ name: '1/4, 1/2 (best 2), 1 (best 1)', shape: { fractions: [0.25, 0.5, 1], keep: [2, 1] } },
	{ name: '1/2 then best 2', shape: { fractions: [0.5, 1], keep: [2] } },
	{ name: '1/2 then best 3', shape: { fractions: [0.5, 1], keep: [3] } },
];

/** The pick rules: tie tolerance × projection × who wins a tie, and the bench-only mean of the last two. */
function pickRules(): { name: string; pick: PickRule; meanOfLastTwo?: boolean }[] {
	const out: { name: string; pick: PickRule; meanOfLastTwo?: boolean }[] = [];
	for (const tolerance of [0, 0.02, 0.03, 0.05, 0.1]) {
		for (const tie of ['lowest', 'curve'] as const) {
			const t = `tolerance ${tolerance} (${tie === 'lowest' ? 'lowest LR' : "nearest the curve's LR"})`;
			for (const project of [0, 0.25, 0.5, 1]) {
				const p = project ? `, projected ×${project}` : ', last loss';
				out.push({ name: `${t}${p}`, pick: { tolerance, project, tie } });
			}
			const pick = { tolerance, project: 0, tie };
			out.push({ name: `${t}, mean of the last two`, pick, meanOfLastTwo: true });
		}
	}
	return out;
}

/**
 * The policies the tuning half chooses among; `withSlices`: also those probing two held-out slices
 * (every record must hold a second slice, bench/quality/recordSlices.ts).
 */
export function candidatePolicies(withSlices = false): Policy[] {
	const out: Policy[] = [
		{ name: 'curve only, 1 curve', curves: 1 },
		{ name: 'curve only, mean of 3', curves: 3 },
	];
	const starts = [
		{ curves: 1, label: '1 curve' },
		{ curves: 3, label: '3 curves' },
		{ curves: 1, rescue: 'mean3', label: '1 curve (3 without a clear valley)' },
		{
			curves: 1,
			centre: 'minimumNotClear',
			label: '1 curve (minimum-centred without a clear valley)',
		},
		{ curves: 1, centre: 'minimumReach', label: '1 curve (minimum-centred when out of reach)' },
	] as const;
	// Climbs (issue 19: a window whose top candidate wins may stop short of the best LR), around the
	// shipped start, every window and multi-round shape, the picks near the shipped one.
	for (const window of windows) {
		for (const s of shapes.filter((x) => x.shape.fractions.length > 1)) {
			for (const r of pickRules().filter((x) => !x.meanOfLastTwo && x.pick.tie === 'lowest')) {
				for (const times of [1, 2]) {
					for (const reserve of [false, true]) {
						out.push({
							name: `verify always, 1 curve (minimum-centred when out of reach), −${window.below}/+${window.above} dec, ${s.name}, climb ×${times}${reserve ? ' (reserved)' : ''}, ${r.name}`,
							curves: 1,
							verify: {
								window,
								shape: s.shape,
								when: 'always',
								pick: r.pick,
								centre: 'minimumReach',
								climb: { times, reserve },
							},
						});
					}
				}
			}
		}
	}
	// Two held-out slices per candidate (issue 19: the single slice's variance limits the pick), at
	// half the steps per slice, around the shipped start: every window and shape, with and without
	// the climb, the picks near the shipped one.
	if (withSlices) {
		for (const window of windows) {
			for (const s of shapes) {
				for (const r of pickRules().filter((x) => !x.meanOfLastTwo && x.pick.tie === 'lowest')) {
					for (const times of [0, 1, 2]) {
						out.push({
							name: `verify always, 1 curve (minimum-centred when out of reach), −${window.below}/+${window.above} dec, ${s.name}, 2 slices${times ? `, climb ×${times}` : ''}, ${r.name}`,
							curves: 1,
							verify: {
								window,
								shape: { ...s.shape, slices: 2 },
								when: 'always',
								pick: r.pick,
								centre: 'minimumReach',
								...(times ? { climb: { times, reserve: false } } : {}),
							},
						});
					}
				}
			}
		}
	}
	for (const start of starts) {
		for (const when of ['always', 'notClear'] as const) {
			// The records hold the minimum-centred candidates for the default window only.
			const ws = 'centre' in start ? [defaultCandidateWindow] : windows;
			for (const window of ws) {
				for (const s of shapes) {
					for (const r of pickRules()) {
						const { curves, label } = start;
						const rescue = 'rescue' in start ? start.rescue : undefined;
						const centre = 'centre' in start ? start.centre : undefined;
						out.push({
							name: `verify ${when}, ${label}, −${window.below}/+${window.above} dec, ${s.name}, ${r.name}`,
							curves,
							verify: {
								window,
								shape: s.shape,
								when,
								pick: r.pick,
								meanOfLastTwo: r.meanOfLastTwo,
								rescue,
								centre,
							},
						});
					}
				}
			}
		}
	}
	return out;
}
