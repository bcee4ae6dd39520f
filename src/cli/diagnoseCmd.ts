/**
 * `lrscope diagnose <log files…> [--json] [--fail-on warning|error] [--follow]`: runs the live-run
 * detectors (docs/detectors.md) over training logs, once or while they grow.
 */
import * as fs from 'node:fs';
import { DetectorSet } from '../core/detectors';
import { errorText } from '../core/present/errorText';
import { resolveDetectorOptions, type DetectorConfig } from '../core/detectors/options';
import { followPath, type Poller } from '../core/logs/follow';
import { listLogDir, scanLogFile } from '../core/logs/logFile';
import { LogInputError } from '../core/logs/reader';
import { findingKindText } from '../core/present/words';
import type { Finding, LogRecord } from '../core/types';
import { UsageError, numberFlag, out, toJson, parseCommandArgs, type Subcommand } from './common';
import {
	configMonitoredText,
	diagnoseConfigText,
	diagnoseFailOnText,
	diagnoseNoPathText,
	intervalText,
	noLogRecordsText,
	suggestedLrText,
} from '../core/present/cliErrors';

const help = `Usage: lrscope diagnose <log file|logdir>... [options]

Checks training logs for NaN/Infinity losses, divergence, loss spikes, plateaus (stalls),
overfitting and underfitting (rules and defaults: docs/detectors.md). Each file or logdir is one
run; a logdir's train/ and val/ event files are diagnosed together.

Options:
  --json                  print {"findings":[{file,kind,series,step,unit,severity,message,action}],"notes":[...],"files":[...]}
                          (with --follow: one JSON object per line as findings appear)
  --fail-on <level>       exit 1 if a finding at or above this severity exists: warning | error
  --follow                keep tailing the logs and print findings as they appear, until Ctrl-C
  --interval <ms>         poll interval for --follow (default 1000)
  --suggested-lr <lr>     a learning rate to name in suggested actions (e.g. a range test's valley)
  --max-loss <x>          also flag divergence when the smoothed loss exceeds x
  --config <json>         detector options, e.g. '{"plateau":{"patienceSteps":500},"spike":{"multiplier":3}}'
  -h, --help

Exit codes: 0 done (findings or not, unless --fail-on), 1 a finding at/above --fail-on, 2 bad input.

Examples:
  lrscope diagnose logs/train.jsonl
  lrscope diagnose ./logs --json --fail-on error      # in CI, after training
  lrscope diagnose ./logs --follow --suggested-lr 3e-4 # while tf.node.tensorBoard('./logs') writes
`;

/** A finding with the file or logdir it came from. */
export type FileFinding = Finding & { file: string };

/** Result of diagnosing some logs. */
export interface DiagnoseResult {
	findings: FileFinding[];
	notes: string[];
	files: { path: string; records: number }[];
}

const severityRank = { info: 0, warning: 1, error: 2 } as const;

/** Runs the detectors over each path (a file or a logdir), streaming: the logs are never held in memory. */
export async function diagnosePaths(
	paths: string[],
	config: DetectorConfig,
): Promise<DiagnoseResult> {
	const res: DiagnoseResult = { findings: [], notes: [], files: [] };
	for (const p of paths) {
		const det = new DetectorSet(config);
		let records = 0;
		const onRecords = (recs: LogRecord[]): void => {
			records += recs.length;
			for (const f of det.feedAll(recs)) {
				res.findings.push({ file: p, ...f });
			}
		};
		let st: fs.Stats;
		try {
			st = await fs.promises.stat(p);
		} catch (_e) {
			throw new LogInputError(`${p} does not exist`);
		}
		if (st.isDirectory()) {
			const files = await listLogDir(p);
			if (files.length === 0) {
				throw new LogInputError(`no TensorBoard event files (events.out.tfevents.*) under ${p}`);
			}
			for (const f of files) {
				const r = await scanLogFile(f.file, onRecords, {
					format: 'tfevents',
					tagPrefix: f.tagPrefix,
					label: f.label,
				});
				res.notes.push(...r.notes);
			}
		} else {
			const r = await scanLogFile(p, onRecords);
			res.notes.push(...r.notes);
		}
		res.files.push({ path: p, records });
	}
	return res;
}

/** Options for `followPaths`. */
export interface FollowRun {
	intervalMs: number;
	signal: AbortSignal;
	onFinding(f: FileFinding): void;
	onNote(n: string): void;
}

/** Tails each path until `signal` aborts, reporting findings and notes as they appear. */
export async function followPaths(
	paths: string[],
	config: DetectorConfig,
	run: FollowRun,
): Promise<DiagnoseResult> {
	const res: DiagnoseResult = { findings: [], notes: [], files: [] };
	const groups: { path: string; poller: Poller; det: DetectorSet; records: number }[] = paths.map(
		(p) => ({
			path: p,
			poller: followPath(p),
			det: new DetectorSet(config),
			records: 0,
		}),
	);
	while (!run.signal.aborted) {
		for (const g of groups) {
			const r = await g.poller.poll();
			for (const n of r.notes) {
				res.notes.push(n);
				run.onNote(n);
			}
			g.records += r.records.length;
			for (const f of g.det.feedAll(r.records)) {
				const ff = { file: g.path, ...f };
				res.findings.push(ff);
				run.onFinding(ff);
			}
		}
		await sleep(run.intervalMs, run.signal);
	}
	res.files = groups.map((g) => ({ path: g.path, records: g.records }));
	return res;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}
		const t = setTimeout(done, ms);
		function done(): void {
			clearTimeout(t);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done);
	});
}

/** Human form of one finding: two lines. */
export function formatFinding(f: FileFinding, withFile: boolean): string {
	const where = `${f.unit} ${f.step}${f.detectedAt !== undefined && f.detectedAt !== f.step ? ` (seen at ${f.detectedAt})` : ''}`;
	return `${f.severity.padEnd(7)} ${findingKindText[f.kind]} in ${f.series}${withFile ? ` [${f.file}]` : ''} from ${where}: ${f.message}\n        → ${f.action}`;
}

function parseConfig(values: {
	config?: string;
	'suggested-lr'?: string;
	'max-loss'?: string;
}): DetectorConfig {
	let config: DetectorConfig = {};
	if (values.config !== undefined) {
		try {
			const c: unknown = JSON.parse(values.config);
			if (c === null || typeof c !== 'object' || Array.isArray(c)) {
				throw new Error('not an object');
			}
			config = c as DetectorConfig;
		} catch (e) {
			throw new UsageError(diagnoseConfigText(errorText(e)));
		}
		if ('isMonitored' in config) {
			throw new UsageError(configMonitoredText);
		}
	}
	const lr = numberFlag('suggested-lr', values['suggested-lr']);
	if (lr !== undefined) {
		if (lr <= 0) {
			throw new UsageError(suggestedLrText);
		}
		config.suggestedLr = lr;
	}
	const maxLoss = numberFlag('max-loss', values['max-loss']);
	if (maxLoss !== undefined) {
		config.divergence = { ...config.divergence, maxLoss };
	}
	try {
		resolveDetectorOptions(config);
	} catch (e) {
		throw new UsageError(errorText(e));
	}
	return config;
}

/** The `diagnose` subcommand. */
export const diagnoseCommand: Subcommand = {
	name: 'diagnose',
	summary: 'Find NaN, divergence, spikes, plateaus, over/underfitting in training logs',
	help,
	async run(argv: string[]): Promise<number> {
		const { values, positionals } = parseCommandArgs('diagnose', {
			args: argv,
			options: {
				json: { type: 'boolean', default: false },
				'fail-on': { type: 'string' },
				follow: { type: 'boolean', default: false },
				interval: { type: 'string' },
				'suggested-lr': { type: 'string' },
				'max-loss': { type: 'string' },
				config: { type: 'string' },
			},
			allowPositionals: true,
			strict: true,
		});
		if (positionals.length === 0) {
			throw new UsageError(diagnoseNoPathText);
		}
		const failOn = values['fail-on'];
		if (failOn !== undefined && failOn !== 'warning' && failOn !== 'error') {
			throw new UsageError(diagnoseFailOnText(failOn));
		}
		const config = parseConfig(values);
		const intervalMs = numberFlag('interval', values.interval, 1000) as number;
		if (intervalMs < 10) {
			throw new UsageError(intervalText);
		}
		const withFile = positionals.length > 1;
		const exitFor = (fs: Finding[]): number =>
			failOn !== undefined && fs.some((f) => severityRank[f.severity] >= severityRank[failOn])
				? 1
				: 0;

		try {
			const found = values.follow
				? await follow(positionals, config, intervalMs, values.json, withFile)
				: await diagnoseOnce(positionals, config, values.json, withFile);
			return exitFor(found);
		} catch (e) {
			if (e instanceof LogInputError) {
				throw new UsageError(e.message);
			}
			throw e;
		}
	},
};

/** `--follow`: tails the logs until Ctrl-C, printing findings as they come; returns them all. */
async function follow(
	paths: string[],
	config: DetectorConfig,
	intervalMs: number,
	json: boolean | undefined,
	withFile: boolean,
): Promise<Finding[]> {
	const ac = new AbortController();
	const stop = (): void => ac.abort();
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	if (!json) {
		process.stderr.write(`lrscope: following ${paths.join(', ')} (Ctrl-C to stop)\n`);
	}
	try {
		const res = await followPaths(paths, config, {
			intervalMs,
			signal: ac.signal,
			onFinding: (f) => out(json ? toJson({ finding: f }) : formatFinding(f, withFile)),
			onNote: (n) => (json ? out(toJson({ note: n })) : process.stderr.write(`note: ${n}\n`)),
		});
		if (json) {
			out(toJson({ done: true, files: res.files, findings: res.findings.length }));
		} else {
			out(
				`stopped: ${res.findings.length} finding${res.findings.length === 1 ? '' : 's'} in ${res.files.reduce((a, f) => a + f.records, 0)} records`,
			);
		}
		return res.findings;
	} finally {
		process.removeListener('SIGINT', stop);
		process.removeListener('SIGTERM', stop);
	}
}

/** Reads the logs once and prints the findings (or JSON); returns them. */
async function diagnoseOnce(
	paths: string[],
	config: DetectorConfig,
	json: boolean | undefined,
	withFile: boolean,
): Promise<Finding[]> {
	const res = await diagnosePaths(paths, config);
	const total = res.files.reduce((a, f) => a + f.records, 0);
	if (total === 0) {
		for (const n of res.notes) {
			process.stderr.write(`note: ${n}\n`);
		}
		throw new UsageError(noLogRecordsText(paths, res.notes.length > 0));
	}
	if (json) {
		out(toJson(res));
		return res.findings;
	}
	for (const f of res.findings) {
		out(formatFinding(f, withFile));
	}
	const errors = res.findings.filter((f) => f.severity === 'error').length;
	out(
		res.findings.length === 0
			? `no problems found in ${total} records`
			: `${res.findings.length} finding${res.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${total} records`,
	);
	for (const n of res.notes) {
		out(`note: ${n}`);
	}
	return res.findings;
}
