/**
 * Curve decimation for drawing: a million points should draw like a thousand without losing the
 * spikes users care about. Both methods are one O(n) pass, so cost per input point is flat.
 * - `decimateMinMax`: per bucket, the min and the max (in x order) — keeps every spike, exact envelope.
 * - `lttb`: Largest-Triangle-Three-Buckets (Steinarsson 2013) — keeps the visual shape with one point per bucket.
 * Non-finite y values (NaN, or `null` in the input) mark gaps: min/max keeps one NaN per bucket that
 * had any so a chart still shows the break; LTTB drops them (it needs finite areas).
 */

/** A decimated curve; y is NaN where there is a gap. */
export interface Decimated {
	x: number[];
	y: number[];
}

type Ys = ArrayLike<number | null>;

function yAt(ys: Ys, i: number): number {
	const v = ys[i];
	return v === null || v === undefined ? NaN : v;
}

/**
 * Min/max bucket decimation to at most `2 * buckets + 2` points. Input x must be ascending
 * (steps). When `n <= 2 * buckets` the input is returned as is (copied).
 */
export function decimateMinMax(xs: ArrayLike<number>, ys: Ys, buckets: number): Decimated {
	const n = Math.min(xs.length, ys.length);
	const out: Decimated = { x: [], y: [] };
	if (buckets < 1 || n <= 2 * buckets) {
		for (let i = 0; i < n; i++) {
			out.x.push(xs[i]);
			out.y.push(yAt(ys, i));
		}
		return out;
	}
	const size = n / buckets;
	const idx = new Int32Array(5);
	for (let b = 0; b < buckets; b++) {
		const lo = Math.floor(b * size);
		const hi = b === buckets - 1 ? n : Math.floor((b + 1) * size);
		let iMin = -1;
		let iMax = -1;
		let iGap = -1;
		let vMin = Infinity;
		let vMax = -Infinity;
		for (let i = lo; i < hi; i++) {
			const v = yAt(ys, i);
			if (v !== v) {
				if (iGap < 0) {
					iGap = i;
				}
				continue;
			}
			if (v < vMin) {
				vMin = v;
				iMin = i;
			}
			if (v > vMax) {
				vMax = v;
				iMax = i;
			}
		}
		// Emit in x order (at most 5 candidates, so a tiny insertion sort, no allocation per bucket);
		// the first and last buckets keep the curve's end points.
		let k = 0;
		if (b === 0) {
			idx[k++] = lo;
		}
		if (iMin >= 0) {
			idx[k++] = iMin;
		}
		if (iMax >= 0 && iMax !== iMin) {
			idx[k++] = iMax;
		}
		if (iGap >= 0) {
			idx[k++] = iGap;
		}
		if (b === buckets - 1) {
			idx[k++] = hi - 1;
		}
		for (let a = 1; a < k; a++) {
			const v = idx[a];
			let c = a - 1;
			while (c >= 0 && idx[c] > v) {
				idx[c + 1] = idx[c];
				c--;
			}
			idx[c + 1] = v;
		}
		let prev = -1;
		for (let a = 0; a < k; a++) {
			const i = idx[a];
			if (i !== prev) {
				out.x.push(xs[i]);
				out.y.push(yAt(ys, i));
				prev = i;
			}
		}
	}
	return out;
}

/**
 * Largest-Triangle-Three-Buckets down to `threshold` points (first and last kept). Non-finite
 * points are dropped first. When there are no more finite points than `threshold`, all are returned.
 */
export function lttb(xs: ArrayLike<number>, ys: Ys, threshold: number): Decimated {
	const n0 = Math.min(xs.length, ys.length);
	// Compact finite points; typed arrays keep the pass cache-friendly for a million points.
	const fx = new Float64Array(n0);
	const fy = new Float64Array(n0);
	let n = 0;
	for (let i = 0; i < n0; i++) {
		const v = yAt(ys, i);
		if (Number.isFinite(v) && Number.isFinite(xs[i])) {
			fx[n] = xs[i];
			fy[n] = v;
			n++;
		}
	}
	const out: Decimated = { x: [], y: [] };
	if (threshold >= n || threshold < 3) {
		for (let i = 0; i < n; i++) {
			out.x.push(fx[i]);
			out.y.push(fy[i]);
		}
		return out;
	}
	const every = (n - 2) / (threshold - 2);
	let a = 0;
	out.x.push(fx[0]);
	out.y.push(fy[0]);
	for (let i = 0; i < threshold - 2; i++) {
		// Average of the next bucket: the third corner of the triangle.
		let avgStart = Math.floor((i + 1) * every) + 1;
		let avgEnd = Math.floor((i + 2) * every) + 1;
		avgEnd = avgEnd < n ? avgEnd : n;
		if (avgStart >= avgEnd) {
			avgStart = avgEnd - 1;
		}
		let avgX = 0;
		let avgY = 0;
		for (let j = avgStart; j < avgEnd; j++) {
			avgX += fx[j];
			avgY += fy[j];
		}
		const len = avgEnd - avgStart;
		avgX /= len;
		avgY /= len;
		const rangeStart = Math.floor(i * every) + 1;
		const rangeEnd = Math.floor((i + 1) * every) + 1;
		const ax = fx[a];
		const ay = fy[a];
		let maxArea = -1;
		let next = rangeStart;
		for (let j = rangeStart; j < rangeEnd; j++) {
			const area = Math.abs((ax - avgX) * (fy[j] - ay) - (ax - fx[j]) * (avgY - ay));
			if (area > maxArea) {
				maxArea = area;
				next = j;
			}
		}
		out.x.push(fx[next]);
		out.y.push(fy[next]);
		a = next;
	}
	out.x.push(fx[n - 1]);
	out.y.push(fy[n - 1]);
	return out;
}
