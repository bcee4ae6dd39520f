/**
 * The training batch stream: batches assembled in JS (the fast path) hold exactly the rows a
 * backend gather of the same seeded permutation gives, for float, int and multi-input data, on cpu
 * and wasm; large data takes the gather path with the same batches; nothing leaks.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
	disposeBatch,
	gatherRows,
	tensorBatches,
	type TensorOrList,
} from '../../src/engine/training/batching';
import { mulberry32, shuffledIndices } from '../../src/engine/training/seed';

after(async () => {
	await tf.setBackend('cpu');
});

const list = (t: TensorOrList): tf.Tensor[] => (Array.isArray(t) ? t : [t]);

/** Takes `count` batches and compares each with a gather of the expected permutation slice. */
async function checkStream(
	x: TensorOrList,
	y: TensorOrList,
	batchSize: number,
	seed: number,
	count: number,
	hostCopyLimitBytes?: number,
): Promise<void> {
	const n = list(x)[0].shape[0]!;
	const per = Math.floor(n / batchSize);
	const rand = mulberry32(seed);
	let perm = shuffledIndices(n, rand);
	const stream = tensorBatches(tf, x, y, batchSize, seed, { hostCopyLimitBytes });
	assert.equal(stream.batchesPerEpoch, per);
	for (let i = 0; i < count; i++) {
		if (i > 0 && i % per === 0) {
			perm = shuffledIndices(n, rand);
		}
		const b = i % per;
		const idx = perm.subarray(b * batchSize, (b + 1) * batchSize);
		const batch = (await stream.next())!;
		const wantX = gatherRows(tf, x, idx);
		const wantY = gatherRows(tf, y, idx);
		for (const [got, want] of [
			[batch.x as TensorOrList, wantX],
			[batch.y as TensorOrList, wantY],
		] as const) {
			assert.equal(Array.isArray(got), Array.isArray(want));
			list(got).forEach((g, k) => {
				const w = list(want)[k];
				assert.deepEqual(g.shape, w.shape);
				assert.equal(g.dtype, w.dtype);
				assert.deepEqual(Array.from(g.dataSync()), Array.from(w.dataSync()), `batch ${i}`);
			});
		}
		tf.dispose([wantX, wantY] as never);
		disposeBatch(tf, batch);
	}
}

for (const backend of ['cpu', 'wasm']) {
	describe(`tensorBatches on ${backend}`, () => {
		it('gives the rows of the seeded permutation, epoch after epoch, without leaks', async () => {
			assert.ok(await tf.setBackend(backend));
			const n = 23;
			const x = tf.tensor3d(
				Float32Array.from({ length: n * 6 }, (_v, i) => i * 0.5 - 3),
				[n, 3, 2],
			);
			const tokens = tf.tensor2d(
				Int32Array.from({ length: n * 4 }, (_v, i) => (i * 7) % 50),
				[n, 4],
				'int32',
			);
			const y = tf.tensor2d(
				Float32Array.from({ length: n * 2 }, (_v, i) => -i),
				[n, 2],
			);
			const before = tf.memory().numTensors;
			// 23 examples, batch 5: 4 batches an epoch, 9 batches cross two epoch boundaries.
			await checkStream(x, y, 5, 11, 9);
			await checkStream([x, tokens], [y, tokens], 5, 3, 6);
			// Over the host-copy limit: gathered on the backend, same batches.
			await checkStream(x, y, 5, 11, 9, 16);
			assert.equal(tf.memory().numTensors, before);
			tf.dispose([x, tokens, y]);
		});
	});
}
