/**
 * The types a sweep (sweep.ts) and its training runs (sweepTraining.ts) share: progress, hooks and
 * the context every run of one sweep gets.
 */
import type { BackendInfo } from '../../core/types';
import type { SweepOptions } from '../../shared/runnerProtocol';
import type { LoadedSource, Tf } from '../sources/sourceTypes';

/** Per-epoch progress of one run. */
export interface SweepProgress {
	lrIndex: number;
	lrCount: number;
	lr: number;
	epoch: number;
	fold: number;
	loss: number | null;
	valLoss: number | null;
}

/** Callbacks from the sweep. */
export interface SweepHooks {
	onProgress?(p: SweepProgress): void;
	onLog?(message: string): void;
	/** Checked before every batch; stops the sweep, returning the LRs that finished. */
	isCancelled?(): boolean;
	backend?: BackendInfo;
}

/** What every training run of a sweep shares. */
export interface SweepContext {
	tf: Tf;
	loaded: LoadedSource;
	o: SweepOptions;
	batchSize: number;
	hooks: SweepHooks;
	yieldNow: () => Promise<void>;
}
