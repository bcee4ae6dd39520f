/**
 * The panel's view-model: everything the charts and the text show, computed from results without a
 * DOM, so it is unit-tested in node (test/unit/viewModel.test.ts). The renderer (chart.ts) only maps
 * these numbers to pixels and colours.
 */
import { layerFindingKindText } from '../src/core/present/layers';
import { debiasedEma } from '../src/core/smoothing';
import { suggest } from '../src/core/suggest';
import type {
	Finding,
	FindingKind,
	LogRecord,
	RangeTestResult,
	StopReason,
	SuggestionName,
	SuggestionReport,
	SweepResult,
} from '../src/core/types';
import { suggestionNames } from '../src/core/types';
import type { ScheduleKind, ScheduleSpec } from '../src/core/schedules';
import { parseScheduleSpec, scheduleLrs } from '../src/core/schedules';
import { formatLrShort } from '../src/core/reportSvg';

/** A chart series value: `null` = gap (non-finite or absent). */
export type Y = number | null;

/**
 * Curves longer than this are decimated before drawing: ~2 points per horizontal pixel of a wide
 * panel is all a line can show, and uPlot stays interactive well beyond it.
 */
export const maxDrawPoints = 4000;

/** A vertical suggestion marker on the loss-vs-LR chart. */
export interface Marker {
	name: SuggestionName | 'consensus';
	lr: number;
	/** Smoothed loss at the marker's LR (for the dot), `null` when unknown. */
	loss: Y;
	/** Short text, e.g. "valley 3.0e-3". */
	label: string;
}

/** Everything the loss-vs-LR chart and its read-outs need. */
export interface LossViewModel {
	x: number[];
	raw: Y[];
	smoothed: Y[];
	beta: number;
	report: SuggestionReport;
	/** The four suggestions that exist, then the consensus. */
	markers: Marker[];
	/** LR band (min, max) shaded around the consensus: repeat spread when there is one, else the suggestions' spread. */
	band: [number, number] | null;
	/** Where the band comes from, for the legend/summary. */
	bandSource: 'repeats' | 'suggestions' | null;
	/** Y range that keeps the descent readable when the diverging tail shoots up. */
	yRange: [number, number];
	xRange: [number, number];
	stopReason: StopReason;
	/** LR at which the test stopped (the last recorded LR). */
	stopLr: number | null;
}

/**
 * Builds the loss-vs-LR view-model. With `beta` equal to the result's own β the stored smoothing and
 * report are used as they are (they are what the engine and CLI reported); any other β recomputes
 * both with the core, as the user drags the slider.
 */
export function buildLossViewModel(
	result: RangeTestResult,
	beta: number = result.beta,
): LossViewModel {
	const same = Math.abs(beta - result.beta) < 1e-12;
	const smoothedFull = same ? result.smoothed : debiasedEma(result.losses, beta);
	const report = same ? result.report : suggest(result.lrs, smoothedFull, result.steps);
	const keep = decimationIndices(result.lrs.length, maxDrawPoints, [result.losses, smoothedFull]);
	const x = keep.map((i) => result.lrs[i]);
	const raw = keep.map((i) => finiteOrNull(result.losses[i]));
	const smoothed = keep.map((i) => finiteOrNull(smoothedFull[i]));

	const markers: Marker[] = [];
	for (const name of suggestionNames) {
		const s = report.suggestions[name];
		if (s) {
			markers.push({
				name,
				lr: s.lr,
				loss: lossAt(result.lrs, smoothedFull, s.lr, s.index),
				label: `${name} ${formatLr(s.lr)}`,
			});
		}
	}
	if (report.consensus) {
		const c = report.consensus;
		markers.push({
			name: 'consensus',
			lr: c.lr,
			loss: lossAt(result.lrs, smoothedFull, c.lr, c.index),
			label: `consensus ${formatLr(c.lr)}`,
		});
	}

	let band: [number, number] | null = null;
	let bandSource: LossViewModel['bandSource'] = null;
	const spread = result.spread?.per.consensus;
	if (spread && result.spread && result.spread.runs > 1) {
		band = [spread.min, spread.max];
		bandSource = 'repeats';
	} else {
		const lrs = markers.filter((m) => m.name !== 'consensus').map((m) => m.lr);
		if (lrs.length >= 2) {
			band = [Math.min(...lrs), Math.max(...lrs)];
			bandSource = 'suggestions';
		}
	}

	const finiteX = result.lrs.filter((v) => v > 0 && Number.isFinite(v));
	const xRange: [number, number] = finiteX.length
		? [Math.min(...finiteX), Math.max(...finiteX)]
		: [result.startLr, result.endLr];
	return {
		x,
		raw,
		smoothed,
		beta,
		report,
		markers,
		band,
		bandSource,
		yRange: robustYRange(result.losses, smoothedFull),
		xRange,
		stopReason: result.stopReason,
		stopLr: result.lrs.length ? result.lrs[result.lrs.length - 1] : null,
	};
}

/** A second curve drawn under the selected one for comparison (smoothed with the same β). */
export interface CompareSeries {
	label: string;
	x: number[];
	smoothed: Y[];
}

/** The comparison curve of another result, smoothed with `beta`. */
export function buildCompareSeries(
	label: string,
	result: RangeTestResult,
	beta: number,
): CompareSeries {
	const smoothedFull =
		Math.abs(beta - result.beta) < 1e-12 ? result.smoothed : debiasedEma(result.losses, beta);
	const keep = decimationIndices(result.lrs.length, maxDrawPoints, [smoothedFull]);
	return {
		label,
		x: keep.map((i) => result.lrs[i]),
		smoothed: keep.map((i) => finiteOrNull(smoothedFull[i])),
	};
}

/**
 * Merges curves with different x values into uPlot's aligned form: one sorted x array and, per
 * series, a value or `null` at every x (uPlot draws gaps across nulls only with spanGaps).
 */
export function alignSeries(
	series: readonly { x: readonly number[]; ys: readonly (readonly Y[])[] }[],
): {
	x: number[];
	ys: Y[][];
} {
	const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
	const pos = new Map(xs.map((v, i) => [v, i]));
	const ys: Y[][] = [];
	for (const s of series) {
		for (const y of s.ys) {
			const out = new Array<Y>(xs.length).fill(null);
			s.x.forEach((xv, i) => {
				out[pos.get(xv) as number] = y[i] ?? null;
			});
			ys.push(out);
		}
	}
	return { x: xs, ys };
}

/**
 * Y range for a loss curve: from the lowest finite loss to the highest loss of the descent (left of
 * the smoothed minimum) or the 90th percentile of raw losses, whichever is higher, padded by 5%.
 * A diverging tail (often 10–1000× the minimum) would otherwise flatten the part users read.
 */
export function robustYRange(raw: readonly Y[], smoothed: readonly Y[]): [number, number] {
	const finiteRaw = raw.filter(isFiniteNumber);
	const finiteSmooth = smoothed.filter(isFiniteNumber);
	const all = [...finiteRaw, ...finiteSmooth];
	if (!all.length) {
		return [0, 1];
	}
	const lo = Math.min(...all);
	let argmin = -1;
	smoothed.forEach((v, i) => {
		if (isFiniteNumber(v) && (argmin < 0 || v < (smoothed[argmin] as number))) {
			argmin = i;
		}
	});
	const descent = argmin >= 0 ? smoothed.slice(0, argmin + 1).filter(isFiniteNumber) : [];
	const sorted = [...finiteRaw].sort((a, b) => a - b);
	const q90 = sorted.length
		? sorted[Math.min(sorted.length - 1, Math.floor(0.9 * (sorted.length - 1)))]
		: lo;
	const hi = Math.max(q90, ...descent, lo);
	const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
	return [lo - pad, hi + pad];
}

/**
 * Indices to keep so that a curve of `n` points draws with at most ~`max` points: the first and last
 * point and, per bucket, the points holding each series' minimum and maximum (min-max decimation keeps
 * spikes, which averaging would hide). Non-finite points are always kept so gaps stay visible.
 */
export function decimationIndices(
	n: number,
	max: number,
	series: readonly (readonly Y[])[],
): number[] {
	if (n <= max || n <= 2) {
		return Array.from({ length: n }, (_v, i) => i);
	}
	// Each bucket contributes up to 2 points per series; size buckets so the total stays near `max`.
	const perBucket = Math.max(2, 2 * Math.max(1, series.length));
	const buckets = Math.max(1, Math.floor((max - 2) / perBucket));
	const size = (n - 2) / buckets;
	const keep = new Set<number>([0, n - 1]);
	for (let b = 0; b < buckets; b++) {
		const from = 1 + Math.floor(b * size);
		const to = Math.min(n - 1, 1 + Math.floor((b + 1) * size));
		for (const s of series) {
			let iMin = -1;
			let iMax = -1;
			for (let i = from; i < to; i++) {
				const v = s[i];
				if (!isFiniteNumber(v)) {
					keep.add(i);
					continue;
				}
				if (iMin < 0 || v < (s[iMin] as number)) {
					iMin = i;
				}
				if (iMax < 0 || v > (s[iMax] as number)) {
					iMax = i;
				}
			}
			if (iMin >= 0) {
				keep.add(iMin);
				keep.add(iMax);
			}
		}
		if (!series.length) {
			keep.add(from);
		}
	}
	return [...keep].sort((a, b) => a - b);
}

/**
 * Ticks for a log axis: every power of ten in [min, max]; when that gives fewer than three ticks
 * (a narrow zoom), the 2× and 5× steps too, so the axis never shows a single label.
 */
export function logTicks(min: number, max: number): number[] {
	if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
		return [];
	}
	const lo = Math.floor(Math.log10(min) + 1e-9);
	const hi = Math.ceil(Math.log10(max) - 1e-9);
	const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
	const decades: number[] = [];
	for (let e = lo; e <= hi; e++) {
		const v = decade(e);
		if (inRange(v)) {
			decades.push(v);
		}
	}
	if (decades.length >= 3) {
		// Very wide ranges (a 1e-7…10 ramp) read better with every other decade when crowded.
		return decades.length > 12 ? decades.filter((_v, i) => i % 2 === 0) : decades;
	}
	const out: number[] = [];
	for (let e = lo; e <= hi; e++) {
		for (const m of [1, 2, 5]) {
			const v = m * decade(e);
			if (inRange(v)) {
				out.push(v);
			}
		}
	}
	return out;
}

/** 10^e without the float noise of Math.pow for negative exponents (1e-7, not 9.999999999999999e-8). */
function decade(e: number): number {
	return Number(`1e${e}`);
}

/** An LR in the form users copy into code: `3e-3`, `0.01`, `0.3`, `2.5e-4` (the report's format). */
export const formatLr = formatLrShort;

/** A loss value for read-outs: 4 significant digits, `—` for gaps. */
export function formatLoss(v: Y): string {
	return v === null || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(4)));
}

/** Human words for a stop reason. */
export const stopReasonText: Record<StopReason, string> = {
	diverged: 'stopped: the smoothed loss diverged',
	nonFinite: 'stopped: the loss became NaN or infinite',
	completed: 'completed all steps',
	cancelled: 'cancelled',
	dataExhausted: 'stopped: the data ran out',
};

/** The screen-reader (and export) summary of a range test. */
export function rangeTestSummary(
	label: string,
	result: RangeTestResult,
	vm: LossViewModel,
): string {
	const parts: string[] = [];
	parts.push(
		`Range test on ${label}: ${result.lrs.length} of ${result.steps} steps, LR ${formatLr(result.startLr)} to ${formatLr(result.endLr)} (${result.ramp}), ${stopReasonText[result.stopReason]}${vm.stopLr !== null && result.stopReason !== 'completed' ? ` at LR ${formatLr(vm.stopLr)}` : ''}.`,
	);
	const sugg = suggestionNames
		.map((n) => {
			const s = vm.report.suggestions[n];
			return s ? `${n} ${formatLr(s.lr)}` : `${n} none`;
		})
		.join(', ');
	parts.push(`Suggestions (smoothing β ${vm.beta}): ${sugg}.`);
	const c = vm.report.consensus;
	const a = vm.report.agreement;
	parts.push(
		c
			? `Consensus ${formatLr(c.lr)}; ${a.agreeing} of ${a.of} agree within ${a.toleranceDecades} decades (spread ${a.spreadDecades.toFixed(2)} decades).`
			: 'No consensus: too few finite points.',
	);
	if (vm.band && vm.bandSource === 'repeats' && result.spread) {
		parts.push(
			`Across ${result.spread.runs} repeats the consensus ranged ${formatLr(vm.band[0])} to ${formatLr(vm.band[1])}.`,
		);
	}
	parts.push(`Backend ${backendText(result)}.`);
	return parts.join(' ');
}

/** "wasm (bundled @tensorflow/tfjs 4.22.0)". */
export function backendText(result: { backend: RangeTestResult['backend'] }): string {
	const b = result.backend;
	return `${b.name} (${b.origin} ${b.package} ${b.version})`;
}

/** Per-LR curves of a sweep: x = epoch (1-based), one training and one validation series per LR. */
export interface SweepViewModel {
	epochs: number[];
	curves: { lr: number; label: string; loss: Y[]; val: Y[] | null; best: boolean }[];
	rows: { lr: string; finalLoss: string; finalValLoss: string; best: boolean }[];
}

/** Builds the sweep chart/table view-model. */
export function buildSweepViewModel(sweep: SweepResult): SweepViewModel {
	const epochs = Math.max(0, ...sweep.results.map((r) => r.curve.length));
	const pad = (ys: readonly Y[]): Y[] =>
		Array.from({ length: epochs }, (_v, i) => finiteOrNull(ys[i] ?? null));
	const bestLr = sweep.best?.lr;
	const runs = [...sweep.results].sort((a, b) => a.lr - b.lr);
	return {
		epochs: Array.from({ length: epochs }, (_v, i) => i + 1),
		curves: runs.map((r) => ({
			lr: r.lr,
			label: `LR ${formatLr(r.lr)}`,
			loss: pad(r.curve),
			val: r.valCurve ? pad(r.valCurve) : null,
			best: r.lr === bestLr,
		})),
		rows: runs.map((r) => ({
			lr: formatLr(r.lr),
			finalLoss: formatLoss(r.finalLoss),
			finalValLoss: formatLoss(r.finalValLoss),
			best: r.lr === bestLr,
		})),
	};
}

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

/** Ratio of the smoothed loss to its best that counts as diverged (ALGORITHMS.md's divergence k). */
const unhealthyFactor = 4;

/** Loss-axis span (decades) above which `auto` picks a log scale. */
const autoLogDecades = 2;

/** The words used for a finding kind on the chart and in the list. */
export const findingKindText: Record<FindingKind, string> = {
	nonFinite: 'NaN/Inf',
	divergence: 'divergence',
	spike: 'spike',
	plateau: 'plateau',
	overfitting: 'overfitting',
	underfitting: 'underfitting',
	...layerFindingKindText,
};

/**
 * Where each epoch ended, in steps. Monitor mode (fitHook `onEpochEnd`) and Keras-style logs write
 * an epoch's record right after its last batch, so the step record just before an epoch record is
 * where that epoch ended. Epochs without a record of their own (the host thins very long runs
 * evenly, which can drop one) are interpolated from the known ones; `at` returns `null` when the
 * run has no epoch records next to step records at all.
 */
export function epochEndSteps(records: readonly LogRecord[]): {
	known: Map<number, number>;
	at(epoch: number): number | null;
} {
	const known = new Map<number, number>();
	let lastStep: number | null = null;
	let firstStep: number | null = null;
	for (const r of records) {
		if (r.unit === 'step') {
			lastStep = r.step;
			firstStep ??= r.step;
		} else if (lastStep !== null) {
			known.set(r.step, lastStep);
		}
	}
	const pairs = [...known].sort((a, b) => a[0] - b[0]);
	const at = (epoch: number): number | null => {
		const exact = known.get(epoch);
		if (exact !== undefined) {
			return exact;
		}
		if (!pairs.length || firstStep === null || lastStep === null) {
			return null;
		}
		let est: number;
		const [e0, s0] = pairs[0];
		const [e1, s1] = pairs[pairs.length - 1];
		const after = pairs.findIndex(([e]) => e > epoch);
		if (after > 0) {
			// Between two known epochs: linear in the epoch number.
			const [ea, sa] = pairs[after - 1];
			const [eb, sb] = pairs[after];
			est = sa + ((epoch - ea) * (sb - sa)) / (eb - ea);
		} else {
			// Outside: steps per epoch from the known span (or, with one known epoch, from the run's start
			// assuming 0-based epochs as tfjs counts them).
			const perEpoch =
				pairs.length > 1 ? (s1 - s0) / (e1 - e0) : (s0 - firstStep + 1) / Math.max(1, e0 + 1);
			est = after === 0 ? s0 - (e0 - epoch) * perEpoch : s1 + (epoch - e1) * perEpoch;
		}
		return Math.round(Math.min(lastStep, Math.max(firstStep, est)));
	};
	return { known, at };
}

/**
 * Index where a loss curve stops being healthy: the start of the excursion (first value over 2×
 * the best smoothed value) that took the debiased EMA (β 0.9) over 4× its best, or the first
 * non-finite value, whichever comes first. `null` when it stays healthy. `present[i]` false means
 * the series has no record at i (a gap, not a NaN).
 */
export function unhealthyIndex(
	values: readonly Y[],
	present: readonly boolean[] = values.map(() => true),
): number | null {
	const beta = 0.9;
	let avg = 0;
	let n = 0;
	let best = Infinity;
	let excursion: number | null = null;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (!isFiniteNumber(v)) {
			if (present[i]) {
				return excursion ?? i;
			}
			continue;
		}
		n++;
		avg = beta * avg + (1 - beta) * v;
		const sm = avg / (1 - Math.pow(beta, n));
		if (v > 2 * best) {
			excursion ??= i;
		} else {
			excursion = null;
		}
		// A few points of warm-up: the first smoothed values are single noisy losses.
		if (n > 5 && best > 0 && sm > unhealthyFactor * best) {
			return excursion ?? i;
		}
		best = Math.min(best, sm);
	}
	return null;
}

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
	const ends = epochEndSteps(records);
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

	const placed = findings.map((f): LiveFinding => {
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

/** Runs of consecutive indices whose value passes `test`, as x spans with their largest value. */
function spansWhere(
	x: readonly number[],
	value: (i: number) => number,
	test: (v: number) => boolean,
): { from: number; to: number; max: number }[] {
	const out: { from: number; to: number; max: number }[] = [];
	let cur: { from: number; to: number; max: number } | null = null;
	for (let i = 0; i < x.length; i++) {
		const v = value(i);
		if (test(v)) {
			if (cur) {
				cur.to = x[i];
				cur.max = Math.max(cur.max, v);
			} else {
				cur = { from: x[i], to: x[i], max: v };
				out.push(cur);
			}
		} else {
			cur = null;
		}
	}
	return out;
}

const severityRank: Record<Finding['severity'], number> = { info: 0, warning: 1, error: 2 };

/**
 * One marker per kind and neighbourhood: findings of the same kind whose spans (an epoch finding
 * spans its epoch's steps) come within `gap` chart x units of each other share a marker at the
 * group's earliest x, labelled with every series and place, e.g. "divergence (loss, step 60 ·
 * epoch 6)". Two labels of one kind would otherwise overlap or repeat each other.
 */
function mergeMarkers(
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

/**
 * A tick label that stays short at any magnitude: `1e+9`, `2.5e-4`, `2.5k`, `0.35`. With the
 * axis' tick increment, linear ticks get just the decimals that increment needs, so close ticks
 * (0.6931, 0.6932) stay distinct.
 */
export function formatTick(v: number, incr?: number): string {
	if (!Number.isFinite(v)) {
		return String(v);
	}
	if (v === 0 || (incr !== undefined && Math.abs(v) < incr * 1e-6)) {
		return '0';
	}
	const abs = Math.abs(v);
	if (abs >= 1e6 || abs < 1e-3) {
		const [m, e] = v.toExponential(2).split('e');
		return `${Number(m)}e${e}`;
	}
	if (abs >= 1e3) {
		const d = incr !== undefined ? Math.min(3, decimalsFor(incr / 1e3)) : 2;
		return `${Number((v / 1e3).toFixed(d))}k`;
	}
	return incr !== undefined
		? String(Number(v.toFixed(Math.min(6, decimalsFor(incr)))))
		: String(Number(v.toPrecision(4)));
}

/** Decimal places that write `step` exactly (0.25 → 2, 5 → 0), at most 10. */
function decimalsFor(step: number): number {
	if (!(step > 0) || !Number.isFinite(step)) {
		return 0;
	}
	for (let d = 0; d < 10; d++) {
		const scaled = step * 10 ** d;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) {
			return d;
		}
	}
	return 10;
}

/** Pre-fills a schedule of `kind` around `lr` over `totalSteps` steps (the designer's starting point). */
export function defaultScheduleSpec(
	kind: ScheduleKind,
	lr: number,
	totalSteps: number,
): ScheduleSpec {
	const n = Math.max(10, Math.round(totalSteps));
	const r = (v: number): number => Math.max(1, Math.round(v));
	const raw: Record<ScheduleKind, Record<string, unknown>> = {
		constant: { lr },
		step: { initialLearningRate: lr, stepSize: r(n / 3), gamma: 0.1 },
		exponential: { initialLearningRate: lr, decaySteps: n, decayRate: 0.1 },
		piecewise: { boundaries: [r(n * 0.5), r(n * 0.75)], values: [lr, lr / 10, lr / 100] },
		polynomial: { initialLearningRate: lr, decaySteps: n, endLearningRate: lr / 100 },
		cosine: { initialLearningRate: lr, decaySteps: n },
		cosineRestarts: { initialLearningRate: lr, firstDecaySteps: r(n / 4) },
		oneCycle: { maxLr: lr, totalSteps: n },
		reduceOnPlateau: { initialLearningRate: lr },
	};
	return parseScheduleSpec({ kind, ...raw[kind] });
}

/** The LR-vs-step preview of a schedule, decimated for drawing. */
export function buildSchedulePreview(
	spec: ScheduleSpec,
	totalSteps: number,
): { x: number[]; lr: Y[] } {
	const n = Math.max(1, Math.min(1_000_000, Math.round(totalSteps)));
	const lrs = scheduleLrs(spec, n);
	const keep = decimationIndices(n, maxDrawPoints, [lrs]);
	return { x: keep.map((i) => i), lr: keep.map((i) => finiteOrNull(lrs[i])) };
}

/** CSV of a range test: step, LR, raw loss, smoothed loss at `beta`. Gaps are empty cells. */
export function rangeTestCsv(result: RangeTestResult, beta: number = result.beta): string {
	const smoothed =
		Math.abs(beta - result.beta) < 1e-12 ? result.smoothed : debiasedEma(result.losses, beta);
	const lines = [`step,lr,loss,smoothed_beta_${beta}`];
	result.lrs.forEach((lr, i) => {
		lines.push([i, lr, cell(result.losses[i]), cell(smoothed[i])].join(','));
	});
	return `${lines.join('\n')}\n`;
}

/** CSV of a sweep: one row per LR and epoch. */
export function sweepCsv(sweep: SweepResult): string {
	const lines = ['lr,epoch,loss,val_loss'];
	for (const r of sweep.results) {
		r.curve.forEach((v, i) => {
			lines.push([r.lr, i + 1, cell(v), cell(r.valCurve?.[i] ?? null)].join(','));
		});
	}
	return `${lines.join('\n')}\n`;
}

/** CSV of a live run: step, unit and every series that appears. */
export function liveCsv(records: readonly LogRecord[]): string {
	const names = [...new Set(records.flatMap((r) => Object.keys(r.values)))].sort();
	const lines = [['step', 'unit', ...names].join(',')];
	for (const r of records) {
		lines.push([r.step, r.unit, ...names.map((n) => cell(r.values[n] ?? null))].join(','));
	}
	return `${lines.join('\n')}\n`;
}

function cell(v: Y | undefined): string {
	return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

function finiteOrNull(v: Y | undefined): Y {
	return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function isFiniteNumber(v: Y | undefined): v is number {
	return typeof v === 'number' && Number.isFinite(v);
}

/** Smoothed loss at a suggestion: its own index when known, else the nearest LR in log distance. */
function lossAt(lrs: readonly number[], smoothed: readonly Y[], lr: number, index?: number): Y {
	if (index !== undefined && index >= 0 && index < smoothed.length) {
		return finiteOrNull(smoothed[index]);
	}
	let best = -1;
	let bestD = Infinity;
	lrs.forEach((v, i) => {
		const d = Math.abs(Math.log(v) - Math.log(lr));
		if (d < bestD) {
			bestD = d;
			best = i;
		}
	});
	return best >= 0 ? finiteOrNull(smoothed[best]) : null;
}
