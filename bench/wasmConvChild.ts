/**
 * Child of bench/wasmConv.bench.ts: times the forward convolution and both gradients of each layer
 * of bench/convLayers.ts on wasm (1 thread, LR Scope's kernels), with fresh weights on every forward
 * call as in training (XNNPACK packs a new filter per call). Prints one JSON line:
 * `{ layers: [{ fwd, dx, dW }] }` in ms (medians of 9 after 3 warm-ups).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/engine/backend/wasmKernels';
import { startWasm } from '../src/engine/backend/wasmKernels/threads';
import { CONV_LAYERS } from './convLayers';

function medianMs(f: () => tf.Tensor, reps = 9): number {
	for (let i = 0; i < 3; i++) {
		tf.dispose(f());
	}
	const ts: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t = performance.now();
		const o = f();
		ts.push(performance.now() - t);
		tf.dispose(o);
	}
	ts.sort((a, b) => a - b);
	return ts[reps >> 1];
}

async function main(): Promise<void> {
	await startWasm(tf, createRequire(__filename), 1);
	registerWasmTrainingKernels(tf);
	const layers = CONV_LAYERS.map((l) => {
		const x = tf.randomNormal(l.x) as tf.Tensor4D;
		const w = tf.randomNormal([3, 3, l.x[3], l.cout]) as tf.Tensor4D;
		const y = tf.conv2d(x, w, 1, l.pad);
		const dy = tf.randomNormal(y.shape);
		const conv = { strides: 1, pad: l.pad, dataFormat: 'NHWC' };
		const out = {
			fwd: medianMs(() => {
				const fresh = tf.add(w, 0) as tf.Tensor4D;
				const o = tf.conv2d(x, fresh, 1, l.pad);
				fresh.dispose();
				return o;
			}),
			dx: medianMs(
				() =>
					tf
						.engine()
						.runKernel(
							'Conv2DBackpropInput',
							{ dy, filter: w },
							{ ...conv, inputShape: l.x },
						) as tf.Tensor,
			),
			dW: medianMs(
				() =>
					tf
						.engine()
						.runKernel(
							'Conv2DBackpropFilter',
							{ x, dy },
							{ ...conv, filterShape: w.shape },
						) as tf.Tensor,
			),
		};
		tf.dispose([x, w, y, dy]);
		return out;
	});
	process.stdout.write(`${JSON.stringify({ layers })}\n`);
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
		process.exit(1);
	},
);
