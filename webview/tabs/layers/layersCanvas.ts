/**
 * The Layers view's canvases (issue 15): the colour-scale legend and the layers × steps heatmap of
 * the update ratio, drawn from a `LayersViewModel` on a log colour scale themed from
 * `--vscode-charts-*`. Pure drawing: the view (`layersView.ts`) owns the state and the events.
 */
import {
	colorAt,
	parseColor,
	ratioStops,
	ratioTicks,
	type LayersViewModel,
} from './layersViewModel';
import type { ChartTheme } from '../../theme';

/** Left margin for layer names: room for ~20 characters, the rest is ellipsised. */
export const labelWidth = 140;

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
export function sizeCanvas(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
	const dpr = window.devicePixelRatio || 1;
	c.width = w * dpr;
	c.height = h * dpr;
	c.style.width = `${w}px`;
	c.style.height = `${h}px`;
	const g = c.getContext('2d')!;
	g.scale(dpr, dpr);
	return g;
}

/** The colour-scale legend, with its decade ticks. */
export function drawLegend(legend: HTMLCanvasElement, t: ChartTheme): void {
	const w = 260;
	const h = 26;
	const g = sizeCanvas(legend, w, h);
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

/** How to draw the heatmap: the view's width in CSS pixels, the row height, the layers to highlight. */
export interface MapLayout {
	width: number;
	rowH: number;
	/** The selected layer, else the one under the pointer: its label is shaded and always named. */
	active: string | undefined;
	/** The selected layer: its row is outlined. */
	selected: string | undefined;
}

/** The heatmap: one cell per layer and column, layer names on the left, findings outlined. */
export function drawMap(
	map: HTMLCanvasElement,
	vm: LayersViewModel,
	t: ChartTheme,
	layout: MapLayout,
): void {
	const rowH = layout.rowH;
	const cellW = Math.max(1, Math.floor((layout.width - labelWidth - 8) / vm.cols));
	const w = labelWidth + cellW * vm.cols;
	const h = rowH * vm.rows;
	const g = sizeCanvas(map, w, h);
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
	const active = layout.active;
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
	if (layout.selected) {
		const r = vm.layers.indexOf(layout.selected);
		g.strokeStyle = t.text;
		g.lineWidth = 1;
		g.strokeRect(labelWidth + 0.5, r * rowH + 0.5, cellW * vm.cols - 1, rowH - 1);
	}
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
