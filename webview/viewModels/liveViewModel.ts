/**
 * The live tab's view-model: loss series and LR aligned on steps (epoch records placed where
 * their epoch ended), a loss axis fitted to the healthy part of the run, off-scale and non-finite
 * spans, and the findings as merged markers.
 */
import { debiasedEma } from '../../src/core/smoothing';
import type { Finding, LogRecord } from '../../src/core/types';
import { decimationIndices, maxDrawPoints } from '../../src/core/present/decimate';
import type { LiveFinding, LiveMarker } from './liveMarkers';
import { mergeMarkers } from './liveMarkers';
import { epochEndSteps, unhealthyIndex } from './liveTiming';
import type { Y } from './series';
import { finiteOrNull, isFiniteNumber, robustYRange, spansWhere } from './series';

/** How the live chart's loss axis is scaled: picked from the data (`auto`) or forced by the user. */
export type LossAxisMode = 'auto' | 'linear' | 'log';

/** One loss-like curve of a live run, aligned with `LiveViewModel.x`. */
export interface LiveSeries {
	/** The record's series name; an epoch series that shares a step series' name gets " (epoch)". */
	name: string;
	values: Y[];
	/** One point per epoch (validation loss, epoch means): drawn as dots joined across the gaps. */
	perEpoch: boolean;
}

/** A live run's chart: loss series on the left axis, LR on a right axis, findings as markers. */
export interface LiveViewModel {
	/** What x counts: steps, or epochs when the run logged only epoch records. */
	xUnit: 'step' | 'epoch';
	x: number[];
	/** Loss-like series (`loss`, `val_loss`, `loss (epoch)`, …), aligned with `x`. */
	series: LiveSeries[];
	lr: Y[] | null;
	/** LR axis: log when the LR spans more than two decades (warm-up from 1e-6, a schedule bug). */
	lrLog: boolean;
	/** The loss axis: its scale, its range and whether the scale was picked from the data. */
	y: { log: boolean; auto: boolean; range: [number, number] };
	/**
	 * x where the loss stopped being healthy (its smoothed value passed 4× its best, or it went
	 * NaN), found from the data; the y range is fitted to the curve before it. `null` = healthy.
	 */
	unhealthyFrom: number | null;
	/** x spans where a loss value lies above the y range (drawn clipped, marked at the top edge). */
	offScale: { from: number; to: number; max: number }[];
	/** x spans where the main loss series was NaN/Infinity. */
	nonFinite: { from: number; to: number }[];
	/** Every finding, in the order given. */
	findings: LiveFinding[];
	/** Findings that can be placed, merged per kind when closer than 4% of the x span. */
	markers: LiveMarker[];
}

/** Series that share the loss axis: anything named like a loss; accuracy etc. would need their own scale. */
const isLossName = (name: string): boolean => /loss/i.test(name);

/** At most this many loss curves: more would be unreadable in one chart and its legend. */
const maxLiveSeries = 6;

/** Loss-axis span (decades) above which `auto` picks a log scale. */
const autoLogDecades = 2;

/**
 * Builds the live-run view-model. Epoch records (validation loss, epoch means) are placed at the
 * step where their epoch ended (see `epochEndSteps`); an epoch series whose name a step series also
 * uses (`loss`, `lr`) is kept apart as "`name` (epoch)" rather than overwriting that step's value.
 * The loss axis is fitted to the healthy part of the run (before it diverged or went NaN) with the
 * range-test chart's robust range; `auto` switches to a log scale when that part spans more than
 * two decades. Values beyond the range are reported in `offScale` for the chart to mark.
 */
export function buildLiveViewModel(
	records: readonly LogRecord[],
	findings: readonly Finding[],
	mode: LossAxisMode = 'auto',
): LiveViewModel {
	const hasSteps = records.some((r) => r.unit === 'step');
	const { xsAll, rows, perEpoch } = liveRows(records, hasSteps);
	const allNames = [...new Set(rows.flatMap((row) => Object.keys(row)))];
	const lossNames = allNames
		.filter(isLossName)
		// `loss` first (the main curve), then the other step series, then the per-epoch ones.
		.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
		.slice(0, maxLiveSeries);
	function rank(name: string): number {
		return name === 'loss' ? 0 : perEpoch.has(name) ? 2 : 1;
	}
	const full = lossNames.map((n) => rows.map((row) => finiteOrNull(row[n] ?? null)));
	const lrName = allNames.includes('lr')
		? 'lr'
		: allNames.includes('lr (epoch)')
			? 'lr (epoch)'
			: null;
	const lrFull = lrName ? rows.map((row) => finiteOrNull(row[lrName] ?? null)) : null;

	// The healthy part: before the main loss diverged or went NaN.
	const main = lossNames.findIndex((n) => !perEpoch.has(n));
	const mainName = main >= 0 ? lossNames[main] : lossNames[0];
	const mainFull = main >= 0 ? full[main] : full[0];
	const present = rows.map((row) => mainName !== undefined && mainName in row);
	const bad = mainFull ? unhealthyIndex(mainFull, present) : null;
	// Too few healthy points to fit a range to: fit all of it instead.
	const healthyN = bad !== null && bad >= 5 ? bad : rows.length;
	const { log, range } = lossAxis(full, mainFull, healthyN, mode);

	const keep = decimationIndices(xsAll.length, maxDrawPoints, full);
	const x = keep.map((i) => xsAll[i]);
	const series = lossNames.map((name, k) => ({
		name,
		values: keep.map((i) => full[k][i]),
		perEpoch: perEpoch.has(name),
	}));
	const lr = lrFull ? keep.map((i) => lrFull[i]) : null;
	const lrPos = (lrFull ?? []).filter((v): v is number => isFiniteNumber(v) && v > 0);
	const lrLog = lrPos.length > 1 && Math.max(...lrPos) / Math.min(...lrPos) > 100;

	const placed = placeFindings(records, findings, hasSteps);
	const span = x.length > 1 ? x[x.length - 1] - x[0] : 1;
	return {
		xUnit: hasSteps || !records.length ? 'step' : 'epoch',
		x,
		series,
		lr,
		lrLog,
		y: { log, auto: mode === 'auto', range },
		unhealthyFrom: bad !== null ? xsAll[bad] : null,
		offScale: spansWhere(
			x,
			(i) => Math.max(...series.map((s) => s.values[i] ?? -Infinity)),
			(v) => v > range[1],
		),
		nonFinite: mainFull
			? spansWhere(
					keep.map((i) => xsAll[i]),
					(i) => (present[keep[i]] && mainFull[keep[i]] === null ? 1 : 0),
					(v) => v === 1,
				)
			: [],
		findings: placed,
		markers: mergeMarkers(placed, findings, 0.04 * span),
	};
}

/**
 * One row of values per chart x. Epoch records sit on the step where their epoch ended; an epoch
 * series whose name a step series also uses is renamed "`name` (epoch)" (and listed in `perEpoch`).
 */
function liveRows(
	records: readonly LogRecord[],
	hasSteps: boolean,
): { xsAll: number[]; rows: Record<string, Y>[]; perEpoch: Set<string> } {
	const stepNames = new Set(
		records.filter((r) => r.unit === 'step').flatMap((r) => Object.keys(r.values)),
	);
	const byX = new Map<number, Record<string, Y>>();
	const perEpoch = new Set<string>();
	let lastStep: number | null = null;
	for (const r of records) {
		let x = r.step;
		let values: Record<string, Y> = r.values;
		if (hasSteps && r.unit === 'epoch') {
			if (lastStep === null) {
				// An epoch record before any batch record has no step to sit on.
				continue;
			}
			x = lastStep;
			values = {};
			for (const [k, v] of Object.entries(r.values)) {
				const name = stepNames.has(k) ? `${k} (epoch)` : k;
				values[name] = v;
				perEpoch.add(name);
			}
		} else if (r.unit === 'step') {
			lastStep = r.step;
		}
		const row = byX.get(x);
		byX.set(x, row ? { ...row, ...values } : { ...values });
	}
	const xsAll = [...byX.keys()].sort((a, b) => a - b);
	const rows = xsAll.map((xv) => byX.get(xv) as Record<string, Y>);
	return { xsAll, rows, perEpoch };
}

/**
 * The loss axis: the robust range of the healthy part (the first `healthyN` points), widened to
 * keep moderate spikes, and a log scale when asked or when `auto` sees more than two decades.
 */
function lossAxis(
	full: readonly Y[][],
	mainFull: readonly Y[] | undefined,
	healthyN: number,
	mode: LossAxisMode,
): { log: boolean; range: [number, number] } {
	const healthyRaw = full.flatMap((s) => s.slice(0, healthyN));
	const healthySmooth = mainFull
		? debiasedEma(
				mainFull.slice(0, healthyN).map((v) => v ?? NaN),
				0.9,
			)
		: [];
	const allFinite = full.flat().filter(isFiniteNumber);
	let [lo, hi] = robustYRange(
		healthyRaw,
		healthySmooth.map((v) => finiteOrNull(v)),
	);
	// The robust range can clip the first noisy batches or a moderate spike of a healthy run; keep
	// those in view and leave out only outliers far above it (they are marked off-scale instead).
	const near = healthyRaw.filter((v): v is number => isFiniteNumber(v) && v > hi && v <= 3 * hi);
	if (near.length) {
		hi = Math.max(...near);
		hi += (hi - lo) * 0.04;
	}
	if (lo < 0 && allFinite.every((v) => v >= 0)) {
		lo = 0;
	}
	const healthyPos = healthyRaw.filter((v): v is number => isFiniteNumber(v) && v > 0);
	const canLog = healthyPos.length > 0 && healthyRaw.every((v) => v === null || v > 0);
	const posMin = canLog ? Math.min(...healthyPos) : 0;
	const log =
		mode === 'log' || (mode === 'auto' && canLog && Math.log10(hi / posMin) > autoLogDecades);
	let range: [number, number] = [lo, hi];
	if (log) {
		const pos = allFinite.filter((v) => v > 0);
		const floor = pos.length ? Math.min(...pos) : 1e-3;
		// Chosen by the user: everything, the blow-up included. Chosen for the data: the healthy part.
		const top = mode === 'log' ? Math.max(...pos, floor * 10) : Math.max(hi, floor * 10);
		range = [floor / 1.25, top * 1.25];
	}
	return { log, range };
}

/** Each finding on the chart's x axis: an epoch finding at its epoch's last step, spanning the epoch. */
function placeFindings(
	records: readonly LogRecord[],
	findings: readonly Finding[],
	hasSteps: boolean,
): LiveFinding[] {
	const ends = epochEndSteps(records);
	return findings.map((f): LiveFinding => {
		const onSteps = f.unit === 'epoch' && hasSteps;
		const at = onSteps ? ends.at(f.step) : f.step;
		const prev = onSteps ? ends.at(f.step - 1) : null;
		const from = at === null ? null : prev !== null && prev < at ? prev + 1 : at;
		return {
			kind: f.kind,
			severity: f.severity,
			x: at,
			where: `${f.series}, ${f.unit} ${f.step}`,
			from,
		};
	});
}
