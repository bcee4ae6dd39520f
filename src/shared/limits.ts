/**
 * Bounds shared by the extension's settings and the CLI's flags, so both refuse the same input.
 * `package.json` (`contributes.configuration`) repeats them for the Settings UI; a unit test
 * (test/unit/cliRobust.test.ts) checks that the two agree.
 */
export const limits = {
	/** `lrScope.rangeTest.steps` / `--steps`: a range test longer than this is a typo, not a plan. */
	rangeTestSteps: { min: 10, max: 100000 },
	/** `lrScope.sweep.epochs` / `--epochs`. */
	sweepEpochs: { min: 1, max: 1000 },
} as const;
