/**
 * Whether the per-step loss has stopped falling (issue 20: what corroborates an SGD update ratio
 * that is high but not severe): the median of the last `steps` finite losses is not below the median
 * of the `steps` before. Medians, because a mini-batch loss swings from batch to batch.
 */
import { median } from '../../stats';

export class LossTrend {
	private readonly _loss: number[] = [];

	constructor(private readonly _steps: number) {}

	/** One step's loss (missing or non-finite losses are skipped). */
	feed(loss: number | null | undefined): void {
		if (this._steps <= 0 || loss === null || loss === undefined || !Number.isFinite(loss)) {
			return;
		}
		this._loss.push(loss);
		if (this._loss.length > 2 * this._steps) {
			this._loss.shift();
		}
	}

	/** Whether any loss was fed (a source without per-step losses cannot corroborate anything). */
	get seen(): boolean {
		return this._loss.length > 0;
	}

	/** `true`: stopped falling; `false`: still falling; `null`: not enough losses yet (or switched off). */
	get stalled(): boolean | null {
		const n = this._steps;
		if (n <= 0 || this._loss.length < 2 * n) {
			return null;
		}
		return median(this._loss.slice(n)) >= median(this._loss.slice(0, n));
	}
}
