/**
 * Faster paths for kernels tfjs-backend-wasm 4.22 HAS, but runs slowly in exactly the shapes
 * training uses (measured, see docs/wasm-kernels.md):
 * - `BatchMatMul` with transposeA/transposeB (every Dense/LSTM/GRU weight and input gradient) falls
 *   off XNNPACK onto a naive loop, ~10× slower than an explicit Transpose + the XNNPACK path.
 * - `Conv2DBackpropInput` is a naive loop; as a Conv2D (XNNPACK) of the zero-upsampled dy with the
 *   flipped, in/out-swapped filter it is several times faster.
 * - `MaxPoolGrad`: one pass over the windows instead of a search per input pixel.
 * (`Tile` and leading-axis `Sum`/`Mean`: reductions.ts.)
 * Each wraps the backend's own kernel and hands any case it does not handle back to it unchanged.
 */
import type { Tf } from '../../sources/sourceTypes';
import type { KernelArgs, TensorInfo, WasmBackend } from './wasmUtil';
import { heapOf, heapPoolFor, offsetOf, runRanges, threadsOf } from './heapPool';
import { maxPool2x2GradRange, maxPoolGradRange, transposeRange } from './heapRanges';
import { callKernel, conv2dStride1, disposeInfo, heapF32, sizeOf } from './wasmUtil';

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
	const args = [offsetOf(src), offsetOf(dst), batchOf(t.shape), rows, cols];
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
		const { batchSize: N, inHeight: H, inWidth: W, inChannels: Cin } = info;
		const { outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
		// dx[h] = Σ_i' up[h + i'] · W'[i'], with up[p·sh + fh-1-padTop] = dy[p] and W' = W flipped.
		const g: UpGeometry = {
			upH: H + fh - 1,
			upW: W + fw - 1,
			offH: fh - 1 - info.padInfo.top,
			offW: fw - 1 - info.padInfo.left,
			oh,
			ow,
			sh: info.strideHeight,
			sw: info.strideWidth,
		};
		// W [fh,fw,Cin,Cout] → W' [fh,fw,Cout,Cin] flipped in both spatial dims.
		const wt = callKernel(tf, b, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
		const wf = callKernel(tf, b, 'Reverse', { x: wt }, { dims: [0, 1] });
		disposeInfo(b, wt);
		const padBottom = g.upH - g.offH - oh;
		const padRight = g.upW - g.offW - ow;
		let dx: TensorInfo;
		if (g.sh === 1 && g.sw === 1 && g.offH >= 0 && g.offW >= 0 && padBottom >= 0 && padRight >= 0) {
			// Stride 1: the "upsampled" dy is dy with a border, which the convolution pads itself.
			dx = conv2dStride1(tf, b, dy, wf, [g.offH, padBottom, g.offW, padRight]);
		} else {
			const up = upsampled(b, dy, g);
			dx = conv2dStride1(tf, b, up, wf, [0, 0, 0, 0]);
			disposeInfo(b, up);
		}
		disposeInfo(b, wf);
		return checkedDx(dx, [N, H, W, Cin]);
	};
}

/** Where dy goes in the zero-upsampled buffer of {@link conv2DBackpropInputViaConv}. */
interface UpGeometry {
	upH: number;
	upW: number;
	offH: number;
	offW: number;
	oh: number;
	ow: number;
	sh: number;
	sw: number;
}

/** dy [N, oh, ow, C] spread by the strides into a zero [N, upH, upW, C] buffer at (offH, offW). */
function upsampled(b: WasmBackend, dy: TensorInfo, g: UpGeometry): TensorInfo {
	const [N, , , C] = dy.shape;
	const up = b.makeOutput([N, g.upH, g.upW, C], 'float32');
	// Views after the allocation (growing memory detaches older ones).
	const upv = heapF32(b, up);
	const dyv = heapF32(b, dy);
	upv.fill(0);
	for (let n = 0; n < N; n++) {
		for (let p = 0; p < g.oh; p++) {
			const u = p * g.sh + g.offH;
			if (u < 0 || u >= g.upH) {
				continue;
			}
			for (let q = 0; q < g.ow; q++) {
				const v = q * g.sw + g.offW;
				if (v < 0 || v >= g.upW) {
					continue;
				}
				const src = ((n * g.oh + p) * g.ow + q) * C;
				upv.set(dyv.subarray(src, src + C), ((n * g.upH + u) * g.upW + v) * C);
			}
		}
	}
	return up;
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
		const fourTaps = fh === 2 && fw === 2 && sh === 2 && sw === 2;
		const inside = padTop === 0 && padLeft === 0 && 2 * oh <= H && 2 * ow <= W;
		const fn = fourTaps && inside ? maxPool2x2GradRange : maxPoolGradRange;
		runRanges(fn, heap, ranges, N, heapPoolFor(heap, threadsOf(b), 2 * dxv.length));
		return dx;
	};
}
