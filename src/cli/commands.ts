/** The list of `lrscope` subcommands. Add a new one here. */
import type { Subcommand } from './common';
import { diagnoseCommand } from './diagnoseCmd';
import { monitorCommand } from './monitorCmd';
import { rangeTestCommand } from './rangeTestCmd';
import { readCommand } from './readCmd';
import { scheduleCommand } from './scheduleCmd';
import { suggestCommand } from './suggestCmd';
import { sweepCommand } from './sweepCmd';

export const subcommands: Subcommand[] = [
	rangeTestCommand,
	sweepCommand,
	readCommand,
	diagnoseCommand,
	suggestCommand,
	scheduleCommand,
	monitorCommand,
];
