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
import { verifyDatasetText, verifySkippedText } from '../../core/present/verify';
import {
	autoVerifies,
	candidateCentre,
	type CandidateLr,
	centredCandidates,
	defaultClimbTimes,
	probeBudget,
	type ProbeRound,
	probeSchedule,
	type Verification,
	type VerifyCandidate,
	type VerifyMode,
} from '../../core/verify';
import { defaultPickRule, pickVerified } from '../../core/verifyPick';
import { exampleCount, tensorsOf } from './batching';
import { datasetTensors } from './datasetTensors';
import { type ProbeData, type ProbeOutcome, runProbes, type VerifyHooks } from './probes';
import { holdOutValidation } from './rangeTest';
import type { LoadedSource, Tf } from '../sources/sourceTypes';

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

/** The plan's length when the caller knows none: this many passes over the training part… */
export const defaultPlanEpochs = 3;
/** …but at least this many steps and at most {@link defaultPlanMaxSteps}. */
export const defaultPlanMinSteps = 100;
export const defaultPlanMaxSteps = 500;

/**
 * Probes candidate LRs around the curve's headline; undefined when off, when auto decides not to,
 * when there is no headline LR, when a tf.data dataset's elements cannot be read into tensors, or
 * when cancelled (a dataset is read into memory first, datasetTensors.ts). Restores
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
	const owned: tfTypes.Tensor[] = [];
	try {
		const source = loaded.dataset ? await datasetSource(tf, loaded, hooks, owned) : loaded;
		if (!source) {
			return undefined;
		}
		const batchSize = options.batchSize ?? source.batchSize;
		const data = probeData(tf, source, options.seed, owned);
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
			{
				seed: options.seed,
				batchSize,
				halfway: schedule.halfway,
				climb: {
					times: defaultClimbTimes,
					budget: Math.min(probeBudget(plan.steps, rangeTestSteps), cap),
				},
			},
			hooks,
		);
		if (!outcomes) {
			return undefined;
		}
		const climbed = outcomes
			.slice(candidates.length)
			.map((o): CandidateLr => ({ lr: o.lr, origin: 'climb' }));
		const all = [...candidates, ...climbed];
		return verification(curveLr, centre.lr, all, outcomes, schedule.rounds, plan.steps, {
			heldOut: source.valX && source.valY ? 'validation' : 'slice',
			heldOutExamples: exampleCount(data.valX),
			stepsFrom: plan.from,
		});
	} finally {
		tf.dispose(owned);
	}
}

/**
 * A dataset source as tensors for the probes (datasetTensors.ts), its batch size the dataset's own;
 * `undefined`, with a note, when its elements cannot be read that way.
 */
async function datasetSource(
	tf: Tf,
	loaded: LoadedSource,
	hooks: VerifyHooks,
	owned: tfTypes.Tensor[],
): Promise<LoadedSource | undefined> {
	const d = await datasetTensors(tf, loaded.dataset!);
	if (!d) {
		hooks.onLog?.(verifySkippedText({ kind: 'dataset' }));
		return undefined;
	}
	owned.push(...tensorsOf(d.x), ...tensorsOf(d.y));
	hooks.onLog?.(verifyDatasetText(d.examples, d.complete));
	return { ...loaded, x: d.x, y: d.y, dataset: undefined, batchSize: d.batchSize };
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
