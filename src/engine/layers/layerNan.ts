/**
 * Where a non-finite gradient norm came from: a layer's weights, else the deepest layer whose
 * gradient is non-finite (the backward pass runs last layer first), else the first layer whose
 * output on the probe batch is non-finite, else the loss itself.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { NanOrigin } from '../../core/layers/types';
import type { LayerProbe, TrackedLayer } from './layerProbe';
import type { Tf } from '../sources/sourceTypes';

/** Where the first non-finite value came from (see the file comment); undefined if nowhere. */
export function nanOrigin(
	tf: Tf,
	list: { name: string; tensor: tfTypes.Tensor }[],
	vars: readonly { v: tfTypes.Variable; layer: number }[],
	varToLayer: ReadonlyMap<string, number>,
	layers: readonly TrackedLayer[],
	probe: LayerProbe,
	step: number,
): NanOrigin | undefined {
	const t = tf.tidy(() =>
		tf.stack([
			...list.map((g) => tf.any(tf.logicalNot(tf.isFinite(g.tensor))).cast('float32')),
			...vars.map((x) => tf.any(tf.logicalNot(tf.isFinite(x.v))).cast('float32')),
		]),
	);
	const bad = t.dataSync();
	t.dispose();
	const gradBad = new Array<boolean>(layers.length).fill(false);
	const weightBad = new Array<boolean>(layers.length).fill(false);
	list.forEach((g, i) => {
		const li = varToLayer.get(g.name);
		if (li !== undefined && bad[i] > 0) {
			gradBad[li] = true;
		}
	});
	vars.forEach((x, i) => {
		if (bad[list.length + i] > 0) {
			weightBad[x.layer] = true;
		}
	});
	if (!gradBad.includes(true) && !weightBad.includes(true)) {
		// Only the sum of squares overflowed: large, but finite.
		return undefined;
	}
	const wi = weightBad.indexOf(true);
	if (wi >= 0) {
		return { step, layer: layers[wi].name, where: 'weight' };
	}
	const lastBad = gradBad.lastIndexOf(true);
	const finiteAny = layers.some((l, i) => l.vars.length > 0 && !gradBad[i]);
	if (finiteAny) {
		// The backward pass runs last layer first: the deepest broken layer is where it broke.
		return { step, layer: layers[lastBad].name, where: 'gradient' };
	}
	const out = probe.firstNonFiniteOutput();
	return out !== undefined
		? { step, layer: out, where: 'output' }
		: { step, layer: null, where: 'loss' };
}
