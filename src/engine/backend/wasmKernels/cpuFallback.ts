/**
 * A wasm kernel that runs the cpu backend's kernel of the same name: inputs are copied out of wasm
 * memory, the cpu kernel runs, outputs are copied back. Slow (pure JS plus two copies) but correct,
 * so rarely used ops (Einsum, Unique, ragged ops) work on wasm instead of aborting training.
 */
import type { Tf } from '../../sources/sourceTypes';
import type { KernelArgs, TensorInfo, WasmBackend } from './wasmUtil';

/** The cpu backend's API we use (tfjs-backend-cpu `MathBackendCPU`). */
interface CpuBackend {
	write(values: ArrayLike<number>, shape: number[], dtype: string): object;
	readSync(dataId: object): ArrayLike<number>;
	disposeData(dataId: object): boolean;
}

/** Kernels the cpu backend has and wasm 4.22 lacks, safe to run through the copy fallback. */
export const CPU_FALLBACK_KERNELS = [
	'Einsum',
	'Unique',
	'RaggedGather',
	'RaggedRange',
	'RaggedTensorToTensor',
];

/** Builds a wasm kernel function that delegates `kernelName` to the cpu backend. */
export function cpuFallbackKernel(
	tf: Tf,
	kernelName: string,
): (args: KernelArgs) => TensorInfo | TensorInfo[] {
	return (args: KernelArgs) => {
		const b = args.backend as WasmBackend;
		const cpu = tf.engine().findBackend('cpu') as unknown as CpuBackend | null;
		const k = tf.getKernel(kernelName, 'cpu');
		if (!cpu || !k) {
			throw new Error(
				`Kernel '${kernelName}' needs the cpu backend as a fallback on wasm, but it is not available`,
			);
		}
		const copied: object[] = [];
		const toCpu = (t: TensorInfo): TensorInfo => {
			if (t.dtype === 'string' || t.dtype === 'complex64') {
				throw new Error(
					`Kernel '${kernelName}' on wasm: ${t.dtype} inputs are not supported by the cpu fallback`,
				);
			}
			const dataId = cpu.write(b.readSync(t.dataId) as ArrayLike<number>, t.shape, t.dtype);
			copied.push(dataId);
			return { dataId, shape: t.shape, dtype: t.dtype };
		};
		const inputs = Array.isArray(args.inputs)
			? (args.inputs as TensorInfo[]).map(toCpu)
			: Object.fromEntries(Object.entries(args.inputs).map(([name, t]) => [name, toCpu(t)]));
		try {
			const res = k.kernelFunc({
				inputs: inputs as never,
				backend: cpu as never,
				attrs: (args.attrs ?? {}) as never,
			});
			const outs = (Array.isArray(res) ? res : [res]) as TensorInfo[];
			const back = outs.map((o) => {
				const vals = cpu.readSync(o.dataId);
				cpu.disposeData(o.dataId);
				const w = b.makeOutput(o.shape, o.dtype);
				b.typedArrayFromHeap(w).set(vals);
				return w;
			});
			return Array.isArray(res) ? back : back[0];
		} finally {
			copied.forEach((id) => cpu.disposeData(id));
		}
	};
}
