/**
 * The per-model speed probe for a script's model (the one a saved model gets, backend.ts): the
 * intercepted model's topology is timed in short child processes on wasm (each of `threadCounts`:
 * all cores and one) and cpu, cached per machine and model; the script's wasm then starts on the
 * winner's threads. `wasmOnly` (a forced `--backend wasm`) picks among the wasm thread counts.
 * Undefined when the topology cannot be rebuilt in a child (custom layers) or nothing trained
 * there: the per-machine probe decides.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { speedProbeCachePath } from '../../backend/backend';
import { normalizeLossName, normalizeOptimizerName } from '../../sources/modelLoad';
import { probeModelSpeed, probeWinner, speedsText } from '../../backend/modelSpeedProbe';
import type { LoadedSource } from '../../sources/sourceTypes';
import { hookFile } from './state';
import { scriptProbeMeasuredText, scriptProbeNote } from '../../../core/present/scriptWords';
import { probeWinnerText } from '../../../core/present/backendWords';

export async function pickByModelProbe(
	model: tfTypes.LayersModel,
	loaded: LoadedSource,
	threadCounts: number[],
	wasmOnly = false,
): Promise<{ backend: 'wasm' | 'cpu'; threads: number; note: string } | undefined> {
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
		threadCounts,
		cachePath,
	});
	const best = probeWinner(r, wasmOnly);
	if (!best) {
		return undefined;
	}
	const measured = scriptProbeMeasuredText(
		loaded.batchSize,
		speedsText(r.speeds),
		r.cached,
		cachePath,
	);
	return {
		backend: best.backend,
		threads: best.threads,
		note: scriptProbeNote(probeWinnerText(best), wasmOnly, measured),
	};
}
