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
