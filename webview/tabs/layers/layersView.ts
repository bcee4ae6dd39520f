/**
 * The Live tab's Layers view (issue 15): a layers × steps heatmap of the update ratio ‖Δw‖/‖w‖ on a
 * log colour scale themed from `--vscode-charts-*`, layer findings outlined on it, and the lines
 * (update ratio, gradient norm) of the layer under the pointer or selected. Keyboard: focus the map,
 * ↑/↓ (Home/End) choose a layer. The numbers come from `layersViewModel.ts`, the canvases are drawn
 * by `layersCanvas.ts`.
 */
import uPlot from 'uplot';
import type { LiveRunView } from '../../../src/shared/webviewProtocol';
import { el } from '../../dom';
import { drawLegend, drawMap, labelWidth } from './layersCanvas';
import {
	buildLayersViewModel,
	layerLines,
	rowHeight,
	type LayersViewModel,
} from './layersViewModel';
import type { ChartTheme } from '../../theme';
import { formatSignal } from '../../../src/core/present/layers';

/** Heatmap height cap: 50 layers at 6 px, or 100+ at the 4 px minimum, without taking the page. */
const maxMapHeight = 360;
/** Height of the selected layer's line chart. */
const lineHeight = 160;

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
		drawLegend(this._legend, this._theme!);
	}

	private _drawMap(): void {
		drawMap(this._map, this._vm!, this._theme!, {
			width: this.root.clientWidth || 600,
			rowH: this._rowH,
			active: this._selected ?? this._hover,
			selected: this._selected,
		});
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
		this._map.title = `${vm.layers[row]} · step ${vm.colSteps[col] ?? ''} · |Δw|/|w| ${Number.isNaN(v) ? 'n/a' : formatSignal(10 ** v)}${marker ? ` · ${marker.label}` : ''}`;
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
