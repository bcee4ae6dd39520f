/**
 * A script whose workspace tfjs cannot use LR Scope's wasm backend runs first on LR Scope's bundled
 * tfjs (engine/script/tfAlias.ts). A range test or sweep that fails there — before its fit call, or
 * in the test with an error that is not about its model or data — runs once more on the workspace's
 * own tfjs, and that run's result carries a note saying why. A monitor run does the same only when
 * the script failed before its first fit call: once training has started, a second run would
 * repeat what the script did (files written, time spent), so the failure is reported as it is.
 */
import * as path from 'node:path';
import { fallbackLog, fallbackNote } from '../../core/present/tfjsNotes';
import type { HookConfig } from '../../shared/fitHookProtocol';
import type { ErrorMessage, FromRunnerMessage, RunRequest } from '../../shared/runnerProtocol';
import { planTfAlias } from './tfAlias';

type Send = (m: FromRunnerMessage) => void;

/** What a script run is given besides the request. */
export interface ScriptRunExtra {
	tfAlias?: HookConfig['tfAlias'];
	/** Notes added to the result (the fallback's). */
	notes?: string[];
}

/** One script run as the fallback drives it (scriptRunner.ts's ScriptRun). */
export interface FallbackableRun {
	prepare(): boolean;
	start(isCancelled: () => boolean): Promise<void>;
	/** After start: whether its failure may be the bundled tfjs's fault (see file comment). */
	readonly mayRetry: boolean;
}

/**
 * Runs `msg` through `makeRun`, aliased when the plan says so, and once more without aliasing when
 * that run failed in a way the workspace's own tfjs might not. `ownFrom`: a file next to LR Scope's
 * node_modules.
 */
export async function runWithTfFallback(
	msg: RunRequest,
	send: Send,
	isCancelled: () => boolean,
	makeRun: (send: Send, extra: ScriptRunExtra) => FallbackableRun,
	ownFrom: string,
): Promise<void> {
	const source = msg.source;
	const plan =
		source.kind === 'script' && typeof source.scriptPath === 'string'
			? planTfAlias(path.resolve(source.scriptPath), ownFrom, msg.backend)
			: { alias: false };
	if (!plan.alias || !plan.workspaceTf || !plan.why) {
		const run = makeRun(send, {});
		if (run.prepare()) {
			await run.start(isCancelled);
		}
		return;
	}
	const first = new HeldBack(msg.type === 'monitor', send);
	const run = makeRun((m) => first.take(m), {
		tfAlias: { workspaceTf: plan.workspaceTf, why: plan.why },
	});
	if (run.prepare()) {
		await run.start(isCancelled);
	}
	const failure = first.failure();
	if (failure === undefined) {
		first.release();
		return;
	}
	if (!run.mayRetry || isCancelled()) {
		first.release();
		return;
	}
	send({ type: 'log', id: msg.id, level: 'warn', message: fallbackLog(plan.workspaceTf) });
	const second = makeRun(send, {
		notes: [fallbackNote(plan.workspaceTf, failure.split('\n')[0].slice(0, 200))],
	});
	if (second.prepare()) {
		await second.start(isCancelled);
	}
}

/**
 * The first, aliased run's messages, held back while they may belong to a failure that a second run
 * replaces: a range test's error; for a monitor, everything before its first fit call and a
 * `monitorEnd` of a script that exited non-zero before it. The rest passes straight through.
 */
class HeldBack {
	private readonly _held: FromRunnerMessage[] = [];
	private _error: ErrorMessage | undefined;
	private _fitSeen = false;

	constructor(
		private readonly _monitor: boolean,
		private readonly _send: Send,
	) {}

	take(m: FromRunnerMessage): void {
		if (m.type === 'error') {
			this._error = m;
			return;
		}
		if (this._monitor && !this._fitSeen) {
			if (m.type === 'fitCall' || m.type === 'started' || m.type === 'trainLog') {
				this._fitSeen = true;
				this._flush();
			} else {
				this._held.push(m);
				return;
			}
		}
		this._send(m);
	}

	/** Why the run failed in a way a second run may fix, or undefined. */
	failure(): string | undefined {
		if (this._error) {
			return this._error.message;
		}
		const end = this._held.find((m) => m.type === 'monitorEnd');
		if (!end || end.type !== 'monitorEnd' || end.stopped || end.exitCode === 0) {
			return undefined;
		}
		const why = this._held.filter((m) => m.type === 'log' && m.level === 'error');
		const last = why[why.length - 1];
		return last?.type === 'log' ? last.message : `exit code ${end.exitCode}`;
	}

	/** Sends everything held back, in order (the run's outcome stands). */
	release(): void {
		this._flush();
		if (this._error) {
			this._send(this._error);
			this._error = undefined;
		}
	}

	private _flush(): void {
		this._held.splice(0).forEach((m) => this._send(m));
	}
}
