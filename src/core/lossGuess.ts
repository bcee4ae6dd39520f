/**
 * A loss (and optimizer) for a model saved without a `trainingConfig` — tfjs writes one only with
 * `model.save(…, {includeOptimizer: true})`, so most saved models have neither. The guess comes from
 * the output layer's activation and width, and, for softmax, from the labels. Pure: the extension
 * reads the model.json itself (it never loads tfjs), the engine reads the loaded model.
 */

/** What the output layer computes: its activation and its width (last dimension). */
export interface OutputInfo {
	/** tfjs/Keras activation name (`softmax`, `sigmoid`, `linear`, …); `linear` when none. */
	activation: string;
	/** Units of the output (the last dimension); undefined when unknown. */
	units?: number;
}

/**
 * What the labels look like, when known: `indices` = one integer class index per example,
 * `classNames` = text, `oneHot` = 0/1 rows, `numbers` = anything else numeric.
 */
export type LabelKind = 'indices' | 'classNames' | 'oneHot' | 'numbers';

export interface LossGuess {
	/** tfjs loss name. */
	loss: string;
	/** Why, in a few words: "the softmax output", "one sigmoid unit". */
	because: string;
}

/** The optimizer used when nothing says otherwise (Keras's and most tutorials' default). */
export const defaultOptimizerGuess = 'adam';

/**
 * The loss an output layer implies: softmax → categorical CE (sparse when the labels are class
 * indices), sigmoid → binary CE, linear/other → mean squared error.
 */
export function guessLoss(out: OutputInfo, labels?: LabelKind): LossGuess {
	const act = normalizeActivation(out.activation);
	if (act === 'softmax' && out.units !== 1) {
		return labels === 'indices'
			? {
					loss: 'sparseCategoricalCrossentropy',
					because: 'the softmax output and class-index labels',
				}
			: { loss: 'categoricalCrossentropy', because: 'the softmax output' };
	}
	if (act === 'sigmoid') {
		return {
			loss: 'binaryCrossentropy',
			because: out.units === 1 ? 'one sigmoid unit' : 'the sigmoid output (multi-label)',
		};
	}
	if (act === 'linear') {
		return { loss: 'meanSquaredError', because: 'the linear output' };
	}
	return { loss: 'meanSquaredError', because: `the ${act} output (regression)` };
}

function normalizeActivation(a: string | undefined): string {
	const s = (a ?? '').trim();
	if (s === '' || s === 'none' || s === 'null') {
		return 'linear';
	}
	return s.toLowerCase();
}

interface TopoLayer {
	class_name?: unknown;
	name?: unknown;
	config?: { name?: unknown; activation?: unknown; units?: unknown; filters?: unknown };
	inbound_nodes?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Layers that pass their input through unchanged in width (for walking back to the units). */
const transparent =
	/^(Activation|Softmax|Dropout|SpatialDropout\dD|GaussianNoise|GaussianDropout|AlphaDropout|BatchNormalization|LayerNormalization|ReLU|LeakyReLU|ELU|ThresholdedReLU|PReLU)$/;

/**
 * The output layer of a saved `modelTopology` (tfjs `model.save()` or Keras export): its activation
 * (an `Activation`/`Softmax` layer after a Dense counts) and units. Undefined when unreadable or for a
 * multi-output model.
 */
export function outputOfTopology(topology: unknown): OutputInfo | undefined {
	if (!isObj(topology)) {
		return undefined;
	}
	const top = isObj(topology.model_config) ? topology.model_config : topology;
	const config = top.config;
	const layers: TopoLayer[] | undefined = Array.isArray(config)
		? (config as TopoLayer[])
		: isObj(config) && Array.isArray(config.layers)
			? (config.layers as TopoLayer[])
			: undefined;
	if (!layers?.length) {
		return undefined;
	}
	const nameOf = (l: TopoLayer): unknown => l.name ?? l.config?.name;
	const byName = new Map(layers.map((l) => [nameOf(l), l]));
	// Functional models name their outputs; Sequential models end with the last layer.
	let chain: TopoLayer[];
	if (isObj(config) && Array.isArray(config.output_layers)) {
		const outs = config.output_layers as unknown[];
		if (outs.length !== 1 || !Array.isArray(outs[0])) {
			return undefined;
		}
		chain = [];
		let l = byName.get((outs[0] as unknown[])[0]);
		for (let i = 0; l && i < 50; i++) {
			chain.push(l);
			l = byName.get(firstInbound(l));
		}
	} else {
		chain = [...layers].reverse();
	}
	let activation: string | undefined;
	for (const l of chain) {
		const cls = typeof l.class_name === 'string' ? l.class_name : '';
		const act = l.config?.activation;
		if (activation === undefined) {
			if (cls === 'Softmax') {
				activation = 'softmax';
			} else if (typeof act === 'string' && act !== 'linear') {
				activation = act;
			} else if (cls === 'ReLU') {
				activation = 'relu';
			}
		}
		if (typeof l.config?.units === 'number') {
			return { activation: activation ?? 'linear', units: l.config.units };
		}
		if (typeof l.config?.filters === 'number') {
			return { activation: activation ?? 'linear', units: l.config.filters };
		}
		if (!transparent.test(cls)) {
			return { activation: activation ?? normalizeActivation(act as string | undefined) };
		}
	}
	return activation ? { activation } : undefined;
}

/** The first inbound layer's name of a functional-model layer (tfjs and Keras 2/3 formats). */
function firstInbound(l: TopoLayer): unknown {
	const nodes = l.inbound_nodes;
	if (!Array.isArray(nodes) || !nodes.length) {
		return undefined;
	}
	const node = nodes[0] as unknown;
	if (Array.isArray(node) && Array.isArray(node[0])) {
		return (node[0] as unknown[])[0]; // tfjs / Keras 2: [[['dense_1', 0, 0, {}]]]
	}
	if (isObj(node) && Array.isArray(node.args)) {
		// Keras 3: [{args: [{class_name: '__keras_tensor__', config: {keras_history: ['dense_1', 0, 0]}}]}]
		const arg = node.args[0] as { config?: { keras_history?: unknown[] } } | undefined;
		return arg?.config?.keras_history?.[0];
	}
	return undefined;
}

/**
 * What a label array looks like: `perExample` values per example, all values given. Integer values
 * with one per example and more than one output unit are class indices; 0/1 rows summing to 1 are
 * one-hot.
 */
export function labelKindOf(values: ArrayLike<number>, perExample: number): LabelKind {
	const n = values.length;
	let integers = true;
	let binary = true;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (!Number.isInteger(v) || v < 0) {
			integers = false;
		}
		if (v !== 0 && v !== 1) {
			binary = false;
		}
		if (!integers && !binary) {
			return 'numbers';
		}
	}
	if (perExample === 1) {
		return integers ? 'indices' : 'numbers';
	}
	if (binary) {
		for (let i = 0; i < n; i += perExample) {
			let s = 0;
			for (let j = 0; j < perExample; j++) {
				s += values[i + j];
			}
			if (s !== 1) {
				return 'numbers';
			}
		}
		return 'oneHot';
	}
	return 'numbers';
}
