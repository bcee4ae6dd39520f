/**
 * Labels and metrics of the detector corpus (issue 20). Each run's label comes from its construction
 * (specs.ts), checked against its recording before any detector sees it: a "healthy" run must still
 * be improving at its end (training and validation loss), a pathology must really be there (the
 * dead layer dead, the first layer saturated, the validation loss rising, …); runs that fail the check
 * are left out and counted. Then: false alarms on healthy runs, recall per pathology, and the lead of
 * the layer warnings over the loss detectors where the loss later diverged.
 */
import type { FindingKind } from '../../src/core/types';
import type { RecordedRun } from './record';
import { epochStartStep, replay, type ReplayConfig, type ReplayedFinding } from './replay';
import { splitOf, type RunKind } from './specs';

/** The finding kinds that count as catching each pathology. */
export const detects: Readonly<Record<Exclude<RunKind, 'healthy'>, readonly FindingKind[]>> = {
	highLr: ['updateRatioHigh', 'earlyDivergence', 'explodingGradients', 'divergence', 'nonFinite'],
	growingLr: ['earlyDivergence', 'updateRatioHigh', 'explodingGradients'],
	deadRelu: ['deadUnits'],
	vanishing: ['vanishingGradients'],
	exploding: ['explodingGradients', 'earlyDivergence', 'updateRatioHigh'],
	saturation: ['saturation'],
	// A stalled epoch train/val pair whose loss is still high is reported as underfitting instead of
	// plateau (the plateau rule defers to it: pairExplains), with the advice a frozen or too-low LR
	// needs ("raise the learning rate"), where plateau's would say to lower it.
	plateau: ['plateau', 'underfitting'],
	overfitting: ['overfitting'],
};

/**
 * A dead-units or not-learning finding whose advice names the LR as the cause ("A learning rate of
 * 1.2 makes updates large enough to kill units: lower it", "The learning rate is already … too high"):
 * for a too-high LR that is the right diagnosis, told through its effect (a momentum run at 1.2 whose
 * ReLUs die within 12 steps has no later update ratio to warn on). The same finding without that
 * cause (advice about the bias, or to raise the LR) does not count.
 */
export function blamesLr(f: ReplayedFinding): boolean {
	return (
		(f.kind === 'deadUnits' || f.kind === 'notLearning') &&
		/\b(a learning rate of|the learning rate is already)\b/i.test(f.action)
	);
}

const median = (xs: number[]): number => {
	if (xs.length === 0) {
		return NaN;
	}
	const a = [...xs].sort((x, y) => x - y);
	const m = a.length >> 1;
	return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
};

/** Whether the labelled condition really holds in the recording (null: yes; else why not). */
export function labelCheck(run: RecordedRun): string | null {
	const s = run.spec;
	const ep = run.epochs.filter((e) => e[1] !== null);
	const nan = run.batches.some((b) => b[2] === null);
	const l = run.layers;
	const col = (xs: (number | null)[][], i: number): number[] =>
		xs.map((r) => r[i]).filter((x): x is number => x !== null);
	switch (s.kind) {
		case 'healthy': {
			if (nan || ep.length < 6) {
				return 'non-finite or too short';
			}
			// Still improving everywhere: ≥ 1 % in every 5-epoch window (as the synthetic set's
			// healthy runs fall ≥ 10 % in every 200-step window).
			for (let i = 5; i < ep.length; i++) {
				if (!(ep[i][1]! < 0.99 * ep[i - 5][1]!)) {
					return 'training loss stalled for 5 epochs (converged or stuck)';
				}
			}
			const vals = ep.map((e) => e[2] ?? Infinity);
			const minVal = Math.min(...vals);
			if (vals.at(-1)! > 1.02 * minVal && vals.indexOf(minVal) < vals.length - 3) {
				return 'validation loss rising (overfitting)';
			}
			// No layer dead by the deadRelu label's own test (a first update too large for the weights
			// can kill a ReLU layer at a "healthy" LR; then the layer is dead, whatever the LR was).
			if (l.names.some((_n, i) => median(col(l.dead, i)) > 0.5)) {
				return 'a ReLU layer mostly dead';
			}
			return null;
		}
		case 'deadRelu':
			return median(col(l.dead, s.deadLayer!)) > 0.5 ? null : 'layer not mostly dead';
		case 'saturation':
			return median(col(l.sat, 0)) > 0.5 ? null : 'first layer not saturated';
		case 'vanishing': {
			const n = l.params.length - 1;
			const r = l.grad.map((g) =>
				g[0] !== null && g[n] ? g[0] / Math.sqrt(l.params[0]) / (g[n] / Math.sqrt(l.params[n])) : 1,
			);
			return median(r) < 1e-3 ? null : 'gradients do not vanish';
		}
		case 'overfitting': {
			const vals = ep.map((e) => e[2] ?? Infinity);
			const minVal = Math.min(...vals);
			const at = vals.indexOf(minVal);
			return at <= vals.length - 5 && vals.at(-1)! > 1.05 * minVal ? null : 'validation not rising';
		}
		case 'exploding':
		case 'growingLr':
		case 'highLr': {
			const losses = run.batches.map((b) => b[2]);
			const first = median(losses.slice(0, 10).filter((x): x is number => x !== null));
			const blew = nan || losses.some((x) => x !== null && x > 10 * first);
			if (s.kind === 'highLr') {
				return null;
			}
			return blew && run.batches.length >= 20 ? null : 'the loss never blew up';
		}
		case 'plateau': {
			// Flat from the freeze on: the last epoch within 1 % of the freeze epoch's.
			const at = ep.find((e) => e[0] === s.freezeEpoch!);
			return at && ep.at(-1)![1]! >= 0.99 * at[1]! ? null : 'the loss kept falling';
		}
		default:
			return null;
	}
}

/** Where the pathology begins, in steps (a detection before it is a false alarm). */
function onsetStep(run: RecordedRun): number {
	const s = run.spec;
	return s.kind === 'plateau' ? epochStartStep(run, s.freezeEpoch!) : 0;
}

export interface RunResult {
	id: string;
	kind: RunKind;
	long: boolean;
	split: 'tune' | 'heldOut';
	excluded: string | null;
	findings: ReplayedFinding[];
	/** First detecting finding's step (pathologies), if caught. */
	caughtAt: number | null;
	/** Step at which the loss detectors saw a divergence or NaN, if they did. */
	lossBrokeAt: number | null;
	/** Step at which earlyDivergence fired, if it did. */
	earlyAt: number | null;
}

export function evaluateRun(run: RecordedRun, config?: ReplayConfig): RunResult {
	const findings = replay(run, config);
	const kind = run.spec.kind;
	const onset = onsetStep(run);
	let caughtAt: number | null = null;
	if (kind !== 'healthy') {
		const ok = detects[kind];
		caughtAt =
			findings.find(
				(f) => (ok.includes(f.kind) || (kind === 'highLr' && blamesLr(f))) && f.atStep >= onset,
			)?.atStep ?? null;
	}
	const broke = findings.find((f) => f.kind === 'divergence' || f.kind === 'nonFinite');
	return {
		id: run.spec.id,
		kind,
		long: run.spec.long,
		split: splitOf(run.spec.id),
		excluded: labelCheck(run),
		findings,
		caughtAt,
		lossBrokeAt: broke?.atStep ?? null,
		earlyAt: findings.find((f) => f.kind === 'earlyDivergence')?.atStep ?? null,
	};
}

export interface KindRow {
	kind: RunKind;
	runs: number;
	excluded: number;
	caught: number;
	recall: number;
	/** Median steps the first detecting warning came before the loss detectors (where they fired). */
	leadMedian: number;
	leadRuns: number;
}

export interface CorpusMetrics {
	split: 'tune' | 'heldOut' | 'all';
	healthyRuns: number;
	healthyLong: number;
	healthyExcluded: number;
	falseAlarmRuns: number;
	/** Healthy runs with a finding of each kind. */
	falseAlarms: Partial<Record<FindingKind, number>>;
	rows: KindRow[];
	/**
	 * earlyDivergence, on runs whose loss later diverged: how many, caught first, median lead; and
	 * how many of them broke within `quickSteps` steps (before three layer samples can exist).
	 */
	early: { runs: number; caught: number; leadMedian: number; quick: number };
}

/** A loss that broke before this step left no room for a warning (layers are sampled every 2 steps). */
const quickSteps = 10;

export function corpusMetrics(results: RunResult[], split: CorpusMetrics['split']): CorpusMetrics {
	const rs = results.filter((r) => split === 'all' || r.split === split);
	const healthy = rs.filter((r) => r.kind === 'healthy');
	const valid = healthy.filter((r) => r.excluded === null);
	const falseAlarms: Partial<Record<FindingKind, number>> = {};
	for (const r of valid) {
		for (const k of new Set(r.findings.map((f) => f.kind))) {
			falseAlarms[k] = (falseAlarms[k] ?? 0) + 1;
		}
	}
	const rows: KindRow[] = [];
	for (const kind of Object.keys(detects) as Exclude<RunKind, 'healthy'>[]) {
		const all = rs.filter((r) => r.kind === kind);
		const ok = all.filter((r) => r.excluded === null);
		const caught = ok.filter((r) => r.caughtAt !== null);
		const leads = caught
			.filter((r) => r.lossBrokeAt !== null)
			.map((r) => r.lossBrokeAt! - r.caughtAt!);
		rows.push({
			kind,
			runs: ok.length,
			excluded: all.length - ok.length,
			caught: caught.length,
			recall: ok.length ? caught.length / ok.length : NaN,
			leadMedian: median(leads),
			leadRuns: leads.length,
		});
	}
	const diverged = rs.filter(
		(r) => r.excluded === null && r.kind !== 'healthy' && r.lossBrokeAt !== null,
	);
	const early = diverged.filter((r) => r.earlyAt !== null && r.earlyAt < r.lossBrokeAt!);
	return {
		split,
		healthyRuns: valid.length,
		healthyLong: valid.filter((r) => r.long).length,
		healthyExcluded: healthy.length - valid.length,
		falseAlarmRuns: valid.filter((r) => r.findings.length > 0).length,
		falseAlarms,
		rows,
		early: {
			runs: diverged.length,
			caught: early.length,
			leadMedian: median(early.map((r) => r.lossBrokeAt! - r.earlyAt!)),
			quick: diverged.filter((r) => r.lossBrokeAt! < quickSteps).length,
		},
	};
}

const pct = (x: number): string => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`);

/** The metrics as a Markdown table (docs/detectors.md, docs/monitoring.md, the bench). */
export function corpusTable(m: CorpusMetrics): string {
	const fa = Object.entries(m.falseAlarms)
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');
	const lines = [
		'| Runs | Count | Recall | False alarms on healthy runs | Lead over the loss detectors (median) |',
		'|---|---|---|---|---|',
		`| healthy (${m.healthyLong} long, ≥ 30 epochs) | ${m.healthyRuns} | – | ${m.falseAlarmRuns} (${fa || 'none'}) | – |`,
	];
	for (const r of m.rows) {
		const lead = r.leadRuns ? `${r.leadMedian} steps (${r.leadRuns} runs)` : '–';
		lines.push(`| ${r.kind} | ${r.runs} | ${pct(r.recall)} (${r.caught}) | – | ${lead} |`);
	}
	const e = m.early;
	lines.push(
		`| earlyDivergence, where the loss later diverged (${e.quick} of them before step ${quickSteps}) | ${e.runs} | ${pct(e.runs ? e.caught / e.runs : NaN)} (${e.caught}) | – | ${Number.isNaN(e.leadMedian) ? '–' : `${e.leadMedian} steps`} |`,
	);
	return lines.join('\n');
}
