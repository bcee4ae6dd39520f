/**
 * Adds to a recorded run of bench/suggestion-quality what later rounds measured, by measure.ts's own
 * code paths (the same data, start weights and range test): the probes on further held-out slices,
 * and the truth measured again with other folds.
 */
import { climbLr, sliceSeed, verifyCandidates } from '../../src/core/verify';
import {
	grid,
	gridBest,
	lrKey,
	probesOn,
	rangeTested,
	type RunRecord,
	truthAt,
	widestWindow,
} from './measure';
import type { Workload } from './workloads';

/** The exact LRs behind a record's probe keys: the widest windows of both headlines, climbed. */
function exactLrs(rec: RunRecord): Map<string, number> {
	const out = new Map<string, number>();
	for (const h of [rec.headline1.lr, rec.headline3.lr]) {
		for (const c of h === null ? [] : verifyCandidates(h, widestWindow)) {
			for (let lr = c.lr, i = 0; i < 4; i++, lr = climbLr(lr)) {
				out.set(lrKey(lr), lr);
			}
		}
	}
	return out;
}

/**
 * Adds the probes on held-out slices `1 … count − 1` (core/verify.ts `sliceSeed`) at every LR the
 * record probed, by {@link measure}'s own code paths. The record's first LR is probed again on
 * slice 0 as a control (returned beside its recorded losses). Mutates and returns `rec`.
 */
export async function measureSlices(
	w: Workload,
	rec: RunRecord,
	count: number,
): Promise<{ rec: RunRecord; control: [unknown, unknown] }> {
	const s = await rangeTested(w, rec.seed);
	try {
		const keys = Object.keys(rec.probes.byLr);
		const exact = exactLrs(rec);
		const lrs = keys.map((k) => exact.get(k) ?? Number(k));
		const c = await probesOn(w, s, lrs.slice(0, 1), sliceSeed(rec.seed, 0));
		rec.slices ??= [];
		for (let k = rec.slices.length + 1; k < count; k++) {
			const { checkpoints: _c, ...p } = await probesOn(w, s, lrs, sliceSeed(rec.seed, k));
			rec.slices.push(p);
		}
		return { rec, control: [rec.probes.byLr[keys[0]], c.byLr[keys[0]]] };
	} finally {
		s.dispose();
	}
}

/** The seed of the truth's retest: other folds and batch order than the record's (`seed`). */
export const retestSeed = (seed: number): number => seed + 104729;

/**
 * Measures the record's truth again (3-fold CV, the engine's `runSweep`, the plan's epochs) with
 * {@link retestSeed}'s folds, at every LR the record has a truth for. Mutates and returns `rec`.
 */
export async function measureRetest(w: Workload, rec: RunRecord): Promise<RunRecord> {
	const s = await rangeTested(w, rec.seed);
	try {
		// As measure.ts: a probe's LR replaces the grid's under the same key.
		const exact = new Map([...grid.map((g) => [lrKey(g), g] as const), ...exactLrs(rec)]);
		const lrs = Object.keys(rec.truth).map((k) => exact.get(k) ?? Number(k));
		const seed = retestSeed(rec.seed);
		const { truth } = await truthAt(w, s, lrs, seed);
		rec.retest = { seed, truth, bestGridLoss: gridBest(truth) };
		return rec;
	} finally {
		s.dispose();
	}
}

/**
 * Adds the probes (slice 0, the record's own) at every grid LR the record has not probed, by
 * {@link measure}'s own code paths; the record's first probed LR is probed again beside them as a
 * control (returned beside its recorded losses). Mutates and returns `rec` and the LRs added.
 */
export async function measureGridProbes(
	w: Workload,
	rec: RunRecord,
): Promise<{ rec: RunRecord; added: number[]; control: [unknown, unknown] }> {
	const added = grid.filter((g) => !(lrKey(g) in rec.probes.byLr));
	const s = await rangeTested(w, rec.seed);
	try {
		const first = Object.keys(rec.probes.byLr)[0];
		const control = exactLrs(rec).get(first) ?? Number(first);
		const m = await probesOn(w, s, [control, ...added], sliceSeed(rec.seed, 0));
		for (const lr of added) {
			rec.probes.byLr[lrKey(lr)] = m.byLr[lrKey(lr)];
		}
		return { rec, added, control: [rec.probes.byLr[first], m.byLr[first]] };
	} finally {
		s.dispose();
	}
}
