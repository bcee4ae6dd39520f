/**
 * The panel's view-model: everything the charts and the text show, computed from results without a
 * DOM, so it is unit-tested in node (test/unit/viewModel.test.ts). The renderer (chart.ts) only maps
 * these numbers to pixels and colours.
 */
import { debiasedEma } from '../src/core/smoothing';
import { suggest } from '../src/core/suggest';
import type {
	Finding,
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
export function buildLossViewModel(result: RangeTestResult, beta: number = result.beta): LossViewModel {
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
			markers.push({ name, lr: s.lr, loss: lossAt(result.lrs, smoothedFull, s.lr, s.index), label: `${name} ${formatLr(s.lr)}` });
		}
	}
	if (report.consensus) {
		const c = report.consensus;
		markers.push({ name: 'consensus', lr: c.lr, loss: lossAt(result.lrs, smoothedFull, c.lr, c.index), label: `consensus ${formatLr(c.lr)}` });
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
export function buildCompareSeries(label: string, result: RangeTestResult, beta: number): CompareSeries {
	const smoothedFull = Math.abs(beta - result.beta) < 1e-12 ? result.smoothed : debiasedEma(result.losses, beta);
	const keep = decimationIndices(result.lrs.length, maxDrawPoints, [smoothedFull]);
	return { label, x: keep.map((i) => result.lrs[i]), smoothed: keep.map((i) => finiteOrNull(smoothedFull[i])) };
}

/**
 * Merges curves with different x values into uPlot's aligned form: one sorted x array and, per
 * series, a value or `null` at every x (uPlot draws gaps across nulls only with spanGaps).
 */
export function alignSeries(series: readonly { x: readonly number[]; ys: readonly (readonly Y[])[] }[]): {
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
	const q90 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(0.9 * (sorted.length - 1)))] : lo;
	const hi = Math.max(q90, ...descent, lo);
	const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
	return [lo - pad, hi + pad];
}

/**
 * Indices to keep so that a curve of `n` points draws with at most ~`max` points: the first and last
 * point and, per bucket, the points holding each series' minimum and maximum (min-max decimation keeps
 * spikes, which averaging would hide). Non-finite points are always kept so gaps stay visible.
 */
export function decimationIndices(n: number, max: number, series: readonly (readonly Y[])[]): number[] {
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

/** An LR in the form users copy into code: `3e-3`, `0.01`, `0.3`, `2.5e-4`. */
export function formatLr(lr: number): string {
	if (!Number.isFinite(lr)) {
		return String(lr);
	}
	if (lr === 0) {
		return '0';
	}
	const abs = Math.abs(lr);
	if (abs >= 0.01 && abs < 1000) {
		return String(Number(lr.toPrecision(2)));
	}
	const [m, e] = lr.toExponential(1).split('e');
	const mant = m.endsWith('.0') ? m.slice(0, -2) : m;
	return `${mant}e${Number(e)}`;
}

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
export function rangeTestSummary(label: string, result: RangeTestResult, vm: LossViewModel): string {
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
		parts.push(`Across ${result.spread.runs} repeats the consensus ranged ${formatLr(vm.band[0])} to ${formatLr(vm.band[1])}.`);
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
	const pad = (ys: readonly Y[]): Y[] => Array.from({ length: epochs }, (_v, i) => finiteOrNull(ys[i] ?? null));
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

/** A live run's chart: loss series on the left axis, LR on a right log axis, findings as markers. */
export interface LiveViewModel {
	x: number[];
	/** Loss-like series by name (`loss`, `val_loss`, …), aligned with `x`. */
	series: { name: string; values: Y[] }[];
	lr: Y[] | null;
	findings: { step: number; label: string; severity: Finding['severity'] }[];
}

/** Series that share the loss axis; other metrics (accuracy…) are left out to keep one scale. */
const liveLossSeries = ['loss', 'val_loss'];

/**
 * Builds the live-run view-model. Epoch records (validation loss) have no step of their own: they are
 * placed at the step of the batch record just before them, which is where the epoch ended.
 */
export function buildLiveViewModel(records: readonly LogRecord[], findings: readonly Finding[]): LiveViewModel {
	const hasSteps = records.some((r) => r.unit === 'step');
	const epochEnd = new Map<number, number>();
	const points: { x: number; values: Record<string, Y> }[] = [];
	let lastStep = 0;
	for (const r of records) {
		if (!hasSteps || r.unit === 'step') {
			lastStep = r.step;
			points.push({ x: r.step, values: r.values });
		} else {
			epochEnd.set(r.step, lastStep);
			points.push({ x: lastStep, values: r.values });
		}
	}
	// Merge records that landed on the same x (a batch and the epoch ending with it).
	const byX = new Map<number, Record<string, Y>>();
	for (const p of points) {
		byX.set(p.x, { ...(byX.get(p.x) ?? {}), ...p.values });
	}
	const xsAll = [...byX.keys()].sort((a, b) => a - b);
	const names = liveLossSeries.filter((n) => xsAll.some((xv) => n in (byX.get(xv) as Record<string, Y>)));
	const hasLr = xsAll.some((xv) => 'lr' in (byX.get(xv) as Record<string, Y>));
	const full = names.map((n) => xsAll.map((xv) => finiteOrNull((byX.get(xv) as Record<string, Y>)[n] ?? null)));
	const lrFull = hasLr ? xsAll.map((xv) => finiteOrNull((byX.get(xv) as Record<string, Y>).lr ?? null)) : null;
	const keep = decimationIndices(xsAll.length, maxDrawPoints, full);
	return {
		x: keep.map((i) => xsAll[i]),
		series: names.map((name, k) => ({ name, values: keep.map((i) => full[k][i]) })),
		lr: lrFull ? keep.map((i) => lrFull[i]) : null,
		findings: findings.map((f) => ({
			step: f.unit === 'epoch' && hasSteps ? (epochEnd.get(f.step) ?? f.step) : f.step,
			label: `${f.kind} (${f.series}): ${f.message}`,
			severity: f.severity,
		})),
	};
}

/** Pre-fills a schedule of `kind` around `lr` over `totalSteps` steps (the designer's starting point). */
export function defaultScheduleSpec(kind: ScheduleKind, lr: number, totalSteps: number): ScheduleSpec {
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
export function buildSchedulePreview(spec: ScheduleSpec, totalSteps: number): { x: number[]; lr: Y[] } {
	const n = Math.max(1, Math.min(1_000_000, Math.round(totalSteps)));
	const lrs = scheduleLrs(spec, n);
	const keep = decimationIndices(n, maxDrawPoints, [lrs]);
	return { x: keep.map((i) => i), lr: keep.map((i) => finiteOrNull(lrs[i])) };
}

/** CSV of a range test: step, LR, raw loss, smoothed loss at `beta`. Gaps are empty cells. */
export function rangeTestCsv(result: RangeTestResult, beta: number = result.beta): string {
	const smoothed = Math.abs(beta - result.beta) < 1e-12 ? result.smoothed : debiasedEma(result.losses, beta);
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
