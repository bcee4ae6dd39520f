/** One followed log file or TensorBoard logdir: its follower, its detectors and its poll state. */
import * as vscode from 'vscode';
import { DetectorSet } from '../../core/detectors';
import { LogDirFollower, LogFollower, type Poller } from '../../core/logs/follow';
import { errorText } from '../../core/present/errorText';
import type { Config } from '../config';
import type { Log } from '../log';
import type { LiveRun, ResultsStore } from '../resultsStore';
import { toDetectorConfig } from '../warnings/detectorSettings';
import type { WatchTarget } from './watchTarget';

/** One followed file or logdir. */
export interface Followed {
	target: WatchTarget;
	runId: string;
	follower: Poller;
	detectors: DetectorSet;
	/** Findings do not notify until the log grows after discovery (old logs must not storm). */
	quiet: boolean;
	polling: Promise<void> | undefined;
	again: boolean;
	lastData: number;
	failed: boolean;
	polls: number;
	/** One-shot: marks the run finished after `idleMs` without data. */
	idleTimer: NodeJS.Timeout | undefined;
}

/** A follower for the target: a logdir's event files, or one file from `offset` (default 0). */
export function followerFor(target: WatchTarget, maxBytesPerPoll: number, offset?: number): Poller {
	return target.kind === 'logdir'
		? new LogDirFollower(target.path)
		: new LogFollower(target.path, {
				...(offset !== undefined ? { offset } : {}),
				maxBytesPerPoll,
			});
}

/** Detectors per the settings; the defaults (and a warning) when the settings are rejected. */
export function detectorsFor(config: Config, log: Log): DetectorSet {
	try {
		return new DetectorSet(toDetectorConfig(config.detectors));
	} catch (e) {
		log.warn(`detector settings rejected (${errorText(e)}); using the defaults`);
		return new DetectorSet();
	}
}

/** A new followed run, not yet polled. */
export function newFollowed(
	target: WatchTarget,
	runId: string,
	detectors: DetectorSet,
	quiet: boolean,
	maxBytesPerPoll: number,
): Followed {
	return {
		target,
		runId,
		follower: followerFor(target, maxBytesPerPoll),
		detectors,
		quiet,
		polling: undefined,
		again: false,
		lastData: Date.now(),
		failed: false,
		polls: 0,
		idleTimer: undefined,
	};
}

/** The watched run in the results store (again, after "Clear Results" removed it). */
export function startWatchedRun(store: ResultsStore, target: WatchTarget, runId: string): LiveRun {
	return store.startLive({
		id: runId,
		label: `${vscode.workspace.asRelativePath(target.path)}${target.kind === 'logdir' ? '/' : ''} (watched)`,
		origin: 'watch',
		targetUri: vscode.Uri.file(target.path).toString(),
	});
}
