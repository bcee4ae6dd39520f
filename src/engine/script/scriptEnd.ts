/** How a script run ended, in the user's terms: the monitor's last log line, a range test's error. */
import type { UncaughtReport } from '../../shared/fitHookProtocol';
import type { ErrorMessage, RunnerErrorCode } from '../../shared/runnerProtocol';
import { atUserFrame, lastLines } from './scriptProcess';

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
			message: `stopped ${name} (the script and everything it started were killed)`,
		};
	}
	if (e.uncaught) {
		return {
			level: 'error',
			message: `${name} threw ${e.uncaught.afterFit ? 'during training' : 'before calling model.fit'}: ${e.uncaught.message}`,
		};
	}
	if (e.childError) {
		return { level: 'error', message: e.childError.message };
	}
	if (code !== 0) {
		return {
			level: 'error',
			message: `${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${tail ? `; last output:\n${tail}` : ''}`,
		};
	}
	if (!e.fitCalled) {
		return {
			level: 'warn',
			message: `${name} exited without calling model.fit or model.fitDataset, so there was nothing to monitor`,
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
		return fail('cancelled', `cancelled; ${name} and everything it started were stopped`);
	}
	if (e.stopped === 'timeout') {
		return fail(
			'timeout',
			`${name} did not call model.fit within ${Math.round(e.fitTimeoutMs / 1000)} s and was stopped (is it waiting for input, or loading a lot of data? raise the timeout if it needs longer)`,
			detail,
		);
	}
	if (e.childError) {
		return e.childError;
	}
	if (uncaught && !uncaught.afterFit) {
		// Node's "Require stack:" list repeats the stack; the user's frame follows the message.
		const message = uncaught.message.replace(/\n+Require stack:[\s\S]*$/, '');
		return fail(
			'badInput',
			`${name} threw before calling model.fit: ${message}${atUserFrame(uncaught.stack)}`,
			uncaught.stack,
		);
	}
	if (uncaught) {
		return fail(
			'crashed',
			`${name} threw during the range test: ${uncaught.message}`,
			uncaught.stack,
		);
	}
	if (e.fitCalled) {
		return fail(
			'crashed',
			`${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`} during the range test`,
			detail,
		);
	}
	if (signal) {
		return fail('crashed', `${name} was killed by ${signal} before calling model.fit`, detail);
	}
	if (code !== 0) {
		return fail(
			'badInput',
			`${name} exited with code ${code} before calling model.fit${tail ? `: ${lastLines(tail, 1)}` : ''}`,
			detail,
		);
	}
	return fail(
		'badInput',
		`${name} exited without calling model.fit or model.fitDataset; LR Scope runs the range test on the script's first fit call, so run it with the arguments that make it train`,
		detail,
	);
}
