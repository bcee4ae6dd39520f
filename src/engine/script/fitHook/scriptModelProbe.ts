/**
 * The per-model speed probe for a script's model (the one a saved model gets, backend.ts): the
 * intercepted model's topology is timed in short child processes on wasm (one thread: the script's
 * wasm is not started threaded) and cpu, cached per machine and model. Undefined when the topology
 * cannot be rebuilt in a child (custom layers) or nothing trained there: the per-machine probe decides.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { speedProbeCachePath } from '../../backend/backend';
import { normalizeLossName, normalizeOptimizerName } from '../../sources/modelLoad';
import { probeModelSpeed, speedsText } from '../../backend/modelSpeedProbe';
import type { LoadedSource } from '../../sources/sourceTypes';
import { hookFile } from './state';

export async function pickByModelProbe(
	model: tfTypes.LayersModel,
	loaded: LoadedSource,
): Promise<{ backend: 'wasm' | 'cpu'; note: string } | undefined> {
	let topology: string;
	try {
		topology = JSON.stringify(model.toJSON(null, false));
	} catch {
		return undefined;
	}
	const cachePath = speedProbeCachePath({});
	const r = await probeModelSpeed({
		spec: {
			topology,
			batchSize: loaded.batchSize,
			optimizer: normalizeOptimizerName(loaded.optimizerName),
			loss: normalizeLossName(loaded.lossName),
		},
		base: hookFile,
		threadCounts: [1],
		cachePath,
	});
	if (!r.best) {
		return undefined;
	}
	const measured = `speed probe on this model, batch ${loaded.batchSize}: ${speedsText(r.speeds)} steps/s; ${r.cached ? 'cached' : 'measured now, cached'} in ${cachePath}`;
	return {
		backend: r.best.backend,
		note: `${r.best.backend === 'cpu' ? 'cpu' : 'wasm'} trains this model fastest (${measured})`,
	};
}
