/**
 * The probes of the verified headline (core/verify.ts, verify.ts): every candidate LR trains from the
 * model's current weights and optimizer state with the same seeded batch order and dropout stream, in
 * rounds (successive halving), scored on held-out data after each round; after the first round a
 * candidate may be added above the top one (the climb). Model and optimizer are restored afterwards.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { climbFrom, probeStepsTotal, type ProbeRound } from '../../core/verify';
import {
	type BatchStream,
	disposeBatch,
	evaluateLoss,
	firstLoss,
	makeYielder,
	tensorBatches,
	type TensorOrList,
} from './batching';
import { compiledOptimizer } from './rangeTest';
import { mulberry32 } from './seed';
import type { Tf } from '../sources/sourceTypes';
import {
	captureState,
	disposeSnapshot,
	restoreState,
	setOptimizerLr,
	type TrainingSnapshot,
} from './state';

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
	o: {
		seed: number;
		batchSize: number;
		halfway?: number;
		/** Climb above the top candidate after the first round (core/verify.ts `climbFrom`), within `budget` steps in all. */
		climb?: { times: number; budget: number };
	},
	hooks: Pick<VerifyHooks, 'onProgress' | 'isCancelled'> = {},
): Promise<ProbeOutcome[] | undefined> {
	const opt = compiledOptimizer(model);
	const start = captureState(tf, model);
	const newProbe = (lr: number): Probe => ({
		lr,
		stream: tensorBatches(tf, data.x, data.y, o.batchSize, o.seed + 7),
		random: mulberry32((o.seed ^ 0x3c6ef372) >>> 0),
		outcome: { lr, losses: [], steps: 0 },
		alive: true,
	});
	const probes: Probe[] = lrs.map(newProbe);
	const scheduled = probeStepsTotal(lrs.length, rounds);
	const counter = { done: 0, total: scheduled, yieldNow: makeYielder() };
	const last = rounds[rounds.length - 1];
	// Trains probe `i` to the round's end; false when cancelled.
	const run = async (i: number, round: ProbeRound): Promise<boolean> => {
		const p = probes[i];
		restoreState(tf, model, p.snap ?? start);
		setOptimizerLr(opt, p.lr);
		const ok = await trainProbe(tf, model, p, round.end, o, data, hooks, {
			...counter,
			index: i,
			count: probes.length,
		});
		if (ok === 'cancelled') {
			return false;
		}
		counter.done += ok;
		if (round !== last && p.alive) {
			const next = captureState(tf, model);
			if (p.snap) {
				disposeSnapshot(p.snap);
			}
			p.snap = next;
		}
		return true;
	};
	try {
		for (const round of rounds) {
			for (let i = 0; i < probes.length; i++) {
				if (probes[i].alive && !(await run(i, round))) {
					return undefined;
				}
			}
			for (let k = 0; round === rounds[0] && round !== last && k < (o.climb?.times ?? 0); k++) {
				const lr = nextClimb(probes, counter.total, round.end, o.climb!.budget);
				if (lr === undefined) {
					break;
				}
				probes.push(newProbe(lr));
				counter.total += round.end;
				if (!(await run(probes.length - 1, round))) {
					return undefined;
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

/** The LR to climb to after the first round (core/verify.ts `climbFrom`), if any. */
function nextClimb(probes: Probe[], spent: number, roundSteps: number, budget: number) {
	const firstRound = probes.map((p) => ({ lr: p.lr, heldOutLoss: p.outcome.losses[0] ?? null }));
	return climbFrom(firstRound, spent, roundSteps, budget);
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
