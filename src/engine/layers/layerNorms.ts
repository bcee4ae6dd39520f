/**
 * The numbers a layer sample is made of (layerSignals.ts): the gradients' sums of squares (one per
 * variable, every step), the update's and the weights' sums of squares after a sampled step, and
 * their per-layer totals, ‖Δw‖ and ‖w‖.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from '../sources/sourceTypes';

/** One variable's gradient, as the optimizer's `applyGradients` receives it. */
export interface NamedGrad {
	name: string;
	tensor: tfTypes.Tensor;
}

/** A tracked trainable variable and the index of its layer. */
export interface TrackedVar {
	name: string;
	v: tfTypes.Variable;
	layer: number;
}

/** A sampled step's per-layer numbers, kept until the batch ends; `ms` is what measuring cost. */
export interface PendingSample {
	step: number;
	grad: Float64Array;
	dw: (number | null)[];
	w: (number | null)[];
	ms: number;
}

/** `applyGradients`'s argument (a list, or a map by variable name) as a list. */
export function gradList(grads: unknown): NamedGrad[] {
	return Array.isArray(grads)
		? (grads as NamedGrad[])
		: Object.entries(grads as Record<string, tfTypes.Tensor>).map(([name, tensor]) => ({
				name,
				tensor,
			}));
}

/** Each gradient's sum of squares, in one read. */
export function gradSumsOfSquares(tf: Tf, list: readonly NamedGrad[]): Float32Array {
	const t = tf.tidy(() =>
		tf.stack(list.map((g) => tf.sum(tf.square(tf.cast(g.tensor, 'float32'))))),
	);
	const sums = t.dataSync() as Float32Array;
	t.dispose();
	return sums;
}

/** Per variable, the sums of squares of its update since `before` and of its weights, interleaved. */
export function updateSumsOfSquares(
	tf: Tf,
	vars: readonly TrackedVar[],
	before: readonly tfTypes.Tensor[],
): ArrayLike<number> {
	const t = tf.tidy(() =>
		tf.stack(
			vars.flatMap((x, i) => [tf.sum(tf.square(tf.sub(x.v, before[i]))), tf.sum(tf.square(x.v))]),
		),
	);
	const d = t.dataSync();
	t.dispose();
	return d;
}

/** Per layer: the gradient's sum of squares, ‖Δw‖ and ‖w‖ (none without a gradient); `ms` is 0. */
export function perLayer(
	layerCount: number,
	varToLayer: ReadonlyMap<string, number>,
	vars: readonly TrackedVar[],
	list: readonly NamedGrad[],
	sums: Float32Array,
	d: ArrayLike<number>,
	step: number,
): PendingSample {
	const grad = new Float64Array(layerCount);
	const dw = new Float64Array(layerCount);
	const w = new Float64Array(layerCount);
	// A layer the optimizer got no gradient for is frozen (trainable: false) or detached: no
	// numbers for it, rather than a zero that would read as "not learning".
	const hasGrad = new Array<boolean>(layerCount).fill(false);
	for (let i = 0; i < list.length; i++) {
		const li = varToLayer.get(list[i].name);
		if (li !== undefined) {
			grad[li] += sums[i];
			hasGrad[li] = true;
		}
	}
	vars.forEach((x, i) => {
		dw[x.layer] += d[2 * i];
		w[x.layer] += d[2 * i + 1];
	});
	const fin = (v: number): number | null => (Number.isFinite(v) ? Math.sqrt(v) : null);
	return {
		step,
		grad: grad.map((g, i) => (hasGrad[i] ? g : NaN)),
		dw: Array.from(dw, (v, i) => (hasGrad[i] ? fin(v) : null)),
		w: Array.from(w, fin),
		ms: 0,
	};
}
