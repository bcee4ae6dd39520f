/**
 * The verified headline (core/verify.ts): after the range test, short real trainings ("probes") at
 * a few candidate LRs around the curve rule's LR, each from the same initial weights and optimizer
 * state (the state the range test started from) and the same seeded batch order, scored by their
 * loss on held-out data — the source's validation data, else a seeded 20% slice that the probes do
 * not train on. The lowest measured loss wins. Rounds (successive halving): every candidate trains
 * the first round, the best go on from where they stopped. Model weights and optimizer state are
 * restored on every outcome (done, cancel, error).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Headline, SuggestionReport } from '../../core/types';
import { verifySkippedText } from '../../core/present/verify';
import {
	autoVerifies,
	candidateCentre,
	type CandidateLr,
	centredCandidates,
	defaultPickRule,
	pickVerified,
	probeStepsTotal,
	type ProbeRound,
	probeSchedule,
	type Verification,
	type VerifyCandidate,
	type VerifyMode,
} from '../../core/verify';
import {
	type BatchStream,
	disposeBatch,
	evaluateLoss,
	exampleCount,
	firstLoss,
	makeYielder,
	tensorBatches,
	type TensorOrList,
} from './batching';
import { compiledOptimizer, holdOutValidation } from './rangeTest';
import { mulberry32 } from './seed';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import {
	captureState,
	disposeSnapshot,
	restoreState,
	setOptimizerLr,
	type TrainingSnapshot,
} from './state';

export interface VerifyOptions {
	/** `off` returns undefined without training. */
	mode: VerifyMode;
	/** Probe length in steps when the caller knows the user's plan (fit epochs × steps per epoch) or a setting; else the default. */
	planSteps?: number;
	stepsFrom?: 'plan' | 'option';
	seed: number;
	/** Default: `loaded.batchSize`. */
	batchSize?: number;
	/** Steps the range test ran (all repeats), counted against the budget; default 100 × repeats. */
	rangeTestSteps?: number;
	/**
	 * Mode `auto` only: at most this many probe steps (core/verify.ts `timeCapSteps`: the time the
	 * range test left of the run's budget, at its measured step cost). Default: no cap.
	 */
	maxProbeSteps?: number;
}

export interface VerifyProgress {
	step: number;
	total: number;
	candidate: number;
	candidates: number;
	lr: number;
}

export interface VerifyHooks {
	onProgress?(p: VerifyProgress): void;
	isCancelled?(): boolean;
	onLog?(message: string): void;
}

/** The plan's length when the caller knows none: this many passes over the training part… */
export const defaultPlanEpochs = 3;
/** …but at least this many steps and at most {@link defaultPlanMaxSteps}. */
export const defaultPlanMinSteps = 100;
export const defaultPlanMaxSteps = 500;

/** Training and held-out data of the probes. */
export interface ProbeData {
	x: TensorOrList;
	y: TensorOrList;
	valX: TensorOrList;
	valY: TensorOrList;
}

/** One candidate's probe: held-out loss after each round it ran (`null`: non-finite), steps run. */
export interface ProbeOutcome {
	lr: number;
	losses: (number | null)[];
	steps: number;
	/** Held-out loss at the `halfway` step, when the probe reached it (`null`: non-finite). */
	halfwayLoss?: number | null;
}

/**
 * Probes candidate LRs around the curve's headline; undefined when off, when auto decides not to,
 * when there is no headline LR, when the data is a tf.data dataset, or when cancelled. Restores
 * model weights and optimizer state on every outcome.
 */
export async function verifyHeadline(
	tf: Tf,
	loaded: LoadedSource,
	headline: Headline,
	report: SuggestionReport,
	options: VerifyOptions,
	hooks: VerifyHooks = {},
): Promise<Verification | undefined> {
	const curveLr = headline.lr;
	if (options.mode === 'off' || curveLr === null || !(curveLr > 0)) {
		return undefined;
	}
	if (options.mode === 'auto' && !autoVerifies(headline)) {
		return undefined;
	}
	if (loaded.dataset) {
		hooks.onLog?.(verifySkippedText({ kind: 'dataset' }));
		return undefined;
	}
	const batchSize = options.batchSize ?? loaded.batchSize;
	const owned: tfTypes.Tensor[] = [];
	try {
		const data = probeData(tf, loaded, options.seed, owned);
		const plan = planLength(options, exampleCount(data.x), batchSize);
		const centre = candidateCentre(curveLr, headline.verdict, report.suggestions?.minimum?.lr);
		const candidates = centredCandidates(centre);
		const rangeTestSteps = options.rangeTestSteps ?? 100 * (headline.repeats ?? 1);
		const cap = options.mode === 'auto' ? (options.maxProbeSteps ?? Infinity) : Infinity;
		const schedule = probeSchedule(
			candidates.length,
			plan.steps,
			rangeTestSteps,
			undefined,
			options.mode === 'on',
			cap,
		);
		if (!schedule) {
			const withoutCap = probeSchedule(candidates.length, plan.steps, rangeTestSteps);
			hooks.onLog?.(
				verifySkippedText(
					withoutCap
						? { kind: 'overBudget', probeSteps: withoutCap.totalSteps, capSteps: cap }
						: { kind: 'noRoom', planSteps: plan.steps },
				),
			);
			return undefined;
		}
		const outcomes = await runProbes(
			tf,
			loaded.model,
			data,
			candidates.map((c) => c.lr),
			schedule.rounds,
			{ seed: options.seed, batchSize, halfway: schedule.halfway },
			hooks,
		);
		if (!outcomes) {
			return undefined;
		}
		return verification(curveLr, centre.lr, candidates, outcomes, schedule.rounds, plan.steps, {
			heldOut: loaded.valX && loaded.valY ? 'validation' : 'slice',
			heldOutExamples: exampleCount(data.valX),
			stepsFrom: plan.from,
		});
	} finally {
		tf.dispose(owned);
	}
}

/** The probes' data: the source's validation data, else a seeded held-out slice. */
function probeData(tf: Tf, loaded: LoadedSource, seed: number, owned: tfTypes.Tensor[]): ProbeData {
	if (loaded.valX && loaded.valY) {
		return { x: loaded.x, y: loaded.y, valX: loaded.valX, valY: loaded.valY };
	}
	return holdOutValidation(tf, loaded.x, loaded.y, seed, owned);
}

/** The plan's length in steps and where it came from. */
function planLength(
	o: VerifyOptions,
	examples: number,
	batchSize: number,
): { steps: number; from: Verification['stepsFrom'] } {
	if (o.planSteps !== undefined && o.planSteps >= 1) {
		return { steps: Math.round(o.planSteps), from: o.stepsFrom ?? 'option' };
	}
	const perEpoch = Math.max(1, Math.floor(examples / batchSize));
	const steps = Math.min(
		defaultPlanMaxSteps,
		Math.max(defaultPlanMinSteps, defaultPlanEpochs * perEpoch),
	);
	return { steps, from: 'default' };
}

/** The evidence from the probes' outcomes. */
function verification(
	curveLr: number,
	centreLr: number,
	candidates: CandidateLr[],
	outcomes: ProbeOutcome[],
	rounds: ProbeRound[],
	planSteps: number,
	rest: Pick<Verification, 'heldOut' | 'heldOutExamples' | 'stepsFrom'>,
): Verification {
	const probed: VerifyCandidate[] = candidates.map((c, i) => {
		const o = outcomes[i];
		return {
			lr: c.lr,
			origin: c.origin,
			heldOutLoss: o.losses.length ? o.losses[o.losses.length - 1] : null,
			steps: o.steps,
			...(o.halfwayLoss !== undefined ? { halfwayLoss: o.halfwayLoss } : {}),
		};
	});
	const best = pickVerified(probed, defaultPickRule, { planSteps, curveLr: centreLr });
	const steps = rounds[rounds.length - 1].end;
	const projected = defaultPickRule.project > 0 && planSteps > steps;
	return {
		lr: best?.lr ?? curveLr,
		curveLr,
		candidates: probed,
		steps,
		totalSteps: outcomes.reduce((s, o) => s + o.steps, 0),
		...rest,
		...(projected ? { projectedTo: planSteps } : {}),
	};
}

/** One candidate while the probes run. */
interface Probe {
	lr: number;
	stream: BatchStream;
	/** Its own Math.random stream (dropout), continued across rounds. */
	random: () => number;
	snap?: TrainingSnapshot;
	outcome: ProbeOutcome;
	alive: boolean;
}

/**
 * Trains every LR from the model's current state in rounds (see {@link ProbeRound}), scoring each
 * on `data.valX/valY` after every round it runs, and at step `o.halfway` when it reaches it; the
 * same batch order and dropout stream for every LR, so a probe's losses do not depend on the other
 * candidates or on where rounds end. Model and optimizer are restored afterwards. `undefined` when
 * cancelled.
 */
export async function runProbes(
	tf: Tf,
	model: tfTypes.LayersModel,
	data: ProbeData,
	lrs: readonly number[],
	rounds: readonly ProbeRound[],
	o: { seed: number; batchSize: number; halfway?: number },
	hooks: Pick<VerifyHooks, 'onProgress' | 'isCancelled'> = {},
): Promise<ProbeOutcome[] | undefined> {
	const opt = compiledOptimizer(model);
	const start = captureState(tf, model);
	const probes: Probe[] = lrs.map((lr) => ({
		lr,
		stream: tensorBatches(tf, data.x, data.y, o.batchSize, o.seed + 7),
		random: mulberry32((o.seed ^ 0x3c6ef372) >>> 0),
		outcome: { lr, losses: [], steps: 0 },
		alive: true,
	}));
	const total = probeStepsTotal(lrs.length, rounds);
	const counter = { done: 0, total, yieldNow: makeYielder() };
	try {
		for (const round of rounds) {
			for (let i = 0; i < probes.length; i++) {
				const p = probes[i];
				if (!p.alive) {
					continue;
				}
				restoreState(tf, model, p.snap ?? start);
				setOptimizerLr(opt, p.lr);
				const ok = await trainProbe(tf, model, p, round.end, o, data, hooks, {
					...counter,
					index: i,
					count: probes.length,
				});
				if (ok === 'cancelled') {
					return undefined;
				}
				counter.done += ok;
				if (round !== rounds[rounds.length - 1] && p.alive) {
					const next = captureState(tf, model);
					if (p.snap) {
						disposeSnapshot(p.snap);
					}
					p.snap = next;
				}
			}
			keepBest(probes, round.keep);
		}
		return probes.map((p) => p.outcome);
	} finally {
		restoreState(tf, model, start);
		disposeSnapshot(start);
		probes.forEach((p) => p.snap && disposeSnapshot(p.snap));
	}
}

/** Keeps the `keep` probes with the lowest last loss (a non-finite one is already out). */
function keepBest(probes: Probe[], keep: number): void {
	const alive = probes.filter((p) => p.alive);
	alive.sort((a, b) => lastLoss(a) - lastLoss(b));
	alive.slice(keep).forEach((p) => (p.alive = false));
}

const lastLoss = (p: Probe): number => p.outcome.losses[p.outcome.losses.length - 1] ?? Infinity;

/** Scores a probe on the held-out data: its loss, or `null` when non-finite. */
async function heldOutLoss(
	tf: Tf,
	model: tfTypes.LayersModel,
	data: ProbeData,
	batchSize: number,
): Promise<number | null> {
	const v = await evaluateLoss(tf, model, data.valX, data.valY, batchSize);
	return Number.isFinite(v) ? v : null;
}

/**
 * Trains one probe up to step `end`, then scores it (and at `o.halfway` on the way): the steps
 * run, or `cancelled`. A non-finite training or held-out loss ends the probe (its loss is `null`).
 */
async function trainProbe(
	tf: Tf,
	model: tfTypes.LayersModel,
	p: Probe,
	end: number,
	o: { batchSize: number; halfway?: number },
	data: ProbeData,
	hooks: Pick<VerifyHooks, 'onProgress' | 'isCancelled'>,
	at: { done: number; total: number; index: number; count: number; yieldNow: () => Promise<void> },
): Promise<number | 'cancelled'> {
	const original = Math.random;
	let ran = 0;
	let finite = true;
	try {
		while (p.outcome.steps < end) {
			Math.random = original;
			await at.yieldNow();
			if (hooks.isCancelled?.()) {
				return 'cancelled';
			}
			Math.random = p.random;
			const batch = (await p.stream.next())!;
			let loss: number;
			try {
				loss = firstLoss(
					await model.trainOnBatch(batch.x as TensorOrList, batch.y as TensorOrList),
				);
			} finally {
				disposeBatch(tf, batch);
			}
			p.outcome.steps += 1;
			ran += 1;
			hooks.onProgress?.({
				step: at.done + ran,
				total: at.total,
				candidate: at.index,
				candidates: at.count,
				lr: p.lr,
			});
			if (!Number.isFinite(loss)) {
				finite = false;
				break;
			}
			if (p.outcome.steps === o.halfway && p.outcome.steps < end) {
				Math.random = original;
				p.outcome.halfwayLoss = await heldOutLoss(tf, model, data, o.batchSize);
			}
		}
		const v = finite ? await heldOutLoss(tf, model, data, o.batchSize) : null;
		if (p.outcome.steps === o.halfway) {
			p.outcome.halfwayLoss = v;
		}
		p.outcome.losses.push(v);
		p.alive = v !== null;
		return ran;
	} finally {
		Math.random = original;
	}
}
