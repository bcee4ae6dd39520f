/**
 * The designer's starting point for a range test: the core recommender's schedule and reason
 * (`recommendSchedule`), with a generic fallback when there is no range test to start from.
 */
import { errorText } from '../src/core/present/errorText';
import { fallbackLr, recommendSchedule } from '../src/core/recommend';
import type { ScheduleSpec } from '../src/core/schedules/spec';
import type { LoadedRangeTest } from '../src/core/types';
import { formatLr } from '../src/core/present/format';
import { defaultScheduleSpec } from './viewModels/scheduleViewModel';

/** A pre-filled schedule and a sentence saying why. */
export interface Recommendation {
	spec: ScheduleSpec;
	totalSteps: number;
	why: string;
}

/** Recommends a schedule for `result` over `totalSteps` training steps. Never throws. */
export function recommendFor(
	result: LoadedRangeTest | undefined,
	totalSteps: number,
): Recommendation {
	const steps = Math.max(1, Math.round(totalSteps));
	if (result) {
		try {
			const rec = recommendSchedule(result, { totalSteps: steps });
			return { spec: rec.spec, totalSteps: steps, why: `Recommended: ${rec.reason}.` };
		} catch (err) {
			return {
				spec: defaultScheduleSpec('cosine', fallbackLr, steps),
				totalSteps: steps,
				why: `No recommendation (${errorText(err)}): a cosine decay from ${formatLr(fallbackLr)}.`,
			};
		}
	}
	return {
		spec: defaultScheduleSpec('cosine', fallbackLr, steps),
		totalSteps: steps,
		why: `No range test to start from: a cosine decay from ${formatLr(fallbackLr)}. Run a range test to pre-fill this.`,
	};
}
