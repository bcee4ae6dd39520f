import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './src/engine/wasmKernels';
import { RANGE_BENCH_MODELS, seededTensor } from './src/engine/wasmKernels/layerZoo';
async function main() {
	await tf.setBackend('wasm'); await tf.ready(); registerWasmTrainingKernels(tf);
	const spec = RANGE_BENCH_MODELS.find((m) => m.key === process.argv[2])!;
	const m = spec.build(tf); m.compile({ optimizer: tf.train.sgd(1e-3), loss: 'categoricalCrossentropy' });
	const x = seededTensor(tf, [spec.batch, ...spec.inputShape], 1, 0, 1);
	const y = tf.oneHot(tf.zeros([spec.batch], 'int32') as tf.Tensor1D, 10).toFloat();
	for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
	const by: Record<string, number> = {};
	const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
	for (const k of tf.getKernelsForBackend('wasm')) {
		const orig = k.kernelFunc;
		(k as any).kernelFunc = (a: any) => { const t = cpu(); try { return orig(a); } finally { by[k.kernelName] = (by[k.kernelName] ?? 0) + cpu() - t; } };
	}
	const steps = Number(process.argv[3] ?? 10);
	const t0 = cpu();
	for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
	const total = (cpu() - t0) / steps;
	const rows = Object.entries(by).map(([k, v]) => [k, v / steps] as const).sort((a, b) => b[1] - a[1]);
	const ksum = rows.reduce((s, r) => s + r[1], 0);
	console.log(process.argv[2], 'cpu ms/step', total.toFixed(1), 'kernels', ksum.toFixed(1), 'other', (total - ksum).toFixed(1));
	console.log(rows.slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '));
}
main();
