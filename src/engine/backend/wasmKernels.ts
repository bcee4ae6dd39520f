/**
 * Training kernels that `@tensorflow/tfjs-backend-wasm` 4.22 lacks, registered on the 'wasm' backend
 * so Conv/Embedding/LSTM/GRU models in `tf.layers` train on wasm with the same numbers as cpu.
 * See docs/wasm-kernels.md for how each is implemented and measured speeds.
 */
import type { Tf } from '../sources/sourceTypes';
import {
	conv2DBackpropFilter,
	depthwiseBackpropFilter,
	depthwiseBackpropInput,
} from './wasmKernels/conv';
import { CPU_FALLBACK_KERNELS, cpuFallbackKernel } from './wasmKernels/cpuFallback';
import { unsortedSegmentSum } from './wasmKernels/segment';
import type { KernelFn } from './wasmKernels/speedups';
import { meanLeadingAxes, sumLeadingAxes, tileByBlocks } from './wasmKernels/reductions';
import {
	batchMatMulNoTranspose,
	conv2DBackpropInputViaConv,
	maxPoolGradOnePass,
} from './wasmKernels/speedups';
import type { KernelArgs, TensorInfo } from './wasmKernels/wasmUtil';

/** Marks kernel functions we registered, so repeated calls can report them without re-registering. */
const OURS = Symbol.for('lrscope.wasmKernel');

type Impl = (tf: Tf, args: KernelArgs) => TensorInfo | TensorInfo[];

/** Native-speed kernels (im2col + XNNPACK matmul, or single heap passes), by kernel name. */
const FAST: Record<string, Impl> = {
	Conv2DBackpropFilter: conv2DBackpropFilter,
	DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
	DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
	UnsortedSegmentSum: unsortedSegmentSum,
};

/** Native wasm kernels we wrap with a faster path for the shapes training uses (see speedups.ts). */
const WRAPPED: Record<string, (tf: Tf, original: KernelFn) => KernelFn> = {
	BatchMatMul: batchMatMulNoTranspose,
	Conv2DBackpropInput: conv2DBackpropInputViaConv,
	MaxPoolGrad: maxPoolGradOnePass,
	Tile: tileByBlocks,
	Sum: sumLeadingAxes,
	Mean: meanLeadingAxes,
};

/** The kernels this module provides for wasm (fast ones first, then cpu-copy fallbacks). */
export const WASM_TRAINING_KERNELS: readonly string[] = [
	...Object.keys(FAST),
	...CPU_FALLBACK_KERNELS,
];

/** Native wasm kernels this module speeds up (the original still handles cases we do not). */
export const WASM_WRAPPED_KERNELS: readonly string[] = Object.keys(WRAPPED);

/** The backend's own configs of kernels we wrapped, so `unwrapWasmSpeedups` can put them back. */
const originals = new Map<string, ReturnType<Tf['getKernel']>>();

function isOurs(fn: unknown): boolean {
	return !!(fn as Record<symbol, unknown> | undefined)?.[OURS];
}

function mark<T extends object>(fn: T): T {
	Object.defineProperty(fn, OURS, { value: true });
	return fn;
}

/** Options for `registerWasmTrainingKernels`. */
export interface WasmKernelOptions {
	/** Also wrap the native BatchMatMul / Conv2DBackpropInput / MaxPoolGrad with faster paths (default true). */
	speedups?: boolean;
}

/**
 * Registers the missing training kernels on the 'wasm' backend (and, unless `speedups: false`,
 * faster paths for three slow native ones). Idempotent: a kernel the backend already has natively is
 * never replaced, and a second call changes nothing. Returns the names of all kernels LR Scope
 * provides or wraps on wasm (from this call or an earlier one), the same list on every call.
 */
export function registerWasmTrainingKernels(tf: Tf, options: WasmKernelOptions = {}): string[] {
	const active: string[] = [];
	for (const name of WASM_TRAINING_KERNELS) {
		const existing = tf.getKernel(name, 'wasm');
		if (existing) {
			if (isOurs(existing.kernelFunc)) {
				active.push(name);
			}
			continue;
		}
		const fast = FAST[name];
		if (!fast && !tf.getKernel(name, 'cpu')) {
			continue;
		}
		const fn = mark(fast ? (args: KernelArgs) => fast(tf, args) : cpuFallbackKernel(tf, name));
		tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as never });
		active.push(name);
	}
	for (const [name, wrap] of Object.entries(WRAPPED)) {
		const existing = tf.getKernel(name, 'wasm');
		if (!existing) {
			continue;
		}
		if (isOurs(existing.kernelFunc)) {
			active.push(name);
			continue;
		}
		if (options.speedups === false) {
			continue;
		}
		originals.set(name, existing);
		const fn = mark(wrap(tf, existing.kernelFunc as unknown as KernelFn));
		// unregister first: registerKernel over an existing entry works but logs a warning.
		tf.unregisterKernel(name, 'wasm');
		tf.registerKernel({ ...existing, kernelFunc: fn as never });
		active.push(name);
	}
	return active;
}

/**
 * Puts the backend's own BatchMatMul / Conv2DBackpropInput / MaxPoolGrad back (the missing kernels
 * stay registered). For benchmarks measuring what the speedups buy. Returns the names restored.
 */
export function unwrapWasmSpeedups(tf: Tf): string[] {
	const restored: string[] = [];
	for (const [name, config] of originals) {
		const current = tf.getKernel(name, 'wasm');
		if (config && current && isOurs(current.kernelFunc)) {
			tf.unregisterKernel(name, 'wasm');
			tf.registerKernel(config);
			restored.push(name);
		}
	}
	originals.clear();
	return restored;
}
