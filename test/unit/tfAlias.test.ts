/**
 * Which tfjs a script runs on (src/engine/script/tfAlias.ts), decided from package files alone: a
 * tfjs-node with its native binary keeps native TensorFlow; one without it, or another copy of
 * tfjs, is aliased to LR Scope's; LR Scope's own copy, or nothing installed, is left alone.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasNativeBinding, planTfAlias, tfPackageOf } from '../../src/engine/script/tfAlias';

const own = path.join(__dirname, '..', '..', 'src', 'engine', 'tfAlias.ts');
const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A project with fake packages (name → version, and whether tfjs-node has its binary). */
function project(pkgs: Record<string, string>, binary = false): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrscope-alias-'));
	made.push(dir);
	fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p","private":true}');
	for (const [name, version] of Object.entries(pkgs)) {
		const p = path.join(dir, 'node_modules', name);
		fs.mkdirSync(p, { recursive: true });
		fs.writeFileSync(
			path.join(p, 'package.json'),
			JSON.stringify({ name, version, main: 'index.js' }),
		);
		fs.writeFileSync(path.join(p, 'index.js'), '');
		if (binary && name.startsWith('@tensorflow/tfjs-node')) {
			fs.mkdirSync(path.join(p, 'lib', 'napi-v8'), { recursive: true });
			fs.writeFileSync(path.join(p, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
		}
	}
	return path.join(dir, 'train.js');
}

describe('tfjs aliasing: the plan', () => {
	it('tfjs-node without its binary → aliased, naming it; with its binary → native, not aliased', () => {
		const without = planTfAlias(project({ '@tensorflow/tfjs-node': '4.22.0' }), own, 'auto');
		assert.equal(without.alias, true);
		assert.equal(without.workspaceTf, '@tensorflow/tfjs-node 4.22.0');
		assert.match(without.why ?? '', /installed without its native binary/);
		const withIt = project({ '@tensorflow/tfjs-node': '4.22.0' }, true);
		assert.equal(
			hasNativeBinding(
				path.join(path.dirname(withIt), 'node_modules/@tensorflow/tfjs-node/package.json'),
			),
			true,
		);
		assert.deepEqual(planTfAlias(withIt, own, 'auto'), { alias: false });
	});

	it('another tfjs copy (3.x) → aliased; --backend tfjs-node or LRSCOPE_TFJS_ALIAS=0 → not', () => {
		const script = project({ '@tensorflow/tfjs': '3.21.0' });
		const p = planTfAlias(script, own, 'auto');
		assert.equal(p.alias, true);
		assert.equal(p.workspaceTf, '@tensorflow/tfjs 3.21.0');
		assert.equal(planTfAlias(script, own, 'tfjs-node').alias, false);
		process.env.LRSCOPE_TFJS_ALIAS = '0';
		try {
			assert.equal(planTfAlias(script, own, 'auto').alias, false);
		} finally {
			delete process.env.LRSCOPE_TFJS_ALIAS;
		}
	});

	it('LR Scope’s own copy (a script inside this repository) → not aliased', () => {
		assert.deepEqual(planTfAlias(own, own, 'auto'), { alias: false });
	});

	it('which requests are tfjs packages', () => {
		assert.equal(tfPackageOf('@tensorflow/tfjs'), '@tensorflow/tfjs');
		assert.equal(tfPackageOf('@tensorflow/tfjs-core/dist/ops/ops'), '@tensorflow/tfjs-core');
		assert.equal(tfPackageOf('@tensorflow-models/coco-ssd'), undefined);
		assert.equal(tfPackageOf('tfjs'), undefined);
	});
});
