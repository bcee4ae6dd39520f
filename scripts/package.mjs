// `npm run package`: production build, run-time packages copied into dist/node_modules
// (scripts/vendorRuntime.mjs), `vsce package --no-dependencies`, and the copy removed again —
// whatever vsce does. Exits with vsce's code.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
let code = run('node', ['esbuild.mjs', '--production']);
if (code === 0) {
	code = run('node', ['scripts/vendorRuntime.mjs']);
}
if (code === 0) {
	code = run('npx', [
		'vsce',
		'package',
		'--no-dependencies',
		'--no-rewrite-relative-links',
		...process.argv.slice(2),
	]);
}
run('node', ['scripts/vendorRuntime.mjs', '--clean']);
process.exit(code);
