import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScheduleSpec } from '../../src/core/schedules/parseSpec';
import { scheduleKinds } from '../../src/core/schedules/spec';
import { describeSchedule } from '../../src/core/present/schedule';
import { PlateauScheduler, plateauLrs } from '../../src/core/schedules/plateauScheduler';
import { lrAt, scheduleLrs } from '../../src/core/schedules/scheduleLr';
import type { OneCycleSpec, ReduceOnPlateauSpec } from '../../src/core/schedules/spec';
import { close } from './reference';

interface Case {
	name: string;
	spec: unknown;
	steps: number;
	lrs: number[];
}
interface PlateauCase {
	name: string;
	spec: unknown;
	losses: (number | null)[];
	lrs: number[];
}
const ref = JSON.parse(
	readFileSync(join(__dirname, '..', 'fixtures', 'reference', 'schedules.json'), 'utf8'),
) as {
	schedules: Case[];
	plateau: PlateauCase[];
};

test('every schedule matches the Python reference (Keras formulas, PyTorch classes) at every step', () => {
	const kinds = new Set<string>();
	for (const c of ref.schedules) {
		const spec = parseScheduleSpec(c.spec);
		kinds.add(spec.kind);
		const lrs = scheduleLrs(spec, c.steps);
		assert.equal(lrs.length, c.lrs.length);
		lrs.forEach((x, i) => close(x, c.lrs[i], 1e-12, `${c.name}[${i}]`));
	}
	for (const k of scheduleKinds.filter((k) => k !== 'reduceOnPlateau')) {
		assert.ok(kinds.has(k), `no reference case for ${k}`);
	}
});

test('reduce on plateau matches Keras (re-implemented) and PyTorch (its own class) epoch by epoch', () => {
	const modes = new Set<string>();
	for (const c of ref.plateau) {
		const spec = parseScheduleSpec(c.spec) as ReduceOnPlateauSpec;
		modes.add(spec.mode);
		const lrs = plateauLrs(spec, c.losses);
		assert.equal(lrs.length, c.lrs.length);
		lrs.forEach((x, i) => close(x, c.lrs[i], 1e-12, `${c.name}[${i}]`));
		assert.ok(new Set(c.lrs).size > 1, `${c.name} should reduce at least once`);
	}
	assert.deepEqual([...modes].sort(), ['keras', 'torch']);
});

test('plateau rules by hand: Keras reduces at wait ≥ patience, PyTorch at bad > patience', () => {
	const flat = [1, 1, 1, 1, 1];
	const keras = new PlateauScheduler(
		parseScheduleSpec({
			kind: 'reduceOnPlateau',
			initialLearningRate: 1,
			patience: 2,
		}) as ReduceOnPlateauSpec,
	);
	// epoch 0 improves (best = 1), epochs 1 and 2 do not: wait hits 2 at epoch 2.
	assert.deepEqual(
		flat.map((l) => keras.step(l)),
		[1, 1, 0.1, 0.1, 0.010000000000000002],
	);
	assert.deepEqual(keras.reductions, [2, 4]);
	const torch = new PlateauScheduler(
		parseScheduleSpec({
			kind: 'reduceOnPlateau',
			mode: 'torch',
			initialLearningRate: 1,
			patience: 2,
		}) as ReduceOnPlateauSpec,
	);
	assert.deepEqual(
		flat.map((l) => torch.step(l)),
		[1, 1, 1, 0.1, 0.1],
	);
	// A NaN epoch is never an improvement.
	const nan = new PlateauScheduler(
		parseScheduleSpec({
			kind: 'reduceOnPlateau',
			initialLearningRate: 1,
			patience: 1,
			minDelta: 0,
		}) as ReduceOnPlateauSpec,
	);
	assert.equal(nan.step(2), 1);
	assert.equal(nan.step(null), 0.1);
	// minLr floors the LR; Keras stops reducing once at the floor.
	const floor = new PlateauScheduler(
		parseScheduleSpec({
			kind: 'reduceOnPlateau',
			initialLearningRate: 1,
			patience: 1,
			factor: 0.5,
			minLr: 0.3,
		}) as ReduceOnPlateauSpec,
	);
	assert.deepEqual(
		[1, 1, 1, 1].map((l) => floor.step(l)),
		[1, 0.5, 0.3, 0.3],
	);
	// Without losses a plateau schedule previews as its initial LR.
	assert.deepEqual(scheduleLrs(floor.spec, 3), [1, 1, 1]);
});

test('boundaries: step, exponential, piecewise, polynomial', () => {
	const step = parseScheduleSpec({ kind: 'step', initialLearningRate: 0.1, stepSize: 10 });
	assert.equal(lrAt(step, 0), 0.1);
	assert.equal(lrAt(step, 9), 0.1);
	close(lrAt(step, 10), 0.01, 1e-15, 'first drop');
	const ex = parseScheduleSpec({
		kind: 'exponential',
		initialLearningRate: 1,
		decaySteps: 4,
		decayRate: 0.5,
		staircase: true,
	});
	assert.deepEqual(scheduleLrs(ex, 9), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
	const exs = parseScheduleSpec({
		kind: 'exponential',
		initialLearningRate: 1,
		decaySteps: 4,
		decayRate: 0.5,
	});
	close(lrAt(exs, 2), Math.SQRT1_2, 1e-15, 'smooth');
	const pw = parseScheduleSpec({ kind: 'piecewise', boundaries: [2, 4], values: [3, 2, 1] });
	// values[0] while step ≤ 2, values[1] on (2, 4], values[2] after.
	assert.deepEqual(scheduleLrs(pw, 6), [3, 3, 3, 2, 2, 1]);
	const poly = parseScheduleSpec({
		kind: 'polynomial',
		initialLearningRate: 1,
		decaySteps: 4,
		endLearningRate: 0,
		power: 1,
	});
	assert.deepEqual(scheduleLrs(poly, 6), [1, 0.75, 0.5, 0.25, 0, 0]);
	// With cycle the horizon grows to the next multiple of decaySteps: step 5 → D = 8.
	const polyC = parseScheduleSpec({
		kind: 'polynomial',
		initialLearningRate: 1,
		decaySteps: 4,
		endLearningRate: 0,
		cycle: true,
	});
	assert.deepEqual(scheduleLrs(polyC, 6), [1, 0.75, 0.5, 0.25, 0, 0.375]);
});

test('boundaries: cosine with warmup (step 0, the warmup edge, the end)', () => {
	const c = parseScheduleSpec({
		kind: 'cosine',
		initialLearningRate: 0,
		decaySteps: 10,
		warmupTarget: 1,
		warmupSteps: 4,
	});
	assert.equal(lrAt(c, 0), 0);
	assert.equal(lrAt(c, 2), 0.5);
	assert.equal(lrAt(c, 3), 0.75);
	assert.equal(lrAt(c, 4), 1); // the edge: decay starts from warmupTarget
	close(lrAt(c, 9), 0.5, 1e-15, 'half-way through decay');
	assert.equal(lrAt(c, 14), 0);
	assert.equal(lrAt(c, 100), 0); // held after warmup + decay
	const a = parseScheduleSpec({
		kind: 'cosine',
		initialLearningRate: 2,
		decaySteps: 10,
		alpha: 0.1,
	});
	assert.equal(lrAt(a, 0), 2);
	close(lrAt(a, 10), 0.2, 1e-15, 'alpha floor');
	close(lrAt(a, 50), 0.2, 1e-15, 'held');
});

test('boundaries: cosine restarts at each restart (tMul 2 → periods 10, 20, 40)', () => {
	const s = parseScheduleSpec({
		kind: 'cosineRestarts',
		initialLearningRate: 1,
		firstDecaySteps: 10,
		mMul: 0.5,
	});
	for (const [restart, m] of [
		[0, 1],
		[10, 0.5],
		[30, 0.25],
		[70, 0.125],
	] as const) {
		close(lrAt(s, restart), m, 1e-12, `restart at ${restart}`);
	}
	// Just before a restart the LR is near 0; half-way through the second period it is 0.5·0.5.
	assert.ok(lrAt(s, 29) < 0.01);
	close(lrAt(s, 20), 0.25, 1e-12, 'mid second period');
	const t1 = parseScheduleSpec({
		kind: 'cosineRestarts',
		initialLearningRate: 1,
		firstDecaySteps: 4,
		tMul: 1,
	});
	assert.deepEqual(
		[0, 4, 8].map((i) => lrAt(t1, i)),
		[1, 1, 1],
	);
	close(lrAt(t1, 2), 0.5, 1e-15, 'tMul 1 mid');
});

test('boundaries: oneCycle two- and three-phase, cos and linear', () => {
	const two = parseScheduleSpec({
		kind: 'oneCycle',
		maxLr: 1,
		totalSteps: 11,
		pctStart: 0.5,
		annealStrategy: 'linear',
	}) as OneCycleSpec;
	// initial = 1/25 = 0.04, min = 4e-6; phase 1 ends at 0.5·11 - 1 = 4.5, phase 2 at 10.
	assert.equal(lrAt(two, 0), 0.04);
	close(lrAt(two, 4), 0.04 + 0.96 * (4 / 4.5), 1e-14, 'step 4');
	// Linear anneal computes (end-start)·1 + start, which loses ~1e-12 of 4e-6 to cancellation (PyTorch too).
	close(lrAt(two, 10), 4e-6, 1e-9, 'last step');
	assert.equal(lrAt(two, 50), lrAt(two, 10)); // held after totalSteps (PyTorch would raise)
	const cos = parseScheduleSpec({ kind: 'oneCycle', maxLr: 1, totalSteps: 21 }) as OneCycleSpec;
	close(lrAt(cos, 0), 0.04, 1e-14, 'cos start');
	close(lrAt(cos, 20), 4e-6, 1e-12, 'cos end');
	const three = parseScheduleSpec({
		kind: 'oneCycle',
		maxLr: 1,
		totalSteps: 20,
		pctStart: 0.25,
		threePhase: true,
		annealStrategy: 'linear',
	});
	// Ends: 0.25·20 - 1 = 4 (max), 2·0.25·20 - 2 = 8 (back to initial), 19 (min).
	assert.equal(lrAt(three, 4), 1);
	close(lrAt(three, 8), 0.04, 1e-14, 'back to initial');
	close(lrAt(three, 19), 4e-6, 1e-9, 'three-phase end');
});

test('parseScheduleSpec fills defaults and names the bad field', () => {
	assert.deepEqual(parseScheduleSpec({ kind: 'oneCycle', maxLr: 0.01, totalSteps: 100 }), {
		kind: 'oneCycle',
		maxLr: 0.01,
		totalSteps: 100,
		pctStart: 0.3,
		divFactor: 25,
		finalDivFactor: 1e4,
		annealStrategy: 'cos',
		threePhase: false,
	});
	assert.deepEqual(parseScheduleSpec({ kind: 'cosine', initialLearningRate: 0.1, decaySteps: 5 }), {
		kind: 'cosine',
		initialLearningRate: 0.1,
		decaySteps: 5,
		alpha: 0,
		warmupTarget: null,
		warmupSteps: 0,
	});
	const bad: [unknown, RegExp][] = [
		[null, /JSON object/],
		[[1], /JSON object/],
		[{ kind: 'warp' }, /kind must be one of/],
		[{}, /kind must be one of .*got nothing/],
		[{ kind: 'step', initialLearningRate: 0.1 }, /missing required field "stepSize"/],
		[{ kind: 'step', initialLearningRate: 0.1, stepSize: 2.5 }, /stepSize must be an integer > 0/],
		[
			{ kind: 'step', initialLearningRate: -1, stepSize: 2 },
			/initialLearningRate must be a finite number ≥ 0/,
		],
		[
			{ kind: 'cosine', initialLearningRate: 0.1, decaySteps: 5, warmup: 3 },
			/unknown field "warmup"/,
		],
		[
			{
				kind: 'exponential',
				initialLearningRate: 0.1,
				decaySteps: 5,
				decayRate: 0.9,
				staircase: 'yes',
			},
			/staircase must be true or false/,
		],
		[{ kind: 'piecewise', boundaries: [1, 2], values: [1, 2] }, /one more entry/],
		[{ kind: 'piecewise', boundaries: [3, 2], values: [1, 2, 3] }, /increasing/],
		[{ kind: 'oneCycle', maxLr: 0.1, totalSteps: 3 }, /too short/],
		[
			{ kind: 'oneCycle', maxLr: 0.1, totalSteps: 30, annealStrategy: 'cosine' },
			/annealStrategy must be one of "cos", "linear"/,
		],
		[{ kind: 'oneCycle', maxLr: 0.1, totalSteps: 30, pctStart: 1 }, /pctStart must be in \(0, 1\)/],
		[
			{ kind: 'cosineRestarts', initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0.5 },
			/tMul must be ≥ 1/,
		],
		[{ kind: 'reduceOnPlateau', initialLearningRate: 0.1, factor: 2 }, /factor must be < 1/],
		[{ kind: 'constant', lr: 'fast' }, /lr must be a finite number/],
	];
	for (const [spec, re] of bad) {
		assert.throws(() => parseScheduleSpec(spec), re, JSON.stringify(spec));
		try {
			parseScheduleSpec(spec);
		} catch (e) {
			assert.ok(!(e as Error).message.includes('\n'), 'one-line message');
		}
	}
	assert.throws(
		() => scheduleLrs(parseScheduleSpec({ kind: 'constant', lr: 1 }), -1),
		/integer ≥ 0/,
	);
});

test('describeSchedule names the source library of each kind', () => {
	assert.match(
		describeSchedule(parseScheduleSpec({ kind: 'oneCycle', maxLr: 0.003, totalSteps: 1000 })),
		/one-cycle: max 0\.003 over 1000 steps.*PyTorch OneCycleLR/,
	);
	assert.match(
		describeSchedule(
			parseScheduleSpec({
				kind: 'cosine',
				initialLearningRate: 0,
				decaySteps: 9,
				warmupTarget: 0.1,
				warmupSteps: 1,
			}),
		),
		/warmup 0 → 0\.1/,
	);
});
