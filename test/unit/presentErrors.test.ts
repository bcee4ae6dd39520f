import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	binaryLabelRangeText,
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
