/** README's command and settings tables must list everything the manifest contributes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	contributes: {
		commands: { command: string }[];
		configuration:
			{ properties: Record<string, unknown> } | { properties: Record<string, unknown> }[];
	};
	scripts: Record<string, string>;
};

test('README lists every contributed command', () => {
	const missing = manifest.contributes.commands
		.map((c) => c.command)
		.filter((id) => !readme.includes(`\`${id}\``));
	assert.deepEqual(missing, []);
});

test('README lists every setting', () => {
	const props = Object.assign(
		{},
		...[manifest.contributes.configuration].flat().map((c) => c.properties),
	) as Record<string, unknown>;
	const missing = Object.keys(props).filter((k) => !readme.includes(`\`${k}\``));
	assert.deepEqual(missing, []);
});

test('README set-up commands name scripts that exist', () => {
	for (const script of ['demo', 'test', 'bench']) {
		assert.ok(
			readme.includes(`npm run ${script}`) || readme.includes(`npm ${script}`),
			`README mentions ${script}`,
		);
		assert.ok(manifest.scripts[script], `package.json has script ${script}`);
	}
	assert.ok(readme.includes('npm ci && npm run demo'));
	assert.ok(readme.includes('npm ci && npm test'));
});
