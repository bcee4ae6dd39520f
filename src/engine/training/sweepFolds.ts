/**
 * The sweep's training/validation splits: the source's own validation data, a seeded 20% hold-out,
 * or K seeded folds (each validates on its part and trains on the rest).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { SweepOptions } from '../../shared/runnerProtocol';
import { exampleCount, gatherRows, tensorsOf, type TensorOrList } from './batching';
import { BadInputError } from '../../shared/errors';
import {
	crossValidationNote,
	foldsIgnoreValidationNote,
	sweepHoldOutNote,
} from '../../core/present/trainingNotes';
import { heldOutFraction, holdOutValidation } from './rangeTest';
import { mulberry32, shuffledIndices } from './seed';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { foldsNeedTensorsText, tooFewForFoldsText } from '../../core/present/trainingErrors';

/** One training part and its validation part. */
export interface Fold {
	x: TensorOrList;
	y: TensorOrList;
	valX?: TensorOrList;
	valY?: TensorOrList;
}

/** The folds of a sweep; tensors it creates go into `owned` (the caller disposes them). */
export function makeFolds(
	tf: Tf,
	loaded: LoadedSource,
	o: SweepOptions,
	notes: string[],
	owned: tfTypes.Tensor[],
): Fold[] {
	if (loaded.dataset) {
		if (o.folds > 1) {
			throw new BadInputError(foldsNeedTensorsText);
		}
		return [{ x: loaded.x, y: loaded.y, valX: loaded.valX, valY: loaded.valY }];
	}
	if (o.folds === 1) {
		if (loaded.valX && loaded.valY) {
			return [{ x: loaded.x, y: loaded.y, valX: loaded.valX, valY: loaded.valY }];
		}
		const s = holdOutValidation(tf, loaded.x, loaded.y, o.seed, owned);
		notes.push(sweepHoldOutNote(heldOutFraction, exampleCount(s.valX)));
		return [s];
	}
	const n = exampleCount(loaded.x);
	if (n < o.folds * 2) {
		throw new BadInputError(tooFewForFoldsText(n, o.folds));
	}
	const perm = shuffledIndices(n, mulberry32(o.seed ^ 0x1b873593));
	const folds: Fold[] = [];
	for (let k = 0; k < o.folds; k++) {
		const lo = Math.floor((k * n) / o.folds);
		const hi = Math.floor(((k + 1) * n) / o.folds);
		const valIdx = perm.slice(lo, hi);
		const trIdx = Int32Array.from([...perm.slice(0, lo), ...perm.slice(hi)]);
		const f: Fold = {
			x: gatherRows(tf, loaded.x, trIdx),
			y: gatherRows(tf, loaded.y, trIdx),
			valX: gatherRows(tf, loaded.x, valIdx),
			valY: gatherRows(tf, loaded.y, valIdx),
		};
		owned.push(...tensorsOf(f.x), ...tensorsOf(f.y), ...tensorsOf(f.valX!), ...tensorsOf(f.valY!));
		folds.push(f);
	}
	notes.push(crossValidationNote(o.folds));
	if (loaded.valX) {
		notes.push(foldsIgnoreValidationNote);
	}
	return folds;
}
