/**
 * Records the probes on further held-out slices (issue 19, docs/algorithms.md): for every run of
 * one half, the record's probes again on slices 1 … count − 1 (core/verify.ts `sliceSeed`), at the
 * same LRs and checkpoints, by measure.ts's own code paths; the record's first LR is probed again
 * on slice 0 as a control.
 *
 * `node --import tsx bench/quality/recordSlices.ts tuning|heldOut [count=2] [seeds=1,2,3] [only=key,key]`
 */
import { controlText, updateRecords } from './setup';
import { measureSlices } from './remeasure';

const count = Number(process.argv[3] ?? 2);
void updateRecords(
	[process.argv[2], ...process.argv.slice(4)],
	'1,2,3',
	(rec) => (rec.slices?.length ?? 0) + 1 < count,
	async (w, rec) => {
		const { control } = await measureSlices(w, rec, count);
		return `${count - 1} more slice(s); ${controlText(control)}`;
	},
);
