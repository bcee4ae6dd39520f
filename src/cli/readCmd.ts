/** `lrscope read <log file|logdir> [--json]`: the parsed series of a training log and what was skipped. */
import { parseArgs } from 'node:util';
import { readLogPath, recordsToSeries } from '../core/logs/logFile';
import { LogInputError } from '../core/logs/reader';
import { formatNum } from '../core/present/format';
import { UsageError, out, toJson, type Subcommand } from './common';

const help = `Usage: lrscope read <log file|logdir> [--json]

Reads a training log and prints its series.
Formats: JSONL (one object per line with step/batch/epoch), CSV with a header row,
TensorBoard event files (events.out.tfevents.*), and tfjs-node logdirs (train/ and val/
writers; the val writer's tags get a "val_" prefix: val/epoch_loss -> val_epoch_loss).

Options:
  --json    print {"series":{"<tag>":[[step,value],...]},"notes":[...]}; non-finite values are null
  -h, --help

Examples:
  lrscope read logs/train.jsonl
  lrscope read ./logs --json            # a tf.node.tensorBoard('./logs') logdir
  lrscope read metrics.csv --json | jq '.series.val_loss'
`;

/** The `read` subcommand. */
export const readCommand: Subcommand = {
	name: 'read',
	summary: 'Print the series in a JSONL/CSV/TensorBoard log or logdir',
	help,
	async run(argv: string[]): Promise<number> {
		const { values, positionals } = parseArgs({
			args: argv,
			options: { json: { type: 'boolean', default: false } },
			allowPositionals: true,
			strict: true,
		});
		if (positionals.length !== 1) {
			throw new UsageError(
				`read expects one log file or logdir, got ${positionals.length}; see \`lrscope read --help\``,
			);
		}
		let result;
		try {
			result = await readLogPath(positionals[0]);
		} catch (e) {
			if (e instanceof LogInputError) {
				throw new UsageError(e.message);
			}
			throw e;
		}
		const series = recordsToSeries(result.records);
		if (values.json) {
			out(toJson({ series, notes: result.notes }));
			return 0;
		}
		const names = Object.keys(series);
		out(
			`${positionals[0]}: ${result.records.length} records, ${names.length} series (${result.files.length} file${result.files.length === 1 ? '' : 's'})`,
		);
		if (names.length > 0) {
			const w = Math.max(6, ...names.map((n) => n.length));
			out(
				`  ${'series'.padEnd(w)}  ${'points'.padStart(7)}  ${'steps'.padEnd(15)}  ${'last'.padStart(9)}  ${'min'.padStart(9)}  non-finite`,
			);
			for (const n of names) {
				const s = series[n];
				let min = Infinity;
				let bad = 0;
				for (const [, v] of s) {
					if (v === null) {
						bad++;
					} else if (v < min) {
						min = v;
					}
				}
				const steps = `${s[0][0]}–${s[s.length - 1][0]}`;
				out(
					`  ${n.padEnd(w)}  ${String(s.length).padStart(7)}  ${steps.padEnd(15)}  ${formatNum(s[s.length - 1][1]).padStart(9)}  ${formatNum(min).padStart(9)}  ${bad}`,
				);
			}
		}
		for (const n of result.notes) {
			out(`note: ${n}`);
		}
		return 0;
	},
};
