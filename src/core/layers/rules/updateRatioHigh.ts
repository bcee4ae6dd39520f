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
	st.high = ratio !== null && ratio > o.ratioHigh ? st.high + 1 : 0;
	if (st.high >= o.patience) {
		const w = layerWords.updateRatioHigh(name, ratio!, o.suggestedLr);
		ctx.fire(out, 'updateRatioHigh', name, name, s.step - s.every * (o.patience - 1), s.step, w);
	}
};
