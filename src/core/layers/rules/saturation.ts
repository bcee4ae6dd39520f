/**
 * Saturation (issue 20): most of a layer's sigmoid/tanh activations pinned at their bounds for
 * `patience` samples and `deadSteps` steps. Such units pass almost no gradient.
 */
import { layerWords } from '../../present/layers';
import type { LayerRule } from './context';

export const saturationRule: LayerRule = (ctx, st, s, i, out) => {
	const o = ctx.options;
	const name = s.layers[i];
	const sat = s.saturated[i];
	if (sat === null || sat <= o.saturatedFraction) {
		st.satSince = null;
		st.satCount = 0;
		return;
	}
	st.satSince ??= s.step;
	st.satCount++;
	if (st.satCount >= o.patience && s.step - st.satSince >= o.deadSteps) {
		const first = s.params.findIndex((p) => p > 0) === i;
		const w = layerWords.saturation(name, sat, st.satSince, first);
		ctx.fire(out, 'saturation', name, name, st.satSince, s.step, w);
	}
};
