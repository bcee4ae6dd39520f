/**
 * Divergence ahead, from a layer's update ratio (issue 20): ‖Δw‖/‖w‖ — the optimizer's real step
 * relative to the weights — has grown `ratioGrowth`× above its own low and is already above
 * `ratioFloor`. A step that keeps growing against the weights is the run heading for instability (a
 * rising LR, or steps outgrowing the weights): on the recorded growing-LR runs the ratio climbs well
 * before the loss does, while the global gradient norm stays inside its mini-batch noise. As in
 * earlyDivergence.ts, window medians of log ratio are compared, with a margin of `noiseZ` standard
 * errors of a median measured from the layer's own sample-to-sample changes (with SGD the ratio
 * follows the mini-batch gradient, which swings 10–70×; a lucky quiet window must not set the low).
 * Raised as `earlyDivergence`, once per run, before the loss broke.
 */
import { layerWords } from '../../present/layers';
import { median } from '../../stats';
import type { LayerRule } from './context';

/** Sample-to-sample changes the noise level is measured over. */
const noiseSamples = 32;

export const ratioRisingRule: LayerRule = (ctx, st, s, i, out) => {
	const o = ctx.options;
	const e = o.early;
	const ratio = s.updateRatio[i];
	if (ratio === null || !(ratio > 0) || !Number.isFinite(ratio)) {
		return;
	}
	const lr = Math.log(ratio);
	const last = st.ratios.at(-1);
	if (last !== undefined) {
		st.ratioDiffs.push(Math.abs(lr - last));
		if (st.ratioDiffs.length > noiseSamples) {
			st.ratioDiffs.shift();
		}
	}
	st.ratios.push(lr);
	if (st.ratios.length > e.ratioWindow) {
		st.ratios.shift();
	}
	// The first steps of fresh weights move a lot and then settle: the low is taken after them.
	if (st.ratios.length < e.ratioWindow || s.step < o.ratioWarmupSteps) {
		return;
	}
	const now = median(st.ratios);
	st.ratioLow = Math.min(st.ratioLow, now);
	const se = (1.2533 * (1.4826 / Math.SQRT2) * median(st.ratioDiffs)) / Math.sqrt(e.ratioWindow);
	if (
		now >= Math.log(e.ratioFloor) &&
		now - st.ratioLow >= Math.log(e.ratioGrowth) + e.noiseZ * se &&
		!ctx.lossBroke &&
		!ctx.firedKind('earlyDivergence') &&
		!ctx.firedKind('explodingGradients')
	) {
		const growth = Math.exp(now - st.ratioLow);
		const w = layerWords.earlyDivergenceRatio(s.layers[i], growth, Math.exp(now), o.suggestedLr);
		ctx.fire(out, 'earlyDivergence', 'update_ratio', s.layers[i], s.step, s.step, w);
	}
};
