import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scheduleCode } from '../../src/core/schedules/scheduleCode';
import { optimizerKinds } from '../../src/core/tfjsNames';
import type { OptimizerKind } from '../../src/core/tfjsNames';
import { parseScheduleSpec } from '../../src/core/schedules/parseSpec';
import { plateauLrs } from '../../src/core/schedules/plateauScheduler';
import { scheduleLrs } from '../../src/core/schedules/scheduleLr';
import type { ReduceOnPlateauSpec, ScheduleSpec } from '../../src/core/schedules/spec';

const ref = JSON.parse(
	readFileSync(join(__dirname, '..', 'fixtures', 'reference', 'schedules.json'), 'utf8'),
) as {
	schedules: { name: string; spec: unknown; steps: number }[];
	plateau: { name: string; spec: unknown; losses: (number | null)[] }[];
};

/** A stand-in for tfjs: `tf.Callback` with `setModel`, as in tfjs-layers. */
class FakeCallback {
	model: unknown;
	setModel(m: unknown): void {
		this.model = m;
	}
}

/**
 * Fake optimizers that record how the LR was set: SGD/Momentum only through `setLearningRate`
 * (assigning the field would be a bug: tfjs caches the scalar), the others only through the field.
 */
function fakeOptimizer(kind: OptimizerKind): { opt: object; set: number[] } {
	const set: number[] = [];
	if (kind === 'sgd' || kind === 'momentum') {
		const opt = {
			setLearningRate(lr: number): void {
				set.push(lr);
			},
		};
		Object.defineProperty(opt, 'learningRate', {
			set: () => assert.fail('SGD/Momentum must use setLearningRate'),
			get: () => set[set.length - 1],
		});
		return { opt, set };
	}
	const opt = {};
	Object.defineProperty(opt, 'learningRate', {
		set: (lr: number) => set.push(lr),
		get: () => set[set.length - 1],
	});
	return { opt, set };
}

interface CallbackLike {
	setModel(m: unknown): void;
	onTrainBegin?(logs?: unknown): Promise<void>;
	onBatchBegin?(batch: number, logs?: unknown): Promise<void>;
	onEpochEnd?(epoch: number, logs?: unknown): Promise<void>;
}

/** Evaluates generated code with only `tf` in scope and returns a new instance of its class. */
function instantiate(code: string, cls = 'LrScopeSchedule'): CallbackLike {
	const make = new Function('tf', `'use strict';\n${code}\nreturn new ${cls}();`) as (
		tf: unknown,
	) => CallbackLike;
	return make({ Callback: FakeCallback });
}

/** Runs a fake fit: `epochs` epochs of `batches` batches, batch index restarting each epoch. */
async function fakeFit(
	cb: CallbackLike,
	kind: OptimizerKind,
	epochs: number,
	batches: number,
): Promise<number[]> {
	const { opt, set } = fakeOptimizer(kind);
	cb.setModel({ optimizer: opt });
	await cb.onTrainBegin?.({});
	for (let e = 0; e < epochs; e++) {
		for (let b = 0; b < batches; b++) {
			await cb.onBatchBegin?.(b, {});
		}
	}
	return set;
}

test('generated code sets exactly scheduleLrs, across epochs, for every schedule and optimizer', async () => {
	let runs = 0;
	for (const c of ref.schedules) {
		const spec = parseScheduleSpec(c.spec);
		for (const kind of optimizerKinds) {
			const code = scheduleCode(spec, { optimizer: kind });
			// 3 epochs of ceil(steps/3) batches covers every step and runs a little past the end.
			const per = Math.ceil(c.steps / 3);
			const set = await fakeFit(instantiate(code), kind, 3, per);
			const expected = scheduleLrs(spec, 3 * per);
			assert.deepEqual(set, expected, `${c.name} / ${kind}`);
			runs++;
		}
	}
	assert.equal(runs, ref.schedules.length * 7);
});

test('one-cycle code writes derived LRs as expressions: readable and still exact', async () => {
	// A recommendation's max LR: 0.0095 / 25 is 0.00037999999999999997 as a constant.
	for (const threePhase of [false, true]) {
		const spec = parseScheduleSpec({
			kind: 'oneCycle',
			maxLr: 0.0095,
			totalSteps: 333,
			threePhase,
		});
		const code = scheduleCode(spec, { optimizer: 'adam' });
		assert.doesNotMatch(code, /\d\.\d{12,}/, 'a constant with float noise');
		assert.match(code, /const initial = maxLr \/ 25;/);
		const set = await fakeFit(instantiate(code), 'adam', 3, 111);
		assert.deepEqual(set, scheduleLrs(spec, 333));
	}
});

test('the code uses setLearningRate for SGD/Momentum and the learningRate field otherwise', () => {
	const spec = parseScheduleSpec({ kind: 'cosine', initialLearningRate: 0.1, decaySteps: 100 });
	assert.match(
		scheduleCode(spec, { optimizer: 'sgd' }),
		/this\.model\.optimizer\.setLearningRate\(/,
	);
	assert.match(scheduleCode(spec, { optimizer: 'momentum' }), /setLearningRate\(/);
	for (const k of ['adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta'] as const) {
		const code = scheduleCode(spec, { optimizer: k });
		assert.match(code, /this\.model\.optimizer\.learningRate = /, k);
		assert.doesNotMatch(code, /setLearningRate/, k);
	}
	const code = scheduleCode(spec, { optimizer: 'adam' });
	assert.match(code, /extends tf\.Callback/);
	assert.match(code, /callbacks: \[new LrScopeSchedule\(\)\]/);
	// Self-contained: no imports or requires.
	assert.doesNotMatch(code, /\brequire\(|\bimport\b/);
});

test('class name option is honoured and validated', async () => {
	const spec = parseScheduleSpec({ kind: 'step', initialLearningRate: 1, stepSize: 2, gamma: 0.5 });
	const code = scheduleCode(spec, { optimizer: 'adam', className: 'MyLr' });
	assert.deepEqual(
		await fakeFit(instantiate(code, 'MyLr'), 'adam', 2, 3),
		[1, 1, 0.5, 0.5, 0.25, 0.25],
	);
	assert.throws(
		() => scheduleCode(spec, { optimizer: 'adam', className: 'not valid' }),
		/identifier/,
	);
});

test('reduce-on-plateau code follows the same Keras / PyTorch rules as PlateauScheduler', async () => {
	for (const c of ref.plateau) {
		const spec = parseScheduleSpec(c.spec) as ReduceOnPlateauSpec;
		for (const kind of ['sgd', 'rmsprop'] as const) {
			const cb = instantiate(scheduleCode(spec, { optimizer: kind }));
			const { opt, set } = fakeOptimizer(kind);
			cb.setModel({ optimizer: opt });
			await cb.onTrainBegin!({});
			for (let e = 0; e < c.losses.length; e++) {
				const l = c.losses[e];
				await cb.onEpochEnd!(e, { loss: 1, [spec.monitor]: l === null ? NaN : l });
			}
			// One set at train begin, then one per epoch: the LR in force for each following epoch.
			assert.deepEqual(set, plateauLrs(spec, c.losses), `${c.name} / ${kind}`);
		}
	}
	// A missing monitor key changes nothing (Keras warns and skips).
	const spec = parseScheduleSpec({
		kind: 'reduceOnPlateau',
		initialLearningRate: 1,
		patience: 0,
	}) as ScheduleSpec;
	const cb = instantiate(scheduleCode(spec, { optimizer: 'adam' }));
	const { opt, set } = fakeOptimizer('adam');
	cb.setModel({ optimizer: opt });
	await cb.onTrainBegin!({});
	await cb.onEpochEnd!(0, { loss: 1 });
	assert.deepEqual(set, [1]);
});
