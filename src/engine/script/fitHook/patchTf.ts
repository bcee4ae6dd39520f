/**
 * tfjs patching: `fit`/`fitDataset` on the LayersModel/Sequential prototypes of every tfjs the script
 * loads (as it loads: tfLoad.ts), and seeded dataset shuffles.
 */
import * as path from 'node:path';
import { errorFirstLine } from '../../../core/present/errorText';
import { userCallSite } from './callSite';
import { interceptAndRun } from './intercept';
import { monitorCallback, probeInput, withCallback } from './monitorCallback';
import { chooseScriptBackend } from './scriptBackend';
import {
	currentBackend,
	noteBackendChoice,
	resolveTfForModel,
	send,
	type AnyFn,
	type HookState,
	type ModelLike,
	type Rec,
} from './state';
import { backendStartFailedLine, firstFitCallNote } from '../../../core/present/scriptWords';

function patchPrototype(st: HookState, proto: Rec | undefined): void {
	if (!proto) {
		return;
	}
	for (const method of ['fit', 'fitDataset'] as const) {
		const orig = proto[method] as AnyFn | undefined;
		if (typeof orig !== 'function' || (orig as unknown as Rec).__lrscope) {
			continue;
		}
		const patched = function (this: ModelLike, ...args: unknown[]): unknown {
			if (st.inside || (st.config.mode !== 'monitor' && st.intercepted)) {
				return orig.apply(this, args);
			}
			const holder: { stack?: string } = {};
			const limit = Error.stackTraceLimit;
			Error.stackTraceLimit = 30;
			Error.captureStackTrace(holder, patched);
			Error.stackTraceLimit = limit;
			const site = userCallSite(holder.stack);
			const index = st.fitCalls++;
			send({
				type: 'fitCall',
				id: st.config.id,
				method,
				index,
				intercepted: st.config.mode !== 'monitor',
				...(site ?? {}),
			});
			if (st.config.mode !== 'monitor') {
				return intercept(st, this, method, args, site);
			}
			return monitoredFit(st, this, orig, method, args, index);
		};
		(patched as unknown as Rec).__lrscope = true;
		proto[method] = patched;
	}
}

/** Range test / sweep: takes the call; the returned promise never settles (the process exits). */
function intercept(
	st: HookState,
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
	site: { file: string; line: number } | undefined,
): Promise<never> {
	st.intercepted = true;
	if (site) {
		st.notes.push(firstFitCallNote(method, path.basename(site.file), site.line));
	}
	void interceptAndRun(st, model, method, args);
	// The script awaits a fit that never settles; the process exits once the result is sent.
	return new Promise(() => {});
}

/** Monitor: the script's own fit, with our callback added to its callbacks. */
function monitoredFit(
	st: HookState,
	model: ModelLike,
	orig: AnyFn,
	method: 'fit' | 'fitDataset',
	args: unknown[],
	index: number,
): unknown {
	const tf = resolveTfForModel(st);
	const cfgIndex = method === 'fit' ? 2 : 1;
	const cfg = { ...((args[cfgIndex] as Rec | undefined) ?? {}) };
	cfg.callbacks = withCallback(
		tf,
		cfg.callbacks,
		monitorCallback(st, tf, model, cfg.yieldEvery, probeInput(model, method, args)),
		cfg.yieldEvery,
	);
	const callArgs = [...args];
	while (callArgs.length < cfgIndex) {
		callArgs.push(undefined);
	}
	callArgs[cfgIndex] = cfg;
	const call = (): unknown => {
		st.inside = true;
		try {
			return orig.apply(model, callArgs);
		} finally {
			st.inside = false;
		}
	};
	if (index > 0) {
		return call();
	}
	// The first fit: put the script's tfjs on the requested backend (as a range test does),
	// then say which one trains.
	return (async () => {
		try {
			noteBackendChoice(st, await chooseScriptBackend(st, tf, model));
		} catch (e) {
			send({
				type: 'log',
				id: st.config.id,
				level: 'warn',
				message: backendStartFailedLine(errorFirstLine(e).slice(0, 200), tf.getBackend()),
			});
		}
		send({ type: 'started', id: st.config.id, backend: currentBackend(st, tf), total: 0 });
		for (const n of st.notes) {
			send({ type: 'log', id: st.config.id, level: 'info', message: n });
		}
		return call();
	})();
}

export function patchTf(st: HookState, mod: unknown): void {
	const m = mod as Rec | undefined;
	if (!m) {
		return;
	}
	patchPrototype(st, (m.LayersModel as { prototype?: Rec } | undefined)?.prototype);
	patchPrototype(st, (m.Sequential as { prototype?: Rec } | undefined)?.prototype);
	if (st.seeded) {
		const data = m.data as { Dataset?: { prototype?: Rec } } | undefined;
		seedShuffle(data?.Dataset?.prototype);
	}
}

/** `dataset.shuffle(bufferSize)` without a seed takes one from the (seeded) Math.random. */
function seedShuffle(proto: Rec | undefined): void {
	const orig = proto?.shuffle as AnyFn | undefined;
	if (!proto || typeof orig !== 'function' || (orig as unknown as Rec).__lrscope) {
		return;
	}
	const patched = function (this: unknown, ...args: unknown[]): unknown {
		if (args[1] === undefined || args[1] === null) {
			args[1] = String(Math.floor(Math.random() * 2 ** 32));
		}
		return orig.apply(this, args);
	};
	(patched as unknown as Rec).__lrscope = true;
	proto.shuffle = patched;
}
