/**
 * Summaries of bench/suggestion-quality outcomes: over workloads (the median over seeds per
 * workload), per seed, and pooled over every run (workload × seed). Pure: no training, no tfjs.
 */
import type { Outcome } from './policies';

/** A table row of the diagnostic tables (ceiling, retest, CV finalists): picks scored against a truth. */
export interface RatioRow {
	name: string;
	runs: number;
	within10: number;
	within25: number;
	worst: number;
}

/** A {@link RatioRow} of `ratios` (each a pick's loss ÷ the grid's best). */
export function ratioRow(name: string, ratios: readonly number[]): RatioRow {
	return {
		name,
		runs: ratios.length,
		within10: ratios.filter((r) => r <= 1.1).length,
		within25: ratios.filter((r) => r <= 1.25).length,
		worst: Math.max(...ratios),
	};
}

export const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Summary of a policy over runs grouped by workload (per-workload value: the median over seeds). */
export interface Summary {
	workloads: number;
	runs: number;
	worst: number;
	within10: number;
	within25: number;
	runsWithin10: number;
	geoMean: number;
	maxCost: number;
	medianSeconds: number;
}

export function summarize(byWorkload: Outcome[][]): Summary {
	const per = byWorkload.map((os) => median(os.map((o) => o.ratio)));
	const all = byWorkload.flat();
	const finite = per.map((r) => (Number.isFinite(r) ? r : 100));
	return {
		workloads: per.length,
		runs: all.length,
		worst: Math.max(...all.map((o) => o.ratio)),
		within10: per.filter((r) => r <= 1.1).length / per.length,
		within25: per.filter((r) => r <= 1.25).length / per.length,
		runsWithin10: all.filter((o) => o.ratio <= 1.1).length / all.length,
		geoMean: Math.exp(finite.reduce((s, r) => s + Math.log(r), 0) / finite.length),
		maxCost: Math.max(...all.map((o) => o.costOfGrid)),
		medianSeconds: median(all.map((o) => o.seconds)),
	};
}

/** One run's outcome and the seed it was measured with. */
export interface SeededOutcome {
	seed: number;
	outcome: Outcome;
}

/** A labelled summary: `seed n` (each workload measured with seed n, one run each) or `pooled`. */
export interface SeedSummary {
	label: string;
	/** The seeds it covers. */
	seeds: number[];
	summary: Summary;
}

/**
 * Per seed (over the workloads that have a run with that seed) and, with more than one seed, pooled:
 * every run counted on its own (a workload with two seeds is two runs; shares are of runs, the
 * geo-mean is over runs) — no median over seeds hiding one seed's miss behind another's hit.
 */
export function seedSummaries(byWorkload: SeededOutcome[][]): SeedSummary[] {
	const seeds = [...new Set(byWorkload.flat().map((r) => r.seed))].sort((a, b) => a - b);
	const out: SeedSummary[] = [];
	for (const seed of seeds) {
		const runs = byWorkload
			.map((rs) => rs.filter((r) => r.seed === seed).map((r) => r.outcome))
			.filter((os) => os.length > 0);
		out.push({ label: `seed ${seed}`, seeds: [seed], summary: summarize(runs) });
	}
	if (seeds.length > 1) {
		const runs = byWorkload.flat().map((r) => [r.outcome]);
		out.push({ label: 'pooled', seeds, summary: summarize(runs) });
	}
	return out;
}
