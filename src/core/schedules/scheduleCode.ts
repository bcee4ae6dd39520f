/**
 * Generates tfjs code for a schedule. tfjs has no LR-schedule API, so the code is a callback class
 * (extending `tf.Callback`) that sets the optimizer's LR before every batch from a global step that
 * keeps counting across epochs. The LR function is emitted with the same operations, in the same
 * order, as `lrAt` in scheduleLr.ts, so it gives the same numbers bit for bit (a unit test evaluates
 * the generated code and checks this). The code needs nothing but `tf` in scope.
 */
import type {
	CosineRestartsSpec,
	CosineSpec,
	OneCycleSpec,
	ReduceOnPlateauSpec,
	ScheduleSpec,
} from './spec';
import { describeSchedule } from '../present/schedule';

import type { OptimizerKind } from '../tfjsNames';

/** Options for {@link scheduleCode}. */
export interface ScheduleCodeOptions {
	optimizer: OptimizerKind;
	/** Name of the generated class. Default `LrScopeSchedule`. */
	className?: string;
}

/** A number literal that parses back to exactly the same double. */
function num(x: number): string {
	// String(x) is the shortest round-trip form; -0 would print as 0, which is harmless here.
	return String(x);
}

/**
 * The statement that sets the LR. In tfjs 4.22 SGDOptimizer (and MomentumOptimizer, its subclass)
 * caches `-lr` as a kept scalar `c` built in `setLearningRate`, so assigning `learningRate` alone
 * would not change the update; the others read `this.learningRate` inside every `applyGradients`.
 */
function setLrStatement(opt: OptimizerKind, target: string, value: string): string {
	return opt === 'sgd' || opt === 'momentum'
		? `${target}.setLearningRate(${value});`
		: `${target}.learningRate = ${value};`;
}

/** Body of `function lrAt(step)` for a stateless schedule. */
function lrFunctionBody(s: Exclude<ScheduleSpec, ReduceOnPlateauSpec>): string[] {
	switch (s.kind) {
		case 'constant':
			return [`return ${num(s.lr)};`];
		case 'step':
			return [
				`return ${num(s.initialLearningRate)} * Math.pow(${num(s.gamma)}, Math.floor(step / ${num(s.stepSize)}));`,
			];
		case 'exponential':
			return [
				`let p = step / ${num(s.decaySteps)};`,
				...(s.staircase ? ['p = Math.floor(p);'] : []),
				`return ${num(s.initialLearningRate)} * Math.pow(${num(s.decayRate)}, p);`,
			];
		case 'piecewise':
			return [
				`const boundaries = [${s.boundaries.map(num).join(', ')}];`,
				`const values = [${s.values.map(num).join(', ')}];`,
				'for (let i = 0; i < boundaries.length; i++) {',
				'\tif (step <= boundaries[i]) {',
				'\t\treturn values[i];',
				'\t}',
				'}',
				'return values[boundaries.length];',
			];
		case 'polynomial':
			return [
				'let s = step;',
				`let d = ${num(s.decaySteps)};`,
				...(s.cycle
					? [`d = d * (s === 0 ? 1.0 : Math.ceil(s / ${num(s.decaySteps)}));`]
					: ['s = Math.min(s, d);']),
				'const p = s / d;',
				`return (${num(s.initialLearningRate)} - ${num(s.endLearningRate)}) * Math.pow(1 - p, ${num(s.power)}) + ${num(s.endLearningRate)};`,
			];
		case 'cosine':
			return cosineBody(s);
		case 'cosineRestarts':
			return cosineRestartsBody(s);
		case 'oneCycle':
			return oneCycleBody(s);
	}
}

/** Keras CosineDecay, with the optional linear warmup. */
function cosineBody(s: CosineSpec): string[] {
	const decay = (stepExpr: string, from: string): string[] => [
		`const completedFraction = ${stepExpr} / ${num(s.decaySteps)};`,
		'const cosineDecay = 0.5 * (1.0 + Math.cos(Math.PI * completedFraction));',
		`return ${from} * ((1 - ${num(s.alpha)}) * cosineDecay + ${num(s.alpha)});`,
	];
	if (s.warmupTarget === null) {
		return [
			`const s = Math.min(step, ${num(s.decaySteps)});`,
			...decay('s', num(s.initialLearningRate)),
		];
	}
	return [
		`const s = Math.min(step, ${num(s.decaySteps)} + ${num(s.warmupSteps)});`,
		`if (s < ${num(s.warmupSteps)}) {`,
		`\treturn (${num(s.warmupTarget)} - ${num(s.initialLearningRate)}) * (s / ${num(s.warmupSteps)}) + ${num(s.initialLearningRate)};`,
		'}',
		...decay(`(s - ${num(s.warmupSteps)})`, num(s.warmupTarget)),
	];
}

/** Keras CosineDecayRestarts. */
function cosineRestartsBody(s: CosineRestartsSpec): string[] {
	return [
		`let f = step / ${num(s.firstDecaySteps)};`,
		'let i;',
		...(s.tMul === 1
			? ['i = Math.floor(f);', 'f -= i;']
			: [
					`i = Math.floor(Math.log(1.0 - f * (1.0 - ${num(s.tMul)})) / Math.log(${num(s.tMul)}));`,
					`const sumR = (1.0 - Math.pow(${num(s.tMul)}, i)) / (1.0 - ${num(s.tMul)});`,
					`f = (f - sumR) / Math.pow(${num(s.tMul)}, i);`,
				]),
		`const cosineDecayed = 0.5 * Math.pow(${num(s.mMul)}, i) * (1.0 + Math.cos(Math.PI * f));`,
		`return ${num(s.initialLearningRate)} * ((1 - ${num(s.alpha)}) * cosineDecayed + ${num(s.alpha)});`,
	];
}

/**
 * PyTorch OneCycleLR: the phase ends and LRs, annealed between them. The derived values are written
 * as the expressions that give them (`maxLr / 25`, `0.3 * 1000 - 1`): the same floating-point
 * operations as core/schedules/scheduleLr.ts, so the code sets exactly its LRs, and a reader sees
 * `0.0095 / 25` rather than `0.00037999999999999997`.
 */
function oneCycleBody(s: OneCycleSpec): string[] {
	const steps = num(s.totalSteps);
	const pct = num(s.pctStart);
	const ends = s.threePhase
		? [`${pct} * ${steps} - 1`, `2 * ${pct} * ${steps} - 2`, `${steps} - 1`]
		: [`${pct} * ${steps} - 1`, `${steps} - 1`];
	const anneal =
		s.annealStrategy === 'cos'
			? 'return lrs[i + 1] + ((lrs[i] - lrs[i + 1]) / 2.0) * (Math.cos(Math.PI * pct) + 1);'
			: 'return (lrs[i + 1] - lrs[i]) * pct + lrs[i];';
	return [
		`const maxLr = ${num(s.maxLr)};`,
		`const initial = maxLr / ${num(s.divFactor)}; // start = max ÷ divFactor`,
		`const min = initial / ${num(s.finalDivFactor)}; // end = start ÷ finalDivFactor`,
		'// PyTorch OneCycleLR stops at totalSteps; hold the last LR after it.',
		`const st = Math.min(step, ${num(s.totalSteps - 1)});`,
		`const lrs = [${s.threePhase ? 'initial, maxLr, initial, min' : 'initial, maxLr, min'}];`,
		`const ends = [${ends.join(', ')}];`,
		'let start = 0;',
		'for (let i = 0; i < ends.length; i++) {',
		'\tif (st <= ends[i] || i === ends.length - 1) {',
		'\t\tconst pct = (st - start) / (ends[i] - start);',
		`\t\t${anneal}`,
		'\t}',
		'\tstart = ends[i];',
		'}',
		'return min;',
	];
}

const indent = (lines: string[], tabs: number): string[] => lines.map((l) => '\t'.repeat(tabs) + l);

/**
 * JavaScript source of a tfjs callback class that applies `spec` during `model.fit`, for the given
 * optimizer. Usage (printed in the header comment): `callbacks: [new LrScopeSchedule()]`.
 * reduceOnPlateau becomes an `onEpochEnd` callback that watches `spec.monitor`.
 */
export function scheduleCode(spec: ScheduleSpec, opts: ScheduleCodeOptions): string {
	const cls = opts.className ?? 'LrScopeSchedule';
	if (!/^[A-Za-z_$][\w$]*$/.test(cls)) {
		throw new Error(`className must be a JavaScript identifier, got "${cls}"`);
	}
	const header = [
		`// LR Scope: ${describeSchedule(spec)}.`,
		`// For a tf.train.${opts.optimizer}() optimizer. Needs only \`tf\` (@tensorflow/tfjs or tfjs-node) in scope.`,
		`// Usage: await model.fit(x, y, { epochs, callbacks: [new ${cls}()] });`,
	];
	if (spec.kind === 'reduceOnPlateau') {
		return [...header, ...plateauClass(spec, opts.optimizer, cls)].join('\n') + '\n';
	}
	return (
		[
			...header,
			'// The LR is set before every batch from a global step that keeps counting across epochs.',
			`class ${cls} extends tf.Callback {`,
			'\tconstructor() {',
			'\t\tsuper();',
			'\t\tthis.globalStep = 0;',
			'\t}',
			'',
			'\t/** The learning rate at a 0-based global step. */',
			'\tstatic lrAt(step) {',
			...indent(lrFunctionBody(spec), 2),
			'\t}',
			'',
			'\tasync onBatchBegin(_batch, _logs) {',
			`\t\t${setLrStatement(opts.optimizer, 'this.model.optimizer', `${cls}.lrAt(this.globalStep)`)}`,
			'\t\tthis.globalStep += 1;',
			'\t}',
			'}',
		].join('\n') + '\n'
	);
}

/** Keras- or PyTorch-rule reduce-on-plateau as an `onEpochEnd` callback (same rule as PlateauScheduler). */
function plateauClass(s: ReduceOnPlateauSpec, opt: OptimizerKind, cls: string): string[] {
	const rule =
		s.mode === 'keras'
			? [
					'if (this.cooldownCounter > 0) {',
					'\tthis.cooldownCounter -= 1;',
					'\tthis.wait = 0;',
					'}',
					`if (current < this.best - ${num(s.minDelta)}) {`,
					'\tthis.best = current;',
					'\tthis.wait = 0;',
					'} else if (!(this.cooldownCounter > 0)) {',
					'\tthis.wait += 1;',
					`\tif (this.wait >= ${num(s.patience)} && this.lr > ${num(s.minLr)}) {`,
					`\t\tthis.lr = Math.max(this.lr * ${num(s.factor)}, ${num(s.minLr)});`,
					`\t\tthis.cooldownCounter = ${num(s.cooldown)};`,
					'\t\tthis.wait = 0;',
					'\t}',
					'}',
				]
			: [
					s.thresholdMode === 'rel'
						? `if (current < this.best * (1 - ${num(s.threshold)})) {`
						: `if (current < this.best - ${num(s.threshold)}) {`,
					'\tthis.best = current;',
					'\tthis.wait = 0;',
					'} else {',
					'\tthis.wait += 1;',
					'}',
					'if (this.cooldownCounter > 0) {',
					'\tthis.cooldownCounter -= 1;',
					'\tthis.wait = 0;',
					'}',
					`if (this.wait > ${num(s.patience)}) {`,
					`\tconst next = Math.max(this.lr * ${num(s.factor)}, ${num(s.minLr)});`,
					`\tif (this.lr - next > ${num(s.eps)}) {`,
					'\t\tthis.lr = next;',
					'\t}',
					`\tthis.cooldownCounter = ${num(s.cooldown)};`,
					'\tthis.wait = 0;',
					'}',
				];
	return [
		`// Reduces the LR when ${JSON.stringify(s.monitor)} stops improving (${s.mode === 'keras' ? 'Keras' : 'PyTorch'} ReduceLROnPlateau rule).`,
		`class ${cls} extends tf.Callback {`,
		'\tconstructor() {',
		'\t\tsuper();',
		`\t\tthis.lr = ${num(s.initialLearningRate)};`,
		'\t\tthis.best = Infinity;',
		'\t\tthis.wait = 0;',
		'\t\tthis.cooldownCounter = 0;',
		'\t}',
		'',
		'\tasync onTrainBegin(_logs) {',
		`\t\t${setLrStatement(opt, 'this.model.optimizer', 'this.lr')}`,
		'\t}',
		'',
		'\tasync onEpochEnd(_epoch, logs) {',
		`\t\tconst v = logs ? logs[${JSON.stringify(s.monitor)}] : undefined;`,
		'\t\tif (v === undefined) {',
		'\t\t\treturn; // like Keras: a missing monitor value changes nothing',
		'\t\t}',
		"\t\tconst current = typeof v === 'number' ? v : NaN; // NaN is never an improvement",
		...indent(rule, 2),
		`\t\t${setLrStatement(opt, 'this.model.optimizer', 'this.lr')}`,
		'\t}',
		'}',
	];
}
