/**
 * Not learning: a zero gradient, or tiny updates for longer, unless something else explains it (dead
 * units here or upstream, vanishing gradients below it, saturation).
 */
import { layerWords } from '../../present/layers';
import type { LayerRuleContext, LayerState } from './context';
import { runState, upstreamDead } from './context';
import type { Finding } from '../../types';
import type { LayerSample } from '../types';

export function notLearningRule(
	ctx: LayerRuleContext,
	st: LayerState,
	s: LayerSample,
	i: number,
	out: Finding[],
	vanishingBelow: boolean,
): void {
	const o = ctx.options;
	const name = s.layers[i];
	const ratio = s.updateRatio[i];
	const dead = s.dead[i];
	const sat = s.saturated[i];
	st.zero = s.gradNorm[i] === 0 ? st.zero + 1 : 0;
	// A low ratio counts only while another layer still moves 100× faster: when every layer
	// moves little the model has converged (or the LR is low everywhere), which is not this layer's problem.
	const fastest = s.updateRatio.reduce<number>(
		(m, r, j) => (j !== i && s.params[j] > 0 && r !== null ? Math.max(m, r) : m),
		0,
	);
	st.low = ratio !== null && ratio < o.ratioLow && fastest >= 100 * ratio ? st.low + 1 : 0;
	const explained =
		ctx.fired('deadUnits', name) ||
		ctx.fired('saturation', name) ||
		(dead !== null && dead > o.deadFraction) ||
		(sat !== null && sat > o.saturatedFraction) ||
		upstreamDead(ctx, s, i) !== null ||
		vanishingBelow;
	if ((st.zero >= o.patience || st.low >= o.lowPatience) && !explained) {
		const w = layerWords.notLearning(name, st.zero >= o.patience ? 0 : ratio, runState(ctx));
		ctx.fire(out, 'notLearning', name, name, s.step, s.step, w);
	}
}
