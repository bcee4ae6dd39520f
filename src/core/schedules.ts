/**
 * Learning-rate schedules as functions of the 0-based global step, with the Keras / PyTorch formulas
 * (ALGORITHMS.md, "Schedules"). Each spec is plain JSON so it can travel through the CLI, the
 * webview and settings; `parseScheduleSpec` validates one and fills the defaults of the library the
 * schedule comes from. Formulas are written in the same operation order as the originals so results
 * match them to the last bit or two.
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

type FieldType =
	| 'lr'
	| 'posNum'
	| 'nonNegNum'
	| 'posInt'
	| 'nonNegInt'
	| 'num'
	| 'bool'
	| 'numArray'
	| 'lrOrNull'
	| 'string'
	| string[];
interface FieldDef {
	type: FieldType;
	/** Default; `undefined` = required. */
	def?: unknown;
}

/** Field tables: type and default (from Keras / PyTorch) of every parameter of every kind. */
const fields: Record<ScheduleKind, Record<string, FieldDef>> = {
	constant: { lr: { type: 'lr' } },
	step: {
		initialLearningRate: { type: 'lr' },
		stepSize: { type: 'posInt' },
		gamma: { type: 'posNum', def: 0.1 },
	},
	exponential: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		decayRate: { type: 'posNum' },
		staircase: { type: 'bool', def: false },
	},
	piecewise: { boundaries: { type: 'numArray' }, values: { type: 'numArray' } },
	polynomial: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		endLearningRate: { type: 'lr', def: 0.0001 },
		power: { type: 'posNum', def: 1 },
		cycle: { type: 'bool', def: false },
	},
	cosine: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		alpha: { type: 'nonNegNum', def: 0 },
		warmupTarget: { type: 'lrOrNull', def: null },
		warmupSteps: { type: 'nonNegNum', def: 0 },
	},
	cosineRestarts: {
		initialLearningRate: { type: 'lr' },
		firstDecaySteps: { type: 'posNum' },
		tMul: { type: 'posNum', def: 2 },
		mMul: { type: 'nonNegNum', def: 1 },
		alpha: { type: 'nonNegNum', def: 0 },
	},
	oneCycle: {
		maxLr: { type: 'lr' },
		totalSteps: { type: 'posInt' },
		pctStart: { type: 'posNum', def: 0.3 },
		divFactor: { type: 'posNum', def: 25 },
		finalDivFactor: { type: 'posNum', def: 1e4 },
		annealStrategy: { type: ['cos', 'linear'], def: 'cos' },
		threePhase: { type: 'bool', def: false },
	},
	reduceOnPlateau: {
		initialLearningRate: { type: 'lr' },
		mode: { type: ['keras', 'torch'], def: 'keras' },
		factor: { type: 'posNum', def: 0.1 },
		patience: { type: 'nonNegInt', def: 10 },
		minDelta: { type: 'nonNegNum', def: 1e-4 },
		threshold: { type: 'nonNegNum', def: 1e-4 },
		thresholdMode: { type: ['rel', 'abs'], def: 'rel' },
		cooldown: { type: 'nonNegInt', def: 0 },
		minLr: { type: 'nonNegNum', def: 0 },
		eps: { type: 'nonNegNum', def: 1e-8 },
		monitor: { type: 'string', def: 'val_loss' },
	},
};

function checkField(kind: string, name: string, type: FieldType, v: unknown): void {
	const where = `schedule "${kind}": ${name}`;
	const isNum = typeof v === 'number' && Number.isFinite(v);
	const bad = (what: string): never => {
		throw new Error(`${where} must be ${what}, got ${JSON.stringify(v) ?? String(v)}`);
	};
	if (Array.isArray(type)) {
		if (typeof v !== 'string' || !type.includes(v)) {
			bad(`one of ${type.map((t) => `"${t}"`).join(', ')}`);
		}
		return;
	}
	switch (type) {
		case 'lr':
			return void (isNum && (v as number) >= 0 ? 0 : bad('a finite number ≥ 0'));
		case 'lrOrNull':
			return void (v === null || (isNum && (v as number) >= 0)
				? 0
				: bad('a finite number ≥ 0 or null'));
		case 'posNum':
			return void (isNum && (v as number) > 0 ? 0 : bad('a finite number > 0'));
		case 'nonNegNum':
			return void (isNum && (v as number) >= 0 ? 0 : bad('a finite number ≥ 0'));
		case 'num':
			return void (isNum ? 0 : bad('a finite number'));
		case 'posInt':
			return void (Number.isInteger(v) && (v as number) > 0 ? 0 : bad('an integer > 0'));
		case 'nonNegInt':
			return void (Number.isInteger(v) && (v as number) >= 0 ? 0 : bad('an integer ≥ 0'));
		case 'bool':
			return void (typeof v === 'boolean' ? 0 : bad('true or false'));
		case 'numArray':
			return void (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))
				? 0
				: bad('an array of finite numbers'));
		case 'string':
			return void (typeof v === 'string' && v.length > 0 ? 0 : bad('a non-empty string'));
	}
}

/**
 * Validates a schedule spec from JSON and fills in defaults. Throws an Error with a one-line message
 * naming the bad field (unknown kind, missing or mistyped parameter, unknown parameter, or a
 * combination the formula cannot evaluate).
 */
export function parseScheduleSpec(json: unknown): ScheduleSpec {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new Error(
			'a schedule spec must be a JSON object like {"kind":"cosine","initialLearningRate":0.01,"decaySteps":1000}',
		);
	}
	const o = json as Record<string, unknown>;
	const kind = o.kind;
	if (typeof kind !== 'string' || !(scheduleKinds as readonly string[]).includes(kind)) {
		throw new Error(
			`schedule kind must be one of ${scheduleKinds.join(', ')}; got ${JSON.stringify(kind) ?? 'nothing'}`,
		);
	}
	const defs = fields[kind as ScheduleKind];
	for (const key of Object.keys(o)) {
		if (key !== 'kind' && !(key in defs)) {
			throw new Error(
				`schedule "${kind}": unknown field "${key}"; expected ${Object.keys(defs).join(', ')}`,
			);
		}
	}
	const spec: Record<string, unknown> = { kind };
	for (const [name, def] of Object.entries(defs)) {
		const v = o[name] === undefined ? def.def : o[name];
		if (v === undefined) {
			throw new Error(`schedule "${kind}": missing required field "${name}"`);
		}
		checkField(kind, name, def.type, v);
		spec[name] = Array.isArray(v) ? [...(v as number[])] : v;
	}
	const s = spec as unknown as ScheduleSpec;
	checkCombination(s);
	return s;
}

/** Cross-field checks: the combinations where the original formula divides by zero or is undefined. */
function checkCombination(s: ScheduleSpec): void {
	switch (s.kind) {
		case 'piecewise':
			if (s.values.length !== s.boundaries.length + 1) {
				throw new Error(
					`schedule "piecewise": values must have one more entry than boundaries (got ${s.values.length} values, ${s.boundaries.length} boundaries)`,
				);
			}
			for (let i = 1; i < s.boundaries.length; i++) {
				if (s.boundaries[i] < s.boundaries[i - 1]) {
					throw new Error(
						`schedule "piecewise": boundaries must be increasing (boundaries[${i}] = ${s.boundaries[i]} < ${s.boundaries[i - 1]})`,
					);
				}
			}
			return;
		case 'cosineRestarts':
			// tMul < 1 makes the periods' sum finite, after which Keras's log() goes NaN.
			if (s.tMul < 1) {
				throw new Error(`schedule "cosineRestarts": tMul must be ≥ 1, got ${s.tMul}`);
			}
			return;
		case 'oneCycle': {
			if (s.pctStart >= 1) {
				throw new Error(`schedule "oneCycle": pctStart must be in (0, 1), got ${s.pctStart}`);
			}
			const ends = oneCyclePhaseEnds(s);
			let prev = 0;
			for (const e of ends) {
				if (!(e > prev)) {
					throw new Error(
						`schedule "oneCycle": totalSteps ${s.totalSteps} is too short for pctStart ${s.pctStart} (a phase would have no steps; PyTorch divides by zero here)`,
					);
				}
				prev = e;
			}
			return;
		}
		case 'reduceOnPlateau':
			if (s.factor >= 1) {
				throw new Error(`schedule "reduceOnPlateau": factor must be < 1, got ${s.factor}`);
			}
			return;
		default:
			return;
	}
}

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

/**
 * Reduce-on-plateau as a stateful scheduler: call `step(loss)` after each epoch with the monitored
 * loss (`null`/NaN = non-finite, which never counts as an improvement); it returns the LR for the
 * next epoch. Keras mode follows `keras.callbacks.ReduceLROnPlateau.on_epoch_end`; torch mode follows
 * `torch.optim.lr_scheduler.ReduceLROnPlateau.step` (mode 'min').
 */
export class PlateauScheduler {
	private _lr: number;
	private _best = Infinity;
	private _wait = 0;
	private _cooldown = 0;
	/** Epochs at which the LR was reduced (0-based count of `step` calls). */
	readonly reductions: number[] = [];
	private _epoch = 0;

	constructor(readonly spec: ReduceOnPlateauSpec) {
		this._lr = spec.initialLearningRate;
	}

	/** The current LR. */
	get lr(): number {
		return this._lr;
	}

	/** Feeds one epoch's monitored loss; returns the LR to use from now on. */
	step(loss: number | null): number {
		const current = loss === null ? NaN : loss;
		const s = this.spec;
		if (s.mode === 'keras') {
			if (this._cooldown > 0) {
				this._cooldown -= 1;
				this._wait = 0;
			}
			if (current < this._best - s.minDelta) {
				this._best = current;
				this._wait = 0;
			} else if (!(this._cooldown > 0)) {
				this._wait += 1;
				if (this._wait >= s.patience) {
					const old = this._lr;
					if (old > s.minLr) {
						this._lr = Math.max(old * s.factor, s.minLr);
						this.reductions.push(this._epoch);
						this._cooldown = s.cooldown;
						this._wait = 0;
					}
				}
			}
		} else {
			const better =
				s.thresholdMode === 'rel'
					? current < this._best * (1 - s.threshold)
					: current < this._best - s.threshold;
			if (better) {
				this._best = current;
				this._wait = 0;
			} else {
				this._wait += 1;
			}
			if (this._cooldown > 0) {
				this._cooldown -= 1;
				this._wait = 0;
			}
			if (this._wait > s.patience) {
				const old = this._lr;
				const next = Math.max(old * s.factor, s.minLr);
				if (old - next > s.eps) {
					this._lr = next;
					this.reductions.push(this._epoch);
				}
				this._cooldown = s.cooldown;
				this._wait = 0;
			}
		}
		this._epoch += 1;
		return this._lr;
	}
}

/** LRs used for each epoch when a plateau scheduler is fed `losses` (entry `e` = LR during epoch `e`). */
export function plateauLrs(
	spec: ReduceOnPlateauSpec,
	losses: readonly (number | null)[],
): number[] {
	const p = new PlateauScheduler(spec);
	const out: number[] = [p.lr];
	for (const l of losses) {
		out.push(p.step(l));
	}
	return out;
}

/** A short human description of a spec, e.g. "oneCycle maxLr 3e-3 over 1000 steps (cos, two-phase)". */
export function describeSchedule(s: ScheduleSpec): string {
	const g = (x: number): string => Number(x.toPrecision(3)).toString();
	switch (s.kind) {
		case 'constant':
			return `constant ${g(s.lr)}`;
		case 'step':
			return `step: ${g(s.initialLearningRate)} × ${g(s.gamma)} every ${s.stepSize} steps (PyTorch StepLR)`;
		case 'exponential':
			return `exponential: ${g(s.initialLearningRate)} × ${g(s.decayRate)}^(step/${g(s.decaySteps)})${s.staircase ? ', staircase' : ''} (Keras ExponentialDecay)`;
		case 'piecewise':
			return `piecewise: ${s.values.map(g).join(' → ')} at steps ${s.boundaries.join(', ')} (Keras PiecewiseConstantDecay)`;
		case 'polynomial':
			return `polynomial: ${g(s.initialLearningRate)} → ${g(s.endLearningRate)} over ${g(s.decaySteps)} steps, power ${g(s.power)}${s.cycle ? ', cycling' : ''} (Keras PolynomialDecay)`;
		case 'cosine':
			return s.warmupTarget === null
				? `cosine: ${g(s.initialLearningRate)} decaying over ${g(s.decaySteps)} steps, alpha ${g(s.alpha)} (Keras CosineDecay)`
				: `cosine: warmup ${g(s.initialLearningRate)} → ${g(s.warmupTarget)} over ${g(s.warmupSteps)} steps, then decay over ${g(s.decaySteps)} steps, alpha ${g(s.alpha)} (Keras CosineDecay)`;
		case 'cosineRestarts':
			return `cosine restarts: ${g(s.initialLearningRate)}, first period ${g(s.firstDecaySteps)} steps, tMul ${g(s.tMul)}, mMul ${g(s.mMul)} (Keras CosineDecayRestarts)`;
		case 'oneCycle':
			return `one-cycle: max ${g(s.maxLr)} over ${s.totalSteps} steps, ${s.annealStrategy}, ${s.threePhase ? 'three' : 'two'}-phase (PyTorch OneCycleLR)`;
		case 'reduceOnPlateau':
			return `reduce on plateau: ${g(s.initialLearningRate)} × ${g(s.factor)} after ${s.patience} epochs without improvement (${s.mode === 'keras' ? 'Keras' : 'PyTorch'} rule)`;
	}
}
