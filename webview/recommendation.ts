/**
 * The designer's starting point for a range test: a schedule and why. Kept behind this one function
 * so the designer does not care where the recommendation comes from.
 */
import type { ScheduleSpec } from '../src/core/schedules';
import type { RangeTestResult } from '../src/core/types';
import { defaultScheduleSpec, formatLr } from './viewModel';

/** A pre-filled schedule and a sentence saying why. */
export interface Recommendation {
	spec: ScheduleSpec;
	totalSteps: number;
	why: string;
}

/** Recommends a schedule for `result` over `totalSteps` training steps. */
export function recommendFor(result: RangeTestResult | undefined, totalSteps: number): Recommendation {
	const lr = result?.report.consensus?.lr;
	if (!result || lr === undefined) {
		return {
			spec: defaultScheduleSpec('cosine', 1e-3, totalSteps),
			totalSteps,
			why: 'No range-test suggestion to start from: a cosine decay from 1e-3. Run a range test to pre-fill this.',
		};
	}
	return {
		spec: defaultScheduleSpec('oneCycle', lr, totalSteps),
		totalSteps,
		why: `Pre-filled: one-cycle peaking at the consensus LR ${formatLr(lr)} (warm-up then anneal, as fastai's fit_one_cycle).`,
	};
}
