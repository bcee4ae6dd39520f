/**
 * Faster paths for kernels tfjs-backend-wasm 4.22 HAS, but runs slowly in exactly the shapes
 * training uses (measured, see docs/wasm-kernels.md):
 * - `BatchMatMul` with transposeA/transposeB (every Dense/LSTM/GRU weight and input gradient) falls
 *   off XNNPACK onto a naive loop, ~10× slower than an explicit Transpose + the XNNPACK path.
 * - `Conv2DBackpropInput` is a naive loop; as a Conv2D (XNNPACK) of the zero-upsampled dy with the
 *   flipped, in/out-swapped filter it is several times faster.
 * - `MaxPoolGrad`: one pass over the windows instead of a search per input pixel.
 * Each wraps the backend's own kernel and hands any case it does not handle back to it unchanged.
 */
import type { Tf } from '../sourceTypes';
import type { KernelArgs, TensorInfo, WasmBackend } from './wasmUtil';
import { heapOf, heapPoolFor, offsetOf, runRanges, threadsOf } from './heapPool';
import { maxPoolGradRange, sumRowsRange, transposeRange } from './heapRanges';
import { callKernel, disposeInfo, heapF32, sizeOf } from './wasmUtil';

/** A kernel function as stored in the registry. */
export type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** A float32 tensor with its last two dims swapped (a new tensor on the heap, tiled JS transpose). */
function swapLastTwo(b: WasmBackend, t: TensorInfo): TensorInfo {
	const r = t.shape.length;
	const rows = t.shape[r - 2];
	const cols = t.shape[r - 1];
	const shape = [...t.shape.slice(0, r - 2), cols, rows];
	const out = b.makeOutput(shape, 'float32');
	// Views after the allocation (growing memory detaches older ones).
	const src = heapF32(b, t);
	const dst = heapF32(b, out);
	const heap = heapOf(dst);
	const args = [offsetOf(src), offsetOf(dst), sizeOf(shape) / (rows * cols || 1), rows, cols];
	runRanges(transposeRange, heap, args, rows, heapPoolFor(heap, threadsOf(b), 2 * src.length));
	return out;
}

/** The batch size of a rank ≥ 2 shape (product of all but the last two dims). */
function batchOf(shape: readonly number[]): number {
	return sizeOf(shape.slice(0, -2));
}

/**
 * Whether `a · bᵀ` is cheaper as `(b · aᵀ)ᵀ`. XNNPACK packs the right-hand operand (as layer
 * weights, ~8 ns per float here) on every call, and a transpose costs ~2.5 ns per float; the
 * Dense input gradient `dy · Wᵀ` packs W (K·N floats) one way but only dy (M·K) the other, plus a
 * transpose of the M·N result. Same batch on both sides only.
 */
function swappedIsCheaper(a: TensorInfo, bIn: TensorInfo): boolean {
	const r = a.shape.length;
	if (r !== bIn.shape.length || batchOf(a.shape) !== batchOf(bIn.shape)) {
		return false;
	}
	const M = a.shape[r - 2];
	const K = a.shape[r - 1];
	const N = bIn.shape[r - 2];
	const pack = 8;
	const move = 2.5;
	return M * K * (pack + move) + M * N * move < N * K * (pack + move);
}

/**
 * `BatchMatMul` that materialises transposes first (in JS, tiled), so the multiply stays on
 * XNNPACK; `a · bᵀ` with a small `a` runs as `(b · aᵀ)ᵀ` (see {@link swappedIsCheaper}).
 */
export function batchMatMulNoTranspose(_tf: Tf, original: KernelFn): KernelFn {
	return (args: KernelArgs) => {
		const attrs = args.attrs ?? {};
		const { a, b: bIn } = args.inputs;
		if (
			(!attrs.transposeA && !attrs.transposeB) ||
			a.dtype !== 'float32' ||
			bIn.dtype !== 'float32' ||
			a.shape.length < 2 ||
			bIn.shape.length < 2
		) {
			return original(args);
		}
		const b = args.backend as WasmBackend;
		const plain = { ...attrs, transposeA: false, transposeB: false };
		if (!attrs.transposeA && swappedIsCheaper(a, bIn)) {
			const at = swapLastTwo(b, a);
			try {
				const bat = original({ inputs: { a: bIn, b: at }, backend: b, attrs: plain }) as TensorInfo;
				const out = swapLastTwo(b, bat);
				disposeInfo(b, bat);
				return out;
			} finally {
				disposeInfo(b, at);
			}
		}
		const aa = attrs.transposeA ? swapLastTwo(b, a) : a;
		const bb = attrs.transposeB ? swapLastTwo(b, bIn) : bIn;
		try {
			return original({ inputs: { a: aa, b: bb }, backend: b, attrs: plain });
		} finally {
			if (aa !== a) {
				disposeInfo(b, aa);
			}
			if (bb !== bIn) {
				disposeInfo(b, bb);
			}
		}
	};
}

/** `Conv2DBackpropInput` (NHWC) as an XNNPACK Conv2D; NCHW and other formats use the original. */
export function conv2DBackpropInputViaConv(tf: Tf, original: KernelFn): KernelFn {
	return (args: KernelArgs) => {
		const attrs = args.attrs ?? {};
		const { dy, filter } = args.inputs;
		const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
		if (dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
			return original(args);
		}
		const b = args.backend as WasmBackend;
		const inputShape = attrs.inputShape as [number, number, number, number];
		const info = tf.backend_util.computeConv2DInfo(
			inputShape,
			filter.shape as [number, number, number, number],
			attrs.strides as number | [number, number],
			1,
			attrs.pad as 'same' | 'valid',
			attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
		);
		const {
			batchSize: N,
			inHeight: H,
			inWidth: W,
			inChannels: Cin,
			outHeight: oh,
			outWidth: ow,
		} = info;
		const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
		const Cout = info.outChannels;
		// dx[h] = Σ_i' up[h + i'] · W'[i'], with up[p·sh + fh-1-padTop] = dy[p] and W' = W flipped.
		const upH = H + fh - 1;
		const upW = W + fw - 1;
		const offH = fh - 1 - info.padInfo.top;
		const offW = fw - 1 - info.padInfo.left;
		// W [fh,fw,Cin,Cout] → W' [fh,fw,Cout,Cin] flipped in both spatial dims.
		const wt = callKernel(tf, b, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
		const wf = callKernel(tf, b, 'Reverse', { x: wt }, { dims: [0, 1] });
		disposeInfo(b, wt);
		const padBottom = upH - offH - oh;
		const padRight = upW - offW - ow;
		if (sh === 1 && sw === 1 && offH >= 0 && offW >= 0 && padBottom >= 0 && padRight >= 0) {
			// Stride 1: the "upsampled" dy is dy with a border, which the convolution pads itself.
			const dx = callKernel(
				tf,
				b,
				'Conv2D',
				{ x: dy, filter: wf },
				{
					strides: 1,
					pad: [
						[0, 0],
						[offH, padBottom],
						[offW, padRight],
						[0, 0],
					],
					dataFormat: 'NHWC',
					dilations: 1,
				},
			);
			disposeInfo(b, wf);
			return checkedDx(dx, [N, H, W, Cin]);
		}
		const up = b.makeOutput([N, upH, upW, Cout], 'float32');
		const upv = heapF32(b, up);
		const dyv = heapF32(b, dy);
		upv.fill(0);
		for (let n = 0; n < N; n++) {
			for (let p = 0; p < oh; p++) {
				const u = p * sh + offH;
				if (u < 0 || u >= upH) {
					continue;
				}
				for (let q = 0; q < ow; q++) {
					const v = q * sw + offW;
					if (v < 0 || v >= upW) {
						continue;
					}
					const src = ((n * oh + p) * ow + q) * Cout;
					upv.set(dyv.subarray(src, src + Cout), ((n * upH + u) * upW + v) * Cout);
				}
			}
		}
		const dx = callKernel(
			tf,
			b,
			'Conv2D',
			{ x: up, filter: wf },
			{ strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
		);
		disposeInfo(b, up);
		disposeInfo(b, wf);
		return checkedDx(dx, [N, H, W, Cin]);
	};
}

function checkedDx(dx: TensorInfo, shape: number[]): TensorInfo {
	if (dx.shape.some((d, i) => d !== shape[i])) {
		throw new Error(`Conv2DBackpropInput on wasm: got ${dx.shape}, expected ${shape}`);
	}
	return dx;
}

/**
 * `MaxPoolGrad` as one pass: each window's first strict maximum (the cpu kernel's tie rule) gets
 * that window's dy. The native kernel is a per-pixel search over all covering windows.
 */
export function maxPoolGradOnePass(tf: Tf, original: KernelFn): KernelFn {
	return (args: KernelArgs) => {
		const attrs = args.attrs ?? {};
		const { dy, input } = args.inputs;
		if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) {
			return original(args);
		}
		const b = args.backend as WasmBackend;
		const info = tf.backend_util.computePool2DInfo(
			input.shape as [number, number, number, number],
			attrs.filterSize as number | [number, number],
			attrs.strides as number | [number, number],
			1,
			attrs.pad as 'same' | 'valid',
			attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
		);
		const {
			batchSize: N,
			inHeight: H,
			inWidth: W,
			inChannels: C,
			outHeight: oh,
			outWidth: ow,
		} = info;
		const {
			strideHeight: sh,
			strideWidth: sw,
			effectiveFilterHeight: fh,
			effectiveFilterWidth: fw,
		} = info;
		const padTop = info.padInfo.top;
		const padLeft = info.padInfo.left;
		const dx = b.makeOutput(input.shape, 'float32');
		// Views after the allocation (growing memory detaches older ones).
		const dxv = heapF32(b, dx);
		const heap = heapOf(dxv);
		const ranges = [
			offsetOf(heapF32(b, input)),
			offsetOf(heapF32(b, dy)),
			offsetOf(dxv),
			N,
			H,
			W,
			C,
			oh,
			ow,
			sh,
			sw,
			fh,
			fw,
			padTop,
			padLeft,
		];
		runRanges(maxPoolGradRange, heap, ranges, N, heapPoolFor(heap, threadsOf(b), 2 * dxv.length));
		return dx;
	};
}

/** Copies `src` (shape `shape`) tiled `reps` times along each dim into `dst` (row-major). */
export function tileInto(
	src: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
	shape: readonly number[],
	reps: readonly number[],
	dst: Float32Array | Int32Array | Uint8Array,
): void {
	const r = shape.length;
	if (r === 0) {
		dst[0] = src[0];
		return;
	}
	const inStride: number[] = Array(r).fill(1);
	const outStride: number[] = Array(r).fill(1);
	for (let d = r - 2; d >= 0; d--) {
		inStride[d] = inStride[d + 1] * shape[d + 1];
		outStride[d] = outStride[d + 1] * shape[d + 1] * reps[d + 1];
	}
	const fill = (d: number, inOff: number, outOff: number): void => {
		const n = shape[d];
		if (d === r - 1) {
			(dst as Float32Array).set(src.subarray(inOff, inOff + n) as Float32Array, outOff);
		} else {
			for (let i = 0; i < n; i++) {
				fill(d + 1, inOff + i * inStride[d], outOff + i * outStride[d]);
			}
		}
		// Output index along d is rep·n + i: the block written above, repeated reps[d] times
		// (copied by doubling, so log2(reps) memmoves).
		const block = n * outStride[d];
		const total = block * reps[d];
		for (let filled = block; filled < total;) {
			const c = Math.min(filled, total - filled);
			dst.copyWithin(outOff + filled, outOff, outOff + c);
			filled += c;
		}
	};
	fill(0, 0, 0);
}

/**
 * `Tile` as block copies on the heap. The native kernel computes every output element's source
 * index; batch norm's gradient tiles a [1,1,1,C] vector to the whole activation each step.
 */
export function tileByBlocks(_tf: Tf, original: KernelFn): KernelFn {
	return (args: KernelArgs) => {
		const { x } = args.inputs;
		const reps = (args.attrs?.reps ?? []) as number[];
		if (
			!['float32', 'int32', 'bool'].includes(x.dtype) ||
			reps.length !== x.shape.length ||
			reps.some((v) => !Number.isInteger(v) || v < 0)
		) {
			return original(args);
		}
		const b = args.backend as WasmBackend;
		const outShape = x.shape.map((d, i) => d * reps[i]);
		const out = b.makeOutput(outShape, x.dtype);
		if (outShape.some((d) => d === 0)) {
			return out;
		}
		// Views after the allocation (growing memory detaches older ones).
		tileInto(
			b.typedArrayFromHeap(x) as Float32Array,
			x.shape,
			reps,
			b.typedArrayFromHeap(out) as Float32Array,
		);
		return out;
	};
}

/** Sorted, non-negative reduction axes, or null when they are not the leading `k` axes (k < rank). */
function leadingAxes(axis: unknown, rank: number): number | null {
	if (axis === null || axis === undefined) {
		return null; // all axes
	}
	const list = (Array.isArray(axis) ? axis : [axis]).map((a) => {
		const v = Number(a);
		return v < 0 ? v + rank : v;
	});
	const set = [...new Set(list)].sort((a, b) => a - b);
	if (set.length === 0 || set.length >= rank || set.some((a, i) => a !== i)) {
		return null;
	}
	return set.length;
}

/**
 * `Sum` / `Mean` over the leading axes (bias and batch-norm gradients and batch-norm moments:
 * [N,H,W,C] over N,H,W) as one pass over rows with float64 accumulators, like the cpu kernel's JS
 * numbers. The native kernel first transposes the reduced axes to the end (a full copy).
 */
function reduceLeading(mean: boolean) {
	return (_tf: Tf, original: KernelFn): KernelFn =>
		(args: KernelArgs) => {
			const { x } = args.inputs;
			const attrs = args.attrs ?? {};
			const k = x.dtype === 'float32' ? leadingAxes(attrs.axis, x.shape.length) : null;
			if (k === null) {
				return original(args);
			}
			const b = args.backend as WasmBackend;
			let rows = 1;
			for (let i = 0; i < k; i++) {
				rows *= x.shape[i];
			}
			const rest = x.shape.slice(k);
			let cols = 1;
			for (const d of rest) {
				cols *= d;
			}
			const outShape = attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
			const out = b.makeOutput(outShape, 'float32');
			const xv = heapF32(b, x);
			const ov = heapF32(b, out);
			const heap = heapOf(xv);
			const helper = heapPoolFor(heap, threadsOf(b), xv.length);
			const parts = helper ? helper.scratch(2 * cols) : new Float64Array(cols);
			runRanges(sumRowsRange, heap, [offsetOf(xv), cols], rows, helper, parts);
			const acc = helper ? parts.subarray(0, cols).map((v, c) => v + parts[cols + c]) : parts;
			const scale = mean ? 1 / rows : 1;
			for (let c = 0; c < cols; c++) {
				ov[c] = mean ? acc[c] * scale : acc[c];
			}
			return out;
		};
}

/** `Sum` over leading axes in one pass (see {@link reduceLeading}). */
export const sumLeadingAxes = reduceLeading(false);
/** `Mean` over leading axes in one pass (see {@link reduceLeading}). */
export const meanLeadingAxes = reduceLeading(true);
