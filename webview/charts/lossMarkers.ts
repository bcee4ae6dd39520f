/**
 * What the loss-vs-LR charts draw over the curves: the consensus band, the suggestion markers
 * with staggered labels and a dot on the curve, and the diverged/NaN stop line.
 */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';
import { startLabels } from './canvas';
import type { LossViewModel } from '../viewModels/lossViewModel';

/**
 * Marker dash patterns (CSS px), so the markers stay distinguishable without colour. The headline
 * is solid and thicker, with a ring on the curve; the rule it comes from is not drawn twice.
 */
const markerDash: Record<string, number[]> = {
	valley: [],
	slide: [6, 3],
	minimum: [2, 3],
	steep: [8, 3, 2, 3],
	consensus: [1, 4],
	headline: [],
};

/** Shades the LR band of the rules (or of the consensus across repeats), under the curves. */
export function drawBand(u: uPlot, vm: LossViewModel, theme: ChartTheme): void {
	if (!vm.band) {
		return;
	}
	const { ctx, bbox } = u;
	const x0 = Math.max(bbox.left, u.valToPos(vm.band[0], 'x', true));
	const x1 = Math.min(bbox.left + bbox.width, u.valToPos(vm.band[1], 'x', true));
	if (x1 <= x0) {
		return;
	}
	ctx.save();
	ctx.globalAlpha = theme.highContrast ? 0.25 : 0.12;
	ctx.fillStyle = theme.consensus;
	ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
	ctx.restore();
}

/** Vertical marker lines with labels (staggered so close markers stay readable) and a dot on the curve. */
export function drawMarkers(u: uPlot, vm: LossViewModel, theme: ChartTheme, labels = true): void {
	const { ctx, bbox } = u;
	startLabels(u, theme);
	// The headline last, so it is drawn on top of the rule markers.
	const visible = [...vm.markers]
		.sort((a, b) => Number(a.name === 'headline') - Number(b.name === 'headline') || a.lr - b.lr)
		.map((m) => ({
			m,
			x: u.valToPos(m.lr, 'x', true),
			colour: m.name === 'headline' ? theme.consensus : theme.suggestion,
		}))
		.filter(({ x }) => x >= bbox.left - 0.5 && x <= bbox.left + bbox.width + 0.5);
	drawMarkerLines(u, visible, theme);
	if (labels) {
		drawMarkerLabels(u, visible, theme);
	}
	drawStopLine(u, vm, theme);
	ctx.restore();
}

/** A marker as drawn: its x in canvas pixels and its colour. */
interface VisibleMarker {
	m: LossViewModel['markers'][number];
	x: number;
	colour: string;
}

/** The lines and the dots on the curve; records where each went on the root (`data-markers`). */
function drawMarkerLines(u: uPlot, visible: readonly VisibleMarker[], theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	// Where each marker was drawn (CSS px in the canvas), for the render test: pixels alone cannot
	// say which LR a marker stands for.
	const drawn: { name: string; lr: number; loss: number | null; x: number; y: number | null }[] =
		[];
	// Lines and dots first, labels second, so no line crosses a label.
	for (const { m, x, colour } of visible) {
		const head = m.name === 'headline';
		ctx.strokeStyle = colour;
		ctx.lineWidth = (head ? 2.5 : 1.25) * dpr;
		ctx.setLineDash((markerDash[m.name] ?? []).map((d) => d * dpr));
		ctx.beginPath();
		ctx.moveTo(Math.round(x) + 0.5, bbox.top);
		ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
		ctx.stroke();
		ctx.setLineDash([]);
		let dotY: number | null = null;
		if (m.loss !== null) {
			const y = u.valToPos(m.loss, 'y', true);
			if (y >= bbox.top && y <= bbox.top + bbox.height) {
				dotY = y;
				if (head) {
					// A ring on the curve: the background inside keeps the curve visible through it.
					ctx.fillStyle = theme.background;
					ctx.lineWidth = 2 * dpr;
					ctx.beginPath();
					ctx.arc(x, y, 5.5 * dpr, 0, 2 * Math.PI);
					ctx.fill();
					ctx.stroke();
				}
				ctx.fillStyle = colour;
				ctx.beginPath();
				ctx.arc(x, y, (head ? 2.5 : 3.5) * dpr, 0, 2 * Math.PI);
				ctx.fill();
			}
		}
		drawn.push({
			name: m.name,
			lr: m.lr,
			loss: m.loss,
			x: x / dpr,
			y: dotY === null ? null : dotY / dpr,
		});
	}
	u.root.dataset.markers = JSON.stringify(drawn);
	u.root.dataset.plot = JSON.stringify({
		left: bbox.left / dpr,
		top: bbox.top / dpr,
		width: bbox.width / dpr,
		height: bbox.height / dpr,
		x: [u.scales.x.min, u.scales.x.max],
		y: [u.scales.y.min, u.scales.y.max],
		yLog: u.scales.y.distr === 3,
	});
}

/** The labels, staggered in rows so close markers stay readable; they flip left near the right edge. */
function drawMarkerLabels(u: uPlot, visible: readonly VisibleMarker[], theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	const fontPx = 11 * dpr;
	const rowH = fontPx + 4 * dpr;
	const rows: number[] = [];
	for (const { m, x, colour } of visible) {
		// First row whose last label ends left of this one; labels flip left near the right edge.
		ctx.font = `${m.name === 'headline' ? '600 ' : ''}${fontPx}px ${theme.fontFamily}`;
		const w = ctx.measureText(m.label).width + 6 * dpr;
		const left =
			x + w + 2 * dpr > bbox.left + bbox.width ? Math.max(bbox.left, x - w - 2 * dpr) : x + 2 * dpr;
		let row = rows.findIndex((end) => end + 2 * dpr < left);
		if (row < 0) {
			row = rows.length;
		}
		rows[row] = left + w;
		const top = bbox.top + 2 * dpr + row * rowH;
		ctx.fillStyle = theme.background;
		ctx.fillRect(left, top - 1 * dpr, w, rowH - 2 * dpr);
		ctx.fillStyle = colour;
		ctx.font = `${m.name === 'headline' ? '600 ' : ''}${fontPx}px ${theme.fontFamily}`;
		ctx.fillText(m.label, left + 3 * dpr, top + 1 * dpr);
	}
}

/** The dashed line where a diverged or non-finite test stopped. */
function drawStopLine(u: uPlot, vm: LossViewModel, theme: ChartTheme): void {
	const { ctx, bbox } = u;
	const dpr = uPlot.pxRatio;
	if ((vm.stopReason === 'diverged' || vm.stopReason === 'nonFinite') && vm.stopLr !== null) {
		const x = u.valToPos(vm.stopLr, 'x', true);
		if (x >= bbox.left && x <= bbox.left + bbox.width + 0.5) {
			ctx.strokeStyle = theme.diverged;
			ctx.lineWidth = 1.5 * dpr;
			ctx.setLineDash([3 * dpr, 3 * dpr]);
			ctx.beginPath();
			ctx.moveTo(x - 0.5, bbox.top);
			ctx.lineTo(x - 0.5, bbox.top + bbox.height);
			ctx.stroke();
			ctx.setLineDash([]);
			const text = vm.stopReason === 'diverged' ? 'diverged' : 'NaN/Inf';
			const w = ctx.measureText(text).width;
			ctx.fillStyle = theme.diverged;
			ctx.textBaseline = 'bottom';
			ctx.fillText(text, x - w - 4 * dpr, bbox.top + bbox.height - 3 * dpr);
		}
	}
}
