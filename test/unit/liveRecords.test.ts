/**
 * Issue 11: long live runs and long logs crashed the extension host — live records were never
 * capped, and `records.push(...newRecords)` threw RangeError once one batch carried more than
 * ~120k records (the first poll of an existing long log does). ResultsStore now keeps a bounded
 * `LiveRecords` per run: recent steps exact, older ones min/max-decimated, every epoch and every
 * finding exact. This runs the real ResultsStore with a stubbed `vscode` (test/unit/vscodeStub.ts).
 */
import './vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveRecords, thinRecords } from '../../src/core/liveRecords';
import type { Finding, LogRecord } from '../../src/core/types';
import { WebviewSession } from '../../src/extension/panel/webviewSession';
import { ResultsStore } from '../../src/extension/resultsStore';
import { fakeContext } from './vscodeStub';

function steps(from: number, n: number, loss: (i: number) => number | null): LogRecord[] {
	const out: LogRecord[] = new Array(n);
	for (let k = 0; k < n; k++) {
		const i = from + k;
		out[k] = { step: i, unit: 'step', values: { loss: loss(i), lr: 1e-3 } };
	}
	return out;
}

const lossAt = (i: number): number | null =>
	i === 1234 ? 1e6 : i === 2345 ? null : i === 3456 ? -5 : 1 / (1 + i / 1000);

describe('ResultsStore live runs', () => {
	it('takes a 200k-record batch (no RangeError) and 1M records in bounded memory', () => {
		const store = new ResultsStore(fakeContext());
		store.startLive({ id: 'r', label: 'run', origin: 'watch' });
		let seen = 0;
		store.onDidChange((e) => {
			if (e.kind === 'live') {
				seen += e.records.length;
			}
		});
		const finding = { kind: 'spike', step: 1234 } as unknown as Finding;
		store.appendLive('r', steps(0, 200_000, lossAt), [finding]);
		for (let i = 200_000; i < 1_000_000; i += 160_000) {
			store.appendLive('r', steps(i, Math.min(160_000, 1_000_000 - i), lossAt));
		}
		store.appendLive('r', [{ step: 0, unit: 'epoch', values: { val_loss: 0.5 } }]);
		const run = store.getLive('r')!;
		assert.equal(seen, 1_000_001);
		assert.equal(run.stepCount, 1_000_000);
		const recs = run.records;
		assert.ok(recs.length < 100_000, `${recs.length} records held`);
		// The spike, the NaN and the dip in the decimated history are all still there.
		const loss = new Map<number, number | null>();
		for (const r of recs) {
			if (r.unit === 'step' && 'loss' in r.values) {
				loss.set(r.step, r.values.loss);
			}
		}
		assert.equal(loss.get(1234), 1e6);
		assert.ok(loss.has(2345) && loss.get(2345) === null);
		assert.equal(loss.get(3456), -5);
		// The newest 50k steps are exact and in order; the epoch record is kept.
		const tail = recs.filter((r) => r.unit === 'step').slice(-50_000);
		assert.equal(tail[0].step, 950_000);
		assert.equal(tail[tail.length - 1].step, 999_999);
		assert.ok(recs.some((r) => r.unit === 'epoch' && r.values.val_loss === 0.5));
		assert.deepEqual(run.findings, [finding]);
		// Arrival order is kept: steps never go back.
		const stepOnly = recs.filter((r) => r.unit === 'step').map((r) => r.step);
		assert.ok(stepOnly.every((s, i) => i === 0 || s > stepOnly[i - 1]));
	});
});

describe('WebviewSession: what one live update posts is bounded', () => {
	it('a small append is a liveAppend; a 200k-record append becomes a thinned snapshot', () => {
		const store = new ResultsStore(fakeContext());
		const posted: { type: string; records?: unknown[]; live?: { records: unknown[] }[] }[] = [];
		const host = {
			visible: true,
			onDidChangeVisibility: () => ({ dispose: () => undefined }),
			webview: {
				onDidReceiveMessage: () => ({ dispose: () => undefined }),
				postMessage: (m: never) => {
					posted.push(m);
					return Promise.resolve(true);
				},
			},
		};
		const log = { warn: () => undefined, info: () => undefined, error: () => undefined };
		const session = new WebviewSession(
			host as never,
			'panel',
			store,
			log as never,
			{
				defaultBeta: () => 0.98,
			} as never,
		);
		store.startLive({ id: 'r', label: 'run', origin: 'watch' });
		assert.equal(session.receive({ type: 'ready', surface: 'panel' }), true);
		posted.length = 0;
		store.appendLive('r', steps(0, 100, lossAt));
		assert.equal(posted.length, 1);
		assert.equal(posted[0].type, 'liveAppend');
		assert.equal(posted[0].records!.length, 100);
		store.appendLive('r', steps(100, 200_000, lossAt));
		assert.equal(posted.length, 2);
		assert.equal(posted[1].type, 'snapshot');
		assert.ok(
			posted[1].live![0].records.length <= 20_001,
			String(posted[1].live![0].records.length),
		);
		session.dispose();
	});
});

describe('LiveRecords', () => {
	it('is exact below its cap', () => {
		const lr = new LiveRecords({ recentCap: 100, historyCap: 10 });
		const recs = steps(0, 100, (i) => i);
		lr.push(recs);
		assert.deepEqual(lr.toArray(), recs);
	});
	it('holds at most recentCap + historyCap buckets whatever the length', () => {
		const lr = new LiveRecords({ recentCap: 1000, historyCap: 100 });
		for (let i = 0; i < 200; i++) {
			lr.push(steps(i * 5000, 5000, (k) => Math.sin(k)));
		}
		assert.equal(lr.total, 1_000_000);
		assert.ok(lr.held <= 1000 + 100 * 2 * 3, String(lr.held));
		// Each series keeps its own extremes: a decimated record may carry only some series.
		const values = lr
			.toArray()
			.filter((r) => r.values.loss !== undefined)
			.map((r) => r.values.loss as number);
		assert.ok(Math.max(...values) > 0.9999 && Math.min(...values) < -0.9999);
	});
	it('thinRecords keeps the last and every epoch record', () => {
		const recs = [
			...steps(0, 1000, (i) => i),
			{ step: 3, unit: 'epoch' as const, values: { a: 1 } },
		];
		const t = thinRecords(recs, 100);
		assert.ok(t.length <= 102);
		assert.equal(t[t.length - 1].unit, 'epoch');
		const u = thinRecords(
			steps(0, 1000, (i) => i),
			100,
		);
		assert.equal(u[u.length - 1].step, 999);
	});
});
