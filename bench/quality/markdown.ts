/**
 * The docs tables of bench/suggestion-quality (docs/algorithms.md, "The benchmark"), regenerated
 * from the cached records: `LRSCOPE_QUALITY_CACHED=1 LRSCOPE_QUALITY_MARKDOWN=1 npm run bench -- suggestion`.
 */
import type { RunRecord } from './measure';
import { type Outcome, type Policy, score } from './policies';
import type { Workload } from './workloads';

const median = (xs: number[]): number => {
	const s = [...xs].sort((a, b) => a - b);
	const h = s.length >> 1;
	return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

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
