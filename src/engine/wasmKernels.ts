/**
 * Training kernels that `@tensorflow/tfjs-backend-wasm` 4.22 lacks, registered on the 'wasm' backend
 * so Conv/Embedding/LSTM/GRU models in `tf.layers` train on wasm with the same numbers as cpu.
 * See docs/wasm-kernels.md for how each is implemented and measured speeds.
 */
import type { Tf } from './sourceTypes';
import { conv2DBackpropFilter, depthwiseBackpropFilter, depthwiseBackpropInput } from './wasmKernels/conv';
import { CPU_FALLBACK_KERNELS, cpuFallbackKernel } from './wasmKernels/cpuFallback';
import { unsortedSegmentSum } from './wasmKernels/segment';
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

/** The kernels this module provides for wasm (fast ones first, then cpu-copy fallbacks). */
export const WASM_TRAINING_KERNELS: readonly string[] = [...Object.keys(FAST), ...CPU_FALLBACK_KERNELS];

/**
 * Registers the missing training kernels on the 'wasm' backend. Idempotent: a kernel the backend
 * already has (natively, or from an earlier call) is left alone. Returns the names of all kernels
 * LR Scope provides on wasm (from this call or an earlier one); kernels wasm has natively are not listed.
 */
export function registerWasmTrainingKernels(tf: Tf): string[] {
	const active: string[] = [];
	for (const name of WASM_TRAINING_KERNELS) {
		const existing = tf.getKernel(name, 'wasm');
		if (existing) {
			if ((existing.kernelFunc as unknown as Record<symbol, unknown>)[OURS]) {
				active.push(name);
			}
			continue;
		}
		const fast = FAST[name];
		if (!fast && !tf.getKernel(name, 'cpu')) {
			continue;
		}
		const fn = fast ? (args: KernelArgs) => fast(tf, args) : cpuFallbackKernel(tf, name);
		Object.defineProperty(fn, OURS, { value: true });
		tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as never });
		active.push(name);
	}
	return active;
}
