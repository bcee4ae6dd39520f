/**
 * How often monitor mode samples the layers (issues 15, 20): k steps between samples, adapted so a
 * sample's measured cost stays within the overhead budget of the measured step time, without ever
 * starving the detectors.
 */
import type { LayerSignalOptions } from '../../shared/runnerProtocol';

/** Bounds of k: sample at least every 1000 steps so a long run still gets a picture. */
const maxEvery = 1000;

/**
 * k for a sample cost and a step time (ms): the smallest k with cost ≤ budget × k × step, within
 * [1, 1000]; 2 until both have been measured.
 */
export function everyForBudget(
	costMs: number | undefined,
	stepMs: number | undefined,
	budget: number,
): number {
	if (costMs === undefined || stepMs === undefined) {
		return 2;
	}
	return Math.min(maxEvery, Math.max(1, Math.ceil(costMs / (budget * stepMs))));
}
/**
 * The next k (issue 20): the budget's k for the median of the last few sample costs (one slow sample
 * — a GC pause, a busy machine — must not set it), at most twice the previous k, and at most 1/8 of
 * the steps so far, so that a detector needing a few samples is never starved early in a run (one
 * noisy cost once pushed k from 2 to 124, and a finding due at step ~10 came at step 80).
 */
export function nextEvery(
	prev: number,
	costs: readonly number[],
	stepMs: number | undefined,
	budget: number,
	step: number,
): number {
	if (costs.length === 0) {
		return everyForBudget(undefined, stepMs, budget);
	}
	const sorted = [...costs].sort((a, b) => a - b);
	const cost = sorted[Math.floor(sorted.length / 2)];
	const k = everyForBudget(cost, stepMs, budget);
	return Math.max(1, Math.min(k, 2 * prev, Math.max(2, Math.floor(step / 8))));
}

/** Sample costs the median of `nextEvery` looks at. */
export const costWindow = 5;

/**
 * When one model's layers are sampled: every k steps, k fixed by `every` or adapted after each sample
 * from the measured sample costs and step time (a moving average over the steps not sampled, since a
 * sampled step pays the sample too).
 */
export class SampleSchedule {
	private _next = 0;
	private _every: number;
	private _stepMs: number | undefined;
	private readonly _costs: number[] = [];
	private _lastEnd: number | undefined;
	private _lastSampled = false;
	private _samples = 0;

	constructor(private readonly _config: LayerSignalOptions) {
		this._every = _config.every && _config.every >= 1 ? Math.floor(_config.every) : 1;
	}

	/** k, the steps between samples. */
	get every(): number {
		return this._every;
	}

	/** Whether step `step` is to be sampled. */
	isDue(step: number): boolean {
		return step >= this._next;
	}

	/** A batch ended (`sampled`: whether it was measured); times it when the previous one was not. */
	batchEnded(sampled: boolean): void {
		const now = performance.now();
		if (this._lastEnd !== undefined && !this._lastSampled) {
			const dt = now - this._lastEnd;
			this._stepMs = this._stepMs === undefined ? dt : 0.8 * this._stepMs + 0.2 * dt;
		}
		this._lastSampled = sampled;
	}

	/** The batch's own work is done: the next step's time starts now. */
	markEnd(): void {
		this._lastEnd = performance.now();
	}

	/** A sample at `step` cost `cost` ms: sets k and the next sample's step. */
	sampled(cost: number, step: number): void {
		this._samples++;
		if (this._samples > 1) {
			// The first sample pays for kernel warm-up; it would set k far too high.
			this._costs.push(cost);
			if (this._costs.length > costWindow) {
				this._costs.shift();
			}
		}
		const budget = this._config.budget && this._config.budget > 0 ? this._config.budget : 0.05;
		if (!this._config.every) {
			this._every = nextEvery(this._every, this._costs, this._stepMs, budget, step);
		}
		this._next = step + this._every;
	}

	/** A sample's cost as a share of the step time, once that has been measured. */
	overhead(cost: number): number | undefined {
		return this._stepMs !== undefined && this._stepMs > 0 ? cost / this._stepMs : undefined;
	}
}
