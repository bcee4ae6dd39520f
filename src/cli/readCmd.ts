/** `lrscope read <log file|logdir> [--json]`: the parsed series of a training log and what was skipped. */
import { scanLogPath } from '../core/logs/logFile';
import { SeriesSpool } from '../core/logs/seriesSpool';
import { LogInputError } from '../core/logs/reader';
import { formatNum } from '../core/present/format';
import { UsageError, out, parseCommandArgs, writeStdout, type Subcommand } from './common';
import { readArgCountText } from '../core/present/cliErrors';

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
		const { values, positionals } = parseCommandArgs('read', {
			args: argv,
			options: { json: { type: 'boolean', default: false } },
			allowPositionals: true,
			strict: true,
		});
		if (positionals.length !== 1) {
			throw new UsageError(readArgCountText(positionals.length));
		}
		// Streamed: records go into a spool as they are read, never into one big array, so memory
		// stays flat whatever the log's size (docs/logs.md, "Limits").
		const spool = new SeriesSpool(Boolean(values.json));
		// The spool's temp files go on every way out: a closed pipe (process.exit in main.ts), Ctrl-C.
		const cleanup = (): void => spool.dispose();
		const interrupt = (): void => process.exit(130);
		process.once('exit', cleanup);
		process.once('SIGINT', interrupt);
		let result;
		try {
			result = await scanLogPath(positionals[0], (recs) => spool.add(recs));
			if (values.json) {
				await spool.writeJson(result.notes, writeStdout);
				return 0;
			}
		} catch (e) {
			if (e instanceof LogInputError) {
				throw new UsageError(e.message);
			}
			throw e;
		} finally {
			spool.dispose();
			process.removeListener('exit', cleanup);
			process.removeListener('SIGINT', interrupt);
		}
		const series = spool.summaries();
		out(
			`${positionals[0]}: ${spool.records} records, ${series.length} series (${result.files.length} file${result.files.length === 1 ? '' : 's'})`,
		);
		if (series.length > 0) {
			const w = Math.max(6, ...series.map(([n]) => n.length));
			out(
				`  ${'series'.padEnd(w)}  ${'points'.padStart(7)}  ${'steps'.padEnd(15)}  ${'last'.padStart(9)}  ${'min'.padStart(9)}  non-finite`,
			);
			for (const [n, s] of series) {
				const steps = `${s.firstStep}–${s.lastStep}`;
				out(
					`  ${n.padEnd(w)}  ${String(s.points).padStart(7)}  ${steps.padEnd(15)}  ${formatNum(s.last).padStart(9)}  ${formatNum(s.min).padStart(9)}  ${s.nonFinite}`,
				);
			}
		}
		for (const n of result.notes) {
			out(`note: ${n}`);
		}
		return 0;
	},
};
