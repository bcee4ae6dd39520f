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
	// unless each step rewrites a large part of the layer (ratioSevere). An adaptive optimizer's ratio
	// is ≈ LR / rms(w) from its first step, whatever the gradient: its own, lower scale, no warmup.
	const adaptive = adaptiveOptimizer(s.optimizer);
	const severe = ratio !== null && ratio > (adaptive ? o.ratioHighAdaptive : o.ratioSevere);
	const high = severe || (ratio !== null && ratio > o.ratioHigh && s.step >= o.ratioWarmupSteps);
	st.high = high ? st.high + 1 : 0;
	st.highSince = high ? (st.highSince ?? s.step) : null;
	st.severe = severe ? st.severe + 1 : 0;
	// patience samples, spanning at least deadSteps steps (samples every step would be 3 steps);
	// severe ones need no span: by then a too-high LR may already have killed the layer's ReLUs.
	// An SGD/momentum ratio between ratioHigh and ratioSevere is ambiguous on its own (healthy runs near
	// the top of SGD's range reach it): it also needs a loss that stopped falling (while too few losses
	// were seen, it waits; a source that feeds no losses is not checked).
	const stalled = ctx.lossStalled;
	const corroborated =
		adaptive || st.severe >= o.patience || stalled === true || stalled === undefined;
	if (
		corroborated &&
		st.high >= o.patience &&
		(s.step - st.highSince! >= o.deadSteps || st.severe >= o.patience)
	) {
		const w = layerWords.updateRatioHigh(name, ratio!, o.suggestedLr);
		ctx.fire(out, 'updateRatioHigh', name, name, st.highSince!, s.step, w);
	}
};

/** Optimizers whose per-weight step is ≈ the LR whatever the gradient's size (tfjs class names). */
export function adaptiveOptimizer(name: string | undefined): boolean {
	return name !== undefined && /^(adam|adamax|rmsprop)$/i.test(name);
}
