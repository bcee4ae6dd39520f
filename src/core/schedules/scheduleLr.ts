/**
 * The LR a schedule gives at a 0-based global step, with the Keras / PyTorch formulas in the same
 * operation order as the originals, so results match them to the last bit or two
 * (docs/algorithms.md, "Schedules").
 */
import type { OneCycleSpec, ScheduleSpec } from './spec';

/** PyTorch OneCycleLR phase end steps (real numbers). */
export function oneCyclePhaseEnds(s: OneCycleSpec): number[] {
	return s.threePhase
		? [s.pctStart * s.totalSteps - 1, 2 * s.pctStart * s.totalSteps - 2, s.totalSteps - 1]
		: [s.pctStart * s.totalSteps - 1, s.totalSteps - 1];
}

function annealCos(start: number, end: number, pct: number): number {
	const cosOut = Math.cos(Math.PI * pct) + 1;
	return end + ((start - end) / 2.0) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
	return (end - start) * pct + start;
}

function oneCycleLr(s: OneCycleSpec, stepIn: number): number {
	// PyTorch raises past totalSteps; we hold the last step's LR so longer previews stay defined.
	const step = Math.min(stepIn, s.totalSteps - 1);
	const initial = s.maxLr / s.divFactor;
	const min = initial / s.finalDivFactor;
	const lrs = s.threePhase ? [initial, s.maxLr, initial, min] : [initial, s.maxLr, min];
	const ends = oneCyclePhaseEnds(s);
	const anneal = s.annealStrategy === 'cos' ? annealCos : annealLinear;
	let startStep = 0;
	for (let i = 0; i < ends.length; i++) {
		const endStep = ends[i];
		if (step <= endStep || i === ends.length - 1) {
			const pct = (step - startStep) / (endStep - startStep);
			return anneal(lrs[i], lrs[i + 1], pct);
		}
		startStep = endStep;
	}
	return min;
}

function cosineDecayed(step: number, decaySteps: number, alpha: number, from: number): number {
	const completedFraction = step / decaySteps;
	const cosineDecay = 0.5 * (1.0 + Math.cos(Math.PI * completedFraction));
	const decayed = (1 - alpha) * cosineDecay + alpha;
	return from * decayed;
}

/** The LR a schedule gives at a 0-based global step. reduceOnPlateau, which needs losses, gives its initial LR. */
export function lrAt(spec: ScheduleSpec, step: number): number {
	switch (spec.kind) {
		case 'constant':
			return spec.lr;
		case 'step':
			return spec.initialLearningRate * Math.pow(spec.gamma, Math.floor(step / spec.stepSize));
		case 'exponential': {
			let p = step / spec.decaySteps;
			if (spec.staircase) {
				p = Math.floor(p);
			}
			return spec.initialLearningRate * Math.pow(spec.decayRate, p);
		}
		case 'piecewise': {
			const b = spec.boundaries;
			for (let i = 0; i < b.length; i++) {
				if (step <= b[i]) {
					return spec.values[i];
				}
			}
			return spec.values[b.length];
		}
		case 'polynomial': {
			let s = step;
			let d = spec.decaySteps;
			if (spec.cycle) {
				const multiplier = s === 0 ? 1.0 : Math.ceil(s / spec.decaySteps);
				d = d * multiplier;
			} else {
				s = Math.min(s, d);
			}
			const p = s / d;
			return (
				(spec.initialLearningRate - spec.endLearningRate) * Math.pow(1 - p, spec.power) +
				spec.endLearningRate
			);
		}
		case 'cosine': {
			if (spec.warmupTarget === null) {
				const s = Math.min(step, spec.decaySteps);
				return cosineDecayed(s, spec.decaySteps, spec.alpha, spec.initialLearningRate);
			}
			const s = Math.min(step, spec.decaySteps + spec.warmupSteps);
			if (s < spec.warmupSteps) {
				const completedFraction = s / spec.warmupSteps;
				const totalStepDelta = spec.warmupTarget - spec.initialLearningRate;
				return totalStepDelta * completedFraction + spec.initialLearningRate;
			}
			return cosineDecayed(s - spec.warmupSteps, spec.decaySteps, spec.alpha, spec.warmupTarget);
		}
		case 'cosineRestarts': {
			let f = step / spec.firstDecaySteps;
			let i: number;
			if (spec.tMul === 1.0) {
				i = Math.floor(f);
				f -= i;
			} else {
				i = Math.floor(Math.log(1.0 - f * (1.0 - spec.tMul)) / Math.log(spec.tMul));
				const sumR = (1.0 - Math.pow(spec.tMul, i)) / (1.0 - spec.tMul);
				f = (f - sumR) / Math.pow(spec.tMul, i);
			}
			const mFac = Math.pow(spec.mMul, i);
			const cosineDecayed = 0.5 * mFac * (1.0 + Math.cos(Math.PI * f));
			const decayed = (1 - spec.alpha) * cosineDecayed + spec.alpha;
			return spec.initialLearningRate * decayed;
		}
		case 'oneCycle':
			return oneCycleLr(spec, step);
		case 'reduceOnPlateau':
			return spec.initialLearningRate;
	}
}

/** `[lrAt(spec, 0), …, lrAt(spec, n-1)]`. */
export function scheduleLrs(spec: ScheduleSpec, n: number): number[] {
	if (!Number.isInteger(n) || n < 0) {
		throw new Error(`the number of steps must be an integer ≥ 0, got ${String(n)}`);
	}
	const out = new Array<number>(n);
	for (let i = 0; i < n; i++) {
		out[i] = lrAt(spec, i);
	}
	return out;
}
