/** Axis ticks shared by the panel charts and the SVG reports. */

/** 10^e without the float noise of Math.pow for negative exponents (1e-7, not 9.999999999999999e-8). */
function decade(e: number): number {
	return Number(`1e${e}`);
}

/**
 * Ticks for a log axis: every power of ten in [min, max], thinned evenly to at most `maxTicks`;
 * when that gives fewer than three ticks (a narrow range or zoom), the 2× and 5× steps too, so the
 * axis never shows a single label.
 */
export function logTicks(min: number, max: number, maxTicks = 12): number[] {
	if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
		return [];
	}
	const lo = Math.floor(Math.log10(min) + 1e-9);
	const hi = Math.ceil(Math.log10(max) - 1e-9);
	const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
	const decades: number[] = [];
	for (let e = lo; e <= hi; e++) {
		const v = decade(e);
		if (inRange(v)) {
			decades.push(v);
		}
	}
	const thin = (vs: number[]): number[] => {
		const step = Math.ceil(vs.length / Math.max(1, maxTicks));
		return vs.filter((_v, i) => i % step === 0);
	};
	if (decades.length >= 3) {
		return thin(decades);
	}
	const out: number[] = [];
	for (let e = lo; e <= hi; e++) {
		for (const m of [1, 2, 5]) {
			const v = m * decade(e);
			if (inRange(v)) {
				out.push(v);
			}
		}
	}
	// Small drawings (a hover) have room for few labels: the decades alone then, when there are two.
	return out.length > maxTicks && decades.length >= 2 ? decades : thin(out);
}

/** Nice linear ticks (1-2-5 steps) covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, target = 5): number[] {
	if (!(hi > lo)) {
		return [lo];
	}
	const raw = (hi - lo) / target;
	const mag = 10 ** Math.floor(Math.log10(raw));
	// The 1-2-5 step closest (in log terms) to the raw step.
	const step = [1, 2, 5, 10]
		.map((m) => m * mag)
		.reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
	const out: number[] = [];
	for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
		out.push(Number(v.toPrecision(12)));
	}
	return out;
}
