/**
 * Measures the truth of recorded runs again with other folds and batch order (issue 19,
 * docs/algorithms.md "How noisy is the truth"): how often the grid's best of one 3-fold CV is
 * within 10% of the other's best says how far any suggestion can be held to "within 10%".
 *
 * `node --import tsx bench/quality/recordRetest.ts tuning|heldOut [seeds=1] [only=key,key]`
 */
import { updateRecords } from './setup';
import { measureRetest } from './remeasure';

void updateRecords(
	process.argv.slice(2),
	'1',
	(rec) => !rec.retest,
	async (w, rec) => {
		await measureRetest(w, rec);
		return 'truth measured again';
	},
);
