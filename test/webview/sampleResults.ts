/**
 * Deterministic, realistically shaped results for the webview's unit tests and screenshots:
 * a range test whose loss plateaus, falls, bottoms out and diverges, like a small dense classifier.
 */
import { rampLrs } from '../../src/core/ramp';
import { debiasedEma } from '../../src/core/smoothing';
import { headlineOf, suggest } from '../../src/core/headline';
import type { Verification } from '../../src/core/verify';
import type {
	LoadedRangeTest,
	LogRecord,
	RangeTestResult,
	SweepResult,
} from '../../src/core/types';
import { mulberry32 } from '../../src/core/random';

/** Seeded uniform numbers in [0, 1) (mulberry32). */
export const seededRandom = mulberry32;

/** Loss as a function of LR: a plateau near ln(10), a descent over ~1e-4…3e-2, divergence above. */
function lossShape(lr: number): number {
	const x = Math.log10(lr);
	const descent = 2.0 / (1 + Math.exp(-2.2 * (x + 2.6)));
	const blowUp = x > -1.2 ? Math.pow(10, 1.6 * (x + 1.2)) - 1 : 0;
	return 2.35 - descent + blowUp;
}

/** Loss of a model that is already trained: flat noise around 0.4 until ~3e-2, then divergence. */
function flatShape(lr: number): number {
	const x = Math.log10(lr);
	return 0.4 + (x > -1.5 ? Math.pow(10, 1.6 * (x + 1.5)) - 1 : 0);
}

/**
 * A range test of `steps` requested steps that stops when the smoothed loss passes 4× its minimum.
 * `shape: 'flat'` is a curve with no clear valley (a trained model: flat, then rising).
 */
export function sampleRangeTest(
	opts: {
		steps?: number;
		seed?: number;
		beta?: number;
		noise?: number;
		shape?: 'valley' | 'flat';
	} = {},
): LoadedRangeTest {
	const shape = opts.shape === 'flat' ? flatShape : lossShape;
	const steps = opts.steps ?? 100;
	const beta = opts.beta ?? 0.98;
	const rnd = seededRandom(opts.seed ?? 7);
	const lrs = rampLrs(steps, 1e-7, 10, 'exp');
	const losses: number[] = [];
	let best = Infinity;
	let avg = 0;
	let recorded = 0;
	let stopReason: RangeTestResult['stopReason'] = 'completed';
	for (let i = 0; i < steps; i++) {
		const l = shape(lrs[i]) * (1 + (opts.noise ?? 0.06) * (rnd() - 0.5));
		losses.push(l);
		recorded = i + 1;
		avg = beta * avg + (1 - beta) * l;
		const s = avg / (1 - Math.pow(beta, i + 1));
		best = Math.min(best, s);
		if (s > 4 * best) {
			stopReason = 'diverged';
			break;
		}
	}
	const used = lrs.slice(0, recorded);
	const smoothed = debiasedEma(losses, beta);
	return {
		lrs: used,
		losses,
		smoothed,
		beta,
		stopReason,
		steps,
		ramp: 'exp',
		startLr: 1e-7,
		endLr: 10,
		report: suggest(used, smoothed, steps),
		lossMode: 'train',
		batchSize: 32,
		seed: opts.seed ?? 7,
		backend: {
			name: 'wasm',
			origin: 'bundled',
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'tfjs-node is not installed; wasm can train this model',
		},
		seconds: 3.4,
		model: {
			name: 'dense-classifier',
			params: 2915,
			optimizer: 'adam',
			loss: 'categoricalCrossentropy',
		},
		notes: [],
	};
}

/** A 5-LR sweep over 8 epochs with validation: too low learns slowly, too high diverges. */
export function sampleSweep(): SweepResult {
	const lrs = [1e-4, 1e-3, 3e-3, 1e-2, 1e-1];
	const rnd = seededRandom(3);
	const results = lrs.map((lr) => {
		const speed = Math.min(1.2, lr * 300);
		const unstable = lr >= 0.05;
		const curve = Array.from({ length: 8 }, (_v, e) =>
			unstable ? 1.2 + 0.3 * e + 0.1 * rnd() : 0.25 + 2 * Math.exp(-speed * (e + 1)) + 0.02 * rnd(),
		);
		const valCurve = curve.map((v, e) => v + 0.05 + (lr === 1e-2 ? 0.03 * e : 0));
		return { lr, finalLoss: curve[7], finalValLoss: valCurve[7], batches: 8 * 30, curve, valCurve };
	});
	return {
		results,
		best: { lr: 3e-3 },
		folds: 1,
		epochs: 8,
		totalBatches: 5 * 8 * 30,
		backend: sampleRangeTest().backend,
		seconds: 21,
		notes: [],
	};
}

/** A monitored run: 4 epochs × 50 batches of loss and LR, validation loss per epoch. */
export function sampleLiveRecords(): LogRecord[] {
	const rnd = seededRandom(11);
	const out: LogRecord[] = [];
	for (let e = 0; e < 4; e++) {
		for (let b = 0; b < 50; b++) {
			const step = e * 50 + b;
			const loss =
				0.3 +
				2 * Math.exp(-step / 60) +
				0.08 * (rnd() - 0.5) +
				(step > 170 ? (step - 170) * 0.05 : 0);
			out.push({ step, unit: 'step', values: { loss, lr: 3e-3 * (1 - step / 400) } });
		}
		out.push({
			step: e,
			unit: 'epoch',
			values: { val_loss: 0.45 + 1.6 * Math.exp(-e) + (e === 3 ? 0.9 : 0) },
		});
	}
	return out;
}

/**
 * A monitored run that diverges, shaped like test/fixtures/scripts/diverging.js: 12 epochs × 10
 * batches of a regression whose loss falls from ~1.4 to ~0.6 at LR 0.01; at step 60 a schedule bug
 * sets LR 3 and the loss grows ~6× per step until it overflows float32 (~4e37), then is NaN.
 * Every epoch ends with an epoch record (epoch-mean loss, validation loss, LR), as fitHook sends.
 */
export function sampleDivergingRecords(): LogRecord[] {
	const rnd = seededRandom(5);
	const out: LogRecord[] = [];
	let blown = 1;
	for (let e = 0; e < 12; e++) {
		const epochLosses: number[] = [];
		for (let b = 0; b < 10; b++) {
			const step = e * 10 + b;
			const lr = step >= 60 ? 3 : 0.01;
			let loss = 0.6 + 0.8 * Math.exp(-step / 20) + 0.06 * (rnd() - 0.5);
			if (step >= 60) {
				blown *= 6 + rnd();
				loss *= blown;
			}
			// float32 overflow: the loss becomes Infinity, then NaN once the weights are Inf.
			const value = loss > 3.4e38 ? null : loss;
			epochLosses.push(value ?? NaN);
			out.push({ step, unit: 'step', values: { loss: value, lr } });
		}
		const mean = epochLosses.reduce((a, v) => a + v, 0) / epochLosses.length;
		const val = Number.isFinite(mean) ? mean * 1.08 + 0.04 : null;
		out.push({
			step: e,
			unit: 'epoch',
			values: { loss: Number.isFinite(mean) ? mean : null, val_loss: val, lr: e >= 6 ? 3 : 0.01 },
		});
	}
	return out;
}

/**
 * The sample range test with a verified headline: its curve LR lost to the candidate half a decade
 * above it on held-out loss (what the engine stores as `report.headline.verified`).
 */
export function sampleVerifiedRangeTest(): LoadedRangeTest {
	const r = sampleRangeTest();
	const h = headlineOf(r);
	const curveLr = h.lr!;
	const lrs = [-1, -0.5, 0, 0.5, 1].map((d) => curveLr * Math.pow(10, d));
	const losses = [0.61, 0.47, 0.41, 0.388, 0.52];
	const verified: Verification = {
		lr: lrs[3],
		curveLr,
		candidates: lrs.map((lr, i) => ({
			lr,
			origin: i === 2 ? 'curve' : 'factor',
			heldOutLoss: losses[i],
			steps: 200,
		})),
		steps: 200,
		heldOut: 'slice',
		heldOutExamples: 64,
		totalSteps: 1000,
		stepsFrom: 'default',
	};
	return { ...r, report: { ...r.report, headline: { ...h, lr: lrs[3], verified } } };
}
