/**
 * The live chart's finding markers: findings of one kind close together merged into one label.
 */
import type { Finding, FindingKind } from '../../src/core/types';
import { findingKindText } from '../../src/core/present/words';

/** One detector finding placed on the chart's x axis. */
export interface LiveFinding {
	kind: FindingKind;
	severity: Finding['severity'];
	/** Chart x (a step; an epoch only when the run has no step records); `null` = cannot be placed. */
	x: number | null;
	/** "loss, epoch 6". */
	where: string;
	/** First x the finding covers: for an epoch finding the epoch's first step, else `x`. */
	from: number | null;
}

/** A vertical marker on the live chart: findings of one kind close together, merged into one label. */
export interface LiveMarker {
	x: number;
	kind: FindingKind;
	severity: Finding['severity'];
	/** "divergence (loss, step 31 · epoch 6)". */
	label: string;
	/** How many findings it stands for. */
	count: number;
}

const severityRank: Record<Finding['severity'], number> = { info: 0, warning: 1, error: 2 };

/**
 * One marker per kind and neighbourhood: findings of the same kind whose spans (an epoch finding
 * spans its epoch's steps) come within `gap` chart x units of each other share a marker at the
 * group's earliest x, labelled with every series and place, e.g. "divergence (loss, step 60 ·
 * epoch 6)". Two labels of one kind would otherwise overlap or repeat each other.
 */
export function mergeMarkers(
	placed: readonly LiveFinding[],
	findings: readonly Finding[],
	gap: number,
): LiveMarker[] {
	const groups: {
		kind: FindingKind;
		x: number;
		to: number;
		items: { f: Finding; p: LiveFinding }[];
	}[] = [];
	const order = placed
		.map((p, i) => ({ p, f: findings[i] }))
		.filter(
			(e): e is { p: LiveFinding & { x: number; from: number }; f: Finding } =>
				e.p.x !== null && e.p.from !== null,
		)
		.sort((a, b) => a.p.from - b.p.from || a.p.x - b.p.x);
	for (const e of order) {
		const g = groups.find((c) => c.kind === e.p.kind && e.p.from - c.to <= gap);
		if (g) {
			g.items.push(e);
			g.x = Math.min(g.x, e.p.x);
			g.to = Math.max(g.to, e.p.x);
		} else {
			groups.push({ kind: e.p.kind, x: e.p.x, to: e.p.x, items: [e] });
		}
	}
	return groups
		.map((g) => {
			const bySeries = new Map<string, string[]>();
			for (const { f } of [...g.items].sort((a, b) => (a.p.x as number) - (b.p.x as number))) {
				const place = `${f.unit} ${f.step}`;
				const list = bySeries.get(f.series) ?? [];
				if (!list.includes(place)) {
					list.push(place);
				}
				bySeries.set(f.series, list);
			}
			const where = [...bySeries].map(([s, places]) => `${s}, ${places.join(' · ')}`).join('; ');
			const severity = g.items.reduce<Finding['severity']>(
				(m, { f }) => (severityRank[f.severity] > severityRank[m] ? f.severity : m),
				'info',
			);
			return {
				x: g.x,
				kind: g.kind,
				severity,
				label: `${findingKindText[g.kind]} (${where})`,
				count: g.items.length,
			};
		})
		.sort((a, b) => a.x - b.x);
}
