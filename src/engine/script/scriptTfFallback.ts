/**
 * A range test or sweep on a script whose workspace tfjs cannot use LR Scope's wasm backend runs
 * first on LR Scope's bundled tfjs (engine/script/tfAlias.ts); when the script fails there — before its
 * fit call, or in the test with an error that is not about its model or data — it runs once more on
 * the workspace's own tfjs, and that run's result carries a note saying why.
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
		msg.type !== 'monitor' && source.kind === 'script' && typeof source.scriptPath === 'string'
			? planTfAlias(path.resolve(source.scriptPath), ownFrom, msg.backend)
			: { alias: false };
	if (!plan.alias || !plan.workspaceTf || !plan.why) {
		const run = makeRun(send, {});
		if (run.prepare()) {
			await run.start(isCancelled);
		}
		return;
	}
	let held: ErrorMessage | undefined;
	const first = makeRun((m) => (m.type === 'error' ? (held = m) : send(m)), {
		tfAlias: { workspaceTf: plan.workspaceTf, why: plan.why },
	});
	if (first.prepare()) {
		await first.start(isCancelled);
	}
	if (!held) {
		return;
	}
	if (!first.mayRetry || isCancelled()) {
		send(held);
		return;
	}
	send({ type: 'log', id: msg.id, level: 'warn', message: fallbackLog(plan.workspaceTf) });
	const second = makeRun(send, {
		notes: [fallbackNote(plan.workspaceTf, held.message.split('\n')[0].slice(0, 200))],
	});
	if (second.prepare()) {
		await second.start(isCancelled);
	}
}
