/**
 * Debiased exponential moving average, as fastai, Lightning and TensorBoard smooth loss curves.
 * `avg_t = β·avg_{t-1} + (1-β)·x_t` from `avg_0 = 0`, reported as `avg_t / (1 - β^t)`, where `t`
 * counts finite points only: a non-finite point is passed through unchanged and does not advance `t`
 * (TensorBoard's rule), so one NaN does not poison every later point.
 */

/** fastai's default β for the LR range test. */
export const defaultBeta = 0.98;

/** Throws unless `beta` is a usable EMA coefficient (0 ≤ β < 1). */
function checkBeta(beta: number): void {
	if (!(typeof beta === 'number' && beta >= 0 && beta < 1)) {
		throw new Error(`beta must be a number in [0, 1), got ${String(beta)}`);
	}
}

/**
 * Incremental debiased EMA. The engine feeds one loss per batch with `push`; the value returned is
 * the smoothed loss for that batch (or the input itself, unchanged, when it is non-finite or `null`).
 */
export class Smoother {
	private _avg = 0;
	private _t = 0;
	private _betaPow = 1;

	constructor(readonly beta: number = defaultBeta) {
		checkBeta(beta);
	}

	/** Number of finite points seen so far. */
	get count(): number {
		return this._t;
	}

	/** The last smoothed value, or `null` before the first finite point. */
	get value(): number | null {
		return this._t === 0 ? null : this._avg / (1 - this._betaPow);
	}

	/** Adds one raw point and returns its smoothed value; non-finite points pass through. */
	push(x: number | null): number | null {
		if (x === null || !Number.isFinite(x)) {
			return x;
		}
		this._avg = this.beta * this._avg + (1 - this.beta) * x;
		this._t += 1;
		// Tracked as a running product (not Math.pow) so the batch and incremental forms agree bit for bit.
		this._betaPow *= this.beta;
		return this._avg / (1 - this._betaPow);
	}

	/** Forgets everything seen so far. */
	reset(): void {
		this._avg = 0;
		this._t = 0;
		this._betaPow = 1;
	}
}

/** Smooths a whole series with a debiased EMA; non-finite points (and `null`) pass through as given. */
export function debiasedEma(
	values: readonly (number | null)[],
	beta: number = defaultBeta,
): (number | null)[] {
	const s = new Smoother(beta);
	return values.map((x) => s.push(x));
}

/**
 * A recorded curve's smoothing at `beta`: the stored one (the same array) at the curve's own β,
 * else the debiased EMA recomputed from its raw losses (the panel's β slider, a CSV's β).
 */
export function smoothedAt(
	curve: {
		losses: readonly (number | null)[];
		smoothed: readonly (number | null)[];
		beta: number;
	},
	beta: number,
): readonly (number | null)[] {
	return Math.abs(beta - curve.beta) < 1e-12 ? curve.smoothed : debiasedEma(curve.losses, beta);
}
