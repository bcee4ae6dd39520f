/**
 * Seeded generators of synthetic training runs for detector tests: healthy, NaN, divergence, spike,
 * plateau, overfitting and underfitting shapes, with multiplicative batch noise.
 */
import type { LogRecord } from '../../src/core/types';
import { mulberry32 } from '../../src/core/random';

/** Seeded uniform numbers in [0, 1) (mulberry32). */
export const rng = mulberry32;

/** Standard normal samples (Box–Muller) from a seeded uniform source. */
export function gauss(u: () => number): () => number {
	return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A healthy decaying loss at step t: 0.3 + 2·exp(-t/400). */
export function healthyLoss(t: number): number {
	return 0.3 + 2 * Math.exp(-t / 400);
}

/** Step records of `n` steps, loss = shape(t) · (1 + noise·N(0,1)), clipped positive. */
export function stepRun(
	n: number,
	seed: number,
	shape: (t: number) => number,
	noise = 0.1,
): LogRecord[] {
	const g = gauss(rng(seed));
	const out: LogRecord[] = [];
	for (let t = 0; t < n; t++) {
		const base = shape(t);
		const v = Number.isFinite(base) ? Math.max(1e-6, base * (1 + noise * g())) : null;
		out.push({ step: t, unit: 'step', values: { loss: v, lr: 1e-3 } });
	}
	return out;
}

/** Epoch records with `loss` and `val_loss` from two shapes plus small noise. */
export function epochRun(
	n: number,
	seed: number,
	train: (e: number) => number,
	val: (e: number) => number,
	noise = 0.01,
): LogRecord[] {
	const g = gauss(rng(seed));
	const out: LogRecord[] = [];
	for (let e = 1; e <= n; e++) {
		out.push({
			step: e,
			unit: 'epoch',
			values: { loss: train(e) * (1 + noise * g()), val_loss: val(e) * (1 + noise * g()) },
		});
	}
	return out;
}
