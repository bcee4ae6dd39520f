/**
 * A time budget instead of a fixed amount of work. Before the ramp starts, a few training steps
 * are timed on the run's own batches (state restored afterwards, so the test starts from the same
 * weights); when the default 3 × 100 steps would not fit `budgetSeconds` at that cost, the steps
 * and repeats the caller left at their defaults shrink to fit — repeats first (each is a whole
 * curve), then steps, never below {@link minBudgetSteps} — and a note says what was chosen. Steps
 * or repeats the caller gave (`--steps`, `--repeat`, a changed setting) are kept as given.
 */
import { budgetNote } from '../../core/present/tfjsNotes';
import type { RangeTestOptions } from '../../shared/runnerProtocol';
import {
	type BatchStream,
	disposeBatch,
	evaluateLoss,
	trainStep,
	type TensorOrList,
} from './batching';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { setOptimizerLr } from './state';
import type * as tfTypes from '@tensorflow/tfjs';

/** Default training time of a range test, seconds: with startup, a default test ends in ≤ 60 s at 2 steps/s. */
export const defaultBudgetSeconds = 45;
/** Fewest steps the budget cuts a ramp to (a shorter curve has too few points for the rules). */
export const minBudgetSteps = 30;

/** What the run will do, and why when it is not the default. */
export interface BudgetPlan {
	steps: number;
	repeat: number;
	note?: string;
}

/** What the timing needs: a batch source, the model and what a step does besides training. */
export interface BudgetProbe {
	tf: Tf;
	loaded: LoadedSource;
	opt: tfTypes.Optimizer;
	stream: BatchStream;
	valSample?: { x: TensorOrList; y: TensorOrList };
	batchSize: number;
}

/** Seconds per step from one warm-up and then timed steps (≥ 2 steps and 0.5 s, or one step over 2 s). */
export async function measureStepSeconds(p: BudgetProbe, lr: number): Promise<number> {
	const step = async (): Promise<boolean> => {
		const batch = await p.stream.next();
		if (batch === null) {
			return false;
		}
		try {
			await trainStep(p.loaded.model, batch.x as TensorOrList, batch.y as TensorOrList);
		} finally {
			disposeBatch(p.tf, batch);
		}
		if (p.valSample) {
			await evaluateLoss(p.tf, p.loaded.model, p.valSample.x, p.valSample.y, p.batchSize);
		}
		return true;
	};
	setOptimizerLr(p.opt, lr);
	if (!(await step())) {
		return 0;
	}
	const t0 = performance.now();
	let n = 0;
	for (;;) {
		if (!(await step())) {
			break;
		}
		n++;
		const s = (performance.now() - t0) / 1000;
		if ((n >= 2 && s >= 0.5) || s >= 2 || n >= 20) {
			break;
		}
	}
	return n > 0 ? (performance.now() - t0) / 1000 / n : 0;
}

/**
 * The steps and repeats that fit `budgetSeconds` at `stepSeconds` a step; `given` says which the
 * caller fixed (kept as they are).
 */
export function planBudget(
	o: Pick<RangeTestOptions, 'steps' | 'repeat'>,
	given: { steps: boolean; repeat: boolean },
	stepSeconds: number,
	budgetSeconds: number,
): BudgetPlan {
	const plan: BudgetPlan = { steps: o.steps, repeat: o.repeat };
	if (!(stepSeconds > 0) || !(budgetSeconds > 0)) {
		return plan;
	}
	const affordable = Math.floor(budgetSeconds / stepSeconds);
	if (o.steps * o.repeat <= affordable) {
		return plan;
	}
	if (!given.repeat) {
		plan.repeat = Math.max(1, Math.min(o.repeat, Math.floor(affordable / o.steps)));
	}
	if (!given.steps && plan.steps * plan.repeat > affordable) {
		plan.steps = Math.min(o.steps, Math.max(minBudgetSteps, Math.floor(affordable / plan.repeat)));
	}
	if (plan.steps !== o.steps || plan.repeat !== o.repeat) {
		plan.note = budgetNote({
			stepSeconds,
			budgetSeconds,
			steps: plan.steps,
			repeat: plan.repeat,
			fromSteps: o.steps,
			fromRepeat: o.repeat,
		});
	}
	return plan;
}

/**
 * The plan for this run: for tensor data, a few timed steps (then `restore()`) and
 * {@link planBudget} on the steps and repeats `options` left open; unchanged otherwise (a dataset is
 * not read ahead: its repeats adapt after the first one, {@link repeatsLeftInBudget}).
 */
export async function budgetedPlan(
	p: Omit<BudgetProbe, 'stream'> & { stream?: BatchStream },
	options: Partial<RangeTestOptions>,
	o: RangeTestOptions,
	restore: () => void,
): Promise<BudgetPlan> {
	const given = { steps: options.steps !== undefined, repeat: options.repeat !== undefined };
	const budget = options.budgetSeconds ?? defaultBudgetSeconds;
	if (!p.stream || budget <= 0 || (given.steps && given.repeat)) {
		return { steps: o.steps, repeat: o.repeat };
	}
	let stepSeconds: number;
	try {
		stepSeconds = await measureStepSeconds({ ...p, stream: p.stream }, o.startLr);
	} finally {
		restore();
	}
	return planBudget(o, given, stepSeconds, budget);
}

/**
 * A dataset's repeats: after the first took `firstSeconds`, how many of `repeat` fit `budget`
 * (at least 1), and the note when fewer; repeats the caller gave are kept.
 */
export function repeatsLeftInBudget(
	options: Partial<RangeTestOptions>,
	o: RangeTestOptions,
	firstSeconds: number,
	stepsRun: number,
): BudgetPlan {
	const budget = options.budgetSeconds ?? defaultBudgetSeconds;
	if (options.repeat !== undefined || budget <= 0 || stepsRun < 1) {
		return { steps: o.steps, repeat: o.repeat };
	}
	return planBudget(o, { steps: true, repeat: false }, firstSeconds / stepsRun, budget);
}
