/**
 * Live-run series math: where each epoch ended in steps, and where a loss curve stopped being
 * healthy.
 */
import type { LogRecord } from '../../src/core/types';
import type { Y } from './series';
import { isFiniteNumber } from './series';

/** Ratio of the smoothed loss to its best that counts as diverged (docs/algorithms.md's divergence k). */
const unhealthyFactor = 4;

/**
 * Where each epoch ended, in steps. Monitor mode (fitHook `onEpochEnd`) and Keras-style logs write
 * an epoch's record right after its last batch, so the step record just before an epoch record is
 * where that epoch ended. Epochs without a record of their own (the host thins very long runs
 * evenly, which can drop one) are interpolated from the known ones; `at` returns `null` when the
 * run has no epoch records next to step records at all.
 */
export function epochEndSteps(records: readonly LogRecord[]): {
	known: Map<number, number>;
	at(epoch: number): number | null;
} {
	const known = new Map<number, number>();
	let lastStep: number | null = null;
	let firstStep: number | null = null;
	for (const r of records) {
		if (r.unit === 'step') {
			lastStep = r.step;
			firstStep ??= r.step;
		} else if (lastStep !== null) {
			known.set(r.step, lastStep);
		}
	}
	const pairs = [...known].sort((a, b) => a[0] - b[0]);
	const at = (epoch: number): number | null => {
		const exact = known.get(epoch);
		if (exact !== undefined) {
			return exact;
		}
		if (!pairs.length || firstStep === null || lastStep === null) {
			return null;
		}
		let est: number;
		const [e0, s0] = pairs[0];
		const [e1, s1] = pairs[pairs.length - 1];
		const after = pairs.findIndex(([e]) => e > epoch);
		if (after > 0) {
			// Between two known epochs: linear in the epoch number.
			const [ea, sa] = pairs[after - 1];
			const [eb, sb] = pairs[after];
			est = sa + ((epoch - ea) * (sb - sa)) / (eb - ea);
		} else {
			// Outside: steps per epoch from the known span (or, with one known epoch, from the run's start
			// assuming 0-based epochs as tfjs counts them).
			const perEpoch =
				pairs.length > 1 ? (s1 - s0) / (e1 - e0) : (s0 - firstStep + 1) / Math.max(1, e0 + 1);
			est = after === 0 ? s0 - (e0 - epoch) * perEpoch : s1 + (epoch - e1) * perEpoch;
		}
		return Math.round(Math.min(lastStep, Math.max(firstStep, est)));
	};
	return { known, at };
}

/**
 * Index where a loss curve stops being healthy: the start of the excursion (first value over 2×
 * the best smoothed value) that took the debiased EMA (β 0.9) over 4× its best, or the first
 * non-finite value, whichever comes first. `null` when it stays healthy. `present[i]` false means
 * the series has no record at i (a gap, not a NaN).
 */
export function unhealthyIndex(
	values: readonly Y[],
	present: readonly boolean[] = values.map(() => true),
): number | null {
	const beta = 0.9;
	let avg = 0;
	let n = 0;
	let best = Infinity;
	let excursion: number | null = null;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (!isFiniteNumber(v)) {
			if (present[i]) {
				return excursion ?? i;
			}
			continue;
		}
		n++;
		avg = beta * avg + (1 - beta) * v;
		const sm = avg / (1 - Math.pow(beta, n));
		if (v > 2 * best) {
			excursion ??= i;
		} else {
			excursion = null;
		}
		// A few points of warm-up: the first smoothed values are single noisy losses.
		if (n > 5 && best > 0 && sm > unhealthyFactor * best) {
			return excursion ?? i;
		}
		best = Math.min(best, sm);
	}
	return null;
}
