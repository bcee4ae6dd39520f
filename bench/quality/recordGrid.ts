/**
 * Records the probes at every LR of the 9-point grid (issue 19, docs/algorithms.md "Grid
 * sentinels"): for every run of one half, the grid LRs its record has not probed, on the record's
 * own held-out slice and checkpoints, by measure.ts's own code paths; the record's first LR is
 * probed again beside them as a control.
 *
 * `node --import tsx bench/quality/recordGrid.ts tuning|heldOut [seeds=1,2,3] [only=key,key]`
 */
import { grid, lrKey } from './measure';
import { controlText, updateRecords } from './setup';
import { measureGridProbes } from './remeasure';

void updateRecords(
	process.argv.slice(2),
	'1,2,3',
	(rec) => grid.some((g) => !(lrKey(g) in rec.probes.byLr)),
	async (w, rec) => {
		const { added, control } = await measureGridProbes(w, rec);
		return `${added.map((lr) => lr.toPrecision(2)).join(', ')}; ${controlText(control)}`;
	},
);
