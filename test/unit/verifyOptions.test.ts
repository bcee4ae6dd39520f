/** The verify options from the CLI's flags: modes, probe length bounds, one-line reasons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangeTestOptionsFromFlags } from '../../src/cli/rangeTestCmd';
import { BadInputError } from '../../src/shared/errors';
import { checkVerifyOptions } from '../../src/engine/training/verifyRun';
import { fitPlanSteps } from '../../src/engine/script/fitHook/fitPlan';
import { defaultVerifyMode } from '../../src/core/verify';
import { defaultRangeTestOptions } from '../../src/shared/runnerProtocol';

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

describe('the runner checks verify options from the wire', () => {
	it('accepts the three modes and a probe length in bounds, refuses the rest as bad input', () => {
		for (const verify of ['off', 'auto', 'on'] as const) {
			assert.doesNotThrow(() => checkVerifyOptions({ verify, verifySteps: 200 }));
		}
		for (const bad of [
			{ verify: 'always' },
			{ verify: 'on', verifySteps: 0 },
			{ verify: 'on', verifySteps: 2.5 },
			{ verify: 'on', verifySteps: 1e9 },
		]) {
			assert.throws(
				() => checkVerifyOptions(bad as Parameters<typeof checkVerifyOptions>[0]),
				BadInputError,
			);
		}
	});
});

describe("a script's fit plan", () => {
	it('fit: (epochs - initialEpoch) × ceil(examples / batch); tfjs defaults 1 epoch', () => {
		const loaded = { size: 192, batchSize: 32 };
		assert.equal(fitPlanSteps('fit', [{}, {}, { epochs: 5, batchSize: 32 }], loaded), 30);
		assert.equal(fitPlanSteps('fit', [{}, {}, { epochs: 5, initialEpoch: 2 }], loaded), 18);
		assert.equal(fitPlanSteps('fit', [{}, {}], { size: 100, batchSize: 32 }), 4);
	});

	it('fitDataset: epochs × batchesPerEpoch, unknown without batchesPerEpoch', () => {
		const loaded = { batchSize: 16 };
		assert.equal(fitPlanSteps('fitDataset', [{}, { epochs: 3, batchesPerEpoch: 50 }], loaded), 150);
		assert.equal(fitPlanSteps('fitDataset', [{}, { epochs: 3 }], loaded), undefined);
	});
});
