/**
 * Host side of the engine runner: forks `dist/runner.js`, sends one request, streams its messages,
 * and turns a timeout, a crash or a cancel into a clear `RunnerError`. Used by the CLI and the
 * extension; loads no tfjs itself (the extension host never does).
 */
import { errorText } from '../core/present/errorText';
import { runnerEndText as words } from '../core/present/runEnd';
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
	RunnerMessageType as T,
	type FromRunnerMessage,
	type RunnerErrorCode,
	type RunRequest,
	type ToRunnerMessage,
} from '../shared/runnerProtocol';
import { isFromRunnerMessage } from '../shared/runnerGuards';
import { assertNever } from '../shared/guards';

/** A failed run: bad input, timeout, crash, cancel or an internal error. */
export class RunnerError extends Error {
	constructor(
		readonly code: RunnerErrorCode,
		message: string,
		readonly detail?: string,
	) {
		super(message);
		this.name = 'RunnerError';
	}
}

/** The final message of a successful run (a range test with its headline, as the engine built it). */
export type RunnerOutcome = Extract<
	FromRunnerMessage,
	{ type: 'result' | 'sweepResult' | 'monitorEnd' }
>;

export interface RunOptions {
	/** Path of the built runner (default: `runner.js` next to this bundle). */
	runnerPath?: string;
	/** Every message from the runner, in order (progress, logs, ...). */
	onMessage?: (m: FromRunnerMessage) => void;
	/** Abort = cancel: the runner stops after the current batch; killed after `graceMs`. */
	signal?: AbortSignal;
	/** Hard limit for the whole run; the runner is killed and the run fails with code 'timeout'. */
	timeoutMs?: number;
	/** How long a cancelled runner may take to stop before it is killed. */
	graceMs?: number;
	/** Working directory and extra environment for the runner process. */
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Lines the runner writes to stdout/stderr (user scripts print there). */
	onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Default path of the runner bundle, next to the calling bundle in dist/. */
export function defaultRunnerPath(): string {
	return path.join(__dirname, 'runner.js');
}

/** Runs one request in a fresh runner process and resolves with its final message. */
export function runInRunner(request: RunRequest, options: RunOptions = {}): Promise<RunnerOutcome> {
	return new Promise<RunnerOutcome>((resolve, reject) => {
		let settled = false;
		let child: ChildProcess;
		const timers: NodeJS.Timeout[] = [];
		let onAbort = (): void => {};
		const finish = (err: RunnerError | null, value?: RunnerOutcome): void => {
			if (settled) {
				return;
			}
			settled = true;
			timers.forEach(clearTimeout);
			options.signal?.removeEventListener('abort', onAbort);
			if (child.exitCode === null && child.signalCode === null) {
				stopRunner(child);
			}
			if (err) {
				reject(err);
			} else {
				resolve(value!);
			}
		};
		try {
			child = fork(options.runnerPath ?? defaultRunnerPath(), [], {
				cwd: options.cwd,
				env: { ...process.env, ...options.env },
				stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
				execArgv: [],
				serialization: 'advanced',
			});
		} catch (e) {
			reject(new RunnerError('crashed', words.notStarted(errorText(e))));
			return;
		}
		listen(child, request.id, options, finish);
		onAbort = stopOnAbort(child, request.id, options.graceMs ?? 5000, timers, finish);
		if (options.signal?.aborted) {
			onAbort();
		} else {
			options.signal?.addEventListener('abort', onAbort, { once: true });
		}
		if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
			const seconds = Math.round(options.timeoutMs / 1000);
			timers.push(
				setTimeout(
					() => finish(new RunnerError('timeout', words.timedOut(seconds))),
					options.timeoutMs,
				),
			);
		}
		child.send(request);
	});
}

/** What ends a run: a final message, or an error. */
type Finish = (err: RunnerError | null, value?: RunnerOutcome) => void;

/**
 * Forwards the runner's output and its messages for `id`; a final message, an error message, a
 * process error or an exit ends the run (an exit before a final message is a crash, with the last
 * lines of stderr as its detail).
 */
function listen(child: ChildProcess, id: string, options: RunOptions, finish: Finish): void {
	let stderrTail = '';
	child.stdout?.setEncoding('utf8').on('data', (t: string) => options.onOutput?.('stdout', t));
	child.stderr?.setEncoding('utf8').on('data', (t: string) => {
		stderrTail = (stderrTail + t).slice(-4000);
		options.onOutput?.('stderr', t);
	});
	child.on('message', (raw: unknown) => {
		if (!isFromRunnerMessage(raw) || raw.id !== id) {
			return;
		}
		options.onMessage?.(raw);
		switch (raw.type) {
			case T.Result:
			case T.SweepResult:
			case T.MonitorEnd:
				finish(null, raw);
				return;
			case T.Error:
				finish(new RunnerError(raw.code, raw.message, raw.detail));
				return;
			// Streamed: the caller's `onMessage` had them.
			case T.Started:
			case T.Progress:
			case T.SweepProgress:
			case T.TrainLog:
			case T.VerifyProgress:
			case T.Log:
			case T.LayerStats:
			case T.Finding:
			case T.FitCall:
				return;
			default:
				return assertNever(raw);
		}
	});
	child.on('error', (e) => finish(new RunnerError('crashed', words.failed(e.message), stderrTail)));
	child.on('exit', (code, sig) => {
		finish(new RunnerError('crashed', words.endedEarly(code, sig), lastLines(stderrTail)));
	});
}

/** The abort handler: ask the runner to cancel, and kill it if it has not stopped after `graceMs`. */
function stopOnAbort(
	child: ChildProcess,
	id: string,
	graceMs: number,
	timers: NodeJS.Timeout[],
	finish: Finish,
): () => void {
	return (): void => {
		if (child.connected) {
			child.send({ type: 'cancel', id } satisfies ToRunnerMessage);
		}
		timers.push(
			setTimeout(() => finish(new RunnerError('cancelled', words.killedAfterCancel)), graceMs),
		);
	};
}

/**
 * Stops a runner that is still running: SIGTERM first, on which it kills the script it runs (a
 * detached process group, which a SIGKILL of the runner alone would leave running) and exits; SIGKILL
 * if it has not exited after a second. The timer does not keep the host alive.
 */
function stopRunner(child: ChildProcess): void {
	child.kill('SIGTERM');
	setTimeout(() => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}, 1000).unref();
}

function lastLines(text: string, n = 8): string {
	return text.trimEnd().split('\n').slice(-n).join('\n');
}
