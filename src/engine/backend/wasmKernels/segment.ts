/**
 * `UnsortedSegmentSum` for wasm: the gradient of `gather` (so of every Embedding layer).
 * One pass over the heap: out[ids[i]] += x[i]. The cpu backend builds one mask per segment
 * (O(numSegments·N·D)); a one-hot matmul would also be O(numSegments·N·D) — the scatter is O(N·D).
 */
import type { Tf } from '../../sources/sourceTypes';
import type { KernelArgs, TensorInfo, WasmBackend } from './wasmUtil';
import { sizeOf } from './wasmUtil';

/** `UnsortedSegmentSum`: ids outside [0, numSegments) are dropped, as in the cpu kernel. */
export function unsortedSegmentSum(_tf: Tf, args: KernelArgs): TensorInfo {
	const b = args.backend as WasmBackend;
	const { x, segmentIds } = args.inputs;
	const numSegments = Number(args.attrs?.numSegments);
	const inner = x.shape.slice(segmentIds.shape.length);
	const D = sizeOf(inner);
	const n = sizeOf(segmentIds.shape);
	const out = b.makeOutput([numSegments, ...inner], x.dtype);
	// Views after makeOutput: an allocation may grow (and detach) the heap buffer.
	const ov = b.typedArrayFromHeap(out);
	const xv = b.typedArrayFromHeap(x);
	const idv = b.typedArrayFromHeap(segmentIds);
	ov.fill(0);
	for (let i = 0; i < n; i++) {
		const s = idv[i];
		if (s < 0 || s >= numSegments) {
			continue;
		}
		const o = s * D;
		const xo = i * D;
		for (let d = 0; d < D; d++) {
			ov[o + d] += xv[xo + d];
		}
	}
	return out;
}
