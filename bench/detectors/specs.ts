/**
 * The labelled corpus's run specifications (issue 20): which tiny tfjs model, data, optimizer and
 * fault each recorded run has. Drawn from a seed, so `generate.ts` can rebuild any run. Pure data.
 */
import { mulberry32 } from '../../src/core/random';

/** What a run is, by construction (checked against the recording by `label.ts`). */
export const runKinds = [
	'healthy',
	'highLr',
	'growingLr',
	'deadRelu',
	'vanishing',
	'exploding',
	'saturation',
	'plateau',
	'overfitting',
] as const;
export type RunKind = (typeof runKinds)[number];

export interface RunSpec {
	id: string;
	kind: RunKind;
	seed: number;
	task: 'regression' | 'classification';
	/** Input features (standard normal), scaled by `inputScale`. */
	inputs: number;
	inputScale: number;
	trainRows: number;
	valRows: number;
	/** Label noise (regression: σ added to y; classification: fraction of flipped labels). */
	labelNoise: number;
	hidden: number[];
	activation: 'relu' | 'tanh' | 'sigmoid' | 'linear';
	/** Activation of the first hidden layer (saturation runs use tanh there). */
	firstActivation?: 'relu' | 'tanh' | 'sigmoid' | 'linear';
	/** Kernel initializer standard deviation multiplier (1 = glorot/he default). */
	initGain: number;
	/** Constant bias of hidden layer `deadLayer` (dead ReLU runs). */
	deadBias?: number;
	deadLayer?: number;
	optimizer: 'adam' | 'sgd' | 'momentum';
	lr: number;
	/** Multiplied into the LR every step (growing-LR runs). */
	lrGrowth?: number;
	/** From this epoch on the LR is 1e-9 (true plateau runs). */
	freezeEpoch?: number;
	batchSize: number;
	epochs: number;
	long: boolean;
	/** Which log granularity the loss detectors see on replay. */
	granularity: 'batch' | 'epoch';
}

const pick = <T>(u: () => number, xs: readonly T[]): T => xs[Math.floor(u() * xs.length)];
const logUniform = (u: () => number, lo: number, hi: number): number =>
	Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));

/** A healthy base: a small MLP at a sensible LR on enough data to keep improving. */
function base(kind: RunKind, index: number, u: () => number): RunSpec {
	const long = u() < 0.5;
	const optimizer = pick(u, ['adam', 'adam', 'sgd', 'momentum'] as const);
	const lr =
		optimizer === 'adam'
			? logUniform(u, 3e-4, 3e-3)
			: optimizer === 'sgd'
				? logUniform(u, 0.01, 0.08)
				: logUniform(u, 3e-3, 2e-2);
	const depth = pick(u, [1, 2, 2, 3]);
	const width = pick(u, [12, 16, 24, 32]);
	return {
		id: `${kind}-${String(index).padStart(3, '0')}`,
		kind,
		seed: Math.floor(u() * 2 ** 31),
		task: u() < 0.5 ? 'regression' : 'classification',
		inputs: pick(u, [4, 6, 8]),
		inputScale: 1,
		trainRows: long ? pick(u, [192, 256]) : pick(u, [256, 384]),
		valRows: 128,
		labelNoise: 0.05 + 0.1 * u(),
		hidden: new Array<number>(depth).fill(width),
		activation: pick(u, ['relu', 'relu', 'tanh'] as const),
		initGain: 1,
		optimizer,
		lr,
		batchSize: pick(u, [16, 32]),
		epochs: long ? 30 + Math.floor(u() * 6) : 6 + Math.floor(u() * 5),
		long,
		granularity: u() < 0.7 ? 'batch' : 'epoch',
	};
}

/** Applies the fault of `kind` to a healthy base. */
function fault(s: RunSpec, u: () => number): RunSpec {
	switch (s.kind) {
		case 'highLr':
			s.lr = s.optimizer === 'adam' ? logUniform(u, 0.3, 2) : logUniform(u, 1, 6);
			return s;
		case 'growingLr': {
			// The LR grows geometrically to a value that diverges at 50–90 % of the run.
			s.lr = s.optimizer === 'adam' ? 3e-4 : 3e-3;
			s.epochs = Math.max(s.epochs, 16);
			const steps = s.epochs * Math.ceil(s.trainRows / s.batchSize);
			const end = s.optimizer === 'adam' ? logUniform(u, 1, 10) : logUniform(u, 10, 100);
			s.lrGrowth = Math.exp(Math.log(end / s.lr) / ((0.5 + 0.4 * u()) * steps));
			return s;
		}
		case 'deadRelu':
			s.activation = 'relu';
			s.hidden = new Array<number>(Math.max(2, s.hidden.length)).fill(s.hidden[0]);
			s.deadLayer = u() < 0.5 ? 0 : s.hidden.length - 1;
			s.deadBias = -(3 + 3 * u());
			return s;
		case 'vanishing':
			s.activation = 'sigmoid';
			s.hidden = new Array<number>(8 + Math.floor(u() * 5)).fill(pick(u, [8, 12, 16]));
			s.optimizer = pick(u, ['sgd', 'momentum'] as const);
			s.lr = logUniform(u, 0.01, 0.05);
			return s;
		case 'exploding':
			// A deep linear stack at an LR past its stability edge: gradients grow step after step.
			s.activation = 'linear';
			s.hidden = new Array<number>(5 + Math.floor(u() * 4)).fill(pick(u, [12, 16]));
			s.initGain = 1.2;
			s.optimizer = 'momentum';
			s.lr = logUniform(u, 0.005, 0.02);
			s.lrGrowth = 1.01;
			return s;
		case 'saturation':
			s.firstActivation = 'tanh';
			s.inputScale = 30 + 70 * u();
			return s;
		case 'plateau':
			s.long = true;
			s.epochs = 30 + Math.floor(u() * 6);
			s.freezeEpoch = 8 + Math.floor(u() * 8);
			return s;
		case 'overfitting':
			s.long = true;
			s.epochs = 40;
			s.trainRows = pick(u, [32, 48]);
			s.valRows = 256;
			s.labelNoise = 0.3;
			s.hidden = [64, 64];
			s.optimizer = 'adam';
			s.lr = logUniform(u, 3e-3, 1e-2);
			s.batchSize = 8;
			return s;
		default:
			return s;
	}
}

/**
 * How many runs of each kind the corpus holds. Each kind draws from its own seeded stream, so raising
 * a count appends runs (healthy-460… were added later to reach 200 healthy held-out runs) and leaves
 * every earlier spec unchanged.
 */
export const corpusCounts: Readonly<Record<RunKind, number>> = {
	healthy: 520,
	highLr: 40,
	growingLr: 50,
	deadRelu: 40,
	vanishing: 40,
	exploding: 40,
	saturation: 40,
	plateau: 40,
	overfitting: 40,
};

/**
 * Runs added later to widen regimes the first corpus had few of (each kind from its own second seeded
 * stream; ids continue after `corpusCounts`, so no earlier spec changes): healthy runs logged per epoch
 * with a wobbly epoch loss (momentum or SGD near the top of its range, small batches, noisier labels,
 * long), SGD near the top of its healthy range, and long runs; too-high LRs on Adam (0.2–0.8) and on
 * momentum (0.8–2.5), the ranges where the first corpus's misses were.
 */
export const wideningCounts: Readonly<Partial<Record<RunKind, number>>> = {
	healthy: 140,
	highLr: 30,
};

function widen(s: RunSpec, u: () => number): RunSpec {
	if (s.kind === 'highLr') {
		s.optimizer = u() < 0.5 ? 'adam' : 'momentum';
		s.lr = s.optimizer === 'adam' ? logUniform(u, 0.2, 0.8) : logUniform(u, 0.8, 2.5);
		return s;
	}
	const regime = pick(u, ['wobbly', 'sgdTop', 'long'] as const);
	if (regime === 'wobbly') {
		s.granularity = 'epoch';
		s.long = true;
		s.epochs = 30 + Math.floor(u() * 6);
		s.trainRows = pick(u, [128, 192]);
		s.batchSize = pick(u, [8, 16]);
		s.labelNoise = 0.1 + 0.1 * u();
		s.optimizer = u() < 0.5 ? 'momentum' : 'sgd';
		s.lr = s.optimizer === 'momentum' ? logUniform(u, 8e-3, 2e-2) : logUniform(u, 0.04, 0.08);
	} else if (regime === 'sgdTop') {
		s.optimizer = 'sgd';
		s.lr = logUniform(u, 0.05, 0.08);
	} else {
		s.long = true;
		s.epochs = 30 + Math.floor(u() * 6);
		s.granularity = u() < 0.5 ? 'epoch' : 'batch';
	}
	return s;
}

/** Every spec of the corpus, in a fixed order. */
export function corpusSpecs(seed = 20): RunSpec[] {
	const out: RunSpec[] = [];
	for (const kind of Object.keys(corpusCounts) as RunKind[]) {
		const u = mulberry32(seed * 7919 + runKinds.indexOf(kind) * 104729);
		for (let i = 0; i < corpusCounts[kind]; i++) {
			out.push(fault(base(kind, i, u), u));
		}
	}
	for (const kind of Object.keys(wideningCounts) as RunKind[]) {
		const u = mulberry32(seed * 7919 + runKinds.indexOf(kind) * 104729 + 31337);
		for (let i = 0; i < wideningCounts[kind]!; i++) {
			out.push(widen(fault(base(kind, corpusCounts[kind] + i, u), u), u));
		}
	}
	return out;
}

/** FNV-1a of a string (the split rule's hash). */
export function fnv1a(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

/**
 * The split, fixed before any tuning (issue 20): a run is in the tuning half when the FNV-1a hash of
 * "<id>/lrscope-split-20" is even, else held out. Never change it.
 */
export function splitOf(id: string): 'tune' | 'heldOut' {
	return fnv1a(`${id}/lrscope-split-20`) % 2 === 0 ? 'tune' : 'heldOut';
}
