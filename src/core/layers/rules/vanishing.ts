/**
 * Vanishing gradients: the first trainable layer's per-weight gradient (‖g‖/√n) below `vanishRatio`
 * × the last one's for `patience` samples. Needs depth: three trainable layers or more.
 */
import { layerWords } from '../../present/layers';
import type { Finding } from '../../types';
import type { LayerSample } from '../types';
import type { LayerRuleContext } from './context';

/** Feeds one sample; returns whether gradients vanish now (which explains a slow layer below). */
export function vanishingRule(
	ctx: LayerRuleContext,
	state: { count: number },
	s: LayerSample,
	out: Finding[],
): boolean {
	const o = ctx.options;
	const rms = (i: number): number | null => {
		const g = s.gradNorm[i];
		return g !== null && s.params[i] > 0 ? g / Math.sqrt(s.params[i]) : null;
	};
	const idx = s.layers.map((_n, i) => i).filter((i) => s.params[i] > 0);
	if (idx.length < 3) {
		// Two layers are not "depth"; a small first-layer gradient there is about scaling.
		state.count = 0;
		return false;
	}
	const first = rms(idx[0]);
	const last = rms(idx[idx.length - 1]);
	// A zero gradient is no gradient at all (dead units, a detached layer): other rules cover it.
	if (first === null || last === null || first === 0 || last === 0) {
		state.count = 0;
		return false;
	}
	const r = first / last;
	state.count = r < o.vanishRatio ? state.count + 1 : 0;
	if (state.count >= o.patience) {
		const sat = s.saturated.filter((x): x is number => x !== null);
		const satMean = sat.length ? sat.reduce((a, b) => a + b, 0) / sat.length : null;
		const firstName = s.layers[idx[0]];
		const lastName = s.layers[idx[idx.length - 1]];
		const w = layerWords.vanishingGradients(firstName, lastName, r, satMean);
		const from = s.step - s.every * (o.patience - 1);
		ctx.fire(out, 'vanishingGradients', firstName, firstName, from, s.step, w);
		return true;
	}
	return state.count > 0 && ctx.firedKind('vanishingGradients');
}
