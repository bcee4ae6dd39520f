/**
 * `lrscope monitor --script train.js [-- args]`: trains the user's own script for real, printing a
 * live line per epoch (and batches, throttled), the LR, and the detectors' findings as they happen.
 * Ctrl-C stops the script (and everything it started). Also exports the `--script` flags that
 * `lrscope range-test --script` shares.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layerFindingKinds } from '../core/layers/types';
import { layerSampleLine } from '../core/present/layers';
import type { BackendInfo, Finding, FindingKind } from '../core/types';
import type { FromRunnerMessage, ModelSource } from '../shared/runnerProtocol';
import { backendWithReason } from '../core/present/words';
import {
	findingLine,
	fitCallLine,
	monitorEndLine,
	trainLogLine,
} from '../core/present/monitorLines';
import { numberFlag, out, parseCommandArgs, toJson, UsageError, type Subcommand } from './common';
import { backendFlag, requestId, runEngine } from './engineRun';
import { errorText } from '../core/present/errorText';
import {
	choiceFlagText,
	envFlagText,
	fitTimeoutFlagText,
	missingScriptText,
	monitorFailOnText,
	positiveWholeFlagText,
	scheduleJsonText,
	scheduleUnreadableText,
	scriptFlagNotFoundText,
} from '../core/present/cliErrors';

/** parseArgs specs of the flags every `--script` command takes. */
export const scriptFlagSpecs = {
	script: { type: 'string' },
	env: { type: 'string', multiple: true },
	cwd: { type: 'string' },
	'fit-timeout': { type: 'string' },
} as const;

/** Help lines for the `--script` flags. */
export const scriptFlagsHelp = `Your own training script (zero-config):
  --script <train.js|ts> [-- <script args>]   run the script; LR Scope hooks its model.fit
  --env KEY=VALUE               extra environment for the script (repeatable)
  --cwd <dir>                   working directory (default: the nearest package.json folder, as npm run)
  --fit-timeout <seconds>       range test: how long the script may take to reach model.fit (default 120)`;

/** Splits argv at `--`: our flags before, the script's own arguments after. */
export function splitScriptArgs(argv: string[]): { own: string[]; scriptArgs: string[] } {
	const i = argv.indexOf('--');
	return i < 0
		? { own: argv, scriptArgs: [] }
		: { own: argv.slice(0, i), scriptArgs: argv.slice(i + 1) };
}

/** The script source from `--script` flags (paths absolute; env parsed). */
export function scriptSourceFromFlags(
	v: { script?: string; env?: string[]; cwd?: string; 'fit-timeout'?: string },
	scriptArgs: string[],
	cwd = process.cwd(),
): Extract<ModelSource, { kind: 'script' }> {
	if (!v.script) {
		throw new UsageError(missingScriptText);
	}
	const scriptPath = path.resolve(cwd, v.script);
	if (!fs.existsSync(scriptPath)) {
		throw new UsageError(scriptFlagNotFoundText(v.script));
	}
	const source: Extract<ModelSource, { kind: 'script' }> = {
		kind: 'script',
		scriptPath,
		args: scriptArgs,
	};
	if (v.env && v.env.length > 0) {
		source.env = {};
		for (const kv of v.env) {
			const eq = kv.indexOf('=');
			if (eq < 1) {
				throw new UsageError(envFlagText(kv));
			}
			source.env[kv.slice(0, eq)] = kv.slice(eq + 1);
		}
	}
	if (v.cwd) {
		source.cwd = path.resolve(cwd, v.cwd);
	}
	const ft = numberFlag('fit-timeout', v['fit-timeout']);
	if (ft !== undefined) {
		if (!(ft > 0)) {
			throw new UsageError(fitTimeoutFlagText(v['fit-timeout']));
		}
		source.fitTimeoutMs = ft * 1000;
	}
	return source;
}

const findingKinds: FindingKind[] = [
	'nonFinite',
	'divergence',
	'spike',
	'plateau',
	'overfitting',
	'underfitting',
	...layerFindingKinds,
];

/** `--fail-on any` or a comma list of finding kinds. */
export function failOnFlag(v: string | undefined): Set<FindingKind> {
	if (v === undefined) {
		return new Set();
	}
	if (v === 'any') {
		return new Set(findingKinds);
	}
	const kinds = v
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	for (const k of kinds) {
		if (!(findingKinds as string[]).includes(k)) {
			throw new UsageError(monitorFailOnText(findingKinds, k));
		}
	}
	return new Set(kinds as FindingKind[]);
}

/** `--schedule` as inline JSON or a .json file. */
function scheduleFlag(v: string | undefined): unknown {
	if (v === undefined) {
		return undefined;
	}
	const text = v.trim().startsWith('{')
		? v
		: (() => {
				try {
					return fs.readFileSync(v, 'utf8');
				} catch {
					throw new UsageError(scheduleUnreadableText(v));
				}
			})();
	try {
		return JSON.parse(text) as unknown;
	} catch (e) {
		throw new UsageError(scheduleJsonText(errorText(e)));
	}
}

const help = `Usage: lrscope monitor --script <train.js|ts> [options] [-- <script args>]

Trains your script for real with LR Scope watching: every batch and epoch log, the learning rate
and the gradient norm stream back, and the detectors (NaN, divergence, spikes, plateaus,
overfitting, underfitting) print warnings as they happen. Inside the model, per-layer signals warn
about a layer whose LR is too high, layers that do not learn, dead ReLUs, vanishing or exploding
gradients, a divergence before the loss shows it, and where a NaN came from. Ctrl-C stops the script.

${scriptFlagsHelp}
Monitoring:
  --schedule <json|file.json>   apply an LR schedule per batch without editing the script,
                                e.g. '{"kind":"cosine","initialLearningRate":0.01,"decaySteps":500}'
  --no-grad-norm                skip the per-batch gradient norm
  --layers on|off               per-layer signals (gradient and weight norms, update ratios, dead
                                ReLUs, saturation, NaN origin) and layer warnings (default: on)
  --layers-every <N>            sample the layers every N steps (default: adapted to a 5% overhead)
  --every <N>                   print every Nth batch line (default: at most ~1 line per second)
  --suggested-lr <lr>           an LR to name in suggested actions (e.g. your range test's valley)
  --fail-on any|<kind,...>      exit 1 when such a finding is raised
  --timeout <seconds>           stop the run after this long (default: none)
  --json                        one JSON object per line (trainLog, finding, end) instead of text

Exit codes: 0 the script finished, 1 a --fail-on finding, 2 bad input or the script failed,
  3 the run did not finish (--timeout expired, the runner crashed or failed inside), 130 stopped
  (Ctrl-C). With --json the last line is always a monitorEnd record: the backend that ran, how the
  run ended (reason: timeout, crashed, … when it did not finish) and the number of findings.

Examples:
  lrscope monitor --script train.js -- --epochs 20
  lrscope monitor --script train.ts --fail-on nonFinite,divergence --json > run.jsonl`;

type MonitorFlags = ReturnType<typeof parseMonitorFlags>;
type MonitorOptions = Extract<Parameters<typeof runEngine>[0], { type: 'monitor' }>['options'];

function parseMonitorFlags(own: string[]) {
	return parseCommandArgs('monitor', {
		args: own,
		options: {
			...scriptFlagSpecs,
			schedule: { type: 'string' },
			'no-grad-norm': { type: 'boolean' },
			layers: { type: 'string' },
			'layers-every': { type: 'string' },
			every: { type: 'string' },
			'suggested-lr': { type: 'string' },
			'fail-on': { type: 'string' },
			timeout: { type: 'string' },
			backend: { type: 'string' },
			json: { type: 'boolean' },
		},
		allowPositionals: false,
	}).values;
}

/** The runner's monitor options from the flags (checked: a mistake is a usage error). */
function monitorOptions(v: MonitorFlags): MonitorOptions {
	const suggestedLr = numberFlag('suggested-lr', v['suggested-lr']);
	const options: MonitorOptions = { gradNorm: !v['no-grad-norm'] };
	if (v.layers !== undefined && v.layers !== 'on' && v.layers !== 'off') {
		throw new UsageError(choiceFlagText('layers', ['on', 'off'], v.layers));
	}
	const layersEvery = numberFlag('layers-every', v['layers-every']);
	if (layersEvery !== undefined && !(Number.isInteger(layersEvery) && layersEvery >= 1)) {
		throw new UsageError(positiveWholeFlagText('layers-every', v['layers-every']));
	}
	if (v.layers === 'off') {
		options.layers = false;
	} else if (layersEvery !== undefined) {
		options.layers = { every: layersEvery };
	}
	const schedule = scheduleFlag(v.schedule);
	if (schedule !== undefined) {
		options.schedule = schedule;
	}
	if (suggestedLr !== undefined) {
		options.suggestedLr = suggestedLr;
	}
	return options;
}

/** Prints the runner's messages: JSON lines, or terminal lines (batches and layers throttled). */
function messagePrinter(json: boolean | undefined, every: number | undefined) {
	let lastBatchPrint = 0;
	let lastLayerPrint = 0;
	return (m: FromRunnerMessage): void => {
		if (json) {
			if (
				m.type === 'trainLog' ||
				m.type === 'layerStats' ||
				m.type === 'finding' ||
				m.type === 'fitCall' ||
				m.type === 'log'
			) {
				out(toJson(m));
			}
			return;
		}
		if (m.type === 'trainLog') {
			const now = Date.now();
			const show =
				m.unit === 'epoch' ||
				(every !== undefined ? m.step % every === 0 : now - lastBatchPrint >= 1000);
			if (show) {
				if (m.unit === 'batch') {
					lastBatchPrint = now;
				}
				out(trainLogLine(m));
			}
		} else if (m.type === 'layerStats') {
			// The layer picture changes slowly: one line every ~5 s is enough in a terminal.
			const now = Date.now();
			if (now - lastLayerPrint >= 5000) {
				lastLayerPrint = now;
				out(layerSampleLine(m.sample));
			}
		} else if (m.type === 'finding') {
			out(findingLine(m.finding));
		} else if (m.type === 'started') {
			out(`backend: ${backendWithReason(m.backend)}`);
		} else if (m.type === 'fitCall') {
			out(fitCallLine(m.method, m.index, m.file, m.line));
		} else if (m.type === 'log' && m.level === 'info') {
			out(`note: ${m.message}`);
		}
	};
}

export const monitorCommand: Subcommand = {
	name: 'monitor',
	summary: 'train your script with live losses, LR and warnings (zero-config)',
	help,
	async run(argv) {
		const { own, scriptArgs } = splitScriptArgs(argv);
		const v = parseMonitorFlags(own);
		const source = scriptSourceFromFlags(v, scriptArgs);
		const failOn = failOnFlag(v['fail-on']);
		const every = numberFlag('every', v.every);
		if (every !== undefined && !(Number.isInteger(every) && every >= 1)) {
			throw new UsageError(positiveWholeFlagText('every', v.every));
		}
		const options = monitorOptions(v);
		const findings: Finding[] = [];
		const emit = messagePrinter(v.json, every);
		let backend: BackendInfo | undefined;
		let epochs = 0;
		let batches = 0;
		const run = await runEngine(
			{
				type: 'monitor',
				id: requestId(),
				source,
				options,
				backend: backendFlag(v.backend),
				workspace: process.cwd(),
			},
			{
				timeoutSec: numberFlag('timeout', v.timeout),
				onMessage: (m) => {
					if (m.type === 'finding') {
						findings.push(m.finding);
					} else if (m.type === 'started') {
						backend = m.backend;
					} else if (m.type === 'trainLog') {
						epochs += m.unit === 'epoch' ? 1 : 0;
						batches += m.unit === 'batch' ? 1 : 0;
					}
					emit(m);
				},
			},
		);
		if (!run.ok) {
			if (v.json) {
				// The run did not finish (timeout, crash): still one closing record, saying why.
				const end = { type: 'monitorEnd', exitCode: null, epochs, batches, stopped: true };
				out(toJson({ ...end, reason: run.reason, backend, findings: findings.length }));
			}
			return run.code;
		}
		if (run.outcome.type !== 'monitorEnd') {
			throw new Error(`unexpected runner reply ${run.outcome.type}`);
		}
		const end = run.outcome;
		if (v.json) {
			out(toJson({ ...end, backend, findings: findings.length }));
		} else {
			out(monitorEndLine(path.basename(source.scriptPath), end, findings.length));
		}
		if (end.stopped) {
			return 130;
		}
		if (findings.some((f) => failOn.has(f.kind))) {
			return 1;
		}
		return end.exitCode === 0 ? 0 : 2;
	},
};
