/**
 * Shared parts of `lrscope range-test` and `lrscope sweep`: the model/data flags, building the
 * runner request, running it in the runner process with a progress bar, Ctrl-C = cancel, and
 * mapping runner errors to exit codes (bad input → 2 with the runner's one-line message).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunnerError, runInRunner, type RunnerOutcome } from '../host/client';
import { BadInputError } from '../shared/errors';
import { dataSpecFromArg } from '../shared/dataSpec';
import type {
	BackendChoice,
	FromRunnerMessage,
	ModelSource,
	RunRequest,
} from '../shared/runnerProtocol';
import { numberFlag, UsageError } from './common';
import {
	backendFlagText,
	choiceFlagText,
	csvNeedsLabelText,
	missingDataText,
	missingModelText,
	moduleOrModelText,
	noSuchFileText,
	notAFileText,
	outExtensionText,
	outIsDirectoryText,
	outParentIsFileText,
	outUnavailableText,
	wholeNumberFlagText,
} from '../core/present/cliErrors';

/** parseArgs option specs for the flags both commands share. */
export const sourceFlagSpecs = {
	model: { type: 'string' },
	data: { type: 'string' },
	label: { type: 'string' },
	encoding: { type: 'string' },
	module: { type: 'string' },
	loss: { type: 'string' },
	optimizer: { type: 'string' },
	'batch-size': { type: 'string' },
	seed: { type: 'string' },
	backend: { type: 'string' },
	'wasm-threads': { type: 'string' },
	workspace: { type: 'string' },
	timeout: { type: 'string' },
	json: { type: 'boolean' },
} as const;

/** Help lines for the shared flags. */
export const sourceFlagsHelp = `Model and data (one of):
  --model <model.json> --data <file.csv | x.npy,y.npy | data.json | data.js|ts>
      [--label <col,...>]       label column(s) of a CSV (required for CSV)
      [--encoding auto|ordinal|onehot]  non-numeric CSV columns (default auto)
  --module <file.js|ts>         a module exporting model and data factories
Training:
  --loss <name>                 when the model has no trainingConfig
  --optimizer <name>            sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta
  --batch-size <N>              default: the model's/module's, else 32
  --seed <N>                    data order and dropout (default 42)
Runner:
  --backend auto|tfjs-node|wasm|cpu   default auto (workspace tfjs-node → own tfjs-node → wasm → cpu)
  --wasm-threads <N>            most threads for wasm (setting lrScope.wasmThreads); default 0 = all
                                cores, and auto or wasm take this model's fastest count (speed probe)
  --workspace <dir>             where to look for the workspace's tfjs (default: current directory)
  --timeout <seconds>           stop the run after this long (default: none)
  --json                        print JSON instead of a summary`;

type Values = Record<string, string | boolean | undefined>;

const backends: BackendChoice[] = ['auto', 'tfjs-node', 'wasm', 'cpu'];

/** Integer flag in [min, max], or fallback. */
export function intFlag(
	name: string,
	v: unknown,
	fallback?: number,
	min = 1,
	max = Number.MAX_SAFE_INTEGER,
): number | undefined {
	const n = numberFlag(name, v as string | undefined, fallback);
	if (n !== undefined && (!Number.isInteger(n) || n < min || n > max)) {
		throw new UsageError(wholeNumberFlagText(name, min, max, v));
	}
	return n;
}

/**
 * An input file named by `--flag`: it must exist and be a file. Checked before the runner starts,
 * so `--data some/dir` is one line, not a stack trace from inside the run.
 */
export function checkInputFile(flag: string, file: string, cwd = process.cwd()): void {
	let st: fs.Stats;
	try {
		st = fs.statSync(path.resolve(cwd, file));
	} catch {
		throw new UsageError(noSuchFileText(flag, file));
	}
	if (!st.isFile()) {
		throw new UsageError(notAFileText(flag, file, st.isDirectory()));
	}
}

/**
 * `--out <file>`: refused before training when it cannot be written — it is a directory, or a
 * part of its folder path is a file. A missing folder is fine (it is created).
 */
export function checkOutPath(out: string, exts?: string[], cwd = process.cwd()): void {
	if (exts && !exts.includes(path.extname(out).toLowerCase())) {
		throw new UsageError(outExtensionText(out, exts));
	}
	const abs = path.resolve(cwd, out);
	try {
		if (fs.statSync(abs).isDirectory()) {
			throw new UsageError(outIsDirectoryText(out));
		}
	} catch (e) {
		if (e instanceof UsageError) {
			throw e;
		}
	}
	for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
		let st: fs.Stats | undefined;
		try {
			st = fs.statSync(dir);
		} catch {
			st = undefined;
		}
		if (st) {
			if (!st.isDirectory()) {
				throw new UsageError(outParentIsFileText(out, dir));
			}
			return;
		}
		if (path.dirname(dir) === dir) {
			return;
		}
	}
}

/** The ModelSource from --model/--data/--label or --module (paths made absolute). */
export function sourceFromFlags(v: Values, cwd = process.cwd()): ModelSource {
	const abs = (p: string): string => path.resolve(cwd, p);
	const str = (k: string): string | undefined =>
		typeof v[k] === 'string' ? (v[k] as string) : undefined;
	if (str('module')) {
		if (str('model') || str('data')) {
			throw new UsageError(moduleOrModelText);
		}
		checkInputFile('module', str('module')!, cwd);
		return { kind: 'module', modulePath: abs(str('module')!) };
	}
	const model = str('model');
	const data = str('data');
	if (!model) {
		throw new UsageError(missingModelText);
	}
	if (!data) {
		throw new UsageError(missingDataText);
	}
	const labels = (str('label') ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const enc = str('encoding');
	if (enc !== undefined && enc !== 'auto' && enc !== 'ordinal' && enc !== 'onehot') {
		throw new UsageError(choiceFlagText('encoding', ['auto', 'ordinal', 'onehot'], enc));
	}
	let spec;
	try {
		spec = dataSpecFromArg(data, labels, enc as 'auto' | 'ordinal' | 'onehot' | undefined);
	} catch (e) {
		throw e instanceof BadInputError ? new UsageError(e.message) : e;
	}
	checkInputFile('model', model, cwd);
	for (const p of spec.kind === 'npy' ? [spec.xPath, spec.yPath] : [spec.path]) {
		checkInputFile('data', p, cwd);
	}
	if (spec.kind === 'csv' && labels.length === 0) {
		throw new UsageError(csvNeedsLabelText);
	}
	const absSpec =
		spec.kind === 'npy'
			? { ...spec, xPath: abs(spec.xPath), yPath: abs(spec.yPath) }
			: { ...spec, path: abs(spec.path) };
	const source: ModelSource = { kind: 'saved', modelPath: abs(model), data: absSpec };
	if (str('loss')) {
		source.loss = str('loss');
	}
	if (str('optimizer')) {
		source.optimizer = str('optimizer');
	}
	return source;
}

/** --wasm-threads: 0 (all cores, the probe may pick one) … 64; absent → the runner's default. */
export function wasmThreadsFlag(v: unknown): { wasmThreads?: number } {
	const n = intFlag('wasm-threads', v, undefined, 0, 64);
	return n === undefined ? {} : { wasmThreads: n };
}

/** --backend, validated. */
export function backendFlag(v: unknown): BackendChoice {
	const b = (v ?? 'auto') as BackendChoice;
	if (!backends.includes(b)) {
		throw new UsageError(backendFlagText(backends, v));
	}
	return b;
}

/** Outcome of {@link runEngine}: the final message, or an exit code after an error was printed. */
export type EngineRun =
	| { ok: true; outcome: RunnerOutcome }
	| { ok: false; code: number; reason?: string; message?: string };

/**
 * Runs `request` in the runner process. Ctrl-C asks the runner to cancel (it stops after the
 * current batch and sends a partial result); a second Ctrl-C exits at once.
 */
export async function runEngine(
	request: RunRequest,
	opts: { timeoutSec?: number; onMessage?: (m: FromRunnerMessage) => void; quiet?: boolean },
): Promise<EngineRun> {
	const ac = new AbortController();
	let interrupts = 0;
	const onSigint = (): void => {
		interrupts += 1;
		if (interrupts === 1) {
			process.stderr.write(
				'\nlrscope: cancelling after the current batch (Ctrl-C again to quit now)\n',
			);
			ac.abort();
		} else {
			process.exit(130);
		}
	};
	process.on('SIGINT', onSigint);
	try {
		const outcome = await runInRunner(request, {
			signal: ac.signal,
			timeoutMs: opts.timeoutSec !== undefined ? opts.timeoutSec * 1000 : undefined,
			onMessage: (m) => {
				if (m.type === 'log' && !opts.quiet && m.level !== 'info') {
					process.stderr.write(`lrscope: ${m.level}: ${m.message}\n`);
				}
				opts.onMessage?.(m);
			},
			// A user module may print; keep our stdout clean for --json.
			onOutput: (_s, text) => process.stderr.write(text),
		});
		return { ok: true, outcome };
	} catch (e) {
		if (e instanceof RunnerError) {
			process.stderr.write(`lrscope: ${e.message}\n`);
			if (e.detail && e.code !== 'badInput' && e.code !== 'cancelled') {
				process.stderr.write(`${e.detail}\n`);
			}
			return {
				ok: false,
				code: e.code === 'badInput' ? 2 : e.code === 'cancelled' ? 130 : 3,
				reason: e.code,
				message: e.message,
			};
		}
		throw e;
	} finally {
		process.off('SIGINT', onSigint);
	}
}

/** A fresh request id. */
export function requestId(): string {
	return `cli-${process.pid}-${Date.now().toString(36)}`;
}

/** The report formats `--out` writes for a range test. */
export const reportExtensions = ['.html', '.svg', '.csv', '.json'];

/** Writes a report with writeReport (src/host/report.ts); unknown extension → UsageError. */
export async function writeReportFile(out: string, result: unknown): Promise<string> {
	checkOutPath(out, reportExtensions);
	let mod: { writeReport?: (p: string, r: unknown) => unknown };
	try {
		// Required lazily: report writing is optional at run time and loads only with --out.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		mod = require('../host/report') as typeof mod;
	} catch {
		throw new UsageError(outUnavailableText);
	}
	if (typeof mod.writeReport !== 'function') {
		throw new UsageError(outUnavailableText);
	}
	const abs = path.resolve(out);
	await mod.writeReport(abs, result);
	return abs;
}
