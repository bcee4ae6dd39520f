/**
 * How a run ended, in the user's words: the user's script (engine/script/scriptEnd.ts decides which
 * ending it was, these say it) and the runner process itself (host/client.ts). The monitor's last
 * log line, a range test's error, the CLI's and the notification's message all come from here.
 */

/** How a process ended: `was killed by SIGTERM`, `exited with code 1`. */
export function exitText(code: number | null, signal: string | null): string {
	return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** The user's script `name` and how it ended, for the monitor's log and a range test's error. */
export const scriptEndText = {
	/** Monitor: the user stopped it. */
	stopped: (name: string): string =>
		`stopped ${name} (the script and everything it started were killed)`,
	/** Monitor: it threw (`afterFit`: during training). */
	threw: (name: string, afterFit: boolean, message: string): string =>
		`${name} threw ${afterFit ? 'during training' : 'before calling model.fit'}: ${message}`,
	/** Monitor: it failed, with its last output. */
	failed: (name: string, code: number | null, signal: string | null, tail: string): string =>
		`${name} ${exitText(code, signal)}${tail ? `; last output:\n${tail}` : ''}`,
	/** Monitor: it ended without training. */
	nothingToMonitor: (name: string): string =>
		`${name} exited without calling model.fit or model.fitDataset, so there was nothing to monitor`,
	/** Range test or sweep: cancelled. */
	cancelled: (name: string): string => `cancelled; ${name} and everything it started were stopped`,
	/** Range test or sweep: no fit call within the time limit. */
	fitTimeout: (name: string, fitTimeoutMs: number): string =>
		`${name} did not call model.fit within ${Math.round(fitTimeoutMs / 1000)} s and was stopped (is it waiting for input, or loading a lot of data? raise the timeout if it needs longer)`,
	/** Range test or sweep: it threw before fit (`at`: ` (train.js:12)` or empty). */
	threwBeforeFit: (name: string, message: string, at: string): string =>
		`${name} threw before calling model.fit: ${message}${at}`,
	/** Range test or sweep: it threw while the range test trained. */
	threwDuringRangeTest: (name: string, message: string): string =>
		`${name} threw during the range test: ${message}`,
	/** Range test or sweep: it exited or was killed while the range test trained. */
	endedDuringRangeTest: (name: string, code: number | null, signal: string | null): string =>
		`${name} ${exitText(code, signal)} during the range test`,
	/** Range test or sweep: killed before fit. */
	killedBeforeFit: (name: string, signal: string): string =>
		`${name} was killed by ${signal} before calling model.fit`,
	/** Range test or sweep: a failing exit before fit (`lastLine`: its last output line, if it printed). */
	exitedBeforeFit: (name: string, code: number | null, lastLine: string | undefined): string =>
		`${name} exited with code ${code} before calling model.fit${lastLine !== undefined ? `: ${lastLine}` : ''}`,
	/** Range test or sweep: a clean exit without a fit call. */
	noFitCall: (name: string): string =>
		`${name} exited without calling model.fit or model.fitDataset; LR Scope runs the range test on the script's first fit call, so run it with the arguments that make it train`,
};

/** What the host says when the runner process itself failed (host/client.ts). */
export const runnerEndText = {
	/** The runner could not be started (`error`: `errorText` of why). */
	notStarted: (error: string): string => `could not start the LR Scope runner: ${error}`,
	/** The run passed its hard timeout. */
	timedOut: (seconds: number): string =>
		`the run took longer than ${seconds} s and was stopped (raise the timeout setting if it needs longer)`,
	/** The runner process failed (it could not be spawned, or its IPC channel broke). */
	failed: (message: string): string => `the LR Scope runner failed: ${message}`,
	/** The runner exited before its final message. */
	endedEarly: (code: number | null, signal: string | null): string =>
		`the LR Scope runner ${signal ? `was killed (${signal})` : `exited with code ${code}`} before it finished`,
	/** A cancel the runner did not honour in time. */
	killedAfterCancel: 'cancelled (the runner did not stop in time and was killed)',
};
