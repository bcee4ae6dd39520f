/**
 * The loops of LR Scope's JS kernels on the wasm heap, written as self-contained functions over a
 * range of their outer index, so that the main thread and a helper thread (heapPool.ts) can each
 * run part of one kernel call on the same shared heap.
 *
 * Rules for everything in this file (the helper thread gets the functions' source text): no
 * imports or outer names inside the functions, no closures; data comes in as the whole heap viewed
 * as float32 (`h`), a float64 scratch view (`s`, for partial sums) and a numeric argument list
 * (`a`, heap offsets in floats first; each function's comment gives its layout). `lo`/`hi` is the
 * range of the outer index, `part` which share of the scratch a partial result goes to.
 */

/** A range function's arguments: a plain array here, a Float64Array in the helper thread. */
export type RangeArgs = readonly number[] | Float64Array;

/**
 * `MaxPoolGrad` for the examples `lo..hi` (NHWC): clears their dx, then gives each window's dy to
 * the window's first strict maximum in row-major order (the cpu kernel's tie rule), all channels
 * of a window at once (contiguous in NHWC). Examples never share dx, so ranges can run in parallel.
 * `a` = [x, dy, dx, N, H, W, C, oh, ow, sh, sw, fh, fw, padTop, padLeft].
 */
export function maxPoolGradRange(
	h: Float32Array,
	_s: Float64Array | null,
	a: RangeArgs,
	lo: number,
	hi: number,
): void {
	const [xo, dyo, dxo, , H, W, C, oh, ow, sh, sw, fh, fw, padTop, padLeft] = a;
	h.fill(0, dxo + lo * H * W * C, dxo + hi * H * W * C);
	const best = new Float32Array(C);
	const at = new Int32Array(C);
	for (let n = lo; n < hi; n++) {
		for (let p = 0; p < oh; p++) {
			const r0 = p * sh - padTop;
			const rLo = Math.max(0, r0);
			const rHi = Math.min(H, r0 + fh);
			for (let q = 0; q < ow; q++) {
				const c0 = q * sw - padLeft;
				const cLo = Math.max(0, c0);
				const cHi = Math.min(W, c0 + fw);
				best.fill(-Infinity);
				at.fill(-1);
				for (let r = rLo; r < rHi; r++) {
					for (let col = cLo; col < cHi; col++) {
						const base = ((n * H + r) * W + col) * C;
						for (let c = 0; c < C; c++) {
							const v = h[xo + base + c];
							// Strictly greater: the first maximum in row-major window order wins (cpu rule).
							if (v > best[c]) {
								best[c] = v;
								at[c] = base + c;
							}
						}
					}
				}
				const dyOff = dyo + ((n * oh + p) * ow + q) * C;
				for (let c = 0; c < C; c++) {
					if (at[c] >= 0) {
						h[dxo + at[c]] += h[dyOff + c];
					}
				}
			}
		}
	}
}

/**
 * {@link maxPoolGradRange} for the common 2×2/stride-2 pool with every window inside the image
 * (no padding, 2·oh ≤ H, 2·ow ≤ W; the kernel checks): four fixed taps per window, in locals —
 * 1.4× faster than the general loop. Same arguments, same rule (first strict maximum, row-major).
 */
export function maxPool2x2GradRange(
	h: Float32Array,
	_s: Float64Array | null,
	a: RangeArgs,
	lo: number,
	hi: number,
): void {
	const [xo, dyo, dxo, , H, W, C, oh, ow] = a;
	h.fill(0, dxo + lo * H * W * C, dxo + hi * H * W * C);
	const row = W * C;
	for (let n = lo; n < hi; n++) {
		for (let p = 0; p < oh; p++) {
			for (let q = 0; q < ow; q++) {
				const b0 = ((n * H + 2 * p) * W + 2 * q) * C;
				const dyOff = dyo + ((n * oh + p) * ow + q) * C;
				for (let c = 0; c < C; c++) {
					let m = -Infinity;
					let k = -1;
					const i0 = b0 + c;
					const v0 = h[xo + i0];
					if (v0 > m) {
						m = v0;
						k = i0;
					}
					const v1 = h[xo + i0 + C];
					if (v1 > m) {
						m = v1;
						k = i0 + C;
					}
					const v2 = h[xo + i0 + row];
					if (v2 > m) {
						m = v2;
						k = i0 + row;
					}
					if (h[xo + i0 + row + C] > m) {
						k = i0 + row + C;
					}
					if (k >= 0) {
						h[dxo + k] += h[dyOff + c];
					}
				}
			}
		}
	}
}

/**
 * Column sums, in float64, of rows `lo..hi` of a row-major [rows, cols] matrix, written to
 * `s[part·cols …]`. `a` = [x, cols]. Eight rows are added per pass over the accumulators (pairwise): the
 * accumulator loads and stores, not the additions, bound a one-row-per-pass loop (~3× slower).
 */
export function sumRowsRange(
	h: Float32Array,
	s: Float64Array | null,
	a: RangeArgs,
	lo: number,
	hi: number,
	part: number,
): void {
	const [xo, cols] = a;
	const acc = s as Float64Array;
	const ao = part * cols;
	acc.fill(0, ao, ao + cols);
	const c8 = 8 * cols;
	let r = lo;
	let off = xo + lo * cols;
	for (; r + 8 <= hi; r += 8, off += c8) {
		for (let c = 0; c < cols; c++) {
			const o = off + c;
			acc[ao + c] +=
				h[o] +
				h[o + cols] +
				(h[o + 2 * cols] + h[o + 3 * cols]) +
				(h[o + 4 * cols] + h[o + 5 * cols] + (h[o + 6 * cols] + h[o + 7 * cols]));
		}
	}
	for (; r < hi; r++, off += cols) {
		for (let c = 0; c < cols; c++) {
			acc[ao + c] += h[off + c];
		}
	}
}

/**
 * Transposes rows `lo..hi` of each of the `batch` row-major [rows, cols] matrices at `src` into
 * `dst` ([cols, rows] each), in 8×8 tiles (measured fastest of 8–64 for the Dense shapes).
 * `a` = [src, dst, batch, rows, cols].
 */
export function transposeRange(
	h: Float32Array,
	_s: Float64Array | null,
	a: RangeArgs,
	lo: number,
	hi: number,
): void {
	const [src, dst, batch, rows, cols] = a;
	const T = 8;
	const size = rows * cols;
	for (let m = 0, off = 0; m < batch; m++, off += size) {
		for (let i0 = lo; i0 < hi; i0 += T) {
			const i1 = Math.min(hi, i0 + T);
			for (let j0 = 0; j0 < cols; j0 += T) {
				const j1 = Math.min(cols, j0 + T);
				for (let i = i0; i < i1; i++) {
					let from = src + off + i * cols + j0;
					let to = dst + off + j0 * rows + i;
					for (let j = j0; j < j1; j++, from++, to += rows) {
						h[to] = h[from];
					}
				}
			}
		}
	}
}

/**
 * Rows `lo..hi` of the transposed im2col matrix of batch rows [n0, n1) (NHWC x): row k = filter
 * tap (i, j, c) in the filter's order, one column per output position r; out[k][r] = x at the
 * input pixel tap k sees for position r, 0 where that pixel is padding.
 * `a` = [x, out, n0, n1, inH, inW, inC, outH, outW, fw, sh, sw, dh, dw, padTop, padLeft].
 */
export function im2colTRange(
	h: Float32Array,
	_s: Float64Array | null,
	a: RangeArgs,
	lo: number,
	hi: number,
): void {
	const [xo, oo, n0, n1, inH, inW, inC, outH, outW, fw, sh, sw, dh, dw, padTop, padLeft] = a;
	const cols = (n1 - n0) * outH * outW;
	for (let k = lo; k < hi; k++) {
		const c = k % inC;
		const j = Math.floor(k / inC) % fw;
		const i = Math.floor(k / (inC * fw));
		// Output columns whose input column is inside the image: q in [qLo, qHi).
		const off = j * dw - padLeft;
		const qLo = Math.max(0, Math.ceil(-off / sw));
		const qHi = Math.min(outW, Math.floor((inW - 1 - off) / sw) + 1);
		let r = oo + k * cols;
		for (let n = n0; n < n1; n++) {
			for (let p = 0; p < outH; p++) {
				const xr = p * sh - padTop + i * dh;
				if (xr < 0 || xr >= inH || qHi <= qLo) {
					h.fill(0, r, r + outW);
					r += outW;
					continue;
				}
				const base = (n * inH + xr) * inW;
				for (let q = 0; q < qLo; q++) {
					h[r++] = 0;
				}
				let src = xo + (base + qLo * sw + off) * inC + c;
				const step = sw * inC;
				for (let q = qLo; q < qHi; q++) {
					h[r++] = h[src];
					src += step;
				}
				for (let q = qHi; q < outW; q++) {
					h[r++] = 0;
				}
			}
		}
	}
}

/** The range functions by task number, in the order the helper thread knows them. */
export const RANGE_TASKS = [
	maxPoolGradRange,
	maxPool2x2GradRange,
	sumRowsRange,
	transposeRange,
	im2colTRange,
] as const;
