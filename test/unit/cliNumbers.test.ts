import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headlineOf, suggest } from '../../src/core/headline';
import { headlineText } from '../../src/core/present/headline';
import { parseScheduleSpec } from '../../src/core/schedules/parseSpec';
import { scheduleLrs } from '../../src/core/schedules/scheduleLr';
import { referenceCurves as curves } from './reference';
import { cliBundle, type CliRun } from './cliBundle';

const root = join(__dirname, '..', '..');
const bundle = cliBundle('lrscope-cli-');
const dir = bundle.dir;
const fixtures = join(root, 'test', 'fixtures', 'reference');
const schedules = (
	JSON.parse(readFileSync(join(fixtures, 'schedules.json'), 'utf8')) as {
		schedules: { name: string; spec: unknown; steps: number; lrs: number[] }[];
	}
).schedules;

function run(...args: string[]): CliRun {
	return bundle.run(args);
}

function file(name: string, text: string): string {
	const p = join(dir, name);
	writeFileSync(p, text);
	return p;
}

test('suggest --json gives the fastai reference values (JSON and CSV input agree)', () => {
	const c = curves.find((k) => k.name === 'nanAt70')!;
	const j = run(
		'suggest',
		file('curve.json', JSON.stringify({ lrs: c.lrs, losses: c.losses, numIt: c.numIt })),
		'--json',
	);
	assert.equal(j.code, 0, j.stderr);
	const got = JSON.parse(j.stdout);
	for (const name of ['valley', 'slide', 'minimum', 'steep'] as const) {
		assert.equal(got.suggestions[name].lr, c.expected[name]!.lr, name);
		assert.equal(got.suggestions[name].index, c.expected[name]!.index, name);
	}
	const inProcess = suggest(c.lrs, c.losses, c.numIt);
	assert.equal(got.consensus.lr, inProcess.consensus!.lr);
	assert.deepEqual(got.agreement, inProcess.agreement);
	assert.deepEqual(got.used, { start: 10, end: 70 });
	// CSV: an empty cell is the non-finite loss; numIt defaults to the row count (100 here too).
	const csv = 'lr,loss\n' + c.lrs.map((lr, i) => `${lr},${c.losses[i] ?? ''}`).join('\n') + '\n';
	const k = run('suggest', file('curve.csv', csv), '--json');
	assert.equal(k.code, 0, k.stderr);
	assert.deepEqual(JSON.parse(k.stdout), got);
});

test('suggest reads Python-style NaN tokens, a saved range-test result, and prints a table', () => {
	const c = curves.find((k) => k.name === 'typical2')!;
	const py = `{"lrs": [${c.lrs.join(', ')}], "losses": [${c.losses.map((x, i) => (i === 97 ? 'NaN' : x)).join(', ')}]}`;
	const r = run('suggest', file('py.json', py), '--json');
	assert.equal(r.code, 0, r.stderr);
	// Step 97 is past the n-5 trim, so the NaN changes nothing.
	assert.equal(JSON.parse(r.stdout).suggestions.valley.lr, c.expected.valley!.lr);
	const saved = run(
		'suggest',
		file(
			'result.json',
			JSON.stringify({ lrs: c.lrs, losses: c.lrs.map(() => 9), smoothed: c.losses, steps: 100 }),
		),
		'--json',
	);
	assert.equal(JSON.parse(saved.stdout).suggestions.steep.lr, c.expected.steep!.lr);
	const human = run('suggest', join(dir, 'py.json'));
	assert.equal(human.code, 0);
	// LRs in the one display format (core/present formatLr), the headline first.
	assert.match(human.stdout, /valley\s+4\.6e-5\s+step 33/);
	assert.match(human.stdout, /consensus\s+\S+\s+\d\/4 within 0\.5 decade/);
	const json = JSON.parse(r.stdout);
	assert.deepEqual(json.headline, {
		lr: json.headline.lr,
		rule: json.headline.rule,
		verdict: json.headline.verdict,
		text: json.headline.text,
	});
	assert.ok(human.stdout.includes(`suggested LR: ${json.headline.text}\n`), human.stdout);
	const inProcess = suggest(
		c.lrs,
		c.losses.map((x, i) => (i === 97 ? null : x)),
		c.numIt,
	);
	const h = headlineOf({ lrs: c.lrs, smoothed: c.losses, report: inProcess });
	assert.deepEqual(json.headline, {
		lr: h.lr,
		rule: h.rule,
		verdict: h.verdict,
		text: headlineText(h),
	});
	// Too short for every rule: nulls in JSON, "n/a" in the table, still exit 0.
	const short = run(
		'suggest',
		file('short.json', '{"lrs":[1e-4,1e-3,1e-2],"losses":[1,0.5,2]}'),
		'--json',
	);
	assert.equal(short.code, 0);
	assert.deepEqual(JSON.parse(short.stdout).suggestions, {
		valley: null,
		slide: null,
		minimum: null,
		steep: null,
	});
	assert.equal(JSON.parse(short.stdout).consensus, null);
	assert.deepEqual(JSON.parse(short.stdout).headline, {
		lr: null,
		rule: 'valley',
		verdict: 'noAnswer',
		text: 'no suggestion',
	});
	const shortHuman = run('suggest', join(dir, 'short.json'));
	assert.match(
		shortHuman.stdout,
		/suggested LR: no suggestion\n {2}no suggestion: too few finite points/,
	);
});

test('suggest: bad input exits 2 with one line on stderr', () => {
	const cases: [string[], RegExp][] = [
		[[], /expects one curve file/],
		[[join(dir, 'missing.json')], /cannot read .*ENOENT/],
		[[file('bad.json', '{"lrs":[1,2],')], /not valid JSON/],
		[[file('len.json', '{"lrs":[1,2],"losses":[1]}')], /"lrs" has 2 values but "losses" has 1/],
		[[file('neg.json', '{"lrs":[-1,2],"losses":[1,1]}')], /lrs\[0\] must be a finite number > 0/],
		[[file('str.json', '{"lrs":[1,2],"losses":[1,"x"]}')], /losses\[1\] is not a number/],
		[[file('hdr.csv', 'a,b\n1,2\n')], /needs columns "lr" and "loss"/],
		[[file('empty.csv', '')], /is empty/],
		[[join(dir, 'curve.json'), '--bogus'], /Unknown option '--bogus'/],
		[[join(dir, 'curve.json'), '--tolerance=-1'], /--tolerance expects/],
		[[join(dir, 'curve.json'), '--tolerance', '-1'], /--tolerance expects/],
	];
	for (const [args, re] of cases) {
		const r = run('suggest', ...args);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, re);
		assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
		assert.match(r.stderr, /^lrscope: /);
	}
});

test('schedule --json matches the Python reference for each kind', () => {
	for (const name of ['cosineWarmup', 'oneCycleThreePhase', 'cosineRestarts', 'piecewise']) {
		const c = schedules.find((s) => s.name === name)!;
		const r = run(
			'schedule',
			'--spec',
			JSON.stringify(c.spec),
			'--steps',
			String(c.steps),
			'--json',
		);
		assert.equal(r.code, 0, r.stderr);
		const got = JSON.parse(r.stdout) as { lrs: number[]; spec: { kind: string } };
		assert.equal(got.lrs.length, c.steps);
		got.lrs.forEach((x, i) =>
			assert.ok(
				Math.abs(x - c.lrs[i]) <= 1e-12 * Math.abs(c.lrs[i]),
				`${name}[${i}] ${x} vs ${c.lrs[i]}`,
			),
		);
		assert.equal(got.spec.kind, (c.spec as { kind: string }).kind);
	}
	const plateau = run(
		'schedule',
		'--spec',
		'{"kind":"reduceOnPlateau","initialLearningRate":1,"patience":1}',
		'--losses',
		'[1,1,1]',
		'--json',
	);
	// Keras rule: epoch 0 sets best; epochs 1 and 2 each hit wait ≥ patience and reduce.
	assert.deepEqual(JSON.parse(plateau.stdout).lrs, [1, 1, 0.1, 0.010000000000000002]);
	const specFile = file('spec.json', '{"kind":"step","initialLearningRate":0.5,"stepSize":2}');
	assert.deepEqual(
		JSON.parse(run('schedule', '--spec', `@${specFile}`, '--steps', '5', '--json').stdout).lrs,
		[0.5, 0.5, 0.05, 0.05, 0.005000000000000001],
	);
});

test('schedule --code prints a callback that reproduces the schedule', () => {
	const spec = {
		kind: 'cosine',
		initialLearningRate: 0,
		decaySteps: 20,
		warmupTarget: 0.01,
		warmupSteps: 5,
	};
	const r = run('schedule', '--spec', JSON.stringify(spec), '--code', '--optimizer', 'sgd');
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /setLearningRate/);
	class Callback {
		model: unknown;
	}
	const cb = new Function('tf', `${r.stdout}\nreturn new LrScopeSchedule();`)({ Callback }) as {
		model: unknown;
		onBatchBegin(b: number): Promise<void>;
	};
	const seen: number[] = [];
	cb.model = { optimizer: { setLearningRate: (lr: number) => seen.push(lr) } };
	void Promise.all(Array.from({ length: 30 }, (_, i) => cb.onBatchBegin(i % 10)));
	assert.deepEqual(seen, scheduleLrs(parseScheduleSpec(spec), 30));
	const both = JSON.parse(
		run('schedule', '--spec', JSON.stringify(spec), '--steps', '3', '--code', '--json').stdout,
	);
	assert.match(both.code, /this\.model\.optimizer\.learningRate = /); // adam by default
	assert.equal(both.lrs.length, 3);
});

test('schedule: bad input exits 2 with a one-line reason; --help has examples', () => {
	const cases: [string[], RegExp][] = [
		[[], /--spec is required/],
		[['--spec', '{kind:1}', '--steps', '3'], /--spec is not valid JSON/],
		[['--spec', '{"kind":"cosin"}', '--steps', '3'], /kind must be one of/],
		[
			['--spec', '{"kind":"cosine","initialLearningRate":0.1}', '--steps', '3'],
			/missing required field "decaySteps"/,
		],
		[['--spec', '{"kind":"constant","lr":1}'], /--steps N is required/],
		[['--spec', '{"kind":"constant","lr":1}', '--steps', '2.5'], /--steps expects an integer/],
		[['--spec', '{"kind":"constant","lr":1}', '--steps'], /argument missing/],
		[
			['--spec', '{"kind":"constant","lr":1}', '--code', '--optimizer', 'lion'],
			/--optimizer must be one of/,
		],
		[
			['--spec', '{"kind":"constant","lr":1}', '--steps', '3', '--losses', '[1]'],
			/only applies to kind "reduceOnPlateau"/,
		],
		[['--spec', '@/no/such/spec.json', '--steps', '3'], /cannot read/],
	];
	for (const [args, re] of cases) {
		const r = run('schedule', ...args);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, re);
		assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
	}
	for (const cmd of ['schedule', 'suggest']) {
		const h = run(cmd, '--help');
		assert.equal(h.code, 0);
		assert.match(h.stdout, /Examples:\n {2}lrscope /);
	}
});
