/**
 * The sentinel policies (issue 19, docs/algorithms.md "Grid sentinels"): the shipped start
 * (one curve, minimum-centred when out of reach) with grid LRs outside the candidate window
 * probed beside it from the first round, over the windows, multi-round shapes, climbs and picks
 * near the shipped ones. Their records need every grid LR probed (bench/quality/recordGrid.ts).
 */
import type { CandidateWindow, ScheduleShape } from '../../src/core/verify';
import type { Policy } from './policies';

const windows: CandidateWindow[] = [
	{ below: 0.5, above: 0.5 },
	{ below: 1, above: 1 },
	{ below: 1.5, above: 1 },
];
const shapes: { name: string; shape: ScheduleShape }[] = [
	{ name: '1/2 then best 3', shape: { fractions: [0.5, 1], keep: [3] } },
	{ name: '1/4 then best 3', shape: { fractions: [0.25, 1], keep: [3] } },
	{ name: '1/4 then best 2', shape: { fractions: [0.25, 1], keep: [2] } },
	{ name: '1/8 then best 3', shape: { fractions: [0.125, 1], keep: [3] } },
	{ name: '1/8, 1/2 (best 3), 1 (best 1)', shape: { fractions: [0.125, 0.5, 1], keep: [3, 1] } },
	{ name: '1/8, 1/4 (best 4), 1 (best 2)', shape: { fractions: [0.125, 0.25, 1], keep: [4, 2] } },
	{ name: '1/8, 1/2 (best 4), 1 (best 2)', shape: { fractions: [0.125, 0.5, 1], keep: [4, 2] } },
];

export function sentinelPolicies(): Policy[] {
	const out: Policy[] = [];
	for (const sentinels of ['decades', 'grid'] as const) {
		for (const when of ['always', 'notClear'] as const) {
			for (const window of windows) {
				for (const s of shapes) {
					for (const tolerance of [0.03, 0.05, 0.1]) {
						for (const project of [0, 0.25]) {
							for (const times of [0, 1]) {
								out.push({
									name: `verify always, 1 curve (minimum-centred when out of reach), −${window.below}/+${window.above} dec + ${sentinels === 'grid' ? 'every grid LR' : "the grid's decades"}${when === 'notClear' ? ' without a clear valley' : ''}, ${s.name}${times ? ', climb ×1' : ''}, tolerance ${tolerance} (lowest LR), ${project ? `projected ×${project}` : 'last loss'}`,
									curves: 1,
									verify: {
										window,
										shape: s.shape,
										when: 'always',
										pick: { tolerance, project, tie: 'lowest' },
										centre: 'minimumReach',
										sentinels,
										sentinelsWhen: when,
										...(times ? { climb: { times, reserve: false } } : {}),
									},
								});
							}
						}
					}
				}
			}
		}
	}
	return out;
}
