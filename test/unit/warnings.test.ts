/**
 * Pure logic behind the live-run features: when a finding becomes a notification (one per run per
 * kind, severity filter, rate limit), the `lrScope.detectors.*` settings → core DetectorConfig, the
 * script argument/environment lines, and which run a watched log file belongs to.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DetectorSet } from '../../src/core/detectors';
import type { LogRecord } from '../../src/core/types';
import { NotifyPolicy, notifyOrder } from '../../src/extension/warnings/notifyPolicy';
import {
	normalizeDetectorSettings,
	toDetectorConfig,
	defaultDetectorSettings,
} from '../../src/extension/warnings/detectorSettings';
import {
	asScriptSettings,
	formatArgs,
	formatEnv,
	parseEnv,
	splitArgs,
} from '../../src/extension/monitor/scriptArgs';
import { watchRunId, watchTargetFor } from '../../src/extension/watch/watchTarget';

const err = { kind: 'divergence', severity: 'error' } as const;
const warn = { kind: 'plateau', severity: 'warning' } as const;

test('one notification per run per problem kind; other runs and kinds still notify', () => {
	const p = new NotifyPolicy({ level: 'all', maxPerWindow: 100, windowMs: 60_000 });
	assert.equal(p.decide('a', err, 0), 'notify');
	assert.equal(p.decide('a', err, 1), 'duplicate');
	assert.equal(p.decide('a', err, 10 * 60_000), 'duplicate', 'still one per run, even much later');
	assert.equal(p.decide('a', warn, 70_000), 'notify', 'another kind, a minute later');
	assert.equal(p.decide('b', err, 70_001), 'notify');
	p.forgetRun('a');
	assert.equal(p.decide('a', err, 70_002), 'notify', 'a forgotten run may notify again');
	assert.equal(p.decide('b', err, 70_003), 'duplicate', 'forgetting a does not forget b');
});

test('one run, one burst: further findings notify only when more severe', () => {
	const p = new NotifyPolicy({ level: 'all', maxPerWindow: 100, windowMs: 60_000 });
	const layer = { kind: 'updateRatioHigh', severity: 'warning' } as const;
	const grads = { kind: 'explodingGradients', severity: 'error' } as const;
	// A diverging run: the layer's warning, then its first error; the rest stay in the panel.
	assert.equal(p.decide('a', layer, 0), 'notify');
	assert.equal(p.decide('a', warn, 100), 'grouped', 'as severe as what it already raised');
	assert.equal(p.decide('a', grads, 200), 'notify', 'more severe: it escalates');
	assert.equal(p.decide('a', err, 200), 'grouped');
	assert.equal(p.decide('b', err, 300), 'notify', 'another run is not grouped with it');
	// A later problem of the same run, once the burst is over, notifies again.
	assert.equal(p.decide('a', { kind: 'spike', severity: 'warning' }, 60_200), 'notify');
	// A grouped problem is not replayed later.
	assert.equal(p.decide('a', warn, 10 * 60_000), 'duplicate');
	// A fresh window (tests) forgets the bursts too.
	p.resetWindow();
	assert.equal(p.decide('a', { kind: 'nonFinite', severity: 'error' }, 10 * 60_000 + 1), 'notify');
});

test('no storms: at most maxPerWindow notifications in any window, across runs', () => {
	const p = new NotifyPolicy({ level: 'all', maxPerWindow: 3, windowMs: 60_000 });
	const got = Array.from({ length: 10 }, (_x, i) => p.decide(`run${i}`, err, i * 1000));
	assert.deepEqual(got.slice(0, 3), ['notify', 'notify', 'notify']);
	assert.deepEqual(new Set(got.slice(3)), new Set(['rateLimited']));
	// The window slides: 60 s after the first toast there is room for one more.
	assert.equal(p.decide('late', err, 60_000), 'notify');
	assert.equal(p.decide('late2', err, 60_500), 'rateLimited');
	// A rate-limited problem is not replayed later.
	assert.equal(p.decide('run5', err, 10 * 60_000), 'duplicate');
});

test("a batch notifies its most severe finding first, the loss's before a layer's", () => {
	const batch = [
		{ kind: 'updateRatioHigh', severity: 'warning', layer: 'dense_Dense1' },
		{ kind: 'explodingGradients', severity: 'error', layer: 'dense_Dense1' },
		{ kind: 'plateau', severity: 'warning' },
		{ kind: 'divergence', severity: 'error' },
	] as const;
	assert.deepEqual(
		notifyOrder(batch).map((f) => f.kind),
		['divergence', 'explodingGradients', 'plateau', 'updateRatioHigh'],
	);
	// Through the policy: the batch raises one toast, the loss's divergence.
	const p = new NotifyPolicy({ level: 'all', maxPerWindow: 100, windowMs: 60_000 });
	assert.deepEqual(
		notifyOrder(batch).map((f) => p.decide('a', f, 0)),
		['notify', 'grouped', 'grouped', 'grouped'],
	);
});

test('the notify level filters by severity and does not replay filtered problems', () => {
	const p = new NotifyPolicy({ level: 'errors', maxPerWindow: 10, windowMs: 60_000 });
	assert.equal(p.decide('a', warn, 0), 'filtered');
	assert.equal(p.decide('a', err, 0), 'notify');
	p.configure({ level: 'all' });
	assert.equal(p.decide('a', warn, 1), 'duplicate');
	assert.equal(p.decide('b', warn, 1), 'notify');
	p.configure({ level: 'off' });
	assert.equal(p.decide('c', err, 2), 'filtered');
});

test('detector settings: defaults are the core defaults; bad values are clamped or dropped', () => {
	assert.deepEqual(normalizeDetectorSettings({}), { ...defaultDetectorSettings, disabled: [] });
	const s = normalizeDetectorSettings({
		divergenceFactor: 0.5,
		spikeMultiplier: 'x',
		plateauPatienceSteps: 50.6,
		plateauPatienceEpochs: 1e9,
		overfittingPatience: Number.NaN,
		disabled: ['spike', 'bogus', 'spike', 3],
	});
	assert.equal(s.divergenceFactor, 1.1);
	assert.equal(s.spikeMultiplier, 2);
	assert.equal(s.plateauPatienceSteps, 51);
	assert.equal(s.plateauPatienceEpochs, 10_000);
	assert.equal(s.overfittingPatience, 3);
	assert.deepEqual(s.disabled, ['spike']);
});

test('detector settings change what the core detectors raise', () => {
	// Healthy for 30 steps, then the loss triples and stays: 3× the best.
	const records: LogRecord[] = Array.from({ length: 80 }, (_x, i) => ({
		step: i,
		unit: 'step',
		values: { loss: i < 30 ? 1 - i * 0.001 : 3 },
	}));
	const strict = new DetectorSet(
		toDetectorConfig({ ...defaultDetectorSettings, divergenceFactor: 2 }),
	);
	const lax = new DetectorSet(toDetectorConfig({ ...defaultDetectorSettings }));
	const off = new DetectorSet(
		toDetectorConfig({ ...defaultDetectorSettings, divergenceFactor: 2, disabled: ['divergence'] }),
	);
	const kinds = (d: DetectorSet): string[] => d.feedAll(records).map((f) => f.kind);
	assert.ok(kinds(strict).includes('divergence'), 'k = 2 fires on a 3× loss');
	assert.ok(!kinds(lax).includes('divergence'), 'the default k = 4 does not');
	assert.ok(!kinds(off).includes('divergence'), 'disabled kinds never fire');
	// The config is plain JSON: it travels to the runner as MonitorOptions.detectors.
	const cfg = toDetectorConfig(defaultDetectorSettings, 3e-3);
	assert.deepEqual(JSON.parse(JSON.stringify(cfg)), cfg);
	assert.equal(cfg.suggestedLr, 3e-3);
	assert.equal('suggestedLr' in toDetectorConfig(defaultDetectorSettings, -1), false);
});

test('script arguments split like a shell and round-trip through formatArgs', () => {
	assert.deepEqual(splitArgs('  --epochs 5   --name "my run" --glob \'*.csv\' a\\ b '), [
		'--epochs',
		'5',
		'--name',
		'my run',
		'--glob',
		'*.csv',
		'a b',
	]);
	assert.deepEqual(splitArgs('--empty "" x'), ['--empty', '', 'x']);
	assert.deepEqual(splitArgs('--q "say \\"hi\\""'), ['--q', 'say "hi"']);
	assert.deepEqual(splitArgs(''), []);
	assert.throws(() => splitArgs('--name "unclosed'), /unclosed double quote/);
	assert.throws(() => splitArgs("--name 'unclosed"), /unclosed single quote/);
	for (const args of [['--a', 'b c', "it's", '', '$HOME', 'x=y'], ['plain']]) {
		assert.deepEqual(splitArgs(formatArgs(args)), args);
	}
	assert.equal(formatArgs(['--epochs', '5', './data.csv']), '--epochs 5 ./data.csv');
});

test('script environment: KEY=VALUE words, clear errors otherwise, round-trips', () => {
	assert.deepEqual(parseEnv('EPOCHS=5 DATA_DIR="./my data" EMPTY='), {
		EPOCHS: '5',
		DATA_DIR: './my data',
		EMPTY: '',
	});
	assert.deepEqual(parseEnv('A=x=y'), { A: 'x=y' });
	assert.throws(() => parseEnv('EPOCHS'), /expected KEY=VALUE .*"EPOCHS"/);
	assert.throws(() => parseEnv('=5'), /expected KEY=VALUE/);
	assert.throws(() => parseEnv('1BAD=5'), /"1BAD=5"/);
	const env = { A: 'a b', B: "it's" };
	assert.deepEqual(parseEnv(formatEnv(env)), env);
	// Remembered values from an older version (or hand-edited state) are sanitized.
	assert.deepEqual(asScriptSettings({ args: ['x', 3], env: { A: 'b', N: 1 } }), {
		args: ['x'],
		env: { A: 'b' },
	});
	assert.deepEqual(asScriptSettings(null), { args: [], env: {} });
});

test('a watched file is its own run; TensorBoard event files belong to their logdir', () => {
	const j = path.join('/ws', 'logs', 'run1', 'metrics.jsonl');
	assert.deepEqual(watchTargetFor(j), { kind: 'file', path: j });
	const tb = path.join('/ws', 'tb', 'run1');
	assert.deepEqual(watchTargetFor(path.join(tb, 'train', 'events.out.tfevents.1.host')), {
		kind: 'logdir',
		path: tb,
	});
	assert.deepEqual(watchTargetFor(path.join(tb, 'val', 'events.out.tfevents.1.host')), {
		kind: 'logdir',
		path: tb,
	});
	assert.deepEqual(watchTargetFor(path.join(tb, 'events.out.tfevents.1.host')), {
		kind: 'logdir',
		path: tb,
	});
	assert.equal(
		watchRunId(watchTargetFor(path.join(tb, 'train', 'events.out.tfevents.1.host'))),
		watchRunId(watchTargetFor(path.join(tb, 'val', 'events.out.tfevents.2.host'))),
	);
});
