/** The list of `lrscope` subcommands. Add a new one here. */
import type { Subcommand } from './common';

export const subcommands: Subcommand[] = [];
