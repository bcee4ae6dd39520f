/**
 * The Layers view's numbers (issue 15), pure and DOM-free so it is unit-tested in node: a
 * layers × steps grid of log10 update ratios (columns bucketed to the pixels available, keeping the
 * largest ratio of a bucket so a spike survives), the colour scale, finding markers, one layer's
 * lines, and the screen-reader summary. `layersView.ts` only draws these.
 */
import type { LayerSample } from '../../../src/core/layers/types';
import {
	formatPercent,
	formatSignal,
	layerFindingKindText,
} from '../../../src/core/present/layers';
import type { Finding, FindingKind } from '../../../src/core/types';

/**
 * The colour scale's stops in log10(‖Δw‖/‖w‖), fixed so a colour means the same in every run: blue
 * = not learning (1e-6), green = the ~1e-3 rule of thumb, yellow = high (3e-2), red = too high (≥ 0.3).
 */
export const ratioStops: readonly { at: number; color: 'blue' | 'green' | 'yellow' | 'red' }[] = [
	{ at: -6, color: 'blue' },
	{ at: -3, color: 'green' },
	{ at: -1.5, color: 'yellow' },
	{ at: -0.5, color: 'red' },
];

/** Legend ticks (log10 values) and their labels. */
export const ratioTicks: readonly { at: number; label: string }[] = [
	{ at: -6, label: '1e-6' },
	{ at: -3, label: '1e-3' },
	{ at: -1.5, label: '3e-2' },
	{ at: -0.5, label: '0.3' },
];

/** A finding placed on the grid. */
export interface LayerMarker {
	row: number;
	col: number;
	kind: FindingKind;
	label: string;
}

/** What the heatmap draws. */
export interface LayersViewModel {
	layers: string[];
	/** First step of each column. */
	colSteps: number[];
	/** rows × cols, row-major: log10 of the largest update ratio in the bucket; NaN = none. */
	cells: Float64Array;
	rows: number;
	cols: number;
	markers: LayerMarker[];
	/** Text for screen readers (and the view's caption). */
	summary: string;
	/** Per layer, the latest sample's numbers as words ("ratio 3e-3 · |g| 0.5 · 12% dead"). */
	latest: string[];
}

/** Bucket index of `step` among columns starting at `colSteps`. */
function colOf(colSteps: readonly number[], step: number): number {
	let lo = 0;
	let hi = colSteps.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (colSteps[mid] <= step) {
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return lo;
}

/**
 * Builds the grid from a run's layer samples (in step order) and findings, with at most `maxCols`
 * columns. Layers are the union over the samples in first-seen order (a later fit call may add some).
 */
export function buildLayersViewModel(
	samples: readonly LayerSample[],
	findings: readonly Finding[],
	maxCols: number,
): LayersViewModel {
	const index = new Map<string, number>();
	for (const s of samples) {
		for (const n of s.layers) {
			if (!index.has(n)) {
				index.set(n, index.size);
			}
		}
	}
	const layers = [...index.keys()];
	const rows = layers.length;
	const per = Math.max(1, Math.ceil(samples.length / Math.max(1, maxCols)));
	const cols = Math.ceil(samples.length / per);
	const cells = new Float64Array(rows * cols).fill(NaN);
	const colSteps: number[] = [];
	samples.forEach((s, i) => {
		const c = Math.floor(i / per);
		if (colSteps.length <= c) {
			colSteps.push(s.step);
		}
		s.layers.forEach((n, j) => {
			const r = s.updateRatio[j];
			if (r === null || !(r > 0)) {
				return;
			}
			const k = index.get(n)! * cols + c;
			const v = Math.log10(r);
			if (Number.isNaN(cells[k]) || v > cells[k]) {
				cells[k] = v;
			}
		});
	});
	const markers: LayerMarker[] = [];
	for (const f of findings) {
		const row =
			f.layer !== undefined && f.kind in layerFindingKindText ? index.get(f.layer) : undefined;
		if (row === undefined || cols === 0) {
			continue;
		}
		markers.push({
			row,
			col: colOf(colSteps, f.step),
			kind: f.kind,
			label: `${layerFindingKindText[f.kind as keyof typeof layerFindingKindText] ?? f.kind} (${f.layer}, step ${f.step})`,
		});
	}
	const latest = latestText(samples.at(-1), layers);
	return {
		layers,
		colSteps,
		cells,
		rows,
		cols,
		markers,
		summary: layersSummary(samples, findings, layers),
		latest,
	};
}

/** Per layer, the newest sample's numbers in words ("no data" for a layer it does not have). */
function latestText(last: LayerSample | undefined, layers: string[]): string[] {
	return layers.map((n) => {
		const j = last?.layers.indexOf(n) ?? -1;
		if (!last || j < 0) {
			return 'no data';
		}
		const parts: string[] = [];
		if (last.params[j] > 0) {
			parts.push(
				`|Δw|/|w| ${formatSignal(last.updateRatio[j])}`,
				`|g| ${formatSignal(last.gradNorm[j])}`,
			);
		}
		const d = last.dead[j];
		if (d !== null) {
			parts.push(`${formatPercent(d)} dead`);
		}
		const sat = last.saturated[j];
		if (sat !== null) {
			parts.push(`${formatPercent(sat)} saturated`);
		}
		return parts.join(' · ');
	});
}

/** "11 layers sampled 5 times up to step 26 (every 11 steps). Highest update ratio: out 5.7e-2; lowest: sig_1 1.5e-8. Findings: …" */
export function layersSummary(
	samples: readonly LayerSample[],
	findings: readonly Finding[],
	layers: readonly string[] = samples.at(-1)?.layers ?? [],
): string {
	const last = samples.at(-1);
	if (!last) {
		return 'No layer samples yet.';
	}
	const parts = [
		`${layers.length} layers sampled ${samples.length} time${samples.length === 1 ? '' : 's'} up to step ${last.step} (every ${last.every} step${last.every === 1 ? '' : 's'}).`,
	];
	let hi = -1;
	let lo = -1;
	last.updateRatio.forEach((r, i) => {
		if (r === null) {
			return;
		}
		if (hi < 0 || r > last.updateRatio[hi]!) {
			hi = i;
		}
		if (lo < 0 || r < last.updateRatio[lo]!) {
			lo = i;
		}
	});
	if (hi >= 0) {
		parts.push(
			`Highest update ratio: ${last.layers[hi]} ${formatSignal(last.updateRatio[hi])}; lowest: ${last.layers[lo]} ${formatSignal(last.updateRatio[lo])}.`,
		);
	}
	const lf = findings.filter((f) => f.kind in layerFindingKindText);
	parts.push(
		lf.length
			? `Findings: ${lf.map((f) => `${layerFindingKindText[f.kind as keyof typeof layerFindingKindText] ?? f.kind}${f.layer ? ` in ${f.layer}` : ''} at step ${f.step}`).join('; ')}.`
			: 'No layer findings.',
	);
	return parts.join(' ');
}

/** One layer over time: steps, update ratio and gradient norm (nulls where absent). */
export function layerLines(
	samples: readonly LayerSample[],
	layer: string,
): { steps: number[]; ratio: (number | null)[]; grad: (number | null)[] } {
	const steps: number[] = [];
	const ratio: (number | null)[] = [];
	const grad: (number | null)[] = [];
	for (const s of samples) {
		const j = s.layers.indexOf(layer);
		steps.push(s.step);
		ratio.push(
			j >= 0 && s.updateRatio[j] !== null && s.updateRatio[j]! > 0 ? s.updateRatio[j] : null,
		);
		grad.push(j >= 0 && s.gradNorm[j] !== null && s.gradNorm[j]! > 0 ? s.gradNorm[j] : null);
	}
	return { steps, ratio, grad };
}

/** Parses `#rgb`, `#rrggbb` or `rgb()/rgba()` into [r, g, b]; undefined otherwise. */
export function parseColor(c: string): [number, number, number] | undefined {
	const s = c.trim();
	let m = /^#([0-9a-f]{3})$/i.exec(s);
	if (m) {
		return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
	}
	m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
	if (m) {
		return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
	}
	m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(s);
	if (m) {
		return [Number(m[1]), Number(m[2]), Number(m[3])];
	}
	return undefined;
}

/** The colour of log10 ratio `v` between the stops' colours (clamped at both ends). */
export function colorAt(
	v: number,
	colors: Record<'blue' | 'green' | 'yellow' | 'red', [number, number, number]>,
): string {
	const st = ratioStops;
	if (v <= st[0].at) {
		return rgb(colors[st[0].color]);
	}
	for (let i = 1; i < st.length; i++) {
		if (v <= st[i].at) {
			const t = (v - st[i - 1].at) / (st[i].at - st[i - 1].at);
			const a = colors[st[i - 1].color];
			const b = colors[st[i].color];
			return rgb([0, 1, 2].map((k) => a[k] + (b[k] - a[k]) * t) as [number, number, number]);
		}
	}
	return rgb(colors[st[st.length - 1].color]);
}

function rgb(c: [number, number, number]): string {
	return `rgb(${c.map((x) => Math.round(x)).join(', ')})`;
}

/** Row height (px) for `rows` layers in at most `maxHeight`: 4 px minimum so 100+ layers still fit and read. */
export function rowHeight(rows: number, maxHeight: number): number {
	return Math.max(4, Math.min(18, Math.floor(maxHeight / Math.max(1, rows))));
}
