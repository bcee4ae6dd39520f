/**
 * The CLI as a user runs it, for the unit tests that spawn it: `src/cli/main.ts` bundled with the
 * same entry and options as esbuild.mjs's CLI bundle, into a private temp directory (so concurrent
 * builds of dist/ by other test runs cannot race with it), built before the file's tests and
 * removed after them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import * as esbuild from 'esbuild';

/** What a spawned CLI run ended with. */
export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Registers the build (before) and clean-up (after) hooks; returns the temp dir, the bundle and a runner. */
export function cliBundle(prefix: string): {
	dir: string;
	cli: string;
	run(args: readonly string[], opts?: { timeout?: number; cwd?: string }): CliRun;
} {
	const root = path.join(__dirname, '..', '..');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const cli = path.join(dir, 'cli.js');
	before(async () => {
		await esbuild.build({
			entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
			outfile: cli,
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			external: ['@tensorflow/*', 'typescript'],
			logLevel: 'error',
		});
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));
	return {
		dir,
		cli,
		run(args, opts = {}) {
			const r = spawnSync(process.execPath, [cli, ...args], {
				encoding: 'utf8',
				timeout: opts.timeout ?? 20000,
				cwd: opts.cwd,
			});
			return { code: r.status, stdout: r.stdout, stderr: r.stderr };
		},
	};
}
