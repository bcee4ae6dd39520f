/**
 * Decimation for drawing: the charts (panel, side view) draw at most {@link maxDrawPoints} points
 * per curve. Min/max per bucket keeps every spike (averaging would hide them) and every gap, and it
 * returns indices, so several aligned series (raw and smoothed loss, the LR of a live run) keep the
 * *same* points. One O(n) pass per series.
 */

/**
 * Curves longer than this are decimated before drawing: ~2 points per horizontal pixel of a wide
 * panel is all a line can show, and uPlot stays interactive well beyond it.
 */
export const maxDrawPoints = 4000;

const finite = (v: number | null | undefined): v is number =>
	typeof v === 'number' && Number.isFinite(v);

/**
 * Indices to keep so that a curve of `n` points draws with at most ~`max` points: the first and last
 * point and, per bucket, the points holding each series' minimum and maximum. Non-finite points are
 * always kept so gaps stay visible.
 */
export function decimationIndices(
	n: number,
	max: number,
	series: readonly ArrayLike<number | null>[],
): number[] {
	if (n <= max || n <= 2) {
		return Array.from({ length: n }, (_v, i) => i);
	}
	// Each bucket contributes up to 2 points per series; size buckets so the total stays near `max`.
	const perBucket = Math.max(2, 2 * Math.max(1, series.length));
	const buckets = Math.max(1, Math.floor((max - 2) / perBucket));
	const size = (n - 2) / buckets;
	const keep = new Set<number>([0, n - 1]);
	for (let b = 0; b < buckets; b++) {
		const from = 1 + Math.floor(b * size);
		const to = Math.min(n - 1, 1 + Math.floor((b + 1) * size));
		for (const s of series) {
			let iMin = -1;
			let iMax = -1;
			for (let i = from; i < to; i++) {
				const v = s[i];
				if (!finite(v)) {
					keep.add(i);
					continue;
				}
				if (iMin < 0 || v < (s[iMin] as number)) {
					iMin = i;
				}
				if (iMax < 0 || v > (s[iMax] as number)) {
					iMax = i;
				}
			}
			if (iMin >= 0) {
				keep.add(iMin);
				keep.add(iMax);
			}
		}
		if (!series.length) {
			keep.add(from);
		}
	}
	return [...keep].sort((a, b) => a - b);
}
