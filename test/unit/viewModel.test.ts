import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorSet } from '../../src/core/detectors';
import { debiasedEma } from '../../src/core/smoothing';
import type { LogRecord } from '../../src/core/types';
import { buildLiveViewModel } from '../../webview/viewModels/liveViewModel';
import { epochEndSteps, unhealthyIndex } from '../../webview/viewModels/liveTiming';
import { buildLossViewModel, rangeTestSummary } from '../../webview/viewModels/lossViewModel';
import {
	buildSchedulePreview,
	defaultScheduleSpec,
} from '../../webview/viewModels/scheduleViewModel';
import { alignSeries, robustYRange } from '../../webview/viewModels/series';
import { buildSweepViewModel } from '../../webview/viewModels/sweepViewModel';
import { headlineOf, suggest } from '../../src/core/headline';
import { rangeTestCsv } from '../../src/core/present/csv';
import { headlineText, verdictText } from '../../src/core/present/headline';
import { lossAtLr } from '../../src/core/present/markers';
import { decimationIndices } from '../../src/core/present/decimate';
import { formatLr, formatTick } from '../../src/core/present/format';
import { logTicks } from '../../src/core/present/ticks';
import {
	sampleDivergingRecords,
	sampleLiveRecords,
	sampleRangeTest,
	sampleSweep,
} from '../webview/sampleResults';

test('loss view-model at the stored β reuses the engine report; markers: rules, consensus, then the headline', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r);
	assert.equal(vm.report, r.report);
	const h = headlineOf(r);
	assert.deepEqual(vm.headline, h);
	assert.equal(vm.headlineText, headlineText(h));
	assert.equal(vm.verdict, verdictText(h));
	// The headline stands for the rule it comes from: that rule is not drawn twice.
	assert.deepEqual(
		vm.markers.map((m) => m.name),
		[
			...(['valley', 'slide', 'minimum', 'steep'] as const).filter(
				(n) => r.report.suggestions[n] !== null && n !== h.rule,
			),
			...(h.rule === 'consensus' ? [] : ['consensus']),
			'headline',
		],
	);
	const head = vm.markers.at(-1)!;
	assert.equal(head.lr, h.lr);
	assert.equal(head.label, `suggested ${headlineText(h)}`);
	assert.equal(vm.stopReason, 'diverged');
	assert.equal(vm.stopLr, r.lrs[r.lrs.length - 1]);
	assert.deepEqual(vm.xRange, [r.lrs[0], r.lrs[r.lrs.length - 1]]);
});

test('every marker sits on the smoothed curve at its own LR (minimum is lrs[index]/10)', () => {
	const r = sampleRangeTest();
	const vm = buildLossViewModel(r);
	// When the headline is the minimum rule alone, the headline marker stands for it (the rule is not
	// drawn twice); either way one marker sits at the minimum rule's LR.
	const h = headlineOf(r);
	const minimum = vm.markers.find(
		(m) => m.name === (h.rule === 'minimum' ? 'headline' : 'minimum'),
	);
	assert.ok(minimum, 'the sample has a minimum suggestion');
	assert.equal(vm.markers.filter((m) => m.lr === r.report.suggestions.minimum!.lr).length, 1);
	const mIdx = r.report.suggestions.minimum!.index as number;
	assert.ok(Math.abs(minimum.lr - r.lrs[mIdx] / 10) < 1e-15 * minimum.lr);
	// Not the loss at lrs[index] (the old bug): the loss where the curve is at lrs[index]/10.
	assert.notEqual(minimum.loss, r.smoothed[mIdx]);
	for (const m of vm.markers) {
		// Straight segments on a log x axis: the curve at lr is the log-space interpolation.
		const i = r.lrs.findIndex((v, k) => v <= m.lr && m.lr <= r.lrs[k + 1]);
		assert.ok(i >= 0, `${m.name} inside the curve`);
		const t = Math.log(m.lr / r.lrs[i]) / Math.log(r.lrs[i + 1] / r.lrs[i]);
		const y =
			(r.smoothed[i] as number) + t * ((r.smoothed[i + 1] as number) - (r.smoothed[i] as number));
		assert.ok(Math.abs((m.loss as number) - y) < 1e-12, `${m.name}: ${m.loss} vs ${y}`);
	}
	assert.equal(lossAtLr(r.lrs, r.smoothed, r.lrs[5]), r.smoothed[5]);
	assert.equal(lossAtLr(r.lrs, r.smoothed, r.lrs[0] / 2), null);
	assert.equal(lossAtLr([1e-3, 1e-2], [1, null], 3e-3), 1);
});

test('a curve with no clear valley shows the verdict in the view-model and the summary', () => {
	const flat = sampleRangeTest({ shape: 'flat' });
	const vm = buildLossViewModel(flat);
	assert.equal(vm.headline.verdict, 'noClearValley');
	assert.match(vm.headlineText, /\(no clear valley\)$/);
	assert.match(vm.verdict ?? '', /^no clear valley: /);
	const text = rangeTestSummary('flat', flat, vm);
	assert.ok(text.includes(`Suggested LR ${vm.headlineText}. No clear valley: `), text);
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
	const suggested = (['valley', 'slide', 'minimum', 'steep'] as const)
		.map((n) => r.report.suggestions[n]?.lr)
		.filter((v): v is number => v !== undefined);
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
	assert.deepEqual(
		keep,
		[...keep].sort((a, b) => a - b),
	);
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
	assert.match(
		text,
		/^Range test on dense-classifier\/model\.json: \d+ of 100 steps, LR 1e-7 to 10 \(exp\), stopped: the smoothed loss diverged at LR /,
	);
	for (const n of ['valley', 'slide', 'minimum', 'steep']) {
		assert.match(text, new RegExp(`${n} (\\d|none)`));
	}
	assert.match(
		text,
		new RegExp(`Consensus ${formatLr(r.report.consensus?.lr as number).replace('.', '\\.')}`),
	);
	assert.match(text, /Backend wasm \(bundled @tensorflow\/tfjs 4\.22\.0\)\.$/);
});

test('range-test CSV has one row per step with empty cells for non-finite losses', () => {
	const r = sampleRangeTest({ steps: 40 });
	r.losses[3] = null;
	const csv = rangeTestCsv(r);
	const lines = csv.trimEnd().split('\n');
	assert.equal(lines[0], 'step,lr,loss,smoothed,beta,headline,verdict');
	assert.equal(lines.length, r.lrs.length + 1);
	assert.equal(lines[4].split(',')[2], '');
	assert.equal(lines[1], `0,${r.lrs[0]},${r.losses[0]},${r.smoothed[0]},0.98,,`);
	// The headline text on the headline's row only, exactly as every surface writes it.
	const h = headlineOf(r);
	assert.equal(lines[(h.index as number) + 1].split(',')[5], headlineText(h));
	assert.equal(lines.filter((l) => l.includes(headlineText(h))).length, 1);
	// At another β the smoothing, the headline and the beta column follow the slider.
	const other = rangeTestCsv(r, 0.8).trimEnd().split('\n');
	const sm = debiasedEma(r.losses, 0.8);
	assert.equal(
		other[1].split(',').slice(0, 5).join(','),
		`0,${r.lrs[0]},${r.losses[0]},${sm[0]},0.8`,
	);
	const h8 = headlineOf({
		lrs: r.lrs,
		smoothed: sm,
		steps: r.steps,
		report: suggest(r.lrs, sm, r.steps),
	});
	assert.equal(other[(h8.index as number) + 1].split(',')[5], headlineText(h8));
});

test('sweep view-model sorts by LR, pads epochs and flags the best LR', () => {
	const s = sampleSweep();
	const vm = buildSweepViewModel(s);
	assert.deepEqual(vm.epochs, [1, 2, 3, 4, 5, 6, 7, 8]);
	assert.deepEqual(
		vm.curves.map((c) => c.lr),
		[1e-4, 1e-3, 3e-3, 1e-2, 1e-1],
	);
	assert.deepEqual(
		vm.curves.map((c) => c.best),
		[false, false, true, false, false],
	);
	assert.equal(vm.rows[2].lr, '3e-3');
	assert.ok(vm.curves.every((c) => c.val?.length === 8));
});

test('live view-model puts epoch records at the step their epoch ended and maps epoch findings too', () => {
	const records = sampleLiveRecords();
	const vm = buildLiveViewModel(records, [
		{
			kind: 'overfitting',
			series: 'val_loss',
			step: 3,
			unit: 'epoch',
			severity: 'warning',
			message: 'val loss rising',
			action: 'stop earlier',
		},
		{
			kind: 'divergence',
			series: 'loss',
			step: 185,
			unit: 'step',
			severity: 'error',
			message: 'loss diverging',
			action: 'lower the LR',
		},
	]);
	assert.equal(vm.xUnit, 'step');
	assert.equal(vm.x.length, 200);
	assert.deepEqual(
		vm.series.map((s) => s.name),
		['loss', 'val_loss'],
	);
	assert.deepEqual(
		vm.series.map((s) => s.perEpoch),
		[false, true],
	);
	const val = vm.series[1].values;
	// Epoch 0 ended at step 49, epoch 3 at step 199.
	assert.equal(val[49], records[50].values.val_loss);
	assert.equal(val[199], records[203].values.val_loss);
	assert.equal(val[48], null);
	assert.equal(vm.lr?.[0], 3e-3);
	assert.deepEqual(
		vm.findings.map((f) => f.x),
		[199, 185],
	);
	assert.deepEqual(
		vm.markers.map((m) => [m.x, m.label]),
		[
			[185, 'divergence (loss, step 185)'],
			[199, 'overfitting (val_loss, epoch 3)'],
		],
	);
});

test('live view-model without step records plots epochs directly', () => {
	const records: LogRecord[] = [0, 1, 2].map((e) => ({
		step: e,
		unit: 'epoch',
		values: { loss: 1 / (e + 1), val_loss: 1.1 / (e + 1) },
	}));
	const vm = buildLiveViewModel(records, [
		{
			kind: 'overfitting',
			series: 'val_loss',
			step: 2,
			unit: 'epoch',
			severity: 'warning',
			message: 'm',
			action: 'a',
		},
	]);
	assert.equal(vm.xUnit, 'epoch');
	assert.deepEqual(vm.x, [0, 1, 2]);
	assert.deepEqual(vm.series[0].values, [1, 0.5, 1 / 3]);
	assert.equal(vm.series[0].perEpoch, false);
	assert.equal(vm.lr, null);
	assert.deepEqual(
		vm.findings.map((f) => f.x),
		[2],
	);
});

test('a diverging run keeps the healthy curve readable: y range from the part before the blow-up, the rest marked off-scale', () => {
	const records = sampleDivergingRecords();
	const steps = records.filter((r) => r.unit === 'step');
	const healthy = steps.slice(0, 60).map((r) => r.values.loss as number);
	const vm = buildLiveViewModel(records, []);
	assert.equal(vm.y.log, false);
	assert.equal(vm.y.auto, true);
	// The loss runs 1.41 → 0.61 before step 60 and then to 7.6e37: the axis spans the first part only.
	const [lo, hi] = vm.y.range;
	assert.ok(lo <= Math.min(...healthy) && lo > 0.5, `lo ${lo}`);
	assert.ok(hi >= Math.max(...healthy) && hi < 1.6, `hi ${hi}`);
	assert.equal(vm.unhealthyFrom, 60);
	assert.equal(vm.offScale.length, 1);
	assert.equal(vm.offScale[0].from, 60);
	assert.equal(vm.offScale[0].to, 106);
	assert.ok(vm.offScale[0].max > 1e37 && vm.offScale[0].max < 1e38);
	// Steps 107…119 are NaN: one span, and the curve has gaps there (not zeros).
	assert.deepEqual(
		vm.nonFinite.map((s) => [s.from, s.to]),
		[[107, 119]],
	);
	assert.equal(vm.series[0].values[110], null);
	// The epoch means do not overwrite the batch loss at the step their epoch ended.
	assert.equal(vm.series[0].values[9], steps[9].values.loss);
	assert.deepEqual(
		vm.series.map((s) => s.name),
		['loss', 'loss (epoch)', 'val_loss'],
	);
	const epochMean = records.find((r) => r.unit === 'epoch' && r.step === 0)?.values.loss;
	assert.equal(vm.series[1].values[9], epochMean);
	// The LR jumps 0.01 → 3 (2.5 decades): a log LR axis.
	assert.equal(vm.lrLog, true);
	// Log on request: everything, the blow-up included.
	const logVm = buildLiveViewModel(records, [], 'log');
	assert.equal(logVm.y.log, true);
	assert.equal(logVm.y.auto, false);
	assert.ok(
		logVm.y.range[1] > vm.offScale[0].max && logVm.y.range[0] < 0.61 && logVm.y.range[0] > 0.4,
	);
	assert.deepEqual(logVm.offScale, []);
	assert.equal(buildLiveViewModel(records, [], 'linear').y.range[1], hi);
});

test('auto loss axis goes log when the healthy curve spans more than two decades, and stays linear with a non-positive loss', () => {
	const records: LogRecord[] = Array.from({ length: 100 }, (_v, i) => ({
		step: i,
		unit: 'step',
		values: { loss: 500 * Math.exp(-i / 10) + 0.01 },
	}));
	const vm = buildLiveViewModel(records, []);
	assert.equal(vm.y.log, true);
	const min = 500 * Math.exp(-9.9) + 0.01;
	assert.ok(vm.y.range[0] < min && vm.y.range[0] > min / 2, `lo ${vm.y.range[0]}`);
	assert.ok(vm.y.range[1] >= 500 && vm.y.range[1] < 700, `hi ${vm.y.range[1]}`);
	assert.equal(vm.unhealthyFrom, null);
	assert.deepEqual(vm.offScale, []);
	const negative = records.map((r, i) => ({
		...r,
		values: { loss: (r.values.loss as number) - (i === 99 ? 1 : 0) },
	}));
	assert.equal(buildLiveViewModel(negative, []).y.log, false);
	// A 1.4 → 0.6 curve spans less than a decade: linear.
	assert.equal(buildLiveViewModel(sampleLiveRecords(), []).y.log, false);
});

test('unhealthyIndex finds the start of the blow-up or the first NaN, and nothing in a healthy curve', () => {
	const healthy = Array.from({ length: 50 }, (_v, i) => 2 * Math.exp(-i / 10) + 0.3);
	assert.equal(unhealthyIndex(healthy), null);
	const blown = [...healthy, ...Array.from({ length: 10 }, (_v, i) => 0.3 * 8 ** (i + 1))];
	assert.equal(unhealthyIndex(blown), 50);
	assert.equal(unhealthyIndex([...healthy, null, 0.3]), 50);
	// An absent value (a gap) is not a NaN.
	assert.equal(
		unhealthyIndex([...healthy, null, 0.3], [...healthy.map(() => true), false, true]),
		null,
	);
});

test('epoch findings of a diverging run map to the step where the epoch ended and merge with the step finding of the same kind', () => {
	const records = sampleDivergingRecords();
	const findings = new DetectorSet().feedAll(records);
	// The real detectors raise divergence at step 60 and epoch 6, NaN at step 107 and epoch 10.
	assert.deepEqual(
		findings.map((f) => `${f.kind} ${f.series} ${f.unit} ${f.step}`),
		[
			'divergence loss step 60',
			'divergence loss epoch 6',
			'divergence val_loss epoch 6',
			'nonFinite loss step 107',
			'nonFinite loss epoch 10',
			'nonFinite val_loss epoch 10',
		],
	);
	const vm = buildLiveViewModel(records, findings);
	// Epoch 6 is steps 60–69, epoch 10 steps 100–109 (10 batches per epoch, 0-based epochs).
	assert.deepEqual(
		vm.findings.map((f) => f.x),
		[60, 69, 69, 107, 109, 109],
	);
	assert.deepEqual(
		vm.markers.map((m) => [m.x, m.label, m.count]),
		[
			[60, 'divergence (loss, step 60 · epoch 6; val_loss, epoch 6)', 3],
			[107, 'NaN/Inf (loss, step 107 · epoch 10; val_loss, epoch 10)', 3],
		],
	);
	// Two plateaus far apart stay two markers.
	const far = buildLiveViewModel(records, [
		{
			kind: 'plateau',
			series: 'loss',
			step: 5,
			unit: 'step',
			severity: 'info',
			message: 'm',
			action: 'a',
		},
		{
			kind: 'plateau',
			series: 'loss',
			step: 40,
			unit: 'step',
			severity: 'info',
			message: 'm',
			action: 'a',
		},
	]);
	assert.deepEqual(
		far.markers.map((m) => m.x),
		[5, 40],
	);
});

test('epochEndSteps interpolates epochs whose record was thinned away and says null without epoch records', () => {
	const records = sampleDivergingRecords().filter(
		(r) => !(r.unit === 'epoch' && (r.step === 4 || r.step === 11)),
	);
	const ends = epochEndSteps(records);
	assert.equal(ends.at(3), 39);
	assert.equal(ends.at(4), 49);
	assert.equal(ends.at(11), 119);
	assert.equal(ends.at(40), 119);
	const one = epochEndSteps(
		sampleDivergingRecords().filter((r) => r.unit === 'step' || r.step === 2),
	);
	assert.equal(one.at(2), 29);
	assert.equal(one.at(0), 9);
	assert.equal(
		epochEndSteps(sampleDivergingRecords().filter((r) => r.unit === 'step')).at(3),
		null,
	);
	// An epoch finding that cannot be placed stays in the list but gets no marker.
	const vm = buildLiveViewModel(
		sampleDivergingRecords().filter((r) => r.unit === 'step'),
		[
			{
				kind: 'overfitting',
				series: 'val_loss',
				step: 3,
				unit: 'epoch',
				severity: 'warning',
				message: 'm',
				action: 'a',
			},
		],
	);
	assert.equal(vm.findings[0].x, null);
	assert.deepEqual(vm.markers, []);
});

test('formatTick keeps tick labels short at any magnitude', () => {
	assert.equal(formatTick(1e9), '1e+9');
	assert.equal(formatTick(2.5e9, 5e8), '2.5e+9');
	assert.equal(formatTick(2500, 500), '2.5k');
	assert.equal(formatTick(1250, 250), '1.25k');
	assert.equal(formatTick(100000, 20000), '100k');
	assert.equal(formatTick(0.35, 0.05), '0.35');
	assert.equal(formatTick(0.69305, 0.00005), '0.69305');
	assert.equal(formatTick(0.30000000000000004, 0.1), '0.3');
	assert.equal(formatTick(1e-4), '1e-4');
	assert.equal(formatTick(4.487e37), '4.49e+37');
	assert.equal(formatTick(0), '0');
	assert.equal(formatTick(1e-17, 0.1), '0');
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
	for (const kind of [
		'constant',
		'exponential',
		'piecewise',
		'polynomial',
		'cosineRestarts',
		'reduceOnPlateau',
	] as const) {
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

test('a headline from the mean curve of repeats says so; one run says nothing', () => {
	const r = sampleRangeTest();
	assert.equal(buildLossViewModel(r).headlineBasis, undefined);
	const repeated = { ...r, report: { ...r.report, headline: { ...headlineOf(r), repeats: 3 } } };
	assert.equal(
		buildLossViewModel(repeated).headlineBasis,
		'from the mean curve of 3 runs; the chart shows the first run',
	);
});
