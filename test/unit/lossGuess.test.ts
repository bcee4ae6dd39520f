import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guessLoss, labelKindOf, outputOfTopology } from '../../src/core/lossGuess';

test('guessLoss: softmax → categorical (sparse for class indices), sigmoid → binary, linear → MSE', () => {
	assert.deepEqual(guessLoss({ activation: 'softmax', units: 3 }), {
		loss: 'categoricalCrossentropy',
		because: 'the softmax output',
	});
	assert.equal(
		guessLoss({ activation: 'softmax', units: 3 }, 'classNames').loss,
		'categoricalCrossentropy',
	);
	assert.equal(
		guessLoss({ activation: 'softmax', units: 3 }, 'oneHot').loss,
		'categoricalCrossentropy',
	);
	assert.equal(
		guessLoss({ activation: 'softmax', units: 10 }, 'indices').loss,
		'sparseCategoricalCrossentropy',
	);
	assert.deepEqual(guessLoss({ activation: 'sigmoid', units: 1 }, 'indices'), {
		loss: 'binaryCrossentropy',
		because: 'one sigmoid unit',
	});
	assert.equal(guessLoss({ activation: 'sigmoid', units: 4 }).loss, 'binaryCrossentropy');
	assert.deepEqual(guessLoss({ activation: 'linear', units: 1 }), {
		loss: 'meanSquaredError',
		because: 'the linear output',
	});
	assert.equal(guessLoss({ activation: '' }).loss, 'meanSquaredError');
	assert.equal(guessLoss({ activation: 'relu', units: 1 }).loss, 'meanSquaredError');
});

const dense = (name: string, units: number, activation = 'linear') => ({
	class_name: 'Dense',
	config: { name, units, activation },
});

test('outputOfTopology: Sequential (tfjs and old Keras list form), trailing Activation/Softmax/Dropout', () => {
	const seq = (layers: unknown[]) => ({
		class_name: 'Sequential',
		config: { name: 's', layers },
		keras_version: 'tfjs-layers 4.22.0',
	});
	assert.deepEqual(outputOfTopology(seq([dense('a', 8, 'relu'), dense('b', 3, 'softmax')])), {
		activation: 'softmax',
		units: 3,
	});
	assert.deepEqual(
		outputOfTopology(
			seq([
				dense('a', 8, 'relu'),
				dense('b', 1),
				{ class_name: 'Activation', config: { name: 'act', activation: 'sigmoid' } },
				{ class_name: 'Dropout', config: { name: 'd', rate: 0.1 } },
			]),
		),
		{ activation: 'sigmoid', units: 1 },
	);
	assert.deepEqual(
		outputOfTopology(seq([dense('a', 5), { class_name: 'Softmax', config: { name: 'sm' } }])),
		{ activation: 'softmax', units: 5 },
	);
	assert.deepEqual(
		outputOfTopology({ class_name: 'Sequential', config: [dense('a', 8, 'relu'), dense('b', 2)] }),
		{ activation: 'linear', units: 2 },
	);
	// Keras export: topology nested under model_config.
	assert.deepEqual(outputOfTopology({ model_config: seq([dense('a', 1, 'sigmoid')]) }), {
		activation: 'sigmoid',
		units: 1,
	});
});

test('outputOfTopology: functional models follow output_layers back through inbound nodes', () => {
	const layers = [
		{ name: 'in', class_name: 'InputLayer', config: { name: 'in' }, inbound_nodes: [] },
		{ name: 'h', ...dense('h', 16, 'relu'), inbound_nodes: [[['in', 0, 0, {}]]] },
		{ name: 'logits', ...dense('logits', 4), inbound_nodes: [[['h', 0, 0, {}]]] },
		{
			name: 'probs',
			class_name: 'Activation',
			config: { name: 'probs', activation: 'softmax' },
			inbound_nodes: [[['logits', 0, 0, {}]]],
		},
		// A layer after the output in list order must not be mistaken for it.
		{ name: 'side', ...dense('side', 1), inbound_nodes: [[['h', 0, 0, {}]]] },
	];
	const topo = {
		class_name: 'Model',
		config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [['probs', 0, 0]] },
	};
	assert.deepEqual(outputOfTopology(topo), { activation: 'softmax', units: 4 });
	// Two outputs: no single guess.
	const two = {
		...topo,
		config: {
			...topo.config,
			output_layers: [
				['probs', 0, 0],
				['side', 0, 0],
			],
		},
	};
	assert.equal(outputOfTopology(two), undefined);
	assert.equal(outputOfTopology(null), undefined);
	assert.equal(outputOfTopology({ class_name: 'Sequential', config: { layers: [] } }), undefined);
});

test('labelKindOf: class indices, one-hot rows, other numbers', () => {
	assert.equal(labelKindOf([0, 2, 1, 1], 1), 'indices');
	assert.equal(labelKindOf([0.5, 2, 1], 1), 'numbers');
	assert.equal(labelKindOf([-1, 2], 1), 'numbers');
	assert.equal(labelKindOf([0, 1, 0, 1, 0, 0], 3), 'oneHot');
	assert.equal(labelKindOf([1, 1, 0, 0, 0, 0], 3), 'numbers');
	assert.equal(labelKindOf([0.2, 0.8], 2), 'numbers');
});
