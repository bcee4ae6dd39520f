/** The Layers view's pure parts (webview/tabs/layers/layersViewModel.ts) and the bounded sample list (core/layers/series.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendLayerSamples } from '../../src/core/layers/series';
import type { LayerSample } from '../../src/core/layers/types';
import type { Finding } from '../../src/core/types';
import {
	buildLayersViewModel,
	colorAt,
	layerLines,
	parseColor,
	rowHeight,
} from '../../webview/tabs/layers/layersViewModel';

function sample(step: number, layers: string[], ratio: (number | null)[]): LayerSample {
	return {
		step,
		layers,
		params: layers.map(() => 10),
		gradNorm: layers.map(() => 0.5),
		weightNorm: layers.map(() => 2),
		updateRatio: ratio,
		dead: layers.map((_n, i) => (i === 0 ? 0.25 : null)),
		saturated: layers.map(() => null),
		every: 2,
	};
}

const finding = (kind: Finding['kind'], layer: string, step: number): Finding => ({
	kind,
	series: layer,
	layer,
	step,
	unit: 'step',
	severity: 'warning',
	message: '',
	action: '',
});

describe('layers view model', () => {
	it('builds a layers × columns grid of log10 ratios, keeping the largest of a bucket', () => {
		const names = ['a', 'b'];
		const samples = [0, 2, 4, 6, 8].map((s) =>
			sample(s, names, [1e-3 * (s + 1), s === 4 ? null : 1e-2]),
		);
		const vm = buildLayersViewModel(samples, [], 3);
		assert.deepEqual(vm.layers, names);
		// 5 samples into at most 3 columns: buckets of 2 → 3 columns starting at steps 0, 4, 8.
		assert.equal(vm.cols, 3);
		assert.deepEqual(vm.colSteps, [0, 4, 8]);
		assert.ok(Math.abs(vm.cells[0] - Math.log10(3e-3)) < 1e-12);
		assert.ok(Math.abs(vm.cells[1] - Math.log10(7e-3)) < 1e-12);
		// b at step 4 is null, step 6 is 1e-2 → the bucket still has a value.
		assert.ok(Math.abs(vm.cells[3 + 1] - -2) < 1e-12);
		assert.match(vm.latest[0], /\|Δw\|\/\|w\| 9e-3 · \|g\| 0.5 · 25% dead/);
	});

	it('reads with 60 layers: every layer is a row, rows stay ≥ 4 px, markers land on their cells', () => {
		const names = Array.from({ length: 60 }, (_v, i) => `dense_${i + 1}`);
		const samples = Array.from({ length: 40 }, (_v, k) =>
			sample(
				k * 5,
				names,
				names.map(() => 1e-3),
			),
		);
		const vm = buildLayersViewModel(
			samples,
			[finding('deadUnits', 'dense_42', 52), finding('nonFinite', 'loss', 3)],
			1000,
		);
		assert.equal(vm.rows, 60);
		assert.equal(vm.cols, 40);
		assert.deepEqual(
			vm.markers.map((m) => [m.row, m.col, m.label]),
			[[41, 10, 'dead ReLUs (dense_42, step 52)']],
		);
		assert.equal(rowHeight(60, 360), 6);
		assert.equal(rowHeight(200, 360), 4);
		assert.equal(rowHeight(3, 360), 18);
		assert.match(vm.summary, /^60 layers sampled 40 times up to step 195 \(every 2 steps\)\./);
		assert.match(vm.summary, /Findings: dead ReLUs in dense_42 at step 52\./);
	});

	it("one layer's lines: steps with its update ratio and gradient norm, null where it has none", () => {
		const s = [sample(0, ['a'], [1e-3]), sample(2, ['a', 'b'], [2e-3, 0]), sample(4, ['b'], [1])];
		assert.deepEqual(layerLines(s, 'b'), {
			steps: [0, 2, 4],
			ratio: [null, null, 1],
			grad: [null, 0.5, 0.5],
		});
	});

	it('colours: parses theme colours and interpolates between the stops, clamped', () => {
		assert.deepEqual(parseColor('#3794ff'), [55, 148, 255]);
		assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
		assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), [1, 2, 3]);
		assert.equal(parseColor('var(--x)'), undefined);
		const c = {
			blue: [0, 0, 255],
			green: [0, 255, 0],
			yellow: [255, 255, 0],
			red: [255, 0, 0],
		} as const;
		const colors = c as unknown as Parameters<typeof colorAt>[1];
		assert.equal(colorAt(-9, colors), 'rgb(0, 0, 255)');
		assert.equal(colorAt(-3, colors), 'rgb(0, 255, 0)');
		assert.equal(colorAt(-4.5, colors), 'rgb(0, 128, 128)');
		assert.equal(colorAt(2, colors), 'rgb(255, 0, 0)');
	});

	it('a live run keeps at most the cap of samples: the older half thinned, the newest whole', () => {
		const list: LayerSample[] = [];
		for (let i = 0; i < 30; i++) {
			appendLayerSamples(list, [sample(i, ['a'], [1e-3])], 20);
		}
		assert.ok(list.length <= 20, `${list.length}`);
		assert.equal(list.at(-1)!.step, 29);
		assert.equal(list[0].step, 0);
		const steps = list.map((s) => s.step);
		assert.deepEqual(
			[...steps].sort((x, y) => x - y),
			steps,
		);
		// The newest samples are all there.
		assert.deepEqual(steps.slice(-8), [22, 23, 24, 25, 26, 27, 28, 29]);
	});
});
