/** Exploding: ‖g‖ explodeFactor× the median of the layer's previous samples, rising twice in a row. */
import { layerWords } from '../../present/layers';
import type { LayerRule } from './context';

export const explodingRule: LayerRule = (ctx, st, s, i, out) => {
	const o = ctx.options;
	const name = s.layers[i];
	const g = s.gradNorm[i];
	if (g === null || g <= 0) {
		return;
	}
	const prev = st.recent;
	if (prev.length >= o.explodeWarmup && !ctx.firedKind('earlyDivergence')) {
		const sorted = prev.map((r) => r.g).sort((x, y) => x - y);
		const ref = sorted[Math.floor(sorted.length / 2)];
		const last = prev[prev.length - 1];
		if (g >= o.explodeFactor * ref && last.g > ref && g > last.g) {
			const from = prev.find((r) => r.g === ref)!.step;
			const w = layerWords.explodingGradients(name, g / ref, s.step - from, o.suggestedLr);
			ctx.fire(out, 'explodingGradients', name, name, last.step, s.step, w);
		}
	}
	prev.push({ step: s.step, g });
	if (prev.length > o.explodeWindow) {
		prev.shift();
	}
};
