/**
 * Runs the user's own training script (zero-config) for the runner: range test / sweep on the
 * script's first `model.fit`, or monitor mode (real training, streamed logs, live detectors).
 * Called by `runner.ts` for `source.kind === 'script'` and for `type: 'monitor'`.
 */
import type { FromRunnerMessage, ToRunnerMessage } from '../shared/runnerProtocol';

/** A request the script runner handles. */
export type ScriptRequest = Exclude<ToRunnerMessage, { type: 'cancel' }>;

/**
 * Runs `msg` (rangeTest/sweep with a script source, or monitor) in a child process with the fit
 * hook preloaded; streams messages through `send` (same `id` as `msg`) and ends with exactly one
 * final message (`result`, `sweepResult`, `monitorEnd` or `error`). Never throws.
 */
export async function runScript(
	msg: ScriptRequest,
	send: (m: FromRunnerMessage) => void,
	_isCancelled: () => boolean,
): Promise<void> {
	send({ type: 'error', id: msg.id, code: 'internal', message: 'script runs are not implemented yet' });
}
