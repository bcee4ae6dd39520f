/**
 * Runs the user's own training script (zero-config) for the runner: range test / sweep on the
 * script's first `model.fit`, or monitor mode (real training, streamed logs, live detectors).
 * Called by `runner.ts` for `source.kind === 'script'` and for `type: 'monitor'`.
 *
 * The script runs in its own process group (`node --require fitHook.js script args…`, cwd = the
 * nearest package.json folder, as `npm run`, unless given), so cancel, timeout and exit kill it and everything it started. Its output
 * is capped: the first `liveOutputBytes` stream through, then only a tail is kept and shown at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type {
	FromRunnerMessage,
	ModelSource,
	RunnerErrorCode,
	RunRequest,
} from '../../shared/runnerProtocol';
import { errorText } from '../../core/present/errorText';
import { isEsmInCjs } from './esmInCjs';
import { HookMessages, uncaughtReport } from './hookMessages';
import { checkScriptSource, monitorSetup, scriptCwd } from './scriptSource';
import {
	failureOf,
	monitorEndCounts,
	monitorEndLog,
	type Exit,
	type ScriptEnding,
} from './scriptEnd';
import { drain, killGroup, lastLines, OutputTap, trackGroup } from './scriptProcess';
import { type FallbackableRun, runWithTfFallback, type ScriptRunExtra } from './scriptTfFallback';
import { hookEnvVar, statusFd, type HookConfig } from '../../shared/fitHookProtocol';
import {
	hookMissingText,
	scriptCouldNotRunText,
	scriptSourceExpectedText,
	scriptStartFailedText,
} from '../../core/present/scriptWords';

/** A request the script runner handles. */
export type ScriptRequest = RunRequest;

/** Knobs for tests and embedders; the runner uses the defaults. */
export interface ScriptRunOptions {
	/** The built preload (default: `fitHook.js` next to this bundle). */
	hookPath?: string;
	/** Where the script's output goes (default: this process's stdout/stderr). */
	onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
	/** Bytes of output streamed live before only a tail is kept (default 256 KiB). */
	liveOutputBytes?: number;
	/** Tail kept for error reports and shown at the end (default 4 KiB). */
	tailBytes?: number;
	/** Called with the script's pid once it started (tests check nothing is left running). */
	onSpawn?: (pid: number) => void;
}

/** Default time a range test/sweep script may take to reach model.fit. */
export const defaultFitTimeoutMs = 120_000;

/**
 * Runs `msg` (rangeTest/sweep with a script source, or monitor) in a child process with the fit
 * hook preloaded; streams messages through `send` (same `id` as `msg`) and ends with exactly one
 * final message (`result`, `sweepResult`, `monitorEnd` or `error`). Never throws.
 */
export async function runScript(
	msg: ScriptRequest,
	send: (m: FromRunnerMessage) => void,
	isCancelled: () => boolean,
	options: ScriptRunOptions = {},
): Promise<void> {
	await runWithTfFallback(
		msg,
		send,
		isCancelled,
		(s, extra) => new ScriptRun(msg, s, options, extra),
		__filename,
	);
}

/** One script run: prepare (config, detectors), start, on message, on exit, explain failure. */
class ScriptRun implements FallbackableRun {
	private readonly _id: string;
	private _finished = false;
	private _config!: HookConfig;
	private _scriptPath = '';
	private readonly _hook: HookMessages;
	private _stopped: 'cancel' | 'timeout' | undefined;
	private _statusText = '';

	constructor(
		private readonly _msg: ScriptRequest,
		private readonly _send: (m: FromRunnerMessage) => void,
		private readonly _options: ScriptRunOptions,
		private readonly _extra: ScriptRunExtra = {},
	) {
		this._id = _msg.id;
		this._hook = new HookMessages(
			this._id,
			_send,
			(m) => this._finish(m),
			() => this._finished,
			_extra.notes,
		);
	}

	private get _source(): Extract<ModelSource, { kind: 'script' }> {
		return this._msg.source as Extract<ModelSource, { kind: 'script' }>;
	}

	private _finish(m: FromRunnerMessage): void {
		if (!this._finished) {
			this._finished = true;
			this._send(m);
		}
	}

	private _fail(code: RunnerErrorCode, message: string, detail?: string): void {
		this._finish({ type: 'error', id: this._id, code, message, ...(detail ? { detail } : {}) });
	}

	/** Checks the request and builds the hook's config (and monitor detectors); false = failed. */
	prepare(): boolean {
		const msg = this._msg;
		const source = msg.source;
		const problem = checkScriptSource(source);
		if (problem || source.kind !== 'script') {
			this._fail('badInput', problem ?? scriptSourceExpectedText);
			return false;
		}
		this._scriptPath = path.resolve(source.scriptPath);
		this._config = {
			mode: msg.type,
			id: this._id,
			scriptPath: this._scriptPath,
			tfAlias: this._extra.tfAlias,
			...(msg.wasmThreads !== undefined ? { wasmThreads: msg.wasmThreads } : {}),
		};
		if (msg.type === 'monitor') {
			return this._prepareMonitor(msg);
		}
		if (msg.type === 'rangeTest') {
			this._config.rangeTest = msg.options;
		} else {
			this._config.sweep = msg.options;
		}
		this._config.backend = msg.backend;
		return true;
	}

	private _prepareMonitor(msg: Extract<ScriptRequest, { type: 'monitor' }>): boolean {
		const setup = monitorSetup(msg, this._config);
		if (typeof setup === 'string') {
			this._fail('badInput', setup);
			return false;
		}
		this._hook.detectors = setup.detectors;
		this._hook.layerDetectors = setup.layerDetectors;
		return true;
	}

	/** Spawns the script with the hook, follows it to its exit, then explains how it ended. */
	async start(isCancelled: () => boolean): Promise<void> {
		const options = this._options;
		const hookPath = options.hookPath ?? path.join(__dirname, 'fitHook.js');
		if (!fs.existsSync(hookPath)) {
			this._fail('internal', hookMissingText(path.basename(hookPath)));
			return;
		}
		const emit =
			options.onOutput ??
			((stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text));
		const live = options.liveOutputBytes ?? 256 * 1024;
		const tailBytes = options.tailBytes ?? 4096;
		const taps = {
			stdout: new OutputTap('stdout', emit, live, tailBytes),
			stderr: new OutputTap('stderr', emit, live, tailBytes),
		};
		const child = this._spawn(hookPath);
		if (!child) {
			return;
		}
		trackGroup(child);
		if (child.pid !== undefined) {
			options.onSpawn?.(child.pid);
		}
		child.stdout?.setEncoding('utf8').on('data', (t: string) => taps.stdout.push(t));
		child.stderr?.setEncoding('utf8').on('data', (t: string) => taps.stderr.push(t));
		(child.stdio[statusFd] as Readable | null)?.setEncoding('utf8').on('data', (t: string) => {
			this._statusText = (this._statusText + t).slice(-16384);
		});
		child.on('message', (raw: unknown) => this._hook.onMessage(raw));
		const exit = await this._followToExit(child, isCancelled);
		await drain(child);
		taps.stdout.flushTail();
		taps.stderr.flushTail();
		const tail = lastLines(taps.stderr.tail) || lastLines(taps.stdout.tail);
		if (this._msg.type === 'monitor') {
			const log = monitorEndLog(this._ending(exit, tail));
			if (log) {
				this._send({ type: 'log', id: this._id, ...log });
			}
			this._finish({
				type: 'monitorEnd',
				id: this._id,
				...monitorEndCounts(this._ending(exit, tail)),
				epochs: this._hook.epochs,
				batches: this._hook.batches,
			});
		} else if (!this._hook.gotFinal) {
			const failure = failureOf(this._ending(exit, tail));
			this._finish(failure.type === 'error' ? { ...failure, id: this._id } : failure);
		}
	}

	private _spawn(hookPath: string): ChildProcess | undefined {
		const scriptPath = this._scriptPath;
		const source = this._source;
		// Scripts transformed in memory (TypeScript, ES imports in a CommonJS package) carry inline
		// source maps: stack traces and the reported fit line then point at the real source.
		const isTs = /\.(c?ts|tsx)$/i.test(scriptPath) || isEsmInCjs(scriptPath);
		const nodeArgs = [
			...(isTs ? ['--enable-source-maps'] : []),
			'--require',
			hookPath,
			scriptPath,
			...source.args,
		];
		try {
			return spawn(process.execPath, nodeArgs, {
				cwd: scriptCwd(source),
				// The runner's own env first (ELECTRON_RUN_AS_NODE under VS Code), then the user's.
				env: { ...process.env, ...(source.env ?? {}), [hookEnvVar]: JSON.stringify(this._config) },
				stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
				detached: true,
				serialization: 'advanced',
			});
		} catch (e) {
			this._fail('crashed', scriptStartFailedText(errorText(e)));
			return undefined;
		}
	}

	/** Waits for the exit, killing the group on cancel or when fit is not reached in time. */
	private async _followToExit(child: ChildProcess, isCancelled: () => boolean): Promise<Exit> {
		const exited = new Promise<Exit>((resolve) => {
			child.on('exit', (code, signal) => resolve({ code, signal }));
			child.on('error', (e) => {
				this._fail('crashed', scriptCouldNotRunText(e.message));
				resolve({ code: null, signal: null });
			});
		});
		// A terminal Ctrl-C reaches the whole foreground group, runner included; the host turns it into
		// a cancel, so the runner must survive it long enough to stop the script and report.
		const ignoreSigint = (): void => {};
		process.on('SIGINT', ignoreSigint);
		const poll = setInterval(() => {
			if (!this._stopped && isCancelled()) {
				this._stopped = 'cancel';
				killGroup(child);
			}
		}, 100);
		const fitTimer =
			this._msg.type !== 'monitor'
				? setTimeout(() => {
						if (!this._hook.fitCalled && !this._stopped) {
							this._stopped = 'timeout';
							killGroup(child);
						}
					}, this._fitTimeoutMs)
				: undefined;
		const exit = await exited;
		process.off('SIGINT', ignoreSigint);
		clearInterval(poll);
		if (fitTimer) {
			clearTimeout(fitTimer);
		}
		// Whatever the script started in its group goes too.
		killGroup(child);
		return exit;
	}

	/** Failed before fit, or in the test not for its model or data: maybe the tfjs (scriptTfFallback.ts). */
	get mayRetry(): boolean {
		const { childError: e, fitCalled } = this._hook;
		return (
			!this._stopped &&
			!this._hook.gotFinal &&
			(!fitCalled || !e || /^the (range test|sweep) failed/.test(e.message))
		);
	}

	private get _fitTimeoutMs(): number {
		return this._source.fitTimeoutMs ?? defaultFitTimeoutMs;
	}

	/** How the script ended, for the explanations in scriptEnd.ts. */
	private _ending(exit: Exit, tail: string): ScriptEnding {
		return {
			name: path.basename(this._scriptPath),
			...exit,
			tail,
			stopped: this._stopped,
			uncaught: uncaughtReport(this._statusText),
			childError: this._hook.childError,
			fitCalled: this._hook.fitCalled,
			fitTimeoutMs: this._fitTimeoutMs,
		};
	}
}
