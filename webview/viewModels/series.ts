/**
 * Series math shared by the view-models: the value type, gaps for non-finite values, aligning
 * curves with different x values, the robust loss range, and runs of points passing a test.
 */

/** A chart series value: `null` = gap (non-finite or absent). */
export type Y = number | null;

/**
 * Merges curves with different x values into uPlot's aligned form: one sorted x array and, per
 * series, a value or `null` at every x (uPlot draws gaps across nulls only with spanGaps).
 */
export function alignSeries(
	series: readonly { x: readonly number[]; ys: readonly (readonly Y[])[] }[],
): {
	x: number[];
	ys: Y[][];
} {
	const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
	const pos = new Map(xs.map((v, i) => [v, i]));
	const ys: Y[][] = [];
	for (const s of series) {
		for (const y of s.ys) {
			const out = new Array<Y>(xs.length).fill(null);
			s.x.forEach((xv, i) => {
				out[pos.get(xv) as number] = y[i] ?? null;
			});
			ys.push(out);
		}
	}
	return { x: xs, ys };
}

/**
 * Y range for a loss curve: from the lowest finite loss to the highest loss of the descent (left of
 * the smoothed minimum) or the 90th percentile of raw losses, whichever is higher, padded by 5%.
 * A diverging tail (often 10–1000× the minimum) would otherwise flatten the part users read.
 */
export function robustYRange(raw: readonly Y[], smoothed: readonly Y[]): [number, number] {
	const finiteRaw = raw.filter(isFiniteNumber);
	const finiteSmooth = smoothed.filter(isFiniteNumber);
	const all = [...finiteRaw, ...finiteSmooth];
	if (!all.length) {
		return [0, 1];
	}
	const lo = Math.min(...all);
	let argmin = -1;
	smoothed.forEach((v, i) => {
		if (isFiniteNumber(v) && (argmin < 0 || v < (smoothed[argmin] as number))) {
			argmin = i;
		}
	});
	const descent = argmin >= 0 ? smoothed.slice(0, argmin + 1).filter(isFiniteNumber) : [];
	const sorted = [...finiteRaw].sort((a, b) => a - b);
	const q90 = sorted.length
		? sorted[Math.min(sorted.length - 1, Math.floor(0.9 * (sorted.length - 1)))]
		: lo;
	const hi = Math.max(q90, ...descent, lo);
	const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
	return [lo - pad, hi + pad];
}

/** Runs of consecutive indices whose value passes `test`, as x spans with their largest value. */
export function spansWhere(
	x: readonly number[],
	value: (i: number) => number,
	test: (v: number) => boolean,
): { from: number; to: number; max: number }[] {
	const out: { from: number; to: number; max: number }[] = [];
	let cur: { from: number; to: number; max: number } | null = null;
	for (let i = 0; i < x.length; i++) {
		const v = value(i);
		if (test(v)) {
			if (cur) {
				cur.to = x[i];
				cur.max = Math.max(cur.max, v);
			} else {
				cur = { from: x[i], to: x[i], max: v };
				out.push(cur);
			}
		} else {
			cur = null;
		}
	}
	return out;
}

/** The value, or `null` (a gap) when it is absent or not finite. */
export function finiteOrNull(v: Y | undefined): Y {
	return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** Whether a series value is a finite number (not a gap). */
export function isFiniteNumber(v: Y | undefined): v is number {
	return typeof v === 'number' && Number.isFinite(v);
}
