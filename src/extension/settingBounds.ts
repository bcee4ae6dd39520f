/**
 * The `[minimum, maximum]` of every numeric setting that `Config` clamps, keyed without the
 * `lrScope.` prefix. package.json declares the same bounds for the Settings editor;
 * test/unit/settingBounds.test.ts checks that the two agree. Free of `vscode` so the test can
 * import it.
 */
import { limits } from '../shared/limits';

export const numberSettingBounds = {
	timeoutSeconds: [5, 86400],
	wasmThreads: [0, 64],
	'rangeTest.startLr': [1e-12, 1e3],
	'rangeTest.endLr': [1e-10, 1e4],
	'rangeTest.steps': [limits.rangeTestSteps.min, limits.rangeTestSteps.max],
	'rangeTest.smoothingBeta': [0, 0.999],
	'rangeTest.divergeFactor': [1.1, 1000],
	'rangeTest.batchSize': [0, 65536],
	'rangeTest.seed': [0, 2 ** 31 - 1],
	'rangeTest.repeat': [1, 20],
	'sweep.epochs': [limits.sweepEpochs.min, limits.sweepEpochs.max],
	'sweep.folds': [1, 10],
	'monitor.timeoutMinutes': [0, 10080],
	'script.fitTimeoutSeconds': [1, 86400],
} as const satisfies Record<string, readonly [number, number]>;

/** A numeric setting that `Config` clamps. */
export type NumberSettingKey = keyof typeof numberSettingBounds;
