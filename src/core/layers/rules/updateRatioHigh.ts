/**
 * Update ratio too high: ‖Δw‖/‖w‖ above `ratioHigh` for `patience` samples in a row. Never
 * suppressed by another finding (issue 20: a false early-divergence warning once hid this one).
 */
import { layerWords } from '../../present/layers';
import type { LayerRule } from './context';

export const updateRatioHighRule: LayerRule = (ctx, st, s, i, out) => {
	const o = ctx.options;
	const name = s.layers[i];
	const ratio = s.updateRatio[i];
	// The first updates of freshly initialised weights are large relative to them: not an LR problem,
	// unless each step replaces the weights wholesale (‖Δw‖ > ‖w‖).
	const high = ratio !== null && ratio > o.ratioHigh && (s.step >= o.ratioWarmupSteps || ratio > 1);
	st.high = high ? st.high + 1 : 0;
	st.highSince = high ? (st.highSince ?? s.step) : null;
	// patience samples, spanning at least deadSteps steps (samples every step would be 3 steps).
	if (st.high >= o.patience && (s.step - st.highSince! >= o.deadSteps || ratio! > 1)) {
		const w = layerWords.updateRatioHigh(name, ratio!, o.suggestedLr);
		ctx.fire(out, 'updateRatioHigh', name, name, st.highSince!, s.step, w);
	}
};
