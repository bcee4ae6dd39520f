/** How a script run ended, in the user's terms: the monitor's last log line, a range test's error. */
import type { UncaughtReport } from '../../shared/fitHookProtocol';
import type { ErrorMessage, RunnerErrorCode } from '../../shared/runnerProtocol';
import { atUserFrame, lastLines } from './scriptProcess';
import { scriptEndText as words } from '../../core/present/runEnd';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** Everything the explanations need to know about the ended script. */
export interface ScriptEnding extends Exit {
	/** The script's file name. */
	name: string;
	/** Its last lines of output (stderr, else stdout). */
	tail: string;
	stopped: 'cancel' | 'timeout' | undefined;
	uncaught: UncaughtReport | undefined;
	childError: ErrorMessage | undefined;
	fitCalled: boolean;
	fitTimeoutMs: number;
}

/** Monitor: one log line saying how the script ended, when it did not end well. */
export function monitorEndLog(
	e: ScriptEnding,
): { level: 'info' | 'warn' | 'error'; message: string } | undefined {
	const { name, code, signal, tail } = e;
	if (e.stopped === 'cancel') {
		return {
			level: 'info',
			message: words.stopped(name),
		};
	}
	if (e.uncaught) {
		return {
			level: 'error',
			message: words.threw(name, e.uncaught.afterFit, e.uncaught.message),
		};
	}
	if (e.childError) {
		return { level: 'error', message: e.childError.message };
	}
	if (code !== 0) {
		return {
			level: 'error',
			message: words.failed(name, code, signal, tail),
		};
	}
	if (!e.fitCalled) {
		return {
			level: 'warn',
			message: words.nothingToMonitor(name),
		};
	}
	return undefined;
}

/** Monitor: the exit code reported in `monitorEnd` (130 when cancelled). */
export function monitorEndCounts(e: ScriptEnding): { exitCode: number; stopped?: true } {
	if (e.stopped === 'cancel') {
		return { exitCode: 130, stopped: true };
	}
	return { exitCode: e.code ?? (e.signal ? 128 : 1) };
}

/** Range test / sweep without a result: the error to report (the hook's own when it sent one). */
export function failureOf(e: ScriptEnding): ErrorMessage {
	const { name, code, signal, tail, uncaught } = e;
	const detail = tail || undefined;
	const fail = (c: RunnerErrorCode, message: string, d?: string): ErrorMessage => ({
		type: 'error',
		id: '',
		code: c,
		message,
		...(d ? { detail: d } : {}),
	});
	if (e.stopped === 'cancel') {
		return fail('cancelled', words.cancelled(name));
	}
	if (e.stopped === 'timeout') {
		return fail('timeout', words.fitTimeout(name, e.fitTimeoutMs), detail);
	}
	if (e.childError) {
		return e.childError;
	}
	if (uncaught && !uncaught.afterFit) {
		// Node's "Require stack:" list repeats the stack; the user's frame follows the message.
		const message = uncaught.message.replace(/\n+Require stack:[\s\S]*$/, '');
		return fail(
			'badInput',
			words.threwBeforeFit(name, message, atUserFrame(uncaught.stack)),
			uncaught.stack,
		);
	}
	if (uncaught) {
		return fail('crashed', words.threwDuringRangeTest(name, uncaught.message), uncaught.stack);
	}
	if (e.fitCalled) {
		return fail('crashed', words.endedDuringRangeTest(name, code, signal), detail);
	}
	if (signal) {
		return fail('crashed', words.killedBeforeFit(name, signal), detail);
	}
	if (code !== 0) {
		return fail(
			'badInput',
			words.exitedBeforeFit(name, code, tail ? lastLines(tail, 1) : undefined),
			detail,
		);
	}
	return fail('badInput', words.noFitCall(name), detail);
}
