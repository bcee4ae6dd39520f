/** `lrscope monitor --help` (issue 20): every exit code the command can return is listed. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { monitorCommand } from '../../src/cli/monitorCmd';

test('monitor --help lists every exit code monitor and the engine run return', () => {
	const src = ['monitorCmd.ts', 'engineRun.ts']
		.map((f) => fs.readFileSync(path.join(__dirname, '../../src/cli', f), 'utf8'))
		.join('\n');
	const codes = new Set<number>();
	for (const m of src.matchAll(/return (\d+);|\? (\d+) :|: (\d+),\n/g)) {
		codes.add(Number(m[1] ?? m[2] ?? m[3]));
	}
	for (const c of [0, 1, 2, 3, 130]) {
		codes.add(c);
	}
	const help = monitorCommand.help.replace(/\s+/g, ' ');
	for (const c of codes) {
		assert.match(help, new RegExp(`Exit codes:.*\\b${c} [a-z(]`), `exit code ${c} not in --help`);
	}
	assert.match(help, /monitorEnd record: the backend/);
});
