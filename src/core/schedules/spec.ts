/**
 * Learning-rate schedule specs: the Keras / PyTorch schedules as plain JSON, so a spec can travel
 * through the CLI, the webview and settings (docs/algorithms.md, "Schedules"). The types and kinds
 * only; `parseScheduleSpec` (parseSpec.ts) validates one and fills the defaults of the library the
 * schedule comes from, `describeSchedule` (core/present/schedule.ts) says it in words. The LR at a
 * step is in scheduleLr.ts, reduce-on-plateau in plateauScheduler.ts.
 */

/** How oneCycle interpolates inside a phase (PyTorch `anneal_strategy`). */
export type AnnealStrategy = 'cos' | 'linear';

/** A fixed LR. */
export interface ConstantSpec {
	kind: 'constant';
	lr: number;
}
/** PyTorch StepLR: `initialLearningRate · gamma^floor(step/stepSize)`. */
export interface StepSpec {
	kind: 'step';
	initialLearningRate: number;
	stepSize: number;
	gamma: number;
}
/** Keras ExponentialDecay: `initialLearningRate · decayRate^(step/decaySteps)` (floored with `staircase`). */
export interface ExponentialSpec {
	kind: 'exponential';
	initialLearningRate: number;
	decaySteps: number;
	decayRate: number;
	staircase: boolean;
}
/** Keras PiecewiseConstantDecay: `values[i]` on `(boundaries[i-1], boundaries[i]]`. */
export interface PiecewiseSpec {
	kind: 'piecewise';
	boundaries: number[];
	values: number[];
}
/** Keras PolynomialDecay. */
export interface PolynomialSpec {
	kind: 'polynomial';
	initialLearningRate: number;
	decaySteps: number;
	endLearningRate: number;
	power: number;
	cycle: boolean;
}
/** Keras CosineDecay, with its optional linear warmup (`warmupTarget` null = no warmup). */
export interface CosineSpec {
	kind: 'cosine';
	initialLearningRate: number;
	decaySteps: number;
	alpha: number;
	warmupTarget: number | null;
	warmupSteps: number;
}
/** Keras CosineDecayRestarts (SGDR). */
export interface CosineRestartsSpec {
	kind: 'cosineRestarts';
	initialLearningRate: number;
	firstDecaySteps: number;
	tMul: number;
	mMul: number;
	alpha: number;
}
/** PyTorch OneCycleLR (per step). */
export interface OneCycleSpec {
	kind: 'oneCycle';
	maxLr: number;
	totalSteps: number;
	pctStart: number;
	divFactor: number;
	finalDivFactor: number;
	annealStrategy: AnnealStrategy;
	threePhase: boolean;
}
/**
 * Reduce on plateau, fed one monitored loss per epoch (see {@link PlateauScheduler}). `mode: 'keras'`
 * follows Keras ReduceLROnPlateau (absolute `minDelta`, reduce when `wait ≥ patience`); `mode:
 * 'torch'` follows PyTorch ReduceLROnPlateau (`threshold` relative or absolute, reduce when
 * `bad > patience`, only if the change exceeds `eps`).
 */
export interface ReduceOnPlateauSpec {
	kind: 'reduceOnPlateau';
	initialLearningRate: number;
	mode: 'keras' | 'torch';
	factor: number;
	patience: number;
	/** Keras: an improvement must beat the best by more than this (absolute). */
	minDelta: number;
	/** PyTorch: improvement threshold, relative (`rel`) or absolute (`abs`). */
	threshold: number;
	thresholdMode: 'rel' | 'abs';
	cooldown: number;
	minLr: number;
	/** PyTorch: ignore reductions smaller than this. */
	eps: number;
	/** The log key the generated tfjs callback watches (Keras default `val_loss`). */
	monitor: string;
}

/** Any schedule, with every parameter filled in. */
export type ScheduleSpec =
	| ConstantSpec
	| StepSpec
	| ExponentialSpec
	| PiecewiseSpec
	| PolynomialSpec
	| CosineSpec
	| CosineRestartsSpec
	| OneCycleSpec
	| ReduceOnPlateauSpec;

/** The schedule kinds. */
export type ScheduleKind = ScheduleSpec['kind'];

/** Every kind, in display order. */
export const scheduleKinds: readonly ScheduleKind[] = [
	'constant',
	'step',
	'exponential',
	'piecewise',
	'polynomial',
	'cosine',
	'cosineRestarts',
	'oneCycle',
	'reduceOnPlateau',
];
