/**
 * The types a sweep (sweep.ts) and its training runs (sweepTraining.ts) share: hooks and the context
 * every run of one sweep gets. Their progress is the runner protocol's `SweepProgress`, which the
 * runner sends as it is.
 */
import type { BackendInfo } from '../../core/types';
import type { SweepOptions, SweepProgress } from '../../shared/runnerProtocol';
import type { LoadedSource, Tf } from '../sources/sourceTypes';

/** Callbacks from the sweep. */
export interface SweepHooks {
	/** Per-epoch progress of one run; the runner sends it as `sweepProgress`. */
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
