/**
 * Early divergence (issue 20): the per-step global gradient norm is rising — measured against the
 * run's own mini-batch noise — while the loss has stopped falling, before the loss detectors see a
 * divergence. Mini-batch gradient norms swing 10–60× between batches, so single values and short
 * runs of rising values mean nothing: the rule compares medians of windows of `window` steps (the
 * median of log ‖g‖ ignores the outlying batches), and needs the loss's own median to agree.
 */
import type { LayerDetectorOptions } from '../layerDetectorOptions';

import { median } from '../../stats';

/** The median of `xs[from…to)`. */
const medianOf = (xs: readonly number[], from: number, to: number): number =>
	median(xs.slice(from, to));

/** Steps of batch-to-batch changes the noise level is measured over (longer than a window: steadier). */
const noiseSteps = 64;

/** State of the rule for one run. `feed` returns the growth over the low when it fires. */
export class EarlyDivergenceRule {
	private readonly _g: number[] = [];
	private readonly _loss: number[] = [];
	private readonly _lr: number[] = [];
	/** |Δ log ‖g‖| between consecutive steps, the last `noiseSteps` (the noise estimate). */
	private readonly _diffs: number[] = [];
	private _count = 0;
	private _low = Infinity;
	private _hold = 0;
	private _onset: number | null = null;

	constructor(private readonly _o: LayerDetectorOptions['early']) {}

	/** First step of the current excursion above the low (where the blow-up began). */
	get onset(): number | null {
		return this._onset;
	}

	/**
	 * One step: its gradient norm and loss (either may be missing or non-finite: the step is skipped).
	 * Returns ‖g‖'s growth over its low when the warning is due, else null.
	 */
	feed(
		step: number,
		gradNorm: number | null,
		loss: number | null | undefined,
		lr?: number | null,
	): number | null {
		const o = this._o;
		if (gradNorm === null || !(gradNorm > 0) || !Number.isFinite(gradNorm)) {
			return null;
		}
		if (loss === null || loss === undefined || !Number.isFinite(loss)) {
			return null;
		}
		const w = o.window;
		const lg = Math.log(gradNorm);
		if (this._g.length > 0) {
			this._diffs.push(Math.abs(lg - this._g[this._g.length - 1]));
			if (this._diffs.length > noiseSteps) {
				this._diffs.shift();
			}
		}
		this._g.push(lg);
		this._loss.push(loss);
		this._lr.push(lr !== null && lr !== undefined && lr > 0 ? lr : NaN);
		if (this._g.length > 2 * w) {
			this._g.shift();
			this._loss.shift();
			this._lr.shift();
		}
		this._count++;
		if (this._count < Math.max(2 * w, o.warmupSteps)) {
			return null;
		}
		const now = medianOf(this._g, w, 2 * w);
		const before = medianOf(this._g, 0, w);
		this._low = Math.min(this._low, now);
		if (now - this._low > Math.log(o.onsetFactor)) {
			// The first step of the recent window already above the low by onsetFactor.
			const i = this._g.findIndex((x, j) => j >= w && x - this._low > Math.log(o.onsetFactor));
			this._onset ??= step - (2 * w - 1 - (i < 0 ? w : i));
		} else {
			this._onset = null;
		}
		// Corroboration beyond the norm: the loss has stopped falling (its recent median is not below
		// the one before), or the LR itself is rising (a schedule or warm-up pushing past stability).
		const lossNow = medianOf(this._loss, w, 2 * w);
		const lossBefore = medianOf(this._loss, 0, w);
		const lrRising = this._lr[2 * w - 1] > this._lr[w - 1] * o.lrRise;
		// The noise of a window median: the batch-to-batch spread of log ‖g‖ over the last 64 steps
		// (robust: from the median absolute change, which a trend barely moves), over √window.
		const sigma = (1.4826 / Math.SQRT2) * medianOf(this._diffs, 0, this._diffs.length);
		const se = (1.2533 * sigma) / Math.sqrt(w);
		const due =
			now - this._low >= Math.log(o.factor) + o.noiseZ * se &&
			now - before >= Math.log(o.riseFactor) + o.noiseZ * Math.SQRT2 * se &&
			(lossNow >= lossBefore * o.lossRatio || lrRising);
		this._hold = due ? this._hold + 1 : 0;
		return this._hold >= o.holdSteps ? Math.exp(now - this._low) : null;
	}
}
