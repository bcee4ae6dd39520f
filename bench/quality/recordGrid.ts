/**
 * Records the probes at every LR of the 9-point grid (issue 19, docs/algorithms.md "Grid
 * sentinels"): for every run of one half, the grid LRs its record has not probed, on the record's
 * own held-out slice and checkpoints, by measure.ts's own code paths; the record's first LR is
 * probed again beside them as a control.
 *
 * `node --import tsx bench/quality/recordGrid.ts tuning|heldOut [seeds=1,2,3] [only=key,key]`
 */
import { grid, lrKey } from './measure';
import { updateRecords, useCpu } from './setup';
import { measureGridProbes } from './remeasure';

async function main(): Promise<void> {
	await useCpu();
	await updateRecords(
		process.argv[2] as 'tuning' | 'heldOut',
		(process.argv[3] ?? '1,2,3').split(',').map(Number),
		(process.argv[4] ?? '').split(',').filter(Boolean),
		(rec) => grid.some((g) => !(lrKey(g) in rec.probes.byLr)),
		async (w, rec) => {
			const { added, control } = await measureGridProbes(w, rec);
			const same = JSON.stringify(control[0]) === JSON.stringify(control[1]);
			return `${added.map((lr) => lr.toPrecision(2)).join(', ')}; control ${same ? 'equal' : `DIFFERS ${JSON.stringify(control)}`}`;
		},
	);
}

void main();
