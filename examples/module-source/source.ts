// An LR Scope module source: `lrscope range-test --module examples/module-source/source.ts`.
// LR Scope calls createModel(tf) and createData(tf) with ITS tfjs instance, so the model and the
// range test share one tfjs (the `import type` below is for types only and loads nothing).
import type * as tfjs from '@tensorflow/tfjs';

/** Builds (and compiles) the model; may be async. */
export function createModel(tf: typeof tfjs): tfjs.LayersModel {
	const model = tf.sequential({ name: 'module_mlp' });
	model.add(tf.layers.dense({ inputShape: [3], units: 16, activation: 'tanh' }));
	model.add(tf.layers.dense({ units: 1 }));
	model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
	return model;
}

/** Returns {x, y} as tensors or plain arrays (async allowed): here y = sin(x1) + 0.5·x2·x3. */
export async function createData(tf: typeof tfjs): Promise<{ x: tfjs.Tensor; y: tfjs.Tensor }> {
	let s = 12345;
	const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
	const xs: number[][] = [];
	const ys: number[][] = [];
	for (let i = 0; i < 256; i++) {
		const x = [rand() * 2, rand(), rand()];
		xs.push(x);
		ys.push([Math.sin(x[0]) + 0.5 * x[1] * x[2]]);
	}
	return { x: tf.tensor2d(xs), y: tf.tensor2d(ys) };
}

/** Optional: the batch size to use when --batch-size is not given. */
export const batchSize = 16;
