/**
 * A probe child of the per-model speed probe (modelSpeedProbe.ts; bundled as dist/speedProbe.js):
 * one process per wasm thread count, because the wasm backend's threads are fixed when it
 * initialises. It takes one {@link ProbeChildRequest} over IPC, loads tfjs the way the runner would
 * (same package, LR Scope's wasm training kernels, the asked threads), times the model on each asked
 * backend, sends each measurement as soon as it has it, and exits.
 */
import { createRequire } from 'node:module';
import type * as tfTypes from '@tensorflow/tfjs';
import { firstLine, jsAttempt, type WasmNotes } from './backendLoad';
import { createOptimizer } from '../sources/modelLoad';
import type {
	Measurement,
	ModelProbeSpec,
	ProbeChildMessage,
	ProbeChildRequest,
} from './modelSpeedProbe';
import type { Tf } from '../sources/sourceTypes';
import { wasmThreadsInUse } from './wasmKernels/threads';

/** Unknown non-batch dimensions (a sequence's length) are timed at this size. */
const UNKNOWN_DIM = 16;

/** A synthetic batch of `n` examples shaped like the model's inputs and outputs. */
function syntheticBatch(
	tf: Tf,
	model: tfTypes.LayersModel,
	n: number,
	loss: string,
): { x: tfTypes.Tensor[]; y: tfTypes.Tensor[] } {
	const dims = (shape: (number | null)[]): number[] =>
		shape.map((d, i) => (i === 0 ? n : (d ?? UNKNOWN_DIM)));
	const x = model.inputs.map((inp) =>
		// Token ids (Embedding inputs) must be valid indices: zeros are; floats are uniform noise.
		inp.dtype === 'int32'
			? tf.zeros(dims(inp.shape), 'int32')
			: tf.randomUniform(dims(inp.shape), 0, 1, 'float32', 1),
	);
	const y = model.outputs.map((out) =>
		loss === 'sparseCategoricalCrossentropy' ? tf.zeros([n, 1]) : tf.zeros(dims(out.shape)),
	);
	return { x, y };
}

/**
 * A first 1-example step at least this long (ms) may end the timing as a bound (see
 * {@link timeModel}); shorter ones are dominated by one-time overhead (a tiny model's first step
 * on cpu), and timing those properly is cheap anyway.
 */
const BOUND_AFTER_MS = 200;

/** Examples in the second small batch of the estimate (see {@link timeModel}). */
const SMALL = 4;

/**
 * The model of `spec`, its weights initialised on backend `buildOn` when given (then the current
 * backend again: the weights move to it on first use; the current one when `buildOn` does not
 * start). Only the step time is measured, and an
 * initializer can cost far more on cpu than a step (an LSTM's orthogonal initializer: 16 s on cpu,
 * under 1 s on wasm).
 */
async function buildModel(tf: Tf, spec: ModelProbeSpec, buildOn?: string) {
	const current = tf.getBackend();
	// A `buildOn` that does not start (it failed its own timing) leaves the build where it is.
	const other =
		buildOn !== undefined &&
		buildOn !== current &&
		(await tf.setBackend(buildOn).catch(() => false));
	try {
		return await tf.models.modelFromJSON({
			modelTopology: JSON.parse(spec.topology) as tfTypes.io.ModelJSON['modelTopology'],
		} as tfTypes.io.ModelJSON);
	} finally {
		if (other) {
			await tf.setBackend(current);
		}
	}
}

/**
 * Times training steps of the model in `spec` on the current backend (built on `buildOn`, see
 * {@link buildModel}). With `beat` (steps/s of a
 * configuration measured before), one long 1-example step that cannot win ends it (`atMost`).
 * First the cost of a step as
 * fixed part + per-example part, from warmed-up steps on 1 and on {@link SMALL} examples (the faster
 * of two each). When the predicted full-batch step fits `budgetMs`: a warm-up at the full batch, then
 * full-batch steps for `budgetMs` (at least one). Else the prediction is the answer, marked
 * `estimated` (cpu on a large CNN: seconds per step).
 */
export async function timeModel(
	tf: Tf,
	spec: ModelProbeSpec,
	budgetMs: number,
	beat = 0,
	boundAfterMs = BOUND_AFTER_MS,
	buildOn?: string,
): Promise<Measurement> {
	const model = await buildModel(tf, spec, buildOn);
	const loss = spec.loss ?? 'meanSquaredError';
	const { optimizer } = createOptimizer(tf, spec.optimizer ?? 'adam');
	model.compile({ optimizer, loss });
	const made: tfTypes.Tensor[] = [];
	const batch = (n: number): { x: tfTypes.Tensor[]; y: tfTypes.Tensor[] } => {
		const b = syntheticBatch(tf, model, n, loss);
		made.push(...b.x, ...b.y);
		return b;
	};
	let steps = 0;
	let lastLoss = NaN;
	const step = async (b: { x: tfTypes.Tensor[]; y: tfTypes.Tensor[] }): Promise<number> => {
		const t0 = performance.now();
		const l = await model.trainOnBatch(
			b.x.length === 1 ? b.x[0] : b.x,
			b.y.length === 1 ? b.y[0] : b.y,
		);
		steps++;
		lastLoss = Array.isArray(l) ? l[0] : l;
		return performance.now() - t0;
	};
	/** A warm-up step on `n` examples, then the faster of two timed ones. */
	const warmStep = async (n: number): Promise<number> => {
		const b = batch(n);
		await step(b);
		return Math.min(await step(b), await step(b));
	};
	try {
		const size = spec.batchSize;
		if (beat > 0) {
			// A full batch takes at least as long as one example: when one 1-example step is long
			// (so its one-time overhead is a small part of it) and even twice its speed loses to
			// `beat`, stop here instead of spending seconds per step to measure a sure loser.
			const first = await step(batch(1));
			if (first >= boundAfterMs && 2 * (1000 / first) < beat) {
				return {
					stepsPerSecond: 1000 / first,
					steps,
					estimated: true,
					atMost: true,
					loss: lastLoss,
				};
			}
		}
		const t1 = await warmStep(1);
		const small = Math.min(SMALL, size);
		const perExample = small > 1 ? Math.max(0, ((await warmStep(small)) - t1) / (small - 1)) : 0;
		const predicted = t1 + (size - 1) * perExample;
		if (predicted > budgetMs) {
			return { stepsPerSecond: 1000 / predicted, steps, estimated: true, loss: lastLoss };
		}
		const full = batch(size);
		await step(full);
		let n = 0;
		let elapsed = 0;
		while (n < 1 || elapsed < budgetMs) {
			elapsed += await step(full);
			n++;
		}
		return { stepsPerSecond: (1000 * n) / elapsed, steps, loss: lastLoss };
	} finally {
		tf.dispose(made);
		model.dispose();
		optimizer.dispose();
	}
}

/** Does what `req` asks and reports through `send` (the caller sends `done` after it). */
export async function runProbeChild(
	req: ProbeChildRequest,
	send: (m: ProbeChildMessage) => void,
): Promise<void> {
	const r = createRequire(req.base);
	const notes: WasmNotes = { kernels: '', threads: '' };
	let tf: Tf;
	try {
		const kind = req.backends.includes('wasm') ? 'wasm' : 'cpu';
		({ tf } = await jsAttempt(r, 'bundled', kind, req.threads, notes).load());
	} catch (e) {
		send({ type: 'failed', error: firstLine(e) });
		return;
	}
	tf.env().set('PROD', true);
	send({ type: 'ready', threads: req.backends.includes('wasm') ? wasmThreadsInUse(tf) : 0 });
	/** The fastest configuration this child measured so far: a later one must beat it. */
	let best = 0;
	for (const b of req.backends) {
		let measurement: Measurement;
		try {
			if (!(await tf.setBackend(b))) {
				throw new Error(`tf.setBackend('${b}') returned false`);
			}
			await tf.ready();
			// Every backend after the first trains weights initialised on the first.
			const buildOn = b === req.backends[0] ? undefined : req.backends[0];
			measurement = await timeModel(tf, req.spec, req.budgetMs, best, undefined, buildOn);
			if (!Number.isFinite(measurement.loss)) {
				measurement = { ...measurement, stepsPerSecond: 0, error: `loss ${measurement.loss}` };
			}
		} catch (e) {
			measurement = { stepsPerSecond: 0, steps: 0, error: firstLine(e) };
		}
		if (!measurement.atMost) {
			best = Math.max(best, measurement.stepsPerSecond);
		}
		send({ type: 'measured', backend: b, measurement });
	}
}

/** Process entry: only when forked (an IPC channel), never when imported. */
function main(): void {
	const send = (m: ProbeChildMessage): void => {
		process.send?.(m);
	};
	process.once('message', (req: ProbeChildRequest) => {
		void runProbeChild(req, send)
			.catch((e: unknown) => send({ type: 'failed', error: firstLine(e) }))
			.finally(() => {
				// The threaded wasm's workers keep the loop alive; everything is sent once IPC drains.
				process.send?.({ type: 'done' } satisfies ProbeChildMessage, () => process.exit(0));
			});
	});
}

if (require.main === module && typeof process.send === 'function') {
	main();
}
