// `npm run demo`: a range test on examples/dense-classifier with the built CLI. The HTML report goes
// to the system temp folder (never into the example workspace); the CLI prints the suggestions and
// the report's path.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'dense-classifier');
const out = join(tmpdir(), 'lrscope-demo', 'dense-classifier-report.html');
const args = [
	join(root, 'bin', 'lrscope.js'),
	'range-test',
	'--model', join(example, 'model', 'model.json'),
	'--data', join(example, 'data.csv'),
	'--label', 'label',
	'--out', out,
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(run.status ?? 1);
