// The real-VS-Code test harness (`npm run test:vscode`, after `node esbuild.mjs`):
//   1. installs code-server 4.100.3 (= VS Code 1.100.3) into .vscode-test/ if needed (setup.sh),
//   2. bundles the extension-host suites (test/vscode/suite/*.test.ts → out/vscode/suite/),
//   3. copies the fixture workspace to a temp dir outside the repo (one copy per phase, so the
//      phases do not share workspace storage),
//   4. starts code-server on 127.0.0.1 in its own process group,
//   5. runs the extension-host suites inside VS Code's extension host (the workbench URL `payload`
//      with extensionDevelopmentPath + extensionTestsPath, as @vscode/test-electron would; the exit
//      code comes back through `codeAutomationExit`),
//   6. runs the UI tests (test/vscode/ui/*.ui.mjs) with playwright-core + Debian's Chromium,
//   7. prints `N passed, N failed` and always tears the process group down.
// Options (env): LRSCOPE_VSCODE_ONLY=exthost|ui|build (build: bundles + workspace for .vscode-test.mjs), LRSCOPE_VSCODE_GREP=<mocha grep / UI test name filter>,
// LRSCOPE_VSCODE_PORT (default: a free port), LRSCOPE_VSCODE_KEEP=1 (keep the temp workspace).
import { spawn, spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const csRoot = join(repo, '.vscode-test');
const codeServer = join(csRoot, 'code-server', 'node_modules', '.bin', 'code-server');
const outDir = join(repo, 'out', 'vscode');
const outputDir = join(repo, 'test-output');
const screenshots = join(outputDir, 'screenshots');
const only = process.env.LRSCOPE_VSCODE_ONLY ?? '';
const grep = process.env.LRSCOPE_VSCODE_GREP ?? '';
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(1)}s]`;
const say = (...a) => console.log(stamp(), ...a);

/** Hard limits: a hung VS Code fails the run instead of hanging it. */
const limits = {
	setupMs: 20 * 60_000,
	serverStartMs: 60_000,
	exthostMs: 10 * 60_000,
	uiTestMs: 4 * 60_000,
	totalMs: 30 * 60_000,
};

let server; // the code-server child (leader of its own process group)
const tally = { passed: 0, failed: 0, failures: [] };

function teardown() {
	if (server && server.exitCode === null && server.signalCode === null) {
		// The whole group: server, extension hosts, runners, file watchers.
		try {
			process.kill(-server.pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
		const pid = server.pid;
		setTimeout(() => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, 3000).unref();
	}
	server = undefined;
}
process.on('exit', teardown);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		say(`${sig}: tearing down`);
		teardown();
		process.exit(130);
	});
}
const watchdog = setTimeout(() => {
	say(`the whole run took longer than ${limits.totalMs / 60000} min; giving up`);
	teardown();
	process.exit(1);
}, limits.totalMs);
watchdog.unref();

/** Polls the log files under `dir` (recursively) for a line matching `re`; returns the match. */
async function waitForLogLine(dir, re, timeoutMs = 15_000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const files = existsSync(dir) ? readdirSync(dir, { recursive: true }) : [];
		for (const f of files) {
			const file = join(dir, String(f));
			if (!file.endsWith('.log')) {
				continue;
			}
			const m = readFileSync(file, 'utf8').match(re);
			if (m) {
				return m[0];
			}
		}
		if (Date.now() > until) {
			throw new Error(`no log line matching ${re} under ${dir} within ${timeoutMs} ms`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

function freePort() {
	return new Promise((res, rej) => {
		const s = createServer();
		s.unref();
		s.on('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
	});
}

async function setup() {
	const r = spawnSync('bash', [join(repo, 'test', 'vscode', 'setup.sh')], {
		stdio: 'inherit',
		timeout: limits.setupMs,
	});
	if (r.status !== 0) {
		throw new Error(`setup.sh failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''})`);
	}
	if (!existsSync(join(repo, 'dist', 'extension.js'))) {
		throw new Error(
			'dist/extension.js is missing: run `node esbuild.mjs` first (npm run test:vscode does)',
		);
	}
}

async function buildSuites() {
	const suiteDir = join(repo, 'test', 'vscode', 'suite');
	const entries = readdirSync(suiteDir)
		.filter((f) => f.endsWith('.ts'))
		.map((f) => join(suiteDir, f));
	rmSync(join(outDir, 'suite'), { recursive: true, force: true });
	await esbuild.build({
		entryPoints: entries,
		outdir: join(outDir, 'suite'),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		sourcemap: 'inline',
		// mocha is resolved from the repo's node_modules at run time; the extension is reached only
		// through its activate() API, never bundled into the tests.
		external: ['vscode', 'mocha', '@tensorflow/*'],
		logLevel: 'warning',
	});
}

/** A fresh copy of the fixture workspace outside the repo (workspace storage is keyed by folder). */
function makeWorkspace(base, name) {
	const example = join(repo, 'examples', 'dense-classifier');
	const fixture = join(repo, 'test', 'fixtures', 'workspace');
	const ws = join(base, name);
	cpSync(fixture, ws, { recursive: true });
	if (existsSync(join(example, 'model', 'model.json'))) {
		cpSync(example, join(ws, 'dense-classifier'), {
			recursive: true,
			filter: (p) => !p.includes('node_modules'),
		});
	}
	const moduleExample = join(repo, 'examples', 'module-source');
	if (existsSync(join(moduleExample, 'source.ts'))) {
		cpSync(moduleExample, join(ws, 'module-source'), {
			recursive: true,
			filter: (p) => !p.includes('node_modules'),
		});
	}
	mkdirSync(join(ws, '.vscode'), { recursive: true });
	return ws;
}

async function startServer(state, port) {
	const udd = join(state, 'udd');
	mkdirSync(join(udd, 'User'), { recursive: true });
	mkdirSync(join(state, 'exts'), { recursive: true });
	mkdirSync(join(state, 'tmp'), { recursive: true });
	writeFileSync(
		join(udd, 'User', 'settings.json'),
		JSON.stringify(
			{
				'telemetry.telemetryLevel': 'off',
				'workbench.startupEditor': 'none',
				'workbench.tips.enabled': false,
				'workbench.enableExperiments': false,
				'security.workspace.trust.enabled': false,
				'extensions.autoUpdate': false,
				'extensions.autoCheckUpdates': false,
				'extensions.ignoreRecommendations': true,
				'update.mode': 'none',
				'git.enabled': false,
				'npm.fetchOnlinePackageInfo': false,
				'typescript.disableAutomaticTypeAcquisition': true,
				'workbench.colorTheme': 'Default Dark Modern',
				'window.restoreWindows': 'all',
			},
			null,
			2,
		),
	);
	const log = join(state, 'code-server.log');
	const { openSync } = await import('node:fs');
	const fd = openSync(log, 'w');
	server = spawn(
		codeServer,
		[
			'--bind-addr',
			`127.0.0.1:${port}`,
			'--auth',
			'none',
			'--disable-telemetry',
			'--disable-update-check',
			'--disable-workspace-trust',
			'--disable-getting-started-override',
			'--user-data-dir',
			udd,
			'--extensions-dir',
			join(state, 'exts'),
			'--ignore-last-opened',
		],
		{
			detached: true, // own process group, so teardown reaches every child
			stdio: ['ignore', fd, fd],
			env: {
				...process.env,
				TMPDIR: join(state, 'tmp'),
				XDG_CONFIG_HOME: join(state, 'xdg-config'),
				XDG_DATA_HOME: join(state, 'xdg-data'),
			},
		},
	);
	const end = Date.now() + limits.serverStartMs;
	while (Date.now() < end) {
		if (server.exitCode !== null) {
			throw new Error(`code-server exited with ${server.exitCode}; see ${log}`);
		}
		try {
			const r = await fetch(`http://127.0.0.1:${port}/healthz`);
			if (r.ok) {
				say(`code-server up on 127.0.0.1:${port} (pgid ${server.pid})`);
				return log;
			}
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(
		`code-server did not answer /healthz within ${limits.serverStartMs / 1000} s; see ${log}`,
	);
}

async function runExtHost(chromium, host, ws) {
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: chromiumArgs,
	});
	try {
		const page = await browser.newPage();
		let done;
		const exited = new Promise((r) => (done = r));
		let counts;
		await page.exposeFunction('codeAutomationLog', (_type, args) => {
			// The workbench forwards console.log's raw arguments; apply the format string here.
			const line = format(...args);
			console.log('  [exthost]', line);
			const m = /ext-host: (\d+) passed, (\d+) failed/.exec(line);
			if (m) {
				counts = { passed: Number(m[1]), failed: Number(m[2]) };
			}
		});
		await page.exposeFunction('codeAutomationExit', (code) => done(code));
		// mocha's grep is passed to the test module through the extension host's environment is not
		// possible from here, so it goes in a file next to the bundle.
		writeFileSync(join(outDir, 'suite', 'options.json'), JSON.stringify({ grep }));
		const payload = JSON.stringify([
			['extensionDevelopmentPath', `vscode-remote://${host}${repo}`],
			['extensionTestsPath', `vscode-remote://${host}${join(outDir, 'suite', 'index.js')}`],
		]);
		await page.goto(
			`http://${host}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`,
		);
		const code = await Promise.race([
			exited,
			new Promise((r) => setTimeout(() => r('timeout'), limits.exthostMs)),
		]);
		say(`extension-host tests: codeAutomationExit ${code}`);
		if (counts) {
			tally.passed += counts.passed;
			tally.failed += counts.failed;
			if (counts.failed) {
				tally.failures.push(`${counts.failed} extension-host test(s)`);
			}
		}
		if (code !== 0 && (!counts || !counts.failed)) {
			tally.failed += 1;
			tally.failures.push(
				`extension-host run: ${code === 'timeout' ? `no exit within ${limits.exthostMs / 1000} s` : `exit code ${code}`}`,
			);
		}
	} finally {
		await browser.close();
	}
}

export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const slug = (s) =>
	s
		.replace(/[^a-z0-9]+/gi, '-')
		.slice(0, 60)
		.replace(/-+$/, '');

let uiCount = 0;

async function runUi(chromium, host, base) {
	const uiDir = join(repo, 'test', 'vscode', 'ui');
	const files = readdirSync(uiDir)
		.filter((f) => f.endsWith('.ui.mjs'))
		.sort();
	mkdirSync(screenshots, { recursive: true });
	for (const file of files) {
		const mod = await import(pathToFileURL(join(uiDir, file)).href);
		for (const test of mod.tests ?? []) {
			if (grep && !test.name.includes(grep)) {
				continue;
			}
			// Each UI test gets its own workspace copy (fresh results store) and browser profile.
			const ws = makeWorkspace(base, `ui-${++uiCount}`);
			const browser = await chromium.launch({
				executablePath: '/usr/bin/chromium',
				headless: true,
				args: chromiumArgs,
			});
			const started = Date.now();
			try {
				await Promise.race([
					test.run({
						browser,
						host,
						ws,
						repo,
						screenshots,
						log: (...a) => console.log('   ', stamp(), ...a),
					}),
					new Promise((_r, rej) =>
						setTimeout(
							() => rej(new Error(`timed out after ${limits.uiTestMs / 1000} s`)),
							limits.uiTestMs,
						),
					),
				]);
				tally.passed++;
				say(`ok - ${file}: ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
			} catch (e) {
				tally.failed++;
				// Playwright errors can carry a whole DOM dump; the first lines say what failed.
				const brief = String(e?.message ?? e)
					.split('\n')
					.slice(0, 4)
					.join('\n');
				tally.failures.push(`${file}: ${test.name}: ${brief}`);
				say(`not ok - ${file}: ${test.name}: ${brief}`);
				await browser
					.contexts()[0]
					?.pages()[0]
					?.screenshot({ path: join(screenshots, `FAILED-${slug(test.name)}.png`) })
					.catch(() => {});
			} finally {
				await browser.close().catch(() => {});
			}
		}
	}
}

/**
 * The artifact users install: `npm run package` builds the .vsix (tfjs and the wasm backend inside),
 * a second code-server gets it installed the way a user installs it, and the workbench — with no
 * development extension — runs a palette range test in a workspace that has no tfjs of its own.
 */
async function runPackaged(chromium, base) {
	if (grep && !'packaged'.includes(grep)) {
		return;
	}
	const started = Date.now();
	const name = 'packaged .vsix: palette range test in a workspace without tfjs';
	const state = join(csRoot, 'state-packaged');
	rmSync(state, { recursive: true, force: true });
	mkdirSync(join(state, 'exts'), { recursive: true });
	const vsix = join(state, 'lr-scope.vsix');
	let browser;
	try {
		const packed = spawnSync(
			process.execPath,
			[join(repo, 'scripts', 'package.mjs'), '--out', vsix],
			{
				cwd: repo,
				encoding: 'utf8',
				timeout: 5 * 60_000,
			},
		);
		// package.mjs leaves a production build in dist/; put the development build back.
		spawnSync(process.execPath, [join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'ignore' });
		if (packed.status !== 0 || !existsSync(vsix)) {
			throw new Error(
				`npm run package failed: ${(packed.stderr || packed.stdout).trim().split('\n').slice(-3).join(' ')}`,
			);
		}
		const env = {
			...process.env,
			XDG_CONFIG_HOME: join(state, 'xdg-config'),
			XDG_DATA_HOME: join(state, 'xdg-data'),
		};
		const installed = spawnSync(
			codeServer,
			[
				'--user-data-dir',
				join(state, 'udd'),
				'--extensions-dir',
				join(state, 'exts'),
				'--install-extension',
				vsix,
			],
			{ encoding: 'utf8', timeout: 120_000, env },
		);
		if (installed.status !== 0) {
			throw new Error(`installing the .vsix failed: ${installed.stderr.trim()}`);
		}
		// The production bundles ship without the development build's (stale) source maps.
		const ext = readdirSync(join(state, 'exts')).find((d) => d.startsWith('lr-scope.'));
		const maps = ext
			? readdirSync(join(state, 'exts', ext, 'dist')).filter((f) => f.endsWith('.map'))
			: [];
		if (!ext || maps.length) {
			throw new Error(
				ext
					? `the .vsix ships source maps: ${maps.join(', ')}`
					: 'the .vsix installed no lr-scope folder',
			);
		}
		const ws = join(base, 'packaged');
		cpSync(join(repo, 'examples', 'dense-classifier'), ws, { recursive: true });
		const port = await freePort();
		await startServer(state, port);
		browser = await chromium.launch({
			executablePath: '/usr/bin/chromium',
			headless: true,
			args: chromiumArgs,
		});
		const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		const ui = await import(pathToFileURL(join(repo, 'test', 'vscode', 'ui', 'helpers.mjs')).href);
		await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, {
			waitUntil: 'domcontentloaded',
		});
		await ui.waitForWorkbench(page);
		await ui.runCommand(page, 'LR Scope: Run LR Range Test', 90_000);
		await ui.pick(page, 'model');
		await ui.pick(page, 'CSV file');
		await ui.pick(page, 'data.csv');
		await ui.acceptQuickPick(page);
		const toast = page
			.locator('.notifications-toasts .notification-toast', {
				hasText: /suggested LR|failed|error/i,
			})
			.first();
		await toast.waitFor({ timeout: 180_000 });
		const text = await toast.innerText();
		say('   packaged:', text.replace(/\s+/g, ' ').trim());
		// The panel opens with the result: the packaged webview bundle must render the same headline.
		const shownAt = Date.now();
		const head = ui.panelFrame(page).locator('[data-headline]').first();
		await head.waitFor({ timeout: 60_000 });
		const headline = await head.getAttribute('data-headline');
		say(
			`   packaged panel: "${headline}", drawn ${((Date.now() - shownAt) / 1000).toFixed(1)} s after the notification`,
		);
		await page.screenshot({ path: join(screenshots, 'packaged-range-test.png') });
		if (!headline || !text.includes(`suggested LR ${headline}`)) {
			throw new Error(
				`the packaged panel's headline "${headline}" is not the notification's: "${text}"`,
			);
		}
		// Under `auto` the per-model speed probe picks the backend (for this 179-parameter model
		// cpu and one wasm thread are close), so the toast may name either; the log must show that
		// the packaged bundle's probe really trained the model on wasm (the .vsix's wasm binaries
		// and dist/speedProbe.js work) and which backend won.
		if (!/suggested LR .*· (wasm|cpu)\b/.test(text)) {
			throw new Error(`no suggestion from the packaged extension: "${text}"`);
		}
		const probe = await waitForLogLine(
			join(state, 'udd', 'logs'),
			/speed probe on this model[^\n]*/,
		);
		say('   packaged log:', probe);
		if (!/wasm 1 thread [1-9]/.test(probe)) {
			throw new Error(`the packaged extension's speed probe did not train on wasm: "${probe}"`);
		}
		tally.passed++;
		say(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	} catch (e) {
		tally.failed++;
		const brief = String(e?.message ?? e)
			.split('\n')
			.slice(0, 4)
			.join('\n');
		tally.failures.push(`${name}: ${brief}`);
		say(`not ok - ${name}: ${brief}`);
	} finally {
		await browser?.close().catch(() => {});
		teardown();
	}
}

async function main() {
	if (only === 'build') {
		// For @vscode/test-cli (.vscode-test.mjs): bundles and a workspace copy, no code-server.
		await buildSuites();
		rmSync(join(outDir, 'workspace'), { recursive: true, force: true });
		makeWorkspace(outDir, 'workspace');
		say('built out/vscode/suite and out/vscode/workspace');
		process.exit(0);
	}
	await setup();
	say('code-server ready');
	await buildSuites();
	say('suites built');
	const base = mkdtempSync(join(tmpdir(), 'lrscope-vscode-'));
	const state = join(csRoot, 'state');
	rmSync(state, { recursive: true, force: true });
	const port = Number(process.env.LRSCOPE_VSCODE_PORT) || (await freePort());
	const host = `127.0.0.1:${port}`;
	const { chromium } = await import('playwright-core');
	try {
		const log = await startServer(state, port);
		if (only === '' || only === 'exthost') {
			await runExtHost(chromium, host, makeWorkspace(base, 'exthost'));
		}
		if (only === '' || only === 'ui') {
			await runUi(chromium, host, base);
		}
		if (only === '' || only === 'packaged') {
			teardown();
			await runPackaged(chromium, base);
		}
		if (tally.failed) {
			say(`code-server log: ${log}`);
		}
	} finally {
		teardown();
		if (!process.env.LRSCOPE_VSCODE_KEEP) {
			rmSync(base, { recursive: true, force: true });
		} else {
			say(`kept workspaces in ${base}`);
		}
	}
}

main()
	.catch((e) => {
		tally.failed++;
		tally.failures.push(`harness: ${e?.message ?? e}`);
		say('harness error:', e?.stack ?? e);
	})
	.finally(() => {
		for (const f of tally.failures) {
			console.log(`  FAILED: ${f}`);
		}
		console.log(`vscode tests took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		// The closing line in the plain 'word: N passed, N failed' form CI reads.
		console.log(`vscode: ${tally.passed} passed, ${tally.failed} failed`);
		const code = tally.failed || tally.passed === 0 ? 1 : 0;
		const pid = server?.pid;
		teardown();
		// Give the group a moment to stop, then make sure nothing survives, then exit (a leftover
		// handle must not keep the harness alive).
		setTimeout(() => {
			if (pid) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
			}
			process.exit(code);
		}, 1500);
	});
