/**
 * The small slice of tfjs-backend-wasm's `BackendWasm` our kernels use, and helpers to call the
 * backend's own kernels from inside a kernel (the way the backend's kernels compose each other:
 * TensorInfo in, TensorInfo out, intermediates freed with `disposeData`).
 */
import type { Tf } from '../../sources/sourceTypes';

/** A tensor as kernels see it (tfjs-core's `TensorInfo`). */
export interface TensorInfo {
	dataId: object;
	shape: number[];
	dtype: string;
}

/** The parts of `BackendWasm` (tfjs-backend-wasm 4.x) we rely on; checked by `isWasmBackend`. */
export interface WasmBackend {
	makeOutput(shape: number[], dtype: string): TensorInfo;
	typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
	disposeData(dataId: object, force?: boolean): boolean;
	readSync(dataId: object): ArrayLike<number> | Uint8Array[];
	incRef(dataId: object): void;
}

/** Whether `b` looks like tfjs-backend-wasm's backend (so our heap-level kernels are safe to use). */
export function isWasmBackend(b: unknown): b is WasmBackend {
	const o = b as Partial<WasmBackend> | null;
	return !!o && typeof o.makeOutput === 'function' && typeof o.typedArrayFromHeap === 'function';
}

/** The arguments tfjs passes to a kernel function. */
export interface KernelArgs {
	inputs: Record<string, TensorInfo>;
	backend: unknown;
	attrs?: Record<string, unknown>;
}

/** Runs another wasm kernel (by name) directly, without the engine: returns the TensorInfo it makes. */
export function callKernel(
	tf: Tf,
	backend: WasmBackend,
	name: string,
	inputs: Record<string, TensorInfo> | TensorInfo[],
	attrs: Record<string, unknown> = {},
): TensorInfo {
	const k = tf.getKernel(name, 'wasm');
	if (!k) {
		throw new Error(`wasm kernel '${name}' is not registered (needed by an LR Scope wasm kernel)`);
	}
	const out = k.kernelFunc({
		inputs: inputs as never,
		backend: backend as never,
		attrs: attrs as never,
	});
	return (Array.isArray(out) ? out[0] : out) as TensorInfo;
}

/**
 * The backend's stride-1, undilated NHWC `Conv2D` of `x` with `filter`, padding [top, bottom] rows
 * and [left, right] columns (explicit padding; all zero is 'valid').
 */
export function conv2dStride1(
	tf: Tf,
	backend: WasmBackend,
	x: TensorInfo,
	filter: TensorInfo,
	[top, bottom, left, right]: [number, number, number, number],
): TensorInfo {
	const pad = [
		[0, 0],
		[top, bottom],
		[left, right],
		[0, 0],
	];
	return callKernel(
		tf,
		backend,
		'Conv2D',
		{ x, filter },
		{ strides: 1, pad, dataFormat: 'NHWC', dilations: 1 },
	);
}

/** Frees an intermediate made inside a kernel. */
export function disposeInfo(backend: WasmBackend, t: TensorInfo): void {
	backend.disposeData(t.dataId);
}

/** Reshapes without copying (the wasm Reshape kernel shares the data and bumps its ref count). */
export function reshapeInfo(
	tf: Tf,
	backend: WasmBackend,
	x: TensorInfo,
	shape: number[],
): TensorInfo {
	return callKernel(tf, backend, 'Reshape', { x }, { shape });
}

/** Reads a Float32 view of a tensor on the wasm heap (valid until the next allocation). */
export function heapF32(backend: WasmBackend, t: TensorInfo): Float32Array {
	const v = backend.typedArrayFromHeap(t);
	if (!(v instanceof Float32Array)) {
		throw new Error(`expected a float32 tensor, got ${t.dtype}`);
	}
	return v;
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
	let n = 1;
	for (const d of shape) {
		n *= d;
	}
	return n;
}
