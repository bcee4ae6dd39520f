/**
 * Training one fold at one LR for a sweep: `epochs` passes in a seeded order (the same for every
 * LR, so only the LR differs), the mean training loss per epoch and the validation loss after it.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import {
	disposeBatch,
	evaluateLoss,
	tensorBatches,
	trainStep,
	type TensorOrList,
} from './batching';
import { BadInputError } from '../../shared/errors';
import { withSeededMathRandom } from './seed';
import type { Fold } from './sweepFolds';
import type { SweepContext } from './sweepTypes';
import { datasetElementText, noBatchesText } from '../../core/present/trainingErrors';

/**
 * `epochs` epochs of one fold at one LR (the model and optimizer already reset): mean training
 * loss per epoch and validation loss after each; `null` from the epoch the loss turned non-finite.
 */
export async function trainFold(
	sc: SweepContext,
	fold: Fold,
	f: number,
	at: { index: number; count: number; lr: number },
): Promise<{
	curve: (number | null)[];
	val: (number | null)[];
	batches: number;
	cancelled: boolean;
}> {
	const { tf, loaded, o, batchSize, hooks } = sc;
	const curve: (number | null)[] = [];
	const val: (number | null)[] = [];
	let batches = 0;
	let cancelled = false;
	// Same data order (and dropout stream) for every LR: only the LR differs between runs.
	await withSeededMathRandom(o.seed + f, async () => {
		const stream = loaded.dataset
			? undefined
			: tensorBatches(tf, fold.x, fold.y, batchSize, o.seed + f);
		let dead = false;
		for (let e = 0; e < o.epochs; e++) {
			if (dead) {
				curve.push(null);
				val.push(null);
				continue;
			}
			const epoch = await trainEpoch(sc, stream);
			batches += epoch.batches;
			if (epoch.cancelled) {
				cancelled = true;
				return;
			}
			dead = epoch.dead;
			const mean = epoch.mean;
			const v =
				!dead && fold.valX && fold.valY
					? await evaluateLoss(tf, loaded.model, fold.valX, fold.valY, batchSize)
					: null;
			const vv = v !== null && Number.isFinite(v) ? v : null;
			curve.push(mean);
			val.push(vv);
			hooks.onProgress?.({
				lrIndex: at.index,
				lrCount: at.count,
				lr: at.lr,
				epoch: e,
				fold: f,
				loss: mean,
				valLoss: vv,
			});
		}
	});
	return { curve, val, batches, cancelled };
}

/** One pass over the training data: the mean loss, or `dead` when it turned non-finite. */
async function trainEpoch(
	sc: SweepContext,
	stream: ReturnType<typeof tensorBatches> | undefined,
): Promise<{ mean: number | null; dead: boolean; cancelled: boolean; batches: number }> {
	const { tf, loaded, hooks } = sc;
	let sum = 0;
	let count = 0;
	let batches = 0;
	let dead = false;
	const perEpoch = stream?.batchesPerEpoch;
	const it = loaded.dataset ? await loaded.dataset.iterator() : undefined;
	for (let b = 0; perEpoch === undefined || b < perEpoch; b++) {
		await sc.yieldNow();
		if (hooks.isCancelled?.()) {
			return { mean: null, dead, cancelled: true, batches };
		}
		const batch = stream ? await stream.next() : await nextDatasetBatch(it!);
		if (batch === null) {
			break;
		}
		let loss: number;
		try {
			loss = await trainStep(loaded.model, batch.x as TensorOrList, batch.y as TensorOrList);
		} finally {
			disposeBatch(tf, batch);
		}
		batches += 1;
		if (!Number.isFinite(loss)) {
			dead = true;
			break;
		}
		sum += loss;
		count += 1;
	}
	if (count === 0 && !dead) {
		throw new BadInputError(noBatchesText);
	}
	return { mean: dead ? null : sum / count, dead, cancelled: false, batches };
}

async function nextDatasetBatch(
	it: Awaited<ReturnType<tfTypes.data.Dataset<tfTypes.TensorContainer>['iterator']>>,
) {
	const r = await it.next();
	if (r.done) {
		return null;
	}
	const el = r.value as { xs?: TensorOrList; ys?: TensorOrList };
	if (el === null || typeof el !== 'object' || el.xs === undefined || el.ys === undefined) {
		throw new BadInputError(datasetElementText);
	}
	return { x: el.xs, y: el.ys };
}
