import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCallLine, monitorEndLine, trainLogLine } from '../../src/core/present/monitorLines';

test('monitorEndLine: how the script ended, with counts in singular and plural', () => {
	assert.equal(
		monitorEndLine('main.js', { exitCode: 0, epochs: 1, batches: 9 }, 0),
		'main.js exited with code 0 after 1 epoch, 9 batches; 0 findings',
	);
	assert.equal(
		monitorEndLine('train.ts', { stopped: true, exitCode: null, epochs: 12, batches: 1 }, 1),
		'train.ts stopped after 12 epochs, 1 batch; 1 finding',
	);
});

test('fitCallLine: the call number is 1-based and the file is named without its folder', () => {
	assert.equal(
		fitCallLine('fit', 0, '/home/u/proj/src/train.js', 41),
		'model.fit call 1 at train.js:41',
	);
	assert.equal(
		fitCallLine('fitDataset', 2, 'C:\\proj\\train.js', 7),
		'model.fitDataset call 3 at train.js:7',
	);
	assert.equal(fitCallLine('fit', 1), 'model.fit call 2');
});

test('trainLogLine: a batch line and an epoch line', () => {
	assert.equal(
		trainLogLine({
			unit: 'batch',
			step: 6,
			epoch: 0,
			values: { loss: 2.0903, acc: 0.5625 },
			lr: 1e-3,
			gradNorm: 0.97,
		}),
		'step     6  epoch 0  loss 2.09  acc 0.5625  lr 1e-3  |g| 0.97',
	);
	assert.equal(
		trainLogLine({ unit: 'epoch', step: 0, epoch: 0, values: { val_loss: 1.772, loss: 2.179 } }),
		'epoch   0 done  val_loss 1.772  loss 2.179',
	);
});
