/**
 * The docs tables of bench/suggestion-quality (docs/algorithms.md, "The benchmark"), regenerated
 * from the cached records: `LRSCOPE_QUALITY_CACHED=1 LRSCOPE_QUALITY_MARKDOWN=1 npm run bench -- suggestion`.
 */
import type { RunRecord } from './measure';
import { type Outcome, type Policy, score } from './policies';
import { median, type SeedSummary } from './summary';
import type { Workload } from './workloads';

const fmt = (r: number): string => (Number.isFinite(r) ? r.toFixed(2) : 'diverged');

/** One table: a row per workload, then the summary rows, for the given policies. */
export function markdownTable(
	keys: string[],
	records: Map<string, RunRecord[]>,
	workloads: Workload[],
	policies: Policy[],
): string {
	const head = ['workload', 'optimizer', 'examples', 'plan steps', ...policies.map((p) => p.name)];
	const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
	const per: Outcome[][][] = policies.map(() => []);
	for (const key of keys) {
		const recs = records.get(key);
		const w = workloads.find((x) => x.key === key);
		if (!recs?.length || !w) {
			continue;
		}
		const cells = policies.map((p, i) => {
			const os = recs.map((r) => score(r, p));
			per[i].push(os);
			const m = median(os.map((o) => o.ratio));
			const cost = median(os.map((o) => o.costOfGrid));
			const secs = median(os.map((o) => o.seconds));
			return `${fmt(m)} (${cost.toFixed(2)}, ${secs.toFixed(1)} s)`;
		});
		lines.push(
			`| ${w.name} | ${w.optimizer} | ${recs[0].n} | ${recs[0].planSteps} | ${cells.join(' | ')} |`,
		);
	}
	const stat = (f: (ws: Outcome[][]) => string): string =>
		`| ${per.map((ws) => f(ws)).join(' | ')} |`;
	const wm = (ws: Outcome[][]): number[] => ws.map((os) => median(os.map((o) => o.ratio)));
	const share = (ws: Outcome[][], t: number): string =>
		`${wm(ws).filter((r) => r <= t).length}/${ws.length}`;
	lines.push(`| worst run | | | ${stat((ws) => fmt(Math.max(...ws.flat().map((o) => o.ratio))))}`);
	lines.push(`| within 10% | | | ${stat((ws) => share(ws, 1.1))}`);
	lines.push(`| within 25% | | | ${stat((ws) => share(ws, 1.25))}`);
	lines.push(
		`| median seconds to answer | | | ${stat((ws) => median(ws.flat().map((o) => o.seconds)).toFixed(1))}`,
	);
	lines.push(
		`| largest cost (÷ one 9-point grid) | | | ${stat((ws) => Math.max(...ws.flat().map((o) => o.costOfGrid)).toFixed(2))}`,
	);
	return lines.join('\n');
}

/**
 * Per seed and pooled: a row per policy and seed (`seedSummaries`), shares as counts of workloads
 * (one seed) or of runs (pooled).
 */
export function seedSummaryTable(per: { p: Policy; rows: SeedSummary[] }[]): string {
	const head = [
		'seeds',
		'rule',
		'within 10%',
		'within 25%',
		'worst run',
		'geo-mean',
		'cost ≤ (÷ grid)',
		'median time',
	];
	const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
	const labels = [...new Set(per.flatMap(({ rows }) => rows.map((r) => r.label)))];
	for (const label of labels) {
		for (const { p, rows } of per) {
			const r = rows.find((x) => x.label === label);
			if (!r) {
				continue;
			}
			const s = r.summary;
			const n = s.workloads;
			const unit = r.seeds.length > 1 ? ' runs' : '';
			const seeds = r.seeds.length > 1 ? `${r.seeds.join(' + ')} pooled` : `${r.seeds[0]}`;
			lines.push(
				`| ${seeds} | ${p.name} | ${Math.round(s.within10 * n)}/${n}${unit} | ${Math.round(s.within25 * n)}/${n}${unit} | ${fmt(s.worst)} | ${s.geoMean.toFixed(2)} | ${s.maxCost.toFixed(2)} | ${s.medianSeconds.toFixed(1)} s |`,
			);
		}
	}
	return lines.join('\n');
}

/** A row per workload: each policy's ratio on every seed (`seed 1 / seed 2 …`). */
export function seedRatioTable(
	keys: string[],
	records: Map<string, RunRecord[]>,
	workloads: Workload[],
	policies: Policy[],
): string {
	const seeds = [...new Set(keys.flatMap((k) => (records.get(k) ?? []).map((r) => r.seed)))].sort(
		(a, b) => a - b,
	);
	const head = [
		'workload',
		'optimizer',
		...policies.map((p) => `${p.name}, seed ${seeds.join(' / ')}`),
	];
	const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
	for (const key of keys) {
		const recs = records.get(key);
		const w = workloads.find((x) => x.key === key);
		if (!recs?.length || !w) {
			continue;
		}
		const cells = policies.map((p) =>
			seeds
				.map((seed) => {
					const r = recs.find((x) => x.seed === seed);
					return r ? fmt(score(r, p).ratio) : '–';
				})
				.join(' / '),
		);
		lines.push(`| ${w.name} | ${w.optimizer} | ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}
