import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debiasedEma } from '../../src/core/smoothing';
import { suggest } from '../../src/core/suggest';
import type { LogRecord } from '../../src/core/types';
import {
	alignSeries,
	buildLiveViewModel,
	buildLossViewModel,
	buildSchedulePreview,
	buildSweepViewModel,
	decimationIndices,
	defaultScheduleSpec,
	formatLr,
	logTicks,
	rangeTestCsv,
	rangeTestSummary,
	robustYRange,
} from '../../webview/viewModel';
import { sampleLiveRecords, sampleRangeTest, sampleSweep } from '../webview/sampleResults';

test('loss view-model at the stored β reuses the engine report and marks the four suggestions + consensus', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r);
	assert.equal(vm.report, r.report);
	assert.deepEqual(
		vm.markers.map((m) => m.name),
		['valley', 'slide', 'minimum', 'steep', 'consensus'].filter(
			(n) => n === 'consensus' || r.report.suggestions[n as 'valley'] !== null,
		),
	);
	const valley = vm.markers.find((m) => m.name === 'valley');
	assert.ok(valley);
	const vIdx = r.report.suggestions.valley?.index as number;
	assert.equal(valley.lr, r.lrs[vIdx]);
	assert.equal(valley.loss, r.smoothed[vIdx]);
	assert.equal(vm.stopReason, 'diverged');
	assert.equal(vm.stopLr, r.lrs[r.lrs.length - 1]);
	assert.deepEqual(vm.xRange, [r.lrs[0], r.lrs[r.lrs.length - 1]]);
});

test('changing β recomputes smoothing and suggestions with the core', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r, 0.8);
	const expected = debiasedEma(r.losses, 0.8);
	assert.deepEqual(vm.smoothed, expected);
	assert.deepEqual(vm.report, suggest(r.lrs, expected, r.steps));
	// Less smoothing follows the noise more closely: the smoothed curve differs from the β=0.98 one.
	assert.notDeepEqual(vm.smoothed, r.smoothed);
	assert.equal(vm.beta, 0.8);
});

test('the band comes from repeat spread when present, else from the suggestions', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r);
	const suggested = vm.markers.filter((m) => m.name !== 'consensus').map((m) => m.lr);
	assert.deepEqual(vm.band, [Math.min(...suggested), Math.max(...suggested)]);
	assert.equal(vm.bandSource, 'suggestions');
	const withSpread = {
		...r,
		spread: {
			runs: 3,
			per: {
				valley: null,
				slide: null,
				minimum: null,
				steep: null,
				consensus: { min: 1e-3, max: 4e-3, geoMean: 2e-3, spreadDecades: 0.602 },
			},
		},
	};
	const vm2 = buildLossViewModel(withSpread);
	assert.deepEqual(vm2.band, [1e-3, 4e-3]);
	assert.equal(vm2.bandSource, 'repeats');
});

test('robust y range ignores the diverging tail but keeps the whole descent', () => {
	const raw = [2.3, 2.2, 2.0, 1.2, 0.5, 0.4, 0.6, 3, 40, 900];
	const smoothed = [2.3, 2.25, 2.15, 1.8, 1.3, 0.9, 0.8, 1.2, 5, 90];
	const [lo, hi] = robustYRange(raw, smoothed);
	// lo: min finite value 0.4; hi: descent max 2.3 vs q90 of raw (40) → 40; pad 5% of (40-0.4).
	assert.ok(Math.abs(lo - (0.4 - 0.05 * 39.6)) < 1e-9);
	assert.ok(Math.abs(hi - (40 + 0.05 * 39.6)) < 1e-9);
	assert.ok(hi < 900);
	assert.deepEqual(robustYRange([null, null], [null, null]), [0, 1]);
});

test('decimation keeps ends, extremes and gaps and respects the budget', () => {
	const n = 10_000;
	const ys: (number | null)[] = Array.from({ length: n }, (_v, i) => Math.sin(i / 50));
	ys[5000] = 42; // a spike averaging would hide
	ys[7000] = null; // a non-finite gap
	const keep = decimationIndices(n, 1000, [ys]);
	assert.ok(keep.length <= 1100, `kept ${keep.length}`);
	assert.equal(keep[0], 0);
	assert.equal(keep[keep.length - 1], n - 1);
	assert.ok(keep.includes(5000));
	assert.ok(keep.includes(7000));
	assert.deepEqual(keep, [...keep].sort((a, b) => a - b));
	assert.deepEqual(decimationIndices(5, 1000, [ys]), [0, 1, 2, 3, 4]);
});

test('log ticks: decades over wide ranges, 1-2-5 over narrow ones', () => {
	assert.deepEqual(logTicks(1e-4, 1), [1e-4, 1e-3, 1e-2, 1e-1, 1]);
	assert.deepEqual(logTicks(2e-3, 3e-2), [2e-3, 5e-3, 1e-2, 2e-2]);
	// A 1e-7…10 ramp has 9 decades: all shown; beyond 12 every other one.
	assert.equal(logTicks(1e-7, 10).length, 9);
	assert.deepEqual(logTicks(1e-14, 1), [1e-14, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1]);
	assert.deepEqual(logTicks(0, 1), []);
	assert.deepEqual(logTicks(5, 1), []);
});

test('LRs are formatted as users write them', () => {
	assert.equal(formatLr(0.003), '3e-3');
	assert.equal(formatLr(0.00025), '2.5e-4');
	assert.equal(formatLr(0.01), '0.01');
	assert.equal(formatLr(0.3), '0.3');
	assert.equal(formatLr(3.16e-7), '3.2e-7');
	assert.equal(formatLr(0), '0');
});

test('summary text names stop reason, all suggestions, consensus and backend', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r);
	const text = rangeTestSummary('dense-classifier/model.json', r, vm);
	assert.match(text, /^Range test on dense-classifier\/model\.json: \d+ of 100 steps, LR 1e-7 to 10 \(exp\), stopped: the smoothed loss diverged at LR /);
	for (const n of ['valley', 'slide', 'minimum', 'steep']) {
		assert.match(text, new RegExp(`${n} (\\d|none)`));
	}
	assert.match(text, new RegExp(`Consensus ${formatLr(r.report.consensus?.lr as number).replace('.', '\\.')}`));
	assert.match(text, /Backend wasm \(bundled @tensorflow\/tfjs 4\.22\.0\)\.$/);
});

test('range-test CSV has one row per step with empty cells for non-finite losses', () => {
	const r = sampleRangeTest({ steps: 40 });
	r.losses[3] = null;
	const csv = rangeTestCsv(r);
	const lines = csv.trimEnd().split('\n');
	assert.equal(lines[0], 'step,lr,loss,smoothed_beta_0.98');
	assert.equal(lines.length, r.lrs.length + 1);
	assert.equal(lines[4].split(',')[2], '');
	assert.equal(lines[1], `0,${r.lrs[0]},${r.losses[0]},${r.smoothed[0]}`);
});

test('sweep view-model sorts by LR, pads epochs and flags the best LR', () => {
	const s = sampleSweep();
	const vm = buildSweepViewModel(s);
	assert.deepEqual(vm.epochs, [1, 2, 3, 4, 5, 6, 7, 8]);
	assert.deepEqual(vm.curves.map((c) => c.lr), [1e-4, 1e-3, 3e-3, 1e-2, 1e-1]);
	assert.deepEqual(vm.curves.map((c) => c.best), [false, false, true, false, false]);
	assert.equal(vm.rows[2].lr, '3e-3');
	assert.ok(vm.curves.every((c) => c.val?.length === 8));
});

test('live view-model puts epoch records at the step their epoch ended and maps epoch findings too', () => {
	const records = sampleLiveRecords();
	const vm = buildLiveViewModel(records, [
		{ kind: 'overfitting', series: 'val_loss', step: 3, unit: 'epoch', severity: 'warning', message: 'val loss rising', action: 'stop earlier' },
		{ kind: 'divergence', series: 'loss', step: 185, unit: 'step', severity: 'error', message: 'loss diverging', action: 'lower the LR' },
	]);
	assert.equal(vm.x.length, 200);
	assert.deepEqual(vm.series.map((s) => s.name), ['loss', 'val_loss']);
	const val = vm.series[1].values;
	// Epoch 0 ended at step 49, epoch 3 at step 199.
	assert.equal(val[49], records[50].values.val_loss);
	assert.equal(val[199], records[203].values.val_loss);
	assert.equal(val[48], null);
	assert.equal(vm.lr?.[0], 3e-3);
	assert.deepEqual(vm.findings.map((f) => f.step), [199, 185]);
});

test('live view-model without step records plots epochs directly', () => {
	const records: LogRecord[] = [0, 1, 2].map((e) => ({ step: e, unit: 'epoch', values: { loss: 1 / (e + 1), val_loss: 1.1 / (e + 1) } }));
	const vm = buildLiveViewModel(records, []);
	assert.deepEqual(vm.x, [0, 1, 2]);
	assert.deepEqual(vm.series[0].values, [1, 0.5, 1 / 3]);
	assert.equal(vm.lr, null);
});

test('default schedules are valid for every kind and start at the chosen LR', () => {
	const cosine = defaultScheduleSpec('cosine', 3e-3, 1000);
	assert.equal(cosine.kind, 'cosine');
	const preview = buildSchedulePreview(cosine, 1000);
	assert.equal(preview.lr[0], 3e-3);
	assert.ok((preview.lr[999] as number) < 1e-5);
	const step = defaultScheduleSpec('step', 1e-2, 900);
	assert.deepEqual(step, { kind: 'step', initialLearningRate: 1e-2, stepSize: 300, gamma: 0.1 });
	const one = buildSchedulePreview(defaultScheduleSpec('oneCycle', 1e-2, 100), 100);
	// OneCycle starts at maxLr/25 and peaks at maxLr.
	assert.ok(Math.abs((one.lr[0] as number) - 4e-4) < 1e-12);
	assert.ok(Math.abs(Math.max(...(one.lr as number[])) - 1e-2) < 1e-12);
	for (const kind of ['constant', 'exponential', 'piecewise', 'polynomial', 'cosineRestarts', 'reduceOnPlateau'] as const) {
		assert.equal(defaultScheduleSpec(kind, 1e-3, 500).kind, kind);
	}
});

test('alignSeries merges different x grids with nulls where a curve has no point', () => {
	const out = alignSeries([
		{ x: [1, 3], ys: [[10, 30]] },
		{ x: [2, 3], ys: [[20, 33]] },
	]);
	assert.deepEqual(out.x, [1, 2, 3]);
	assert.deepEqual(out.ys, [
		[10, null, 30],
		[null, 20, 33],
	]);
});
