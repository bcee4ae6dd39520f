/** `lrscope range-test`: an LR range test on a saved model + data, or a module, in the runner process. */
import { formatDecades, formatLr, formatNum } from '../core/present/format';
import { headlineBasisText, headlineText, verdictText } from '../core/present/headline';
import {
	answerTimeText,
	candidateRows,
	heldOutText,
	probeLengthText,
	verifiedEvidenceText,
	verifyProgressText,
} from '../core/present/verify';
import type { Verification } from '../core/verify';
import { headlineJson } from '../core/present/json';
import { agreementText, backendWithReason, stopReasonText } from '../core/present/words';
import { suggestionNames, type LoadedRangeTest } from '../core/types';
import { limits } from '../shared/limits';
import { verifyModes, type VerifyMode } from '../core/verify';
import { defaultRangeTestOptions, type RangeTestOptions } from '../shared/runnerProtocol';
import { numberFlag, out, ProgressBar, toJson, UsageError, type Subcommand } from './common';
import {
	backendFlag,
	wasmThreadsFlag,
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
import { choiceFlagText } from '../core/present/cliErrors';

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
  --repeat <N>                  default 3: seeds seed..seed+N-1; the headline is read from the mean
                                of the N curves, and the suggestions' spread is reported (1: one run;
                                the default when the headline is verified)
  --budget <seconds>            default 45: when --steps/--repeat are not given and the measured step
                                cost needs it, fewer repeats, then steps, to train for about this long
                                (a note says what was chosen); 0 = always the full amount
  --validation                  record the loss of a fixed validation sample instead of the batch loss
  --verify off|auto|on          default ${defaultRangeTestOptions.verify}: then train short probes at a few candidate
                                LRs from the curve (same initial weights, scored on held-out data:
                                the source's validation data, else a held-out slice) and suggest the
                                best measured one, "3e-3 (verified)"; --json: headline.verified
  --verify-steps <N>            probe length per candidate (default: a script's own fit plan,
                                epochs × steps per epoch, else the engine's default)
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
		throw new UsageError(choiceFlagText('ramp', ['exp', 'linear'], ramp));
	}
	const verify = v.verify as string | undefined;
	if (verify !== undefined && !(verifyModes as readonly string[]).includes(verify)) {
		throw new UsageError(choiceFlagText('verify', ['off', 'auto', 'on'], verify));
	}
	return {
		startLr: numberFlag('start-lr', v['start-lr'] as string | undefined),
		endLr: numberFlag('end-lr', v['end-lr'] as string | undefined),
		steps: intFlag('steps', v.steps, undefined, 2, limits.rangeTestSteps.max),
		ramp,
		seed: intFlag('seed', v.seed, undefined, 0),
		repeat: intFlag('repeat', v.repeat),
		budgetSeconds: numberFlag('budget', v.budget as string | undefined),
		batchSize: intFlag('batch-size', v['batch-size']),
		validation: Boolean(v.validation),
		optimizer: v.optimizer as string | undefined,
		loss: v.loss as string | undefined,
		verify: verify as VerifyMode | undefined,
		verifySteps: intFlag(
			'verify-steps',
			v['verify-steps'],
			undefined,
			limits.verifySteps.min,
			limits.verifySteps.max,
		),
	};
}

/**
 * The JSON printed by `--json`: the result (lrs, losses, smoothed, stopReason, backend, seconds, report,
 * spread, ...) with `suggestions`/`consensus` flattened to LRs (`null` where a rule has no answer),
 * and `headline: { lr, rule, verdict, text }` — the suggestion every surface shows.
 */
export function rangeTestJson(r: LoadedRangeTest): Record<string, unknown> {
	const suggestions = Object.fromEntries(
		suggestionNames.map((n) => [n, r.report.suggestions[n]?.lr ?? null]),
	);
	return {
		...r,
		headline: headlineJson(r.report.headline),
		suggestions,
		consensus: r.report.consensus?.lr ?? null,
		agreement: r.report.agreement,
		// `steps` = steps run; the requested number is `requestedSteps`.
		steps: r.lrs.length,
		requestedSteps: r.steps,
	};
}

/** The evidence of a verified headline: its sentence, then one line per candidate. */
function verifiedLines(v: Verification): string[] {
	const rows = candidateRows(v);
	// Columns as wide as their widest cell (a projected loss is longer than the header).
	const lossWidth = Math.max('held-out loss'.length, ...rows.map((r) => r.loss.length)) + 1;
	const lines = [
		`  ${verifiedEvidenceText(v)}`,
		`  held-out: ${heldOutText(v)}; probes: ${probeLengthText(v)}`,
		`  ${'candidate'.padEnd(10)} ${'held-out loss'.padEnd(lossWidth)} steps`,
	];
	for (const r of rows) {
		const mark = r.status ? `  ${r.status}` : '';
		lines.push(`  ${r.lr.padEnd(10)} ${r.loss.padEnd(lossWidth)} ${r.steps}${mark}`);
	}
	return lines;
}

/** Human summary lines: the headline first (and its verdict when the curve is not clear). */
export function rangeTestSummary(r: LoadedRangeTest): string[] {
	const lines: string[] = [];
	const h = r.report.headline;
	const verdict = verdictText(h);
	lines.push(`LR range test: ${r.lrs.length}/${r.steps} steps, ${stopReasonText[r.stopReason]}`);
	lines.push(`suggested LR: ${headlineText(h)}`);
	const basis = headlineBasisText(h);
	if (basis) {
		lines.push(`  ${basis} (the rules below are the first run's)`);
	}
	if (verdict) {
		lines.push(`  ${verdict}`);
	}
	if (h.verified) {
		lines.push(...verifiedLines(h.verified));
	}
	lines.push(`backend: ${backendWithReason(r.backend)}`);
	lines.push(
		`model: ${r.model.name} (${r.model.params} params), optimizer ${r.model.optimizer}, loss ${r.model.loss}, batch ${r.batchSize}, ${r.lossMode} loss`,
	);
	lines.push('rules:');
	for (const n of suggestionNames) {
		lines.push(`  ${n.padEnd(9)} ${formatLr(r.report.suggestions[n]?.lr)}`);
	}
	lines.push(
		`  ${'consensus'.padEnd(9)} ${formatLr(r.report.consensus?.lr)}  (${agreementText(r.report.agreement)})`,
	);
	if (r.spread) {
		const c = r.spread.per.consensus;
		lines.push(
			`spread over ${r.spread.runs} runs: consensus ${c ? `${formatLr(c.min)} … ${formatLr(c.max)} (${formatDecades(c.spreadDecades)})` : 'n/a'}`,
		);
	}
	lines.push(`time: ${answerTimeText(r)}`);
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
			budget: { type: 'string' },
			validation: { type: 'boolean' },
			verify: { type: 'string' },
			'verify-steps': { type: 'string' },
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
				...wasmThreadsFlag(v['wasm-threads']),
				workspace: v.workspace ?? process.cwd(),
			},
			{
				timeoutSec,
				onMessage: (m) => {
					if (m.type === 'progress') {
						bar?.update(
							m.step + 1,
							m.total,
							`lr ${formatLr(m.lr)} loss ${formatNum(m.smoothed)}`,
							m.lr,
							m.smoothed ?? m.loss,
						);
					} else if (m.type === 'verifyProgress') {
						bar?.update(
							m.step,
							m.total,
							`${verifyProgressText(m)} · lr ${formatLr(m.lr)}`,
							m.lr,
							null,
						);
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
