/**
 * The engine runner process (bundled as dist/runner.js, forked by `client.ts`). It takes one
 * request over IPC, resolves tfjs (backend.ts), loads the model and data (sources.ts), runs the
 * range test or sweep, streams `started` / `progress` / `sweepProgress` / `log`, ends with one
 * `result` / `sweepResult` / `error`, and exits. A `cancel` stops the loop after the current
 * batch; the partial result is still sent (`stopReason: 'cancelled'`).
 *
 * It never writes into the user's workspace: results travel over IPC only.
 */
import {
	RunnerMessageType as T,
	type FromRunnerMessage,
	type RunRequest,
} from '../shared/runnerProtocol';
import { isToRunnerMessage } from '../shared/runnerGuards';
import { assertNever } from '../shared/guards';
import { resolveTf } from './backend/backend';
import { ensureTrainable } from './backend/trainable';
import { BadInputError, CancelledError } from '../shared/errors';
import { overallProgress, resolveRangeTestOptions, runRangeTest } from './training/rangeTest';
import { modelProbeSpecOf } from './backend/modelSpeedProbe';
import { loadSource } from './sources/sources';
import type { LoadedSource, Tf } from './sources/sourceTypes';
import type { BackendInfo } from '../core/types';
import { backendLogLine } from '../core/present/words';
import { runSweep } from './training/sweep';
import { killLiveGroups } from './script/scriptProcess';
import {
	checkVerifyOptions,
	rangeTestOptionsWithVerify,
	verifyRangeTest,
} from './training/verifyRun';

type Send = (m: FromRunnerMessage) => void;

type RunScriptFn = (msg: RunRequest, send: Send, isCancelled: () => boolean) => Promise<void>;

function loadScriptRunner(): RunScriptFn | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require('./script/scriptRunner') as { runScript?: RunScriptFn };
		return typeof mod.runScript === 'function' ? mod.runScript : undefined;
	} catch (e) {
		if (!isModuleNotFound(e)) {
			throw e;
		}
		return undefined;
	}
}

function isModuleNotFound(e: unknown): boolean {
	return (
		typeof e === 'object' && e !== null && (e as { code?: string }).code === 'MODULE_NOT_FOUND'
	);
}

/** A monitor run, or a range test or sweep on the user's own script (scriptRunner.ts). */
async function handleScript(
	req: RunRequest,
	send: Send,
	isCancelled: () => boolean,
): Promise<void> {
	const runScript = loadScriptRunner();
	if (!runScript) {
		send({
			type: 'error',
			id: req.id,
			code: 'badInput',
			message: 'running training scripts is not supported yet',
		});
		return;
	}
	await runScript(req, send, isCancelled);
}

/** Handles one request; resolves when the final message has been sent. Exported for tests. */
export async function handleRequest(
	req: RunRequest,
	send: Send,
	isCancelled: () => boolean,
): Promise<void> {
	if (req.type === 'monitor' || req.source.kind === 'script') {
		await handleScript(req, send, isCancelled);
		return;
	}
	let loaded: LoadedSource | undefined;
	try {
		const o = req.options;
		const resolved = await resolveTf({
			choice: req.backend,
			workspace: req.workspace,
			wasmThreads: req.wasmThreads,
			// A saved model's topology is known before any backend initialises: `auto` times THIS
			// model (wasm threads and cpu) instead of the per-machine probe.
			// Forced wasm: the probe picks the thread count only.
			model:
				req.backend === 'auto' || req.backend === 'wasm'
					? modelProbeSpecOf(req.source, o, req.workspace)
					: undefined,
		});
		const tf = resolved.tf;
		// PROD silences tfjs's console banners ("Hi, looks like you are running TensorFlow.js in Node.js"),
		// which would land in the user's terminal through our stderr; we report the backend ourselves.
		tf.env().set('PROD', true);
		const seed = o.seed ?? 42;
		const load = (): Promise<LoadedSource> =>
			loadSource(resolved.tf, req.source, {
				batchSize: o.batchSize,
				seed,
				optimizer: o.optimizer,
				loss: o.loss,
				// A sweep reports validation loss: from a held-out split with one fold; with k folds each
				// fold validates on its own part, so nothing is held out up front. A range test holds out
				// data only in validation mode.
				validation:
					req.type === 'rangeTest'
						? Boolean((o as { validation?: boolean }).validation)
						: ((o as { folds?: number }).folds ?? 1) <= 1,
				// A verified suggestion scores its probes on the source's own validation data if it has any.
				keepValidation: req.type === 'rangeTest' && resolveRangeTestOptions(o).verify !== 'off',
				workspace: req.workspace,
			});
		loaded = await load();
		const checked = await ensureTrainable(resolved, loaded, load);
		loaded = checked.loaded;
		const backend = checked.info;
		send({
			type: 'log',
			id: req.id,
			level: 'info',
			message: backendLogLine(backend),
		});
		for (const n of loaded.notes) {
			send({ type: 'log', id: req.id, level: 'info', message: n });
		}
		await train(tf, loaded, backend, req, send, isCancelled);
	} catch (e) {
		send(errorMessage(req.id, e));
	} finally {
		try {
			loaded?.dispose();
			loaded?.model.dispose();
		} catch {
			// The process exits next; a failed cleanup must not replace the real outcome.
		}
	}
}

/** The range test or sweep on a loaded source, ending with its result message. */
async function train(
	tf: Tf,
	loaded: LoadedSource,
	backend: BackendInfo,
	req: Exclude<RunRequest, { type: 'monitor' }>,
	send: Send,
	isCancelled: () => boolean,
): Promise<void> {
	if (req.type === 'rangeTest') {
		// Progress counts the steps of all repeats (3 by default).
		const options = rangeTestOptionsWithVerify(req.options);
		const o = resolveRangeTestOptions(options);
		checkVerifyOptions(o);
		send({ type: 'started', id: req.id, backend, total: o.steps * o.repeat });
		const tested = await runRangeTest(tf, loaded, options, {
			backend,
			isCancelled,
			onProgress: (p) => {
				const q = overallProgress(p, o);
				send({
					type: 'progress',
					id: req.id,
					step: q.step,
					total: q.total,
					lr: q.lr,
					loss: q.loss,
					smoothed: q.smoothed,
					repeat: q.repeat,
				});
			},
		});
		// Then the probes at candidate LRs (when `verify` asks): the headline becomes the measured best.
		const result = await verifyRangeTest(tf, loaded, tested, options, {
			id: req.id,
			send,
			isCancelled,
		});
		send({ type: 'result', id: req.id, result });
	} else {
		send({ type: 'started', id: req.id, backend, total: 0 });
		const result = await runSweep(tf, loaded, req.options, {
			backend,
			isCancelled,
			onProgress: (p) => send({ type: 'sweepProgress', id: req.id, ...p }),
			onLog: (message) => send({ type: 'log', id: req.id, level: 'info', message }),
		});
		send({ type: 'sweepResult', id: req.id, result });
	}
}

/** Maps an exception to the protocol's error message. */
export function errorMessage(id: string, e: unknown): FromRunnerMessage {
	if (e instanceof BadInputError) {
		return { type: 'error', id, code: 'badInput', message: e.message.split('\n')[0] };
	}
	if (e instanceof CancelledError) {
		return { type: 'error', id, code: 'cancelled', message: 'cancelled' };
	}
	const err = e instanceof Error ? e : new Error(String(e));
	return {
		type: 'error',
		id,
		code: 'internal',
		message: `internal error: ${err.message.split('\n')[0]}`,
		detail: err.stack,
	};
}

/**
 * Sends over IPC and tracks messages handed to IPC and not yet written, and who waits for them (a
 * counter, not a list of promises: one message goes out per training step, for as long as a run lasts).
 */
function ipcSender(): { send: Send; flushed: () => Promise<void> } {
	let inFlight = 0;
	const waiters: (() => void)[] = [];
	const send: Send = (m) => {
		if (process.connected) {
			inFlight += 1;
			process.send!(m, undefined, undefined, () => {
				inFlight -= 1;
				if (inFlight === 0) {
					waiters.splice(0).forEach((w) => w());
				}
			});
		}
	};
	const flushed = (): Promise<void> =>
		inFlight === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r));
	return { send, flushed };
}

/** Process entry: only when forked with an IPC channel. */
function main(): void {
	if (typeof process.send !== 'function') {
		process.stderr.write(
			'lrscope runner: start me with child_process.fork (an IPC channel is required)\n',
		);
		process.exitCode = 2;
		return;
	}
	// A terminal's Ctrl-C sends SIGINT to the whole foreground process group, this runner included.
	// Dying here would turn the CLI's clean cancel into a crash: the CLI handles Ctrl-C and asks us
	// to cancel over IPC (partial result, exit 130). Without a host we exit on 'disconnect' below.
	process.on('SIGINT', () => undefined);
	let current: RunRequest | undefined;
	let cancelled = false;
	const { send, flushed } = ipcSender();
	process.on('message', (raw: unknown) => {
		if (!isToRunnerMessage(raw)) {
			process.stderr.write(`lrscope runner: dropped a malformed message\n`);
			return;
		}
		switch (raw.type) {
			case T.Cancel:
				if (current && raw.id === current.id) {
					cancelled = true;
				}
				return;
			case T.RangeTest:
			case T.Sweep:
			case T.Monitor:
				if (current) {
					send({
						type: 'error',
						id: raw.id,
						code: 'badInput',
						message: 'this runner is busy; start one runner per request',
					});
					return;
				}
				current = raw;
				void handleRequest(raw, send, () => cancelled).finally(async () => {
					await flushed();
					// tfjs (wasm, timers) may keep the loop alive; the work is done and sent.
					process.exit(0);
				});
				return;
			default:
				return assertNever(raw);
		}
	});
	process.on('uncaughtException', (e) => {
		// Last resort (an error outside the request's promise chain): report it, then exit.
		if (current) {
			send(errorMessage(current.id, e));
		}
		void flushed().finally(() => process.exit(1));
	});
	process.on('disconnect', () => {
		// The host went away (killed or closed): nobody to report to. The script runs in its own
		// process group and would outlive us: stop it and whatever it started.
		killLiveGroups();
		process.exit(0);
	});
	// The host stops us with SIGTERM (a timeout, or a cancel that took too long): the same cleanup.
	process.on('SIGTERM', () => {
		killLiveGroups();
		process.exit(143);
	});
}

// Only as the forked entry (dist/runner.js), not when tests import handleRequest.
if (require.main === module) {
	main();
}
