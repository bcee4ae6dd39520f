/**
 * The layer samples a live run keeps (issue 15), bounded: a long run sampled every few steps would
 * otherwise grow without limit. Over the cap, every other old sample is dropped (the newest half
 * stays whole), so the heatmap keeps its shape over the whole run and full detail at the live edge.
 */
import type { LayerSample } from './types';

/** Samples kept per run: a heatmap column each, far more than a panel is wide in pixels. */
export const maxLayerSamples = 1000;

/** Appends `samples` to `list` in place, thinning the older half when over `max`. */
export function appendLayerSamples(
	list: LayerSample[],
	samples: readonly LayerSample[],
	max = maxLayerSamples,
): void {
	list.push(...samples);
	if (list.length <= max) {
		return;
	}
	const half = Math.floor(list.length / 2);
	const older = list.slice(0, half).filter((_s, i) => i % 2 === 0);
	list.splice(0, half, ...older);
}
