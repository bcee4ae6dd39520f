/**
 * Dead ReLUs: most of a layer's units dead for `patience` samples and `deadSteps` steps. The advice
 * follows the cause: a dead layer before it, a diverged run, or the layer itself.
 */
import { layerWords } from '../../present/layers';
import type { LayerRule } from './context';
import { runState, upstreamDead } from './context';

export const deadUnitsRule: LayerRule = (ctx, st, s, i, out) => {
	const o = ctx.options;
	const name = s.layers[i];
	const dead = s.dead[i];
	if (dead === null || dead <= o.deadFraction) {
		st.deadSince = null;
		st.deadCount = 0;
		return;
	}
	st.deadSince ??= s.step;
	st.deadCount++;
	if (st.deadCount >= o.patience && s.step - st.deadSince >= o.deadSteps) {
		const cause = { upstream: upstreamDead(ctx, s, i), state: runState(ctx) };
		const w = layerWords.deadUnits(name, dead, st.deadSince, cause);
		ctx.fire(out, 'deadUnits', name, name, st.deadSince, s.step, w);
	}
};
