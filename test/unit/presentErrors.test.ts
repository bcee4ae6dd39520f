import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	binaryLabelRangeText,
	dataArgKindText,
	npyPairNeededText,
	cellNotFiniteText,
	csvCellWhere,
	dataSmallerThanBatchText,
	exampleLabelWhere,
	fileTooLargeText,
	flatIndexText,
	inputShapeMismatchText,
	labelColumnMissingText,
	notClassIndexText,
	npyDtypeText,
	npyTooManyValuesText,
	raggedText,
	tooManyClassesText,
} from '../../src/core/present/dataErrors';
import {
	moduleCompileText,
	needOptimizerText,
	unknownLossText,
	weightBytesText,
} from '../../src/core/present/sourceErrors';
import {
	choiceFlagText,
	monitorFailOnText,
	notAFileText,
	readArgCountText,
	parseArgsText,
	wholeNumberFlagText,
} from '../../src/core/present/cliErrors';
import {
	backendReasonText,
	fastestForModelNote,
	modelProbeMeasuredText,
	modelSpeedsText,
	noBackendText,
	probeExitedText,
	probeTimedOutText,
	probeCacheText,
	tfjsNodeMissingReason,
	wasmCannotTrainReason,
	wasmThreadsNote,
} from '../../src/core/present/backendWords';
import {
	otherTfjsProblem,
	scriptExtensionText,
	scriptBatchSizeText,
	scriptFitDataNote,
	shapesText,
	scriptProbeMeasuredText,
	scriptProbeNote,
	validationSplitEmptyText,
} from '../../src/core/present/scriptWords';
import {
	lrOrderText,
	lrsListText,
	reportOutText,
	tooFewForFoldsText,
	wholeNumberRangeText,
	wholeNumberText,
} from '../../src/core/present/trainingErrors';

test('dataErrors: batch size, shapes and sizes with their numbers', () => {
	assert.equal(
		dataSmallerThanBatchText('data.csv', 20, 32),
		'data smaller than one batch: data.csv has 20 training examples, batch size is 32: lower --batch-size to 20 or less',
	);
	assert.equal(
		inputShapeMismatchText('x.npy/y.npy', [100, 10], [null, 10], [null, 28, 28, 1]),
		"input shape mismatch: x.npy/y.npy features are [100,10] ([null,10] per batch) but the model's input is [null,28,28,1]",
	);
	assert.equal(
		fileTooLargeText('big.json', 300 * 1024 * 1024, 256 * 1024 * 1024, 'save it as CSV'),
		"big.json is 300 MiB, over LR Scope's limit of 256 MiB for this file: save it as CSV",
	);
	assert.equal(
		npyTooManyValuesText('x.npy', 300_000_000, 1_200_000_128, 200_000_000),
		"x.npy holds 300000000 values (1.1 GiB), over LR Scope's limit of 200000000 values per array: " +
			"the runner trains on data held in memory — save a subset, e.g. numpy.save('x_small.npy', a[:100000])",
	);
	assert.equal(flatIndexText(5, [2, 3]), '[1,2]');
});

test('dataErrors: where a bad cell or label is', () => {
	const where = csvCellWhere('iris.csv', 2, 'petal');
	assert.equal(where, "iris.csv row 3 (line 4), column 'petal'");
	assert.equal(cellNotFiniteText(where, ''), `${where} is empty: fix or drop that row`);
	assert.equal(
		cellNotFiniteText(where, 'NaN'),
		`${where} is 'NaN' (NaN/Inf): fix or drop that row`,
	);
	assert.equal(exampleLabelWhere(4), 'example 4');
	assert.equal(exampleLabelWhere(4, '[1]'), 'example 4, label [1]');
	assert.equal(
		labelColumnMissingText('kind', 'iris.csv', ['a', 'b']),
		"label column 'kind' not found in iris.csv; columns are 'a', 'b'",
	);
	assert.equal(
		raggedText('data.json x', [3], null, 4),
		'data.json x is ragged: data.json x[3] has no entries, expected 4',
	);
});

test('dataErrors: labels a loss cannot take', () => {
	assert.equal(
		notClassIndexText(2.5, 3, 'data.csv example 7', 'sparseCategoricalCrossentropy'),
		'label 2.5 at data.csv example 7 is not a class index 0..2 for sparseCategoricalCrossentropy with 3 outputs: ' +
			'these look like regression targets (use --loss meanSquaredError)',
	);
	assert.equal(
		tooManyClassesText(['a', 'b', 'c'], 1, [null, 1], 'binaryCrossentropy'),
		'labels have 3 classes (a, b, c) but the model has 1 outputs [null,1] for binaryCrossentropy',
	);
	assert.equal(
		binaryLabelRangeText('y.npy example 0', 2),
		'binaryCrossentropy needs labels in [0, 1] but y.npy example 0 has 2',
	);
	assert.equal(
		npyDtypeText('x.npy', '<c8', 'short'),
		"x.npy has dtype '<c8', which is not supported (use float32, int or bool arrays)",
	);
	assert.equal(npyDtypeText('x.npy', '<c8'), "x.npy has dtype '<c8', which is not supported");
});

test('sourceErrors: model files, modules, loss and optimizer', () => {
	assert.equal(
		weightBytesText(['group1-shard1of1.bin'], 100, 'model.json', 128),
		'weight files group1-shard1of1.bin hold 100 bytes but model.json needs 128: a shard is truncated or belongs to another model',
	);
	assert.equal(
		moduleCompileText('model.ts', 'Expected ";"', { file: 'model.ts', line: 3, column: 7 }),
		'model.ts does not compile: Expected ";" (model.ts:3:7)',
	);
	assert.equal(moduleCompileText('model.ts', 'boom'), 'model.ts does not compile: boom');
	assert.equal(
		unknownLossText('mse2', '--loss', ['meanSquaredError', 'hinge']),
		"unknown loss 'mse2' (--loss): use one of meanSquaredError, hinge",
	);
	assert.equal(
		needOptimizerText('model.js (model not compiled)', ['sgd', 'adam']),
		'model.js (model not compiled) has no optimizer: give --optimizer (sgd, adam)',
	);
});

test('backendWords: speeds, probe notes and the reason', () => {
	const speeds = modelSpeedsText([
		{ backend: 'wasm', threads: 2, stepsPerSecond: 5.4 },
		{ backend: 'wasm', threads: 1, stepsPerSecond: 3.6, estimated: true },
		{ backend: 'cpu', threads: 0, stepsPerSecond: 0, error: 'timeout' },
	]);
	assert.equal(
		speeds,
		'wasm 2 threads 5.40, wasm 1 thread ≈3.60 (estimated), cpu did not train (timeout)',
	);
	assert.equal(
		fastestForModelNote(
			{ backend: 'wasm', threads: 2 },
			modelProbeMeasuredText(32, speeds),
			probeCacheText(true, 'probe.json'),
		),
		`wasm on 2 threads trains this model fastest (speed probe on this model, batch 32: ${speeds} steps/s; cached in probe.json)`,
	);
	assert.equal(
		backendReasonText([tfjsNodeMissingReason, wasmThreadsNote(2)]),
		'tfjs-node is not installed; wasm on 2 threads (cap: setting lrScope.wasmThreads)',
	);
	assert.equal(backendReasonText([]), 'first available backend');
	assert.equal(
		wasmCannotTrainReason('forced by the backend setting (wasm)', 'missing kernel Atan2'),
		'forced by the backend setting (wasm); wasm cannot train this model (missing kernel Atan2), so cpu',
	);
	assert.equal(
		noBackendText(['bundled @tensorflow/tfjs failed to load (boom)']),
		'no usable TensorFlow.js backend (bundled @tensorflow/tfjs failed to load (boom)); install one in the workspace: ' +
			'npm install @tensorflow/tfjs (or @tensorflow/tfjs-node)',
	);
});

test('scriptWords: the fit hook errors and probe note', () => {
	assert.equal(
		validationSplitEmptyText(0.99, 50),
		'validationSplit 0.99 leaves no training or no validation examples out of 50',
	);
	assert.equal(
		otherTfjsProblem(''),
		"the script's own @tensorflow/tfjs is not LR Scope's copy, and LR Scope's wasm backend cannot join another tfjs",
	);
	assert.equal(
		scriptProbeNote(
			'wasm on 1 thread',
			true,
			scriptProbeMeasuredText(16, 'wasm 1 thread 2.00', false, 'p.json'),
		),
		"wasm on 1 thread is this model's fastest wasm (speed probe on this model, batch 16: wasm 1 thread 2.00 steps/s; measured now, cached in p.json)",
	);
});

test('trainingErrors: option ranges with what was given', () => {
	assert.equal(
		wholeNumberRangeText('--steps', 2, 2000, 1.5),
		'--steps must be a whole number from 2 to 2000, got 1.5',
	);
	assert.equal(wholeNumberText('--seed', Number.NaN), '--seed must be a whole number, got NaN');
	assert.equal(
		lrOrderText(0.1, 0.01),
		'--end-lr (0.01) must be greater than --start-lr (0.1) and both ≥ 0',
	);
	assert.equal(
		lrsListText([0.1, -1]),
		'--lrs must be a comma-separated list of positive numbers, got 0.1,-1',
	);
	assert.equal(tooFewForFoldsText(7, 5), 'the data has 7 examples, too few for 5 folds');
});

test('CLI arguments: --data and --out of no known kind', () => {
	assert.equal(npyPairNeededText('x.npy'), '--data x.npy: give both arrays as x.npy,y.npy');
	assert.equal(
		dataArgKindText('d.parquet'),
		'--data d.parquet: expected a .csv, x.npy,y.npy pair, .json or .js/.ts data module',
	);
	assert.equal(
		reportOutText('r.pdf'),
		'--out r.pdf: the report must end in .html, .svg, .csv or .json',
	);
});

test("scriptWords: what a script's fit call trained on", () => {
	assert.equal(
		scriptBatchSizeText(32, true, undefined, 9),
		'batch size 32 (tfjs default; 9 examples, so one partial batch of 9)',
	);
	assert.equal(
		scriptBatchSizeText(32, false, 8, 100),
		"batch size 8 (--batch-size; the script's is 32)",
	);
	assert.equal(
		scriptFitDataNote(
			shapesText([[100, 4]]),
			shapesText([
				[100, 1],
				[100, 3],
			]),
			'batch size 16 (from the script)',
		),
		"data: the script's model.fit tensors x [100,4], y [100,1] [100,3]; batch size 16 (from the script)",
	);
});

test('probe and script request words', () => {
	assert.equal(probeTimedOutText(30), "did not finish in the probe's 30 s");
	assert.equal(probeExitedText(null), 'the probe process exited (killed)');
	assert.equal(
		probeExitedText(1, 'Error: out of memory'),
		'the probe process exited (1): Error: out of memory',
	);
	assert.equal(
		scriptExtensionText('train.py', ['.js', '.ts']),
		'train.py is not a JavaScript/TypeScript file (expected .js, .ts)',
	);
});

test('cliErrors: flag values and files', () => {
	assert.equal(
		choiceFlagText('encoding', ['auto', 'ordinal', 'onehot'], 'hot'),
		'--encoding expects auto, ordinal or onehot, got "hot"',
	);
	assert.equal(
		choiceFlagText('ramp', ['exp', 'linear'], 'log'),
		'--ramp expects exp or linear, got "log"',
	);
	assert.equal(
		wholeNumberFlagText('steps', 2, Number.MAX_SAFE_INTEGER, '1.5'),
		'--steps expects a whole number ≥ 2, got "1.5"',
	);
	assert.equal(
		wholeNumberFlagText('repeat', 1, 50, 99),
		'--repeat expects a whole number from 1 to 50, got "99"',
	);
	assert.equal(
		notAFileText('model', 'models', true),
		'--model models: is a directory; give a file',
	);
	assert.equal(
		parseArgsText("Unknown option '--x'.\n  To specify a positional", 'sweep'),
		"Unknown option '--x'. To specify a positional; see `lrscope sweep --help`",
	);
});

test('cliErrors: the monitor and read flags', () => {
	assert.equal(
		monitorFailOnText(['divergence', 'plateau'], 'nan'),
		'--fail-on expects "any" or a list of divergence, plateau; got "nan"',
	);
	assert.equal(
		readArgCountText(2),
		'read expects one log file or logdir, got 2; see `lrscope read --help`',
	);
});
