/**
 * Seeded randomness for the engine: shuffling/batching order and tfjs's own random ops (dropout,
 * random initialisers) so that the same seed gives the same range-test curve on the same backend.
 */

import { mulberry32 } from '../../core/random';

export { mulberry32 };

/** A seeded Fisher–Yates permutation of `0..n-1`. */
export function shuffledIndices(n: number, rand: () => number): Int32Array {
	const idx = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		idx[i] = i;
	}
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		const t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	return idx;
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator, restoring it afterwards (any outcome).
 * Why: tfjs's random ops (dropout, `randomUniform` without a seed) draw their seed from
 * `Math.random()`, so this is the one hook that makes dropout layers reproducible without
 * touching the user's model.
 */
export async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
	const original = Math.random;
	// Offset so that the data order and tfjs's random stream do not share a sequence.
	Math.random = mulberry32((seed ^ 0x5bd1e995) >>> 0);
	try {
		return await fn();
	} finally {
		Math.random = original;
	}
}
