/**
 * The script's own training plan, read from the intercepted `fit`/`fitDataset` call: how many
 * optimizer steps it would take (epochs × steps per epoch). A verified suggestion's probes train
 * that long (issue 19: "use the script's own plan when it is visible").
 */
import type { LoadedSource } from '../../sources/sourceTypes';
import type { Rec } from './state';

const positiveInt = (x: unknown): number | undefined =>
	typeof x === 'number' && Number.isFinite(x) && x >= 1 ? Math.floor(x) : undefined;

/**
 * Steps the call plans: `fit(x, y, {epochs, initialEpoch, batchSize})` trains
 * `(epochs - initialEpoch) × ceil(examples / batchSize)` steps (tfjs's defaults: 1 epoch, batch 32;
 * the examples are those left after `validationSplit`); `fitDataset(ds, {epochs,
 * batchesPerEpoch})` trains `epochs × batchesPerEpoch`. `undefined` when the call does not say
 * (a dataset without `batchesPerEpoch`).
 */
export function fitPlanSteps(
	method: 'fit' | 'fitDataset',
	args: unknown[],
	loaded: Pick<LoadedSource, 'size' | 'batchSize'>,
): number | undefined {
	const cfg = ((method === 'fit' ? args[2] : args[1]) ?? {}) as Rec;
	const epochs = positiveInt(cfg.epochs) ?? 1;
	const initial = Math.max(0, Math.floor(Number(cfg.initialEpoch) || 0));
	const runEpochs = Math.max(1, epochs - initial);
	if (method === 'fitDataset') {
		const perEpoch = positiveInt(cfg.batchesPerEpoch);
		return perEpoch === undefined ? undefined : runEpochs * perEpoch;
	}
	const n = positiveInt(loaded.size);
	const batch = positiveInt(loaded.batchSize);
	return n === undefined || batch === undefined ? undefined : runEpochs * Math.ceil(n / batch);
}
