/**
 * Whether the loaded model can train on the backend the runner chose (backend.ts), and the switch
 * to cpu under `auto` when wasm cannot (a kernel it lacks).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendInfo } from '../../core/types';
import type { ResolvedTf } from './backend';
import { firstLine } from './backendLoad';
import { trainStep } from '../training/batching';
import { BadInputError } from '../../shared/errors';
import type { LoadedSource, Tf } from '../sources/sourceTypes';
import { captureState, disposeSnapshot, restoreState } from '../training/state';
import { probeTrainable } from './wasmKernels/probe';
import {
	missingKernelText,
	wasmCannotTrainReason,
	wasmCannotTrainText,
} from '../../core/present/backendWords';

/**
 * Checks that the loaded model can train on the chosen backend: one training step on a 1-example
 * batch, model and optimizer state restored afterwards. On wasm under `auto`, a failure switches
 * to cpu and reloads the source through `reload` (tensors are created on the active backend).
 * Returns the (possibly reloaded) source and the backend info.
 */
export async function ensureTrainable(
	resolved: ResolvedTf,
	loaded: LoadedSource,
	reload: () => Promise<LoadedSource>,
): Promise<{ loaded: LoadedSource; info: BackendInfo }> {
	const { tf, info } = resolved;
	if (info.name !== 'wasm') {
		return { loaded, info };
	}
	const err = trainabilityError(tf, loaded) ?? (await probeTraining(tf, loaded));
	if (err === null) {
		return { loaded, info };
	}
	if (resolved.choice === 'wasm') {
		throw new BadInputError(wasmCannotTrainText(err));
	}
	loaded.dispose();
	loaded.model.dispose();
	await tf.setBackend('cpu');
	await tf.ready();
	const again = await reload();
	return {
		loaded: again,
		info: {
			...info,
			name: 'cpu',
			package: '@tensorflow/tfjs',
			reason: wasmCannotTrainReason(info.reason ?? '', err),
		},
	};
}

/**
 * The model's forward pass and gradients on a zero batch on the current backend (`probeTrainable`:
 * no weights or optimizer touched). Null when they run, else why not (the missing kernel by name).
 */
function trainabilityError(tf: Tf, loaded: LoadedSource): string | null {
	const p = probeTrainable(tf, loaded.model);
	if (p.ok) {
		return null;
	}
	// The error's first line names the kernel ("Kernel 'X' not registered for backend 'wasm'").
	return p.error ?? missingKernelText(p.missing);
}

/** One training step on a single example; returns null on success, else the first error line. */
export async function probeTraining(tf: Tf, loaded: LoadedSource): Promise<string | null> {
	const snap = captureState(tf, loaded.model);
	let xb: tfTypesTensorLike | undefined;
	let yb: tfTypesTensorLike | undefined;
	try {
		if (loaded.dataset) {
			// A dataset cannot be sliced without consuming it; probe with zeros of the model's shapes.
			xb = loaded.model.inputs.map((i) => tf.zeros([1, ...i.shape.slice(1).map((d) => d ?? 1)]));
			yb = loaded.model.outputs.map((o) => tf.zeros([1, ...o.shape.slice(1).map((d) => d ?? 1)]));
		} else {
			const first = (t: tfTypes.Tensor): tfTypes.Tensor => t.slice(0, 1);
			xb = Array.isArray(loaded.x) ? loaded.x.map(first) : first(loaded.x);
			yb = Array.isArray(loaded.y) ? loaded.y.map(first) : first(loaded.y);
		}
		await trainStep(loaded.model, xb, yb);
		return null;
	} catch (e) {
		return firstLine(e);
	} finally {
		restoreState(tf, loaded.model, snap);
		disposeSnapshot(snap);
		tf.dispose([xb ?? [], yb ?? []] as never);
	}
}

type tfTypesTensorLike = tfTypes.Tensor | tfTypes.Tensor[];
