/**
 * A tf.data dataset read into tensors for the verification probes (verify.ts): the probes replay the
 * same seeded batch order for every candidate and hold a slice out, which needs the data in memory.
 * One pass over the dataset's `{xs, ys}` batches, up to a number of examples and bytes, concatenated
 * along the batch axis; each batch is disposed once copied, as the range test disposes the batches it
 * trains on.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { TensorOrList } from './batching';
import type { Tf } from '../sources/sourceTypes';

export interface DatasetTensors {
	x: TensorOrList;
	y: TensorOrList;
	examples: number;
	/** The size of the dataset's first batch (the probes train with it). */
	batchSize: number;
	/** False when the limits stopped the pass before the dataset ended. */
	complete: boolean;
}

/** At most this many examples of a dataset are read for the probes… */
export const datasetProbeMaxExamples = 20_000;
/** …and at most this many bytes (inputs and targets together). */
export const datasetProbeMaxBytes = 256 * 2 ** 20;

const asList = (v: unknown): tfTypes.Tensor[] | undefined => {
	const list = Array.isArray(v) ? v : [v];
	const ok =
		list.length > 0 &&
		list.every((t) => t !== null && typeof t === 'object' && 'shape' in t && 'dtype' in t);
	return ok ? (list as tfTypes.Tensor[]) : undefined;
};

/**
 * One pass of `dataset` (or the part within the limits) as tensors; `undefined` when an element is not
 * * `{xs, ys}` with tensors or arrays of tensors (a dict of named inputs is not read), or yields nothing.
 * The caller disposes `x` and `y`.
 */
export async function datasetTensors(
	tf: Tf,
	dataset: tfTypes.data.Dataset<tfTypes.TensorContainer>,
	limits = { examples: datasetProbeMaxExamples, bytes: datasetProbeMaxBytes },
): Promise<DatasetTensors | undefined> {
	const xs: tfTypes.Tensor[][] = [];
	const ys: tfTypes.Tensor[][] = [];
	let examples = 0;
	let bytes = 0;
	let complete = true;
	let single = { x: false, y: false };
	const it = await dataset.iterator();
	try {
		for (;;) {
			if (examples >= limits.examples || bytes >= limits.bytes) {
				complete = false;
				break;
			}
			const r = await it.next();
			if (r.done) {
				break;
			}
			const el = r.value as { xs?: unknown; ys?: unknown } | null;
			const x = asList(el?.xs);
			const y = asList(el?.ys);
			if (!x || !y) {
				tf.dispose(r.value as tfTypes.TensorContainer);
				return undefined;
			}
			single = { x: !Array.isArray(el!.xs), y: !Array.isArray(el!.ys) };
			xs.push(x);
			ys.push(y);
			examples += x[0].shape[0] ?? 0;
			bytes += [...x, ...y].reduce((s, t) => s + t.size * 4, 0);
		}
		if (xs.length === 0 || examples === 0) {
			return undefined;
		}
		const cat = (parts: tfTypes.Tensor[][], one: boolean): TensorOrList => {
			const out = parts[0].map((_, k) =>
				tf.concat(
					parts.map((p) => p[k]),
					0,
				),
			);
			return one ? out[0] : out;
		};
		return {
			x: cat(xs, single.x),
			y: cat(ys, single.y),
			examples,
			batchSize: xs[0][0].shape[0] ?? 1,
			complete,
		};
	} finally {
		tf.dispose([...xs.flat(), ...ys.flat()]);
	}
}
