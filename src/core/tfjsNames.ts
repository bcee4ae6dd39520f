/**
 * What tfjs calls things, as tables: the optimizer kinds, their constructor and compile-string
 * defaults, the Keras spellings compile() accepts, and the module names that are tfjs. Shared by
 * the LR-site finder, the schedule code generator and the engine's model loader.
 */

/** tfjs optimizers (as `tf.train.<name>` creates them). */
export type OptimizerKind =
	'sgd' | 'momentum' | 'adam' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';

/** Every optimizer kind: the optimizer constructors `tf.train.*` has (tfjs 4.22). */
export const optimizerKinds: readonly OptimizerKind[] = [
	'sgd',
	'momentum',
	'adam',
	'adamax',
	'rmsprop',
	'adagrad',
	'adadelta',
];

/** {@link optimizerKinds} as a set of names, for lookups while walking the syntax tree. */
export const optimizerNames: ReadonlySet<string> = new Set(optimizerKinds);

/**
 * Defaults of the `tf.train.*` constructors' `learningRate` parameter (tfjs-core 4.22
 * optimizer_constructors.ts). sgd, momentum, rmsprop and adagrad have none: it is required.
 */
export const constructorDefaultLr: Readonly<Partial<Record<OptimizerKind, number>>> = {
	adam: 0.001,
	adamax: 0.002,
	adadelta: 0.001,
};

/**
 * What `model.compile({ optimizer: '<name>' })` builds (tfjs-layers 4.22 optimizers.ts
 * `getOptimizer`): note that these differ from the constructor defaults (adadelta 1, sgd 0.01).
 */
export const compileStringDefaults: Readonly<Record<string, { kind: OptimizerKind; lr: number }>> =
	{
		sgd: { kind: 'sgd', lr: 0.01 },
		adam: { kind: 'adam', lr: 0.001 },
		adamax: { kind: 'adamax', lr: 0.002 },
		rmsprop: { kind: 'rmsprop', lr: 0.001 },
		adagrad: { kind: 'adagrad', lr: 0.01 },
		adadelta: { kind: 'adadelta', lr: 1 },
	};
/** The names compile() accepts, to the canonical ones: tfjs accepts the capitalised Keras names too. */
export const compileStringNames: Readonly<Record<string, string>> = {
	sgd: 'sgd',
	SGD: 'sgd',
	adam: 'adam',
	Adam: 'adam',
	adamax: 'adamax',
	Adamax: 'adamax',
	rmsprop: 'rmsprop',
	RMSProp: 'rmsprop',
	adagrad: 'adagrad',
	Adagrad: 'adagrad',
	adadelta: 'adadelta',
	Adadelta: 'adadelta',
};

/** The module specifiers that are tfjs (`@tensorflow/tfjs`, `-node`, `-node-gpu`, `-core`, dist files). */
export const tfjsModule = /^@tensorflow\/tfjs(-node(-gpu)?|-core)?(\/dist\/.*)?$/;
