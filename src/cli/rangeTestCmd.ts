/** `lrscope range-test`: an LR range test on a saved model + data, or a module, in the runner process. */
import { suggestionNames, type RangeTestResult, type StopReason } from '../core/types';
import { limits } from '../shared/limits';
import type { RangeTestOptions } from '../shared/runnerProtocol';
import { fmt, numberFlag, out, ProgressBar, toJson, UsageError, type Subcommand } from './common';
import {
	backendFlag,
	checkOutPath,
	intFlag,
	reportExtensions,
	requestId,
	runEngine,
	sourceFlagsHelp,
	writeReportFile,
} from './engineRun';
import { scriptFlagsHelp } from './monitorCmd';
import { engineSourceFromFlags, parseEngineArgs } from './sourceFlags';

const stopText: Record<StopReason, string> = {
	completed: 'completed all steps',
	diverged: 'diverged (smoothed loss above 4× its minimum)',
	nonFinite: 'the loss became NaN/Infinity',
	cancelled: 'cancelled (partial curve)',
	dataExhausted: 'the data ran out',
};

const help = `Usage: lrscope range-test --model <model.json> --data <data> [options]
       lrscope range-test --module <file.js|ts> [options]
       lrscope range-test --script <train.js|ts> [options] [-- <script args>]

Ramps the learning rate over --steps batches, records the loss, and suggests LRs (fastai's
valley, slide, minimum, steep, and their consensus). The model and its files are not changed.

${sourceFlagsHelp}
${scriptFlagsHelp}
      (the range test runs on the script's first model.fit: its model, data, batch size, optimizer)
Range test:
  --start-lr <lr>               default 1e-7
  --end-lr <lr>                 default 10
  --steps <N>                   default 100
  --ramp exp|linear             default exp
  --repeat <N>                  repeat with seeds seed..seed+N-1 and report the suggestions' spread
  --validation                  record the loss of a fixed validation sample instead of the batch loss
  --out <report.html|.svg|.csv> also write a report
Examples:
  lrscope range-test --model model/model.json --data data.csv --label label
  lrscope range-test --module train.ts --steps 200 --json > curve.json`;

/** Builds the range-test options from flags. */
export function rangeTestOptionsFromFlags(
	v: Record<string, string | boolean | undefined>,
): Partial<RangeTestOptions> {
	const ramp = (v.ramp ?? 'exp') as string;
	if (ramp !== 'exp' && ramp !== 'linear') {
		throw new UsageError(`--ramp expects exp or linear, got "${ramp}"`);
	}
	return {
		startLr: numberFlag('start-lr', v['start-lr'] as string | undefined),
		endLr: numberFlag('end-lr', v['end-lr'] as string | undefined),
		steps: intFlag('steps', v.steps, undefined, 2, limits.rangeTestSteps.max),
		ramp,
		seed: intFlag('seed', v.seed, undefined, 0),
		repeat: intFlag('repeat', v.repeat),
		batchSize: intFlag('batch-size', v['batch-size']),
		validation: Boolean(v.validation),
		optimizer: v.optimizer as string | undefined,
		loss: v.loss as string | undefined,
	};
}

/**
 * The JSON printed by `--json`: the result (lrs, losses, smoothed, stopReason, backend, seconds, report,
 * spread, ...) with `suggestions`/`consensus` flattened to LRs (`null` where a rule has no answer).
 */
export function rangeTestJson(r: RangeTestResult): Record<string, unknown> {
	const suggestions = Object.fromEntries(
		suggestionNames.map((n) => [n, r.report.suggestions[n]?.lr ?? null]),
	);
	return {
		...r,
		suggestions,
		consensus: r.report.consensus?.lr ?? null,
		agreement: r.report.agreement,
		// `steps` = steps run; the requested number is `requestedSteps`.
		steps: r.lrs.length,
		requestedSteps: r.steps,
	};
}

/** Human summary lines. */
export function rangeTestSummary(r: RangeTestResult): string[] {
	const lines: string[] = [];
	lines.push(`LR range test: ${r.lrs.length}/${r.steps} steps, ${stopText[r.stopReason]}`);
	lines.push(
		`backend: ${r.backend.name} (${r.backend.package} ${r.backend.version}, ${r.backend.origin}) — ${r.backend.reason}`,
	);
	lines.push(
		`model: ${r.model.name} (${r.model.params} params), optimizer ${r.model.optimizer}, loss ${r.model.loss}, batch ${r.batchSize}, ${r.lossMode} loss`,
	);
	lines.push('suggestions:');
	for (const n of suggestionNames) {
		lines.push(`  ${n.padEnd(9)} ${fmt(r.report.suggestions[n]?.lr)}`);
	}
	const a = r.report.agreement;
	lines.push(
		`  ${'consensus'.padEnd(9)} ${fmt(r.report.consensus?.lr)}  (${a.agreeing} of ${a.of} within ${a.toleranceDecades} decades)`,
	);
	if (r.spread) {
		const c = r.spread.per.consensus;
		lines.push(
			`spread over ${r.spread.runs} runs: consensus ${c ? `${fmt(c.min)} … ${fmt(c.max)} (${fmt(c.spreadDecades, 2)} decades)` : 'n/a'}`,
		);
	}
	lines.push(`time: ${fmt(r.seconds)} s`);
	for (const n of r.notes) {
		lines.push(`note: ${n}`);
	}
	return lines;
}

export const rangeTestCommand: Subcommand = {
	name: 'range-test',
	summary: 'LR range test on a saved model + data, or a module',
	help,
	async run(argv) {
		const args = parseEngineArgs(argv, {
			'start-lr': { type: 'string' },
			'end-lr': { type: 'string' },
			steps: { type: 'string' },
			ramp: { type: 'string' },
			repeat: { type: 'string' },
			validation: { type: 'boolean' },
			out: { type: 'string' },
		});
		const { v } = args;
		// Flags first: a bad --steps is reported before any file is looked at.
		const options = rangeTestOptionsFromFlags(v);
		const source = engineSourceFromFlags(args);
		if (v.out !== undefined) {
			checkOutPath(v.out, reportExtensions);
		}
		const timeoutSec = numberFlag('timeout', v.timeout);
		const bar = v.json ? undefined : new ProgressBar('range test');
		const run = await runEngine(
			{
				type: 'rangeTest',
				id: requestId(),
				source,
				options,
				backend: backendFlag(v.backend),
				workspace: v.workspace ?? process.cwd(),
			},
			{
				timeoutSec,
				onMessage: (m) => {
					if (m.type === 'progress') {
						bar?.update(m.step + 1, m.total, `lr ${fmt(m.lr)} loss ${fmt(m.smoothed)}`);
					}
				},
			},
		);
		bar?.done();
		if (!run.ok) {
			return run.code;
		}
		if (run.outcome.type !== 'result') {
			throw new Error(`unexpected runner reply ${run.outcome.type}`);
		}
		const r = run.outcome.result;
		if (v.json) {
			out(toJson(rangeTestJson(r), 2));
		} else {
			rangeTestSummary(r).forEach((l) => out(l));
		}
		if (v.out) {
			const p = await writeReportFile(v.out, r);
			(v.json ? process.stderr : process.stdout).write(`report: ${p}\n`);
		}
		return r.stopReason === 'cancelled' ? 130 : 0;
	},
};
