/**
 * Temp projects with pinned tfjs packages installed from npm (`--ignore-scripts`, so
 * `@tensorflow/tfjs-node` lands exactly as users get it when its binary download fails), cached
 * across runs in `$LRSCOPE_TEST_CACHE` (default: the OS temp dir). Never inside the repository.
 * A test whose install fails (no registry) is skipped with the reason, not failed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The cache folder for installed test projects. */
export function projectsCacheDir(): string {
	return path.join(process.env.LRSCOPE_TEST_CACHE || os.tmpdir(), 'lrscope-test-projects');
}

/**
 * A project folder with `deps` (npm specs, e.g. `@tensorflow/tfjs@3.21.0`) installed, or the reason
 * it could not be installed. Installed once per cache folder and set of specs.
 */
export function tfjsProject(key: string, deps: string[]): { dir: string } | { skip: string } {
	const dir = path.join(projectsCacheDir(), key);
	const marker = path.join(dir, '.lrscope-installed');
	const want = JSON.stringify(deps);
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want) {
		return { dir };
	}
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify({ name: `lrscope-test-${key}`, version: '1.0.0', private: true }),
	);
	try {
		execFileSync(
			process.platform === 'win32' ? 'npm.cmd' : 'npm',
			['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...deps],
			{ cwd: dir, stdio: 'pipe', timeout: 300_000 },
		);
	} catch (e) {
		return { skip: `could not install ${deps.join(' ')} from npm: ${String(e).split('\n')[0]}` };
	}
	fs.writeFileSync(marker, want);
	return { dir };
}

/** Writes `files` (relative path → text) into a fresh folder under `project`; returns it. */
export function scriptFolder(project: string, name: string, files: Record<string, string>): string {
	const dir = fs.mkdtempSync(path.join(project, `${name}-`));
	for (const [rel, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	}
	return dir;
}
