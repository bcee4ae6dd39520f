/**
 * core/present: the one number formats (display, code literal, loss, ticks), the one wording of
 * stop reasons, findings and backends, the CSV schemas, and the headline's JSON shape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	liveCsv,
	numCell,
	rangeTestCsvHeader,
	sweepCsv,
	sweepCsvHeader,
	textCell,
} from '../../src/core/present/csv';
import {
	formatDecades,
	formatLoss,
	formatLr,
	formatNum,
	formatSeconds,
	formatTick,
	lrLiteral,
	formatFieldNumber,
} from '../../src/core/present/format';
import { headlineJson } from '../../src/core/present/json';
import { formatSignal } from '../../src/core/present/layers';
import {
	agreementText,
	backendText,
	backendWithReason,
	findingKindText,
	ruleText,
	stopReasonText,
} from '../../src/core/present/words';
import type { StopReason } from '../../src/core/types';
import { sampleSweep } from '../webview/sampleResults';

describe('formats', () => {
	it('formatLr writes LRs the way users type them', () => {
		const cases: [number | null | undefined, string][] = [
			[3e-3, '3e-3'],
			[3.02e-3, '3e-3'],
			[2.5e-4, '2.5e-4'],
			[1e-7, '1e-7'],
			[0.01, '0.01'],
			[0.25, '0.25'],
			[0.333, '0.33'],
			[1, '1'],
			[10, '10'],
			[1500, '1.5e3'],
			[0, '0'],
			[null, 'n/a'],
			[undefined, 'n/a'],
			[Infinity, 'Infinity'],
		];
		for (const [v, s] of cases) {
			assert.equal(formatLr(v), s, String(v));
		}
	});

	it('lrLiteral round-trips: the literal parses to the displayed number, and is stable', () => {
		for (let e = -8; e <= 2; e++) {
			for (const m of [1, 1.04, 2.5, 3.16, 4.64, 6.81, 9.99]) {
				const lr = m * 10 ** e;
				const lit = lrLiteral(lr);
				assert.equal(lit, formatLr(lr), 'the code and the lens say the same digits');
				const parsed = Number(lit);
				assert.ok(Number.isFinite(parsed) && parsed > 0, lit);
				// Two significant digits: within 5% of the LR, and formatting it again changes nothing.
				assert.ok(Math.abs(parsed - lr) / lr <= 0.05, `${lr} → ${lit}`);
				assert.equal(lrLiteral(parsed), lit);
				assert.match(lit, /^\d+(\.\d)?(e-?\d+)?$|^0\.\d+$/, lit);
			}
		}
	});

	it('numbers, losses, decades, seconds and ticks', () => {
		assert.equal(formatNum(0.123456), '0.123');
		assert.equal(formatNum(2.5e-4), '2.50e-4');
		assert.equal(formatNum(123456), '1.23e+5');
		assert.equal(formatNum(0.5, 4), '0.5');
		assert.equal(formatNum(null), 'n/a');
		assert.equal(formatNum(NaN), 'n/a');
		assert.equal(formatLoss(0.693147), '0.6931');
		assert.equal(formatLoss(null), '—');
		assert.equal(formatDecades(1.234), '1.23 decades');
		assert.equal(formatSeconds(12.345), '12.3 s');
		assert.equal(formatTick(2500, 500), '2.5k');
		assert.equal(formatTick(1e-4), '1e-4');
	});
});

describe('words', () => {
	it('one wording per stop reason, finding kind and rule', () => {
		const reasons: StopReason[] = [
			'diverged',
			'nonFinite',
			'completed',
			'cancelled',
			'dataExhausted',
		];
		assert.deepEqual(Object.keys(stopReasonText).sort(), [...reasons].sort());
		assert.equal(stopReasonText.diverged, 'stopped: the smoothed loss diverged');
		assert.equal(new Set(Object.values(stopReasonText)).size, reasons.length);
		assert.equal(findingKindText.nonFinite, 'NaN/Inf');
		assert.deepEqual(Object.keys(ruleText), ['valley', 'slide', 'minimum', 'steep', 'consensus']);
		assert.equal(
			agreementText({ agreeing: 3, of: 4, toleranceDecades: 0.5 }),
			'3 of 4 rules agree within 0.5 decades',
		);
	});

	it('backend text', () => {
		const b = {
			name: 'wasm',
			origin: 'bundled' as const,
			package: '@tensorflow/tfjs',
			version: '4.22.0',
			reason: 'no tfjs-node',
		};
		assert.equal(backendText(b), 'wasm (bundled @tensorflow/tfjs 4.22.0)');
		assert.equal(backendWithReason(b), 'wasm (bundled @tensorflow/tfjs 4.22.0) — no tfjs-node');
	});
});

describe('CSV schemas', () => {
	it('headers are fixed (docs/panel.md, "Export")', () => {
		assert.equal(rangeTestCsvHeader, 'step,lr,loss,smoothed,beta,headline,verdict');
		assert.equal(sweepCsvHeader, 'lr,epoch,loss,val_loss,best');
	});

	it('cells: non-finite empty, text quoted only when needed', () => {
		assert.equal(numCell(NaN), '');
		assert.equal(numCell(null), '');
		assert.equal(numCell(1e-7), '1e-7');
		assert.equal(textCell('3e-3 (valley)'), '3e-3 (valley)');
		assert.equal(textCell('a, "b"'), '"a, ""b"""');
	});

	it('sweep: one row per LR and epoch with the best flag; live: step, unit, sorted series', () => {
		const s = sampleSweep();
		const lines = sweepCsv(s).trimEnd().split('\n');
		assert.equal(lines[0], sweepCsvHeader);
		assert.equal(
			lines.length - 1,
			s.results.reduce((n, r) => n + r.curve.length, 0),
		);
		assert.ok(lines.slice(1).every((l) => l.split(',').length === 5));
		assert.ok(lines.some((l) => l.startsWith(`${s.best!.lr},`) && l.endsWith(',1')));
		const live = liveCsv([
			{ step: 0, unit: 'step', values: { loss: 1, lr: 1e-3 } },
			{ step: 0, unit: 'epoch', values: { val_loss: null } },
		]);
		assert.equal(live, 'step,unit,loss,lr,val_loss\n0,step,1,0.001,\n0,epoch,,,\n');
	});
});

describe('headline JSON', () => {
	it('is { lr, rule, verdict, text } with text = headlineText', () => {
		assert.deepEqual(
			headlineJson({ lr: 3e-3, rule: 'valley', verdict: 'clear', index: 4, spreadDecades: 0.3 }),
			{ lr: 3e-3, rule: 'valley', verdict: 'clear', text: '3e-3 (valley)' },
		);
		assert.deepEqual(
			headlineJson({ lr: null, rule: 'valley', verdict: 'noAnswer', spreadDecades: 0 }),
			{
				lr: null,
				rule: 'valley',
				verdict: 'noAnswer',
				text: 'no suggestion',
			},
		);
	});
});

it('layer signals are written like LRs: two significant digits, rounded before the form is chosen', () => {
	assert.equal(formatSignal(3.24e-4), '3.2e-4');
	assert.equal(formatSignal(0.123), '0.12');
	assert.equal(formatSignal(1530), '1.5e3');
	assert.equal(formatSignal(9.99e-3), '0.01');
	assert.equal(formatSignal(null), 'n/a');
});

describe('schedule form fields', () => {
	it('small LRs in LR notation, integers whole, no float noise', () => {
		assert.equal(formatFieldNumber(0.0012589), '1.3e-3');
		assert.equal(formatFieldNumber(1000), '1000');
		assert.equal(formatFieldNumber(1234567), '1234567');
		assert.equal(formatFieldNumber(0.3), '0.3');
		// The verified LR 10^-1.5 as a warm-up target.
		assert.equal(formatFieldNumber(Math.pow(10, -1.5)), '0.0316228');
		assert.equal(formatFieldNumber(0), '0');
	});
});
