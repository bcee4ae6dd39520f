/**
 * Extension-test entry (`extensionTestsPath`): runs every bundled `*.test.js` next to it with mocha
 * (tdd UI) inside VS Code's extension host. Works under this repo's code-server harness
 * (test/vscode/run.mjs) and under @vscode/test-electron's `runTests`, which both call `run()`.
 * Prints `ext-host: N passed, N failed` for the harness to count.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Runs the suites; rejects when any test fails. */
export async function run(): Promise<void> {
	let grep = '';
	try {
		grep =
			(
				JSON.parse(fs.readFileSync(path.join(__dirname, 'options.json'), 'utf8')) as {
					grep?: string;
				}
			).grep ?? '';
	} catch {
		// No options file under @vscode/test-electron.
	}
	const mocha = new Mocha({
		ui: 'tdd',
		color: false,
		timeout: 120_000,
		reporter: 'spec',
		...(grep ? { grep } : {}),
	});
	for (const f of fs
		.readdirSync(__dirname)
		.filter((f) => f.endsWith('.test.js'))
		.sort()) {
		mocha.addFile(path.join(__dirname, f));
	}
	const stats = await new Promise<{ passes: number; failures: number }>((resolve) => {
		const runner = mocha.run(() =>
			resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }),
		);
	});
	console.log(`ext-host: ${stats.passes} passed, ${stats.failures} failed`);
	if (stats.failures > 0) {
		throw new Error(`${stats.failures} extension-host test(s) failed`);
	}
}
