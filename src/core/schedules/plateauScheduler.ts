/** Reduce-on-plateau, the one schedule that follows the losses rather than the step. */
import type { ReduceOnPlateauSpec } from './spec';

/**
 * Reduce-on-plateau as a stateful scheduler: call `step(loss)` after each epoch with the monitored
 * loss (`null`/NaN = non-finite, which never counts as an improvement); it returns the LR for the
 * next epoch. Keras mode follows `keras.callbacks.ReduceLROnPlateau.on_epoch_end`; torch mode follows
 * `torch.optim.lr_scheduler.ReduceLROnPlateau.step` (mode 'min').
 */
export class PlateauScheduler {
	private _lr: number;
	private _best = Infinity;
	private _wait = 0;
	private _cooldown = 0;
	/** Epochs at which the LR was reduced (0-based count of `step` calls). */
	readonly reductions: number[] = [];
	private _epoch = 0;

	constructor(readonly spec: ReduceOnPlateauSpec) {
		this._lr = spec.initialLearningRate;
	}

	/** The current LR. */
	get lr(): number {
		return this._lr;
	}

	/** Feeds one epoch's monitored loss; returns the LR to use from now on. */
	step(loss: number | null): number {
		const current = loss === null ? NaN : loss;
		const s = this.spec;
		if (s.mode === 'keras') {
			if (this._cooldown > 0) {
				this._cooldown -= 1;
				this._wait = 0;
			}
			if (current < this._best - s.minDelta) {
				this._best = current;
				this._wait = 0;
			} else if (!(this._cooldown > 0)) {
				this._wait += 1;
				if (this._wait >= s.patience) {
					const old = this._lr;
					if (old > s.minLr) {
						this._lr = Math.max(old * s.factor, s.minLr);
						this.reductions.push(this._epoch);
						this._cooldown = s.cooldown;
						this._wait = 0;
					}
				}
			}
		} else {
			const better =
				s.thresholdMode === 'rel'
					? current < this._best * (1 - s.threshold)
					: current < this._best - s.threshold;
			if (better) {
				this._best = current;
				this._wait = 0;
			} else {
				this._wait += 1;
			}
			if (this._cooldown > 0) {
				this._cooldown -= 1;
				this._wait = 0;
			}
			if (this._wait > s.patience) {
				const old = this._lr;
				const next = Math.max(old * s.factor, s.minLr);
				if (old - next > s.eps) {
					this._lr = next;
					this.reductions.push(this._epoch);
				}
				this._cooldown = s.cooldown;
				this._wait = 0;
			}
		}
		this._epoch += 1;
		return this._lr;
	}
}

/** LRs used for each epoch when a plateau scheduler is fed `losses` (entry `e` = LR during epoch `e`). */
export function plateauLrs(
	spec: ReduceOnPlateauSpec,
	losses: readonly (number | null)[],
): number[] {
	const p = new PlateauScheduler(spec);
	const out: number[] = [p.lr];
	for (const l of losses) {
		out.push(p.step(l));
	}
	return out;
}
