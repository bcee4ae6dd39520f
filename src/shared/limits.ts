/**
 * Bounds shared by the extension's settings and the CLI's flags, so both refuse the same input.
 * `package.json` (`contributes.configuration`) repeats them for the Settings UI; a unit test
 * (test/unit/cliRobust.test.ts) checks that the two agree.
 */
export const limits = {
	/** `lrScope.rangeTest.steps` / `--steps`: a range test longer than this is a typo, not a plan. */
	rangeTestSteps: { min: 10, max: 100000 },
	/** `--verify-steps`: the probe length of a verified suggestion, per candidate. */
	verifySteps: { min: 1, max: 100000 },
	/** `lrScope.sweep.epochs` / `--epochs`. */
	sweepEpochs: { min: 1, max: 1000 },
	/**
	 * Data files the runner loads into memory (it trains on tensors held whole). A CSV is read in
	 * chunks up to this many bytes, whole rows only; the rest of the file is not read (a note says
	 * how many rows were used). 16 MiB is ~450k rows of five columns — far more than a range test's
	 * steps × batch size — and parses in ~4 s and ~400 MB (measured; the parser keeps every cell).
	 */
	csvBytes: 16 * 1024 * 1024,
	/** A `.npy` array is read by offsets into one float32 array of at most this many values (1 GiB). */
	npyValues: 256 * 1024 * 1024,
	/** A JSON data file is parsed whole (JSON cannot be read in parts); larger ones are refused. */
	jsonDataBytes: 256 * 1024 * 1024,
	/** `model.json` holds the topology and the weights manifest (usually < 1 MB); weights are in `.bin` shards. */
	modelJsonBytes: 32 * 1024 * 1024,
} as const;
