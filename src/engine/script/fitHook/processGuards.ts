/** Process guards: seeded randomness, dying with the runner, and reporting an uncaught error. */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { mulberry32 } from '../../../core/random';
import { statusFd, type UncaughtReport } from '../../../shared/fitHookProtocol';
import { defaultRangeTestOptions } from '../../../shared/runnerProtocol';
import type { HookState } from './state';
import { scriptSeededNote } from '../../../core/present/scriptWords';

/**
 * Range test / sweep: the script's own randomness is seeded from `--seed` for the whole run, so
 * the same seed gives the same curve. tfjs's unseeded initialisers (glorotUniform, …), random ops
 * and `tf.util.shuffle` draw their seeds from `Math.random`, which becomes a seeded generator before
 * the script starts; `dataset.shuffle(n)` without a seed (which tfjs seeds from the clock) gets one
 * from that generator (see patchTf). Monitor runs are left alone: that is the user's real training.
 */
export function seedScriptRandomness(st: HookState): void {
	const seed = st.config.rangeTest?.seed ?? st.config.sweep?.seed ?? defaultRangeTestOptions.seed;
	// A different stream from the range test's own data order and dropout (seed.ts offsets those).
	Math.random = mulberry32((Math.imul(seed, 0x9e3779b1) ^ 0x2545f491) >>> 0);
	st.seeded = true;
	st.notes.push(scriptSeededNote(seed));
}

/** Kills this process when the runner that started it dies (even if the script blocks its loop). */
export function installReaper(): void {
	process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
	// An open IPC channel keeps a process alive: the script must still end when its work does.
	(process.channel as { unref?: () => void } | undefined)?.unref?.();
	try {
		const w = new Worker(
			`const { workerData } = require('node:worker_threads');
			setInterval(() => {
				try { process.kill(workerData.parent, 0); } catch { process.kill(workerData.self, 'SIGKILL'); }
			}, 500);`,
			{ eval: true, workerData: { parent: process.ppid, self: process.pid } },
		);
		w.unref();
	} catch {
		// Without a worker the 'disconnect' handler still covers runners that die with an event loop running.
	}
}

/** Reports an uncaught error synchronously (the process is about to exit). */
export function installUncaughtReport(st: HookState): void {
	process.on('uncaughtExceptionMonitor', (err) => {
		const report: UncaughtReport = {
			message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
			stack: err instanceof Error ? err.stack : undefined,
			afterFit: st.fitCalls > 0,
		};
		try {
			fs.writeSync(statusFd, JSON.stringify(report) + '\n');
		} catch {
			// No status pipe (run by hand): Node prints the error anyway.
		}
	});
}
