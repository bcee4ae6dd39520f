// @vscode/test-cli configuration for machines that can download VS Code (`npx vscode-test`).
// It runs the same bundled extension-host suites as test/vscode/run.mjs runs in code-server here.
// Build first: `node esbuild.mjs && LRSCOPE_VSCODE_ONLY=build node test/vscode/run.mjs`, which
// writes out/vscode/suite/*.test.js and copies the fixture workspace to out/vscode/workspace.
import { defineConfig } from '@vscode/test-cli';

const suite = {
	files: 'out/vscode/suite/*.test.js',
	workspaceFolder: 'out/vscode/workspace',
	launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
	mocha: { ui: 'tdd', timeout: 120000 },
};

// The engines.vscode minimum and the current stable release.
export default defineConfig([
	{ label: 'extensionHost-min', version: '1.100.0', ...suite },
	{ label: 'extensionHost-stable', version: 'stable', ...suite },
]);
