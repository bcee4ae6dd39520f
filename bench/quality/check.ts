/**
 * The bench scores verification from recorded probe losses (policies.ts). This check runs the
 * engine's real `verifyHeadline` on a workload × seed and compares its answer with the score's —
 * they must be the same LR (same candidates, budget, rounds, data, seed).
 */
import * as tf from '@tensorflow/tfjs';
import type { Headline } from '../../src/core/types';
import type { SuggestionReport } from '../../src/core/types';
import type { LoadedSource } from '../../src/engine/sources/sourceTypes';
import { verifyHeadline } from '../../src/engine/training/verify';
import type { RunRecord } from './measure';
import { compiled, curveMinimumLr, pretrained } from './measure';
import { type Policy, score } from './policies';
import type { Workload } from './workloads';

export interface CheckResult {
	scored: number | null;
	engine: number | null;
	seconds: number;
}

/** Runs `verifyHeadline` (mode auto, the record's plan) and the policy's score on the same run. */
export async function checkAgainstEngine(
	w: Workload,
	rec: RunRecord,
	policy: Policy,
): Promise<CheckResult> {
	const d = w.data(rec.seed);
	const x = tf.tensor(d.x, [d.n, ...d.xShape]);
	const y = tf.tensor2d(d.y, [d.n, d.yWidth]);
	const start = await pretrained(w, x, y, rec.seed);
	const model = compiled(w, rec.seed, start);
	const loaded: LoadedSource = {
		...{ model, x, y, batchSize: w.batchSize, size: d.n },
		...{ optimizerName: w.optimizer, lossName: w.loss, notes: [], dispose: () => undefined },
	};
	const head = policy.curves === 1 ? rec.headline1 : rec.headline3;
	const headline = { ...head, spreadDecades: 0, repeats: policy.curves } as Headline;
	const rangeTestSteps =
		policy.curves === 1 ? rec.rangeTestSteps[0] : rec.rangeTestSteps.reduce((a, b) => a + b, 0);
	try {
		const t0 = performance.now();
		// What the engine's report of that curve says: fastai's `minimum`, from the recorded curve.
		const min = curveMinimumLr(rec);
		const report = { suggestions: { minimum: min === null ? null : { lr: min } } };
		const v = await verifyHeadline(tf, loaded, headline, report as SuggestionReport, {
			mode: 'auto',
			seed: rec.seed,
			planSteps: rec.planSteps,
			stepsFrom: 'plan',
			rangeTestSteps,
		});
		const seconds = (performance.now() - t0) / 1000;
		return { scored: score(rec, policy).lr, engine: v?.lr ?? head.lr, seconds };
	} finally {
		model.optimizer.dispose();
		model.dispose();
		tf.dispose([x, y, ...(start ?? [])]);
	}
}
