/** The verify options from the CLI's flags: modes, probe length bounds, one-line reasons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangeTestOptionsFromFlags } from '../../src/cli/rangeTestCmd';
import { defaultRangeTestOptions, defaultVerifyMode } from '../../src/shared/runnerProtocol';

describe('--verify and --verify-steps', () => {
	it('pass off/auto/on and a probe length through; absent flags leave the default', () => {
		for (const mode of ['off', 'auto', 'on']) {
			assert.equal(rangeTestOptionsFromFlags({ verify: mode }).verify, mode);
		}
		const o = rangeTestOptionsFromFlags({ 'verify-steps': '200' });
		assert.equal(o.verifySteps, 200);
		assert.equal(o.verify, undefined);
		assert.equal(defaultRangeTestOptions.verify, defaultVerifyMode);
	});

	it('refuse anything else with a one-line reason', () => {
		assert.throws(
			() => rangeTestOptionsFromFlags({ verify: 'yes' }),
			/--verify expects off, auto or on, got "yes"/,
		);
		for (const bad of ['0', '-3', '2.5', 'many']) {
			assert.throws(() => rangeTestOptionsFromFlags({ 'verify-steps': bad }), /--verify-steps/);
		}
	});
});
