/**
 * The Live tab's Layers view (issue 15): a layers × steps heatmap of the update ratio ‖Δw‖/‖w‖ on a
 * log colour scale themed from `--vscode-charts-*`, layer findings outlined on it, and the lines
 * (update ratio, gradient norm) of the layer under the pointer or selected. Keyboard: focus the map,
 * ↑/↓ (Home/End) choose a layer. The numbers come from `layersViewModel.ts`.
 */
import uPlot from 'uplot';
import type { LiveRunView } from '../src/shared/webviewProtocol';
import { el } from './dom';
import {
	buildLayersViewModel,
	colorAt,
	layerLines,
	parseColor,
	ratioStops,
	ratioTicks,
	rowHeight,
	type LayersViewModel,
} from './layersViewModel';
import type { ChartTheme } from './theme';
import { formatSignal } from '../src/core/present/layers';

/** Left margin for layer names: room for ~20 characters, the rest is ellipsised. */
const labelWidth = 140;
/** Heatmap height cap: 50 layers at 6 px, or 100+ at the 4 px minimum, without taking the page. */
const maxMapHeight = 360;
/** Height of the selected layer's line chart. */
const lineHeight = 160;

function css(name: string, fallback: string): string {
	return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function scaleColors(): Record<'blue' | 'green' | 'yellow' | 'red', [number, number, number]> {
	const pick = (v: string, fb: [number, number, number]): [number, number, number] =>
		parseColor(css(v, '')) ?? fb;
	return {
		blue: pick('--vscode-charts-blue', [55, 148, 255]),
		green: pick('--vscode-charts-green', [137, 209, 133]),
		yellow: pick('--vscode-charts-yellow', [204, 167, 0]),
		red: pick('--vscode-charts-red', [241, 76, 76]),
	};
}

/** Sizes `c` to `w`×`h` CSS pixels at the device pixel ratio; returns its context, scaled to CSS pixels. */
function sizeCanvas(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
	const dpr = window.devicePixelRatio || 1;
	c.width = w * dpr;
	c.height = h * dpr;
	c.style.width = `${w}px`;
	c.style.height = `${h}px`;
	const g = c.getContext('2d')!;
	g.scale(dpr, dpr);
	return g;
}

/** The Layers section of the Live tab. */
export class LayersView {
	readonly root: HTMLElement;
	private readonly _map = el('canvas', {
		class: 'layers-map',
		tabindex: '0',
		role: 'img',
	}) as HTMLCanvasElement;
	private readonly _legend = el('canvas', {
		class: 'layers-legend',
		'aria-hidden': 'true',
	}) as HTMLCanvasElement;
	private readonly _detail = el('p', { class: 'layers-detail', 'aria-live': 'polite' });
	private readonly _lines = el('div', { class: 'layers-lines chart' });
	private readonly _summary = el('p', { class: 'sr-only' });
	private _plot: uPlot | undefined;
	private _run: LiveRunView | undefined;
	private _vm: LayersViewModel | undefined;
	private _theme: ChartTheme | undefined;
	private _selected: string | undefined;
	private _hover: string | undefined;
	private _rowH = 8;

	constructor() {
		this.root = el(
			'section',
			{ class: 'layers', 'aria-label': 'Layers' },
			el('h3', {}, 'Layers'),
			el(
				'p',
				{ class: 'muted' },
				'Update ratio |Δw|/|w| per step and layer (about 1e-3 is healthy). Outlined cells are findings. Point at or select a layer (↑/↓) for its lines.',
			),
			this._legend,
			this._map,
			this._summary,
			this._detail,
			this._lines,
		);
		this._map.addEventListener('mousemove', (e) => this._onPointer(e));
		this._map.addEventListener('mouseleave', () => {
			this._hover = undefined;
			this._drawLines();
		});
		this._map.addEventListener('click', (e) => {
			const row = this._rowAt(e);
			if (row !== undefined && this._vm) {
				this._selected = this._vm.layers[row];
				this._draw();
			}
		});
		this._map.addEventListener('keydown', (e) => this._onKey(e));
	}

	/** Shows `run`'s layer samples; hides the section when it has none. */
	render(run: LiveRunView | undefined, theme: ChartTheme): void {
		this._run = run;
		this._theme = theme;
		const samples = run?.layers ?? [];
		this.root.hidden = samples.length === 0;
		if (samples.length === 0 || !run) {
			this._destroyPlot();
			return;
		}
		const width = Math.max(200, (this.root.clientWidth || 600) - labelWidth - 8);
		this._vm = buildLayersViewModel(samples, run.findings, width);
		if (this._selected && !this._vm.layers.includes(this._selected)) {
			this._selected = undefined;
		}
		this._rowH = rowHeight(this._vm.rows, maxMapHeight);
		this._summary.textContent = this._vm.summary;
		this._map.setAttribute('aria-label', `Update-ratio heatmap. ${this._vm.summary}`);
		this._map.dataset.layers = JSON.stringify(this._vm.layers);
		this._map.dataset.markers = JSON.stringify(this._vm.markers.map((m) => m.label));
		this._draw();
	}

	destroy(): void {
		this._destroyPlot();
	}

	private _destroyPlot(): void {
		this._plot?.destroy();
		this._plot = undefined;
	}

	private _draw(): void {
		this._drawLegend();
		this._drawMap();
		this._drawLines();
	}

	private _drawLegend(): void {
		const t = this._theme!;
		const w = 260;
		const h = 26;
		const g = sizeCanvas(this._legend, w, h);
		const colors = scaleColors();
		const lo = ratioStops[0].at - 0.5;
		const hi = ratioStops[ratioStops.length - 1].at + 0.5;
		for (let x = 0; x < w; x++) {
			g.fillStyle = colorAt(lo + ((hi - lo) * x) / w, colors);
			g.fillRect(x, 0, 1, 10);
		}
		g.fillStyle = t.text;
		g.font = `10px ${t.fontFamily}`;
		g.textBaseline = 'top';
		for (const tick of ratioTicks) {
			const x = ((tick.at - lo) / (hi - lo)) * w;
			g.fillRect(x, 10, 1, 3);
			g.textAlign = 'center';
			g.fillText(tick.label, Math.min(w - 12, Math.max(12, x)), 14);
		}
	}

	private _drawMap(): void {
		const vm = this._vm!;
		const t = this._theme!;
		const rowH = this._rowH;
		const cellW = Math.max(
			1,
			Math.floor(((this.root.clientWidth || 600) - labelWidth - 8) / vm.cols),
		);
		const w = labelWidth + cellW * vm.cols;
		const h = rowH * vm.rows;
		const g = sizeCanvas(this._map, w, h);
		g.clearRect(0, 0, w, h);
		const colors = scaleColors();
		for (let r = 0; r < vm.rows; r++) {
			for (let col = 0; col < vm.cols; col++) {
				const v = vm.cells[r * vm.cols + col];
				if (Number.isNaN(v)) {
					continue;
				}
				g.fillStyle = colorAt(v, colors);
				g.fillRect(labelWidth + col * cellW, r * rowH, cellW, rowH);
			}
		}
		// Names: every row when rows are tall enough to read, else every nth (the tooltip names all).
		const every = rowH >= 10 ? 1 : Math.ceil(10 / rowH);
		g.font = `${Math.min(12, Math.max(9, rowH - 2))}px ${t.fontFamily}`;
		g.textBaseline = 'middle';
		g.textAlign = 'right';
		const active = this._selected ?? this._hover;
		for (let r = 0; r < vm.rows; r++) {
			const name = vm.layers[r];
			if (name === active) {
				g.fillStyle = t.grid;
				g.fillRect(0, r * rowH, labelWidth - 4, rowH);
			}
			if (r % every === 0 || name === active) {
				g.fillStyle = t.text;
				g.fillText(ellipsis(g, name, labelWidth - 8), labelWidth - 6, r * rowH + rowH / 2);
			}
		}
		g.strokeStyle = t.border ?? t.text;
		g.lineWidth = 2;
		for (const m of vm.markers) {
			g.strokeRect(labelWidth + m.col * cellW - 1, m.row * rowH, Math.max(cellW + 2, 4), rowH);
			// A notch at the row's start, so a marked layer is found without scanning the whole map.
			g.fillStyle = t.diverged;
			g.beginPath();
			g.moveTo(labelWidth - 1, m.row * rowH + rowH / 2);
			g.lineTo(labelWidth - 7, m.row * rowH);
			g.lineTo(labelWidth - 7, m.row * rowH + rowH);
			g.fill();
		}
		if (this._selected) {
			const r = vm.layers.indexOf(this._selected);
			g.strokeStyle = t.text;
			g.lineWidth = 1;
			g.strokeRect(labelWidth + 0.5, r * rowH + 0.5, cellW * vm.cols - 1, rowH - 1);
		}
	}

	private _drawLines(): void {
		const vm = this._vm;
		const run = this._run;
		const t = this._theme;
		if (!vm || !run || !t) {
			return;
		}
		const layer = this._hover ?? this._selected ?? vm.layers[0];
		const row = vm.layers.indexOf(layer);
		this._detail.textContent = `${layer}: ${vm.latest[row] ?? ''}`;
		const lines = layerLines(run.layers ?? [], layer);
		this._destroyPlot();
		if (this._lines.offsetParent === null) {
			return;
		}
		this._plot = new uPlot(
			{
				width: Math.max(200, this.root.clientWidth || 600),
				height: lineHeight,
				scales: {
					x: { time: false },
					r: { distr: 3, log: 10 },
					g: { distr: 3, log: 10 },
				},
				axes: [
					{ stroke: t.text, grid: { stroke: t.grid }, ticks: { stroke: t.grid }, label: 'step' },
					{
						scale: 'r',
						stroke: t.text,
						grid: { stroke: t.grid },
						ticks: { stroke: t.grid },
						label: '|Δw|/|w|',
						size: 60,
						values: (_u, splits) => splits.map(decadeLabel),
					},
					{
						scale: 'g',
						side: 1,
						stroke: t.text,
						grid: { show: false },
						label: '|g|',
						size: 60,
						values: (_u, splits) => splits.map(decadeLabel),
					},
				],
				series: [
					{ label: 'step' },
					{
						label: `${layer} |Δw|/|w|`,
						scale: 'r',
						stroke: t.palette[0],
						width: 2,
						spanGaps: true,
					},
					{
						label: `${layer} |g|`,
						scale: 'g',
						stroke: t.palette[1],
						width: 1,
						dash: [4, 3],
						spanGaps: true,
					},
				],
				legend: { show: true },
				cursor: { y: false },
			},
			[lines.steps, lines.ratio, lines.grad] as uPlot.AlignedData,
			this._lines,
		);
		this._lines.setAttribute(
			'aria-label',
			`${layer}: update ratio and gradient norm over ${lines.steps.length} samples`,
		);
	}

	private _rowAt(e: MouseEvent): number | undefined {
		const rect = this._map.getBoundingClientRect();
		const r = Math.floor((e.clientY - rect.top) / this._rowH);
		return this._vm && r >= 0 && r < this._vm.rows ? r : undefined;
	}

	private _onPointer(e: MouseEvent): void {
		const vm = this._vm;
		const row = this._rowAt(e);
		if (!vm || row === undefined) {
			return;
		}
		const rect = this._map.getBoundingClientRect();
		const cellW = (rect.width - labelWidth) / Math.max(1, vm.cols);
		const col = Math.min(
			vm.cols - 1,
			Math.max(0, Math.floor((e.clientX - rect.left - labelWidth) / cellW)),
		);
		const v = vm.cells[row * vm.cols + col];
		const marker = vm.markers.find((m) => m.row === row && m.col === col);
		this._map.title = `${vm.layers[row]} · step ${vm.colSteps[col] ?? ''} · |Δw|/|w| ${Number.isNaN(v) ? 'n/a' : (10 ** v).toExponential(1)}${marker ? ` · ${marker.label}` : ''}`;
		if (vm.layers[row] !== this._hover) {
			this._hover = vm.layers[row];
			requestAnimationFrame(() => this._drawLines());
		}
	}

	private _onKey(e: KeyboardEvent): void {
		const vm = this._vm;
		if (!vm || vm.rows === 0) {
			return;
		}
		const cur = this._selected ? vm.layers.indexOf(this._selected) : -1;
		const next =
			e.key === 'ArrowDown'
				? Math.min(vm.rows - 1, cur + 1)
				: e.key === 'ArrowUp'
					? Math.max(0, cur - 1)
					: e.key === 'Home'
						? 0
						: e.key === 'End'
							? vm.rows - 1
							: undefined;
		if (next === undefined) {
			return;
		}
		e.preventDefault();
		this._selected = vm.layers[next];
		this._hover = undefined;
		this._draw();
	}
}

/** Log-axis labels at whole decades only (uPlot also passes the minor splits, some as null). */
function decadeLabel(v: number | null): string {
	return v !== null && v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-6
		? formatSignal(v)
		: '';
}

function ellipsis(g: CanvasRenderingContext2D, s: string, max: number): string {
	if (g.measureText(s).width <= max) {
		return s;
	}
	let t = s;
	while (t.length > 1 && g.measureText(`${t}…`).width > max) {
		t = t.slice(0, -1);
	}
	return `${t}…`;
}
