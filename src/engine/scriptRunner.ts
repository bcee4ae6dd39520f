/**
 * Runs the user's own training script (zero-config) for the runner: range test / sweep on the
 * script's first `model.fit`, or monitor mode (real training, streamed logs, live detectors).
 * Called by `runner.ts` for `source.kind === 'script'` and for `type: 'monitor'`.
 *
 * The script runs in its own process group (`node --require fitHook.js script args…`, cwd = its
 * folder unless given), so cancel, timeout and exit kill it and everything it started. Its output
 * is capped: the first `liveOutputBytes` stream through, then only a tail is kept and shown at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { DetectorSet, type DetectorConfig } from '../core/detectors';
import { LayerDetectorSet } from '../core/layers/layerDetectors';
import { parseScheduleSpec, type ScheduleSpec } from '../core/schedules';
import type { LogRecord } from '../core/types';
import type {
	FromRunnerMessage,
	ModelSource,
	RunnerErrorCode,
	ToRunnerMessage,
} from '../shared/runnerProtocol';
import { isFromRunnerMessage } from '../shared/runnerGuards';
import { isEsmInCjs } from './esmInCjs';
import {
	hookEnvVar,
	statusFd,
	type HookConfig,
	type UncaughtReport,
} from '../shared/fitHookProtocol';

/** A request the script runner handles. */
export type ScriptRequest = Exclude<ToRunnerMessage, { type: 'cancel' }>;

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

/** Extensions a script may have. */
export const scriptExtensions = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.tsx'];
/** Default time a range test/sweep script may take to reach model.fit. */
export const defaultFitTimeoutMs = 120_000;

/** Caps captured output: keeps a head budget that streams live and a rolling tail. */
class OutputTap {
	private _total = 0;
	private _tail = '';
	private _liveLeft: number;
	constructor(
		private readonly _stream: 'stdout' | 'stderr',
		private readonly _emit: (stream: 'stdout' | 'stderr', text: string) => void,
		liveBytes: number,
		private readonly _tailBytes: number,
	) {
		this._liveLeft = liveBytes;
	}
	get total(): number {
		return this._total;
	}
	get tail(): string {
		return this._tail;
	}
	/** Whether some output was not streamed live. */
	get truncated(): boolean {
		return this._liveLeft <= 0;
	}
	push(text: string): void {
		this._total += Buffer.byteLength(text);
		this._tail = (this._tail + text).slice(-this._tailBytes);
		if (this._liveLeft > 0) {
			const part = text.slice(0, this._liveLeft);
			this._liveLeft -= part.length;
			this._emit(this._stream, part);
			if (this._liveLeft <= 0) {
				this._emit(
					this._stream,
					`\n[lrscope: the script prints a lot; its further ${this._stream} is not streamed, the last lines follow when it ends]\n`,
				);
			}
		}
	}
	/** Shows the tail once the process ended, when part of the output was held back. */
	flushTail(): void {
		if (this.truncated) {
			const mb = (this._total / 1048576).toFixed(1);
			this._emit(
				this._stream,
				`\n[lrscope: ${mb} MB of ${this._stream} in total; last ${this._tail.length} characters:]\n${this._tail}`,
			);
		}
	}
}

/** The last lines of output, without tfjs's "install tfjs-node" banner (noise in an error report). */
function lastLines(text: string, n = 6): string {
	return text
		.split('\n')
		.filter(
			(l) => !/^=+$|^Hi, looks like you are running TensorFlow\.js in Node\.js/.test(l.trim()),
		)
		.join('\n')
		.trimEnd()
		.split('\n')
		.slice(-n)
		.join('\n')
		.trim();
}

/** Kills the whole process group of a detached child (and the child itself as a fallback). */
function killGroup(child: ChildProcess): void {
	if (child.pid === undefined) {
		return;
	}
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// The group is gone already (or the platform has no groups).
	}
	try {
		child.kill('SIGKILL');
	} catch {
		// already dead
	}
}

/** Checks the script source; returns a one-line problem or undefined. */
export function checkScriptSource(source: ModelSource): string | undefined {
	if (source.kind !== 'script') {
		return `expected a script source, got "${source.kind}"`;
	}
	const p = source.scriptPath;
	if (typeof p !== 'string' || p === '') {
		return 'no script given (pass the path of your training script, e.g. --script train.js)';
	}
	if (!scriptExtensions.includes(path.extname(p).toLowerCase())) {
		return `${path.basename(p)} is not a JavaScript/TypeScript file (expected ${scriptExtensions.join(', ')})`;
	}
	let st: fs.Stats;
	try {
		st = fs.statSync(p);
	} catch {
		return `script not found: ${p}`;
	}
	if (!st.isFile()) {
		return `${p} is not a file`;
	}
	if (
		source.cwd !== undefined &&
		!(fs.existsSync(source.cwd) && fs.statSync(source.cwd).isDirectory())
	) {
		return `working directory not found: ${source.cwd}`;
	}
	if (!Array.isArray(source.args) || source.args.some((a) => typeof a !== 'string')) {
		return 'script arguments must be a list of strings';
	}
	return undefined;
}

function toRecord(m: Extract<FromRunnerMessage, { type: 'trainLog' }>): LogRecord {
	const values: Record<string, number | null> = { ...m.values };
	if (m.lr !== undefined) {
		values.lr = m.lr;
	}
	return { step: m.step, unit: m.unit === 'batch' ? 'step' : 'epoch', values };
}

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
	const id = msg.id;
	let finished = false;
	const finish = (m: FromRunnerMessage): void => {
		if (!finished) {
			finished = true;
			send(m);
		}
	};
	const fail = (code: RunnerErrorCode, message: string, detail?: string): void =>
		finish({ type: 'error', id, code, message, ...(detail ? { detail } : {}) });

	const source = msg.source;
	const problem = checkScriptSource(source);
	if (problem || source.kind !== 'script') {
		fail('badInput', problem ?? 'expected a script source');
		return;
	}
	const mode: HookConfig['mode'] = msg.type;
	const scriptPath = path.resolve(source.scriptPath);
	const config: HookConfig = { mode, id, scriptPath };
	let detectors: DetectorSet | undefined;
	let layerDetectors: LayerDetectorSet | undefined;
	if (msg.type === 'monitor') {
		let schedule: ScheduleSpec | undefined;
		if (msg.options.schedule !== undefined && msg.options.schedule !== null) {
			try {
				schedule = parseScheduleSpec(msg.options.schedule);
			} catch (e) {
				fail('badInput', `bad schedule: ${(e as Error).message}`);
				return;
			}
		}
		try {
			detectors = new DetectorSet((msg.options.detectors ?? {}) as DetectorConfig);
		} catch (e) {
			fail('badInput', `bad detector settings: ${(e as Error).message}`);
			return;
		}
		if (msg.options.suggestedLr !== undefined) {
			detectors.setSuggestedLr(msg.options.suggestedLr);
		}
		config.schedule = schedule;
		config.gradNorm = msg.options.gradNorm !== false;
		config.backend = msg.backend;
		const layers = msg.options.layers;
		config.layers = layers === false ? false : typeof layers === 'object' ? layers : {};
		if (layers !== false) {
			layerDetectors = new LayerDetectorSet({
				disabled: detectors.options.disabled,
				suggestedLr: detectors.options.suggestedLr,
			});
		}
	} else if (msg.type === 'rangeTest') {
		config.rangeTest = msg.options;
		config.backend = msg.backend;
	} else {
		config.sweep = msg.options;
		config.backend = msg.backend;
	}

	const hookPath = options.hookPath ?? path.join(__dirname, 'fitHook.js');
	if (!fs.existsSync(hookPath)) {
		fail(
			'internal',
			`the LR Scope fit hook is missing (${path.basename(hookPath)}); rebuild with npm run build`,
		);
		return;
	}
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
	const emit =
		options.onOutput ??
		((stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text));
	const taps = {
		stdout: new OutputTap(
			'stdout',
			emit,
			options.liveOutputBytes ?? 256 * 1024,
			options.tailBytes ?? 4096,
		),
		stderr: new OutputTap(
			'stderr',
			emit,
			options.liveOutputBytes ?? 256 * 1024,
			options.tailBytes ?? 4096,
		),
	};

	let child: ChildProcess;
	try {
		child = spawn(process.execPath, nodeArgs, {
			cwd: source.cwd ?? path.dirname(scriptPath),
			// The runner's own env first (ELECTRON_RUN_AS_NODE under VS Code), then the user's.
			env: { ...process.env, ...(source.env ?? {}), [hookEnvVar]: JSON.stringify(config) },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
			detached: true,
			serialization: 'advanced',
		});
	} catch (e) {
		fail('crashed', `could not start the script: ${(e as Error).message}`);
		return;
	}
	if (child.pid !== undefined) {
		options.onSpawn?.(child.pid);
	}

	let fitCalled = false;
	let uncaught: UncaughtReport | undefined;
	let childError: Extract<FromRunnerMessage, { type: 'error' }> | undefined;
	let gotFinal = false;
	let batches = 0;
	let epochs = 0;
	let stopped: 'cancel' | 'timeout' | undefined;
	const fitTimeoutMs = source.fitTimeoutMs ?? defaultFitTimeoutMs;

	child.stdout?.setEncoding('utf8').on('data', (t: string) => taps.stdout.push(t));
	child.stderr?.setEncoding('utf8').on('data', (t: string) => taps.stderr.push(t));
	let statusText = '';
	(child.stdio[statusFd] as Readable | null)?.setEncoding('utf8').on('data', (t: string) => {
		statusText = (statusText + t).slice(-16384);
	});
	child.on('message', (raw: unknown) => {
		if (!isFromRunnerMessage(raw) || finished) {
			return;
		}
		const m = { ...raw, id } as FromRunnerMessage;
		switch (m.type) {
			case 'fitCall':
				fitCalled = true;
				send(m);
				return;
			case 'trainLog':
				if (m.unit === 'batch') {
					batches++;
				} else {
					epochs++;
				}
				send(m);
				if (detectors) {
					for (const finding of detectors.feed(toRecord(m))) {
						layerDetectors?.noteLossFinding(finding);
						send({ type: 'finding', id, finding });
					}
				}
				if (layerDetectors && m.unit === 'batch') {
					for (const finding of layerDetectors.feedStep(m.step, m.gradNorm ?? null)) {
						send({ type: 'finding', id, finding });
					}
				}
				return;
			case 'layerStats':
				send(m);
				for (const finding of layerDetectors?.feedSample(m.sample, m.nan) ?? []) {
					send({ type: 'finding', id, finding });
				}
				return;
			case 'result':
			case 'sweepResult':
				gotFinal = true;
				finish(m);
				return;
			case 'error':
				childError = m;
				return;
			case 'monitorEnd':
				return;
			default:
				send(m);
		}
	});

	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.on('exit', (code, signal) => resolve({ code, signal }));
		child.on('error', (e) => {
			fail('crashed', `the script could not run: ${e.message}`);
			resolve({ code: null, signal: null });
		});
	});
	// A terminal Ctrl-C reaches the whole foreground group, runner included; the host turns it into
	// a cancel, so the runner must survive it long enough to stop the script and report.
	const ignoreSigint = (): void => {};
	process.on('SIGINT', ignoreSigint);
	const poll = setInterval(() => {
		if (!stopped && isCancelled()) {
			stopped = 'cancel';
			killGroup(child);
		}
	}, 100);
	const fitTimer =
		msg.type !== 'monitor'
			? setTimeout(() => {
					if (!fitCalled && !stopped) {
						stopped = 'timeout';
						killGroup(child);
					}
				}, fitTimeoutMs)
			: undefined;

	const { code, signal } = await exited;
	process.off('SIGINT', ignoreSigint);
	clearInterval(poll);
	if (fitTimer) {
		clearTimeout(fitTimer);
	}
	// Whatever the script started in its group goes too.
	killGroup(child);
	// Let the pipes drain (bounded: a grandchild that escaped the group must not hang us).
	await new Promise<void>((resolve) => {
		const t = setTimeout(resolve, 1000);
		child.once('close', () => {
			clearTimeout(t);
			resolve();
		});
		if (child.stdout?.closed && child.stderr?.closed) {
			clearTimeout(t);
			resolve();
		}
	});
	taps.stdout.flushTail();
	taps.stderr.flushTail();
	for (const line of statusText.split('\n')) {
		try {
			if (line.trim()) {
				uncaught = JSON.parse(line) as UncaughtReport;
			}
		} catch {
			// a partial line: ignore
		}
	}

	const name = path.basename(scriptPath);
	const tail = lastLines(taps.stderr.tail) || lastLines(taps.stdout.tail);
	const exitCode = code ?? (signal ? 128 : 1);
	if (msg.type === 'monitor') {
		if (stopped === 'cancel') {
			send({
				type: 'log',
				id,
				level: 'info',
				message: `stopped ${name} (the script and everything it started were killed)`,
			});
		} else if (uncaught) {
			send({
				type: 'log',
				id,
				level: 'error',
				message: `${name} threw ${uncaught.afterFit ? 'during training' : 'before calling model.fit'}: ${uncaught.message}`,
			});
		} else if (childError) {
			send({ type: 'log', id, level: 'error', message: childError.message });
		} else if (code !== 0) {
			send({
				type: 'log',
				id,
				level: 'error',
				message: `${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${tail ? `; last output:\n${tail}` : ''}`,
			});
		} else if (!fitCalled) {
			send({
				type: 'log',
				id,
				level: 'warn',
				message: `${name} exited without calling model.fit or model.fitDataset, so there was nothing to monitor`,
			});
		}
		finish({
			type: 'monitorEnd',
			id,
			exitCode: stopped === 'cancel' ? 130 : exitCode,
			epochs,
			batches,
			...(stopped === 'cancel' ? { stopped: true } : {}),
		});
		return;
	}
	if (gotFinal) {
		return;
	}
	if (stopped === 'cancel') {
		fail('cancelled', `cancelled; ${name} and everything it started were stopped`);
	} else if (stopped === 'timeout') {
		fail(
			'timeout',
			`${name} did not call model.fit within ${Math.round(fitTimeoutMs / 1000)} s and was stopped (is it waiting for input, or loading a lot of data? raise the timeout if it needs longer)`,
			tail || undefined,
		);
	} else if (childError) {
		finish(childError);
	} else if (uncaught && !uncaught.afterFit) {
		fail(
			'badInput',
			`${name} threw before calling model.fit: ${uncaught.message}${atUserFrame(uncaught.stack)}`,
			uncaught.stack,
		);
	} else if (uncaught) {
		fail('crashed', `${name} threw during the range test: ${uncaught.message}`, uncaught.stack);
	} else if (fitCalled) {
		fail(
			'crashed',
			`${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`} during the range test`,
			tail || undefined,
		);
	} else if (signal) {
		fail('crashed', `${name} was killed by ${signal} before calling model.fit`, tail || undefined);
	} else if (code !== 0) {
		fail(
			'badInput',
			`${name} exited with code ${code} before calling model.fit${tail ? `: ${lastLines(tail, 1)}` : ''}`,
			tail || undefined,
		);
	} else {
		fail(
			'badInput',
			`${name} exited without calling model.fit or model.fitDataset; LR Scope runs the range test on the script's first fit call, so run it with the arguments that make it train`,
			tail || undefined,
		);
	}
}

/** " (train.js:12)" for the first frame of an uncaught error's stack outside node_modules. */
function atUserFrame(stack: string | undefined): string {
	for (const line of (stack ?? '').split('\n').slice(1)) {
		const m = /\(?([^()\s]+):(\d+):\d+\)?\s*$/.exec(line.trim());
		if (
			m &&
			!m[1].startsWith('node:') &&
			!m[1].includes('node_modules') &&
			!m[1].endsWith('fitHook.js')
		) {
			return ` (${path.basename(m[1])}:${m[2]})`;
		}
	}
	return '';
}
