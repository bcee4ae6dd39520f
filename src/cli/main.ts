/**
 * `lrscope` — LR range tests, schedule suggestions and training-log diagnosis from a terminal or CI.
 * Each subcommand lives in its own module; this file only dispatches.
 */
import { parseErrorToUsage, UsageError, type Subcommand } from './common';
import { subcommands } from './commands';
import { errorText } from '../core/present/errorText';
import { unknownCommandText } from '../core/present/cliErrors';

const usage = (cmds: Subcommand[]): string =>
	[
		'Usage: lrscope <command> [options]',
		'',
		'Commands:',
		...cmds.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
		'',
		"Run `lrscope <command> --help` for a command's options and examples.",
		'Exit codes: 0 success, 1 a finding you asked to fail on (--fail-on), 2 bad input.',
	].join('\n');

async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		process.stdout.write(usage(subcommands) + '\n');
		return name ? 0 : 2;
	}
	if (name === '--version' || name === '-v') {
		process.stdout.write('lrscope 0.1.0\n');
		return 0;
	}
	const cmd = subcommands.find((c) => c.name === name);
	if (!cmd) {
		throw new UsageError(unknownCommandText(name));
	}
	if (rest.includes('--help') || rest.includes('-h')) {
		process.stdout.write(cmd.help.trimEnd() + '\n');
		return 0;
	}
	try {
		return await cmd.run(rest);
	} catch (e) {
		// Every command's flag errors end as one usage line, whichever parser threw them.
		throw parseErrorToUsage(cmd.name, e);
	}
}

// `lrscope read big.jsonl --json | head`: the reader went away. That is a normal way to stop,
// not an error — end quietly with 0 (nothing more can be written anyway).
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code === 'EPIPE') {
			process.exit(0);
		}
		throw e;
	});
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(err: unknown) => {
		if (err instanceof UsageError) {
			process.stderr.write(`lrscope: ${err.message}\n`);
			process.exitCode = 2;
		} else {
			process.stderr.write(
				`lrscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : errorText(err)}\n`,
			);
			process.exitCode = 3;
		}
	},
);
