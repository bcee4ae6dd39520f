/** `lrscope sweep`: short training runs at several LRs (optionally k-fold) in the runner process. */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SweepResult } from '../core/types';
import type { SweepOptions } from '../shared/runnerProtocol';
import { formatLr, formatNum, formatSeconds } from '../core/present/format';
import { sweepCsv } from '../core/present/csv';
import { headlineJson } from '../core/present/json';
import { renderSweepHtml, sweepGridCentreText } from '../core/present/sweepReport';
import { backendWithReason } from '../core/present/words';
import { numberFlag, out, ProgressBar, toJson, UsageError, type Subcommand } from './common';
import { limits } from '../shared/limits';
import {
	backendFlag,
	wasmThreadsFlag,
	checkOutPath,
	intFlag,
	requestId,
	runEngine,
	sourceFlagsHelp,
} from './engineRun';
import { scriptFlagsHelp } from './monitorCmd';
import { engineSourceFromFlags, parseEngineArgs } from './sourceFlags';
import { lrsFlagText, sweepOutKindText } from '../core/present/cliErrors';

const help = `Usage: lrscope sweep --model <model.json> --data <data> [options]
       lrscope sweep --module <file.js|ts> [options]
       lrscope sweep --script <train.js|ts> [options] [-- <script args>]

Trains a few epochs at each of several LRs, every run from the same initial weights, and reports
per-LR training/validation loss and the best LR (lowest final validation loss). Without --lrs the
grid is the range test's consensus × 1/10, 1/3, 1, 3, 10 (a quick range test runs first).

${sourceFlagsHelp}
${scriptFlagsHelp}
      (the sweep trains the model of the script's first model.fit, on its data and batch size)
Sweep:
  --lrs <a,b,c>                 the LRs to try (default: the grid above)
  --epochs <N>                  epochs per LR (default 3)
  --folds <K>                   k-fold cross-validation (default 1: a held-out validation split)
  --out <file.json|.html|.csv>  also write the result: JSON, a self-contained HTML page (chart
                                and table, opens offline) or CSV (lr,epoch,loss,val_loss,best)
Examples:
  lrscope sweep --model model/model.json --data data.csv --label y --lrs 1e-3,3e-3,1e-2
  lrscope sweep --module train.ts --epochs 5 --folds 3 --json
  lrscope sweep --script train.js --lrs 0.01,0.1 --epochs 2 --out sweep.html -- --epochs 50`;

const outFormats = ['.json', '.html', '.htm', '.csv'];

/** The file contents for `--out`, by extension (checked before the run). */
export function sweepOutText(file: string, r: SweepResult): string {
	const ext = path.extname(file).toLowerCase();
	if (ext === '.html' || ext === '.htm') {
		return renderSweepHtml(r);
	}
	if (ext === '.csv') {
		return sweepCsv(r);
	}
	return toJson(sweepJson(r), 2) + '\n';
}

/**
 * The JSON of `--json` and `--out x.json`: the result, plus `headline: { lr, rule, verdict, text }`
 * of the range test the default grid was centred on (absent with explicit `--lrs`).
 */
export function sweepJson(r: SweepResult): Record<string, unknown> {
	const { gridHeadline, ...rest } = r;
	return gridHeadline ? { ...rest, headline: headlineJson(gridHeadline) } : rest;
}

/** Parses --lrs. */
export function parseLrs(s: string | undefined): number[] | undefined {
	if (s === undefined) {
		return undefined;
	}
	const parts = s.split(',').map((p) => p.trim());
	const lrs = parts.map(Number);
	if (
		parts.length === 0 ||
		parts.some((p) => p === '') ||
		lrs.some((lr) => !(Number.isFinite(lr) && lr > 0))
	) {
		throw new UsageError(lrsFlagText(s));
	}
	return lrs;
}

/** Human summary lines. */
export function sweepSummary(r: SweepResult): string[] {
	const lines: string[] = [];
	lines.push(
		`LR sweep: ${r.results.length} LRs × ${r.epochs} epochs${r.folds > 1 ? ` × ${r.folds} folds` : ''}${r.cancelled ? ' (cancelled: finished LRs only)' : ''}`,
	);
	const centre = sweepGridCentreText(r);
	if (centre) {
		lines.push(`grid centre: ${centre}`);
	}
	lines.push(`backend: ${backendWithReason(r.backend)}`);
	lines.push(
		`  ${'lr'.padEnd(10)} ${'final loss'.padStart(12)} ${'final val'.padStart(12)} ${'batches'.padStart(8)}`,
	);
	for (const run of r.results) {
		const mark = r.best && run.lr === r.best.lr ? '  ← best' : '';
		lines.push(
			`  ${formatLr(run.lr).padEnd(10)} ${formatNum(run.finalLoss).padStart(12)} ${formatNum(run.finalValLoss).padStart(12)} ${String(run.batches).padStart(8)}${mark}`,
		);
	}
	lines.push(`best LR: ${r.best ? formatLr(r.best.lr) : 'n/a'}`);
	lines.push(`cost: ${r.totalBatches} batches, ${formatSeconds(r.seconds)}`);
	for (const n of r.notes) {
		lines.push(`note: ${n}`);
	}
	return lines;
}

export const sweepCommand: Subcommand = {
	name: 'sweep',
	summary: 'train short runs at several LRs (optionally k-fold) and pick the best',
	help,
	async run(argv) {
		const args = parseEngineArgs(argv, {
			lrs: { type: 'string' },
			epochs: { type: 'string' },
			folds: { type: 'string' },
			out: { type: 'string' },
		});
		const { v } = args;
		if (v.out !== undefined && !outFormats.includes(path.extname(v.out).toLowerCase())) {
			throw new UsageError(sweepOutKindText(v.out));
		}
		if (v.out !== undefined) {
			checkOutPath(v.out);
		}
		const options: Partial<SweepOptions> = {
			lrs: parseLrs(v.lrs),
			epochs: intFlag('epochs', v.epochs, undefined, 1, limits.sweepEpochs.max),
			folds: intFlag('folds', v.folds),
			seed: intFlag('seed', v.seed, undefined, 0),
			batchSize: intFlag('batch-size', v['batch-size']),
			optimizer: v.optimizer,
			loss: v.loss,
		};
		const source = engineSourceFromFlags(args);
		const bar = v.json ? undefined : new ProgressBar('sweep');
		const epochs = options.epochs ?? 3;
		const folds = options.folds ?? 1;
		const run = await runEngine(
			{
				type: 'sweep',
				id: requestId(),
				source,
				options,
				backend: backendFlag(v.backend),
				...wasmThreadsFlag(v['wasm-threads']),
				workspace: v.workspace ?? process.cwd(),
			},
			{
				timeoutSec: numberFlag('timeout', v.timeout),
				onMessage: (m) => {
					if (m.type === 'sweepProgress') {
						const done = (m.lrIndex * folds + m.fold) * epochs + m.epoch + 1;
						bar?.update(
							done,
							m.lrCount * folds * epochs,
							`lr ${formatLr(m.lr)} loss ${formatNum(m.loss)} val ${formatNum(m.valLoss)}`,
						);
					}
				},
			},
		);
		bar?.done();
		if (!run.ok) {
			return run.code;
		}
		if (run.outcome.type !== 'sweepResult') {
			throw new Error(`unexpected runner reply ${run.outcome.type}`);
		}
		const r = run.outcome.result;
		if (v.json) {
			out(toJson(sweepJson(r), 2));
		} else {
			sweepSummary(r).forEach((l) => out(l));
		}
		if (v.out) {
			const file = path.resolve(v.out);
			mkdirSync(path.dirname(file), { recursive: true });
			writeFileSync(file, sweepOutText(file, r));
			(v.json ? process.stderr : process.stdout).write(`report: ${file}\n`);
		}
		return r.cancelled ? 130 : 0;
	},
};
