/**
 * Faster paths for two more native wasm kernels that batch norm and bias gradients call every
 * step (measured, see docs/wasm-kernels.md): `Tile` as block copies, and `Sum`/`Mean` over the
 * leading axes in one pass (split with the helper thread when threaded, heapPool.ts). Each wraps
 * the backend's own kernel and hands any case it does not handle back to it unchanged.
 */
import type { Tf } from '../../sources/sourceTypes';
import { heapOf, heapPoolFor, offsetOf, runRanges, threadsOf } from './heapPool';
import { sumRowsRange } from './heapRanges';
import type { KernelFn } from './speedups';
import type { KernelArgs, WasmBackend } from './wasmUtil';
import { heapF32 } from './wasmUtil';

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
