/**
 * Issue 20 regressions for the loss detectors: a plateau only on a stalled loss, never on one that is
 * still falling (epoch granularity included), and the overfitting message's best epoch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectorSet } from '../../src/core/detectors';
import type { Finding, LogRecord } from '../../src/core/types';
import { gauss, rng } from './runGen';

const kinds = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.kind}:${f.series}`);

/** Epoch records of `loss` (and `val_loss` when given). */
function epochs(loss: number[], val?: number[]): LogRecord[] {
	return loss.map((l, e) => ({
		step: e,
		unit: 'epoch',
		values: (val ? { loss: l, val_loss: val[e] } : { loss: l }) as Record<string, number>,
	}));
}

describe('plateau: a falling loss is not a stall', () => {
	for (const seed of [1, 2, 3, 4, 5, 6]) {
		it(`a steadily falling 30-epoch log raises no plateau (seed ${seed})`, () => {
			// The reported project: 0.121 at epoch 15 → 0.063 at epoch 29, with epoch-to-epoch wobble.
			const g = gauss(rng(seed));
			const loss = Array.from({ length: 30 }, (_v, e) => 0.6 * 0.955 ** e * (1 + 0.025 * g()));
			const fs = new DetectorSet().feedAll(epochs(loss));
			assert.deepEqual(kinds(fs), []);
		});
	}
	it('a 12-epoch CNN falling 0.54 → 0.0007 raises no plateau ("best 0.54 at epoch 0")', () => {
		const loss = [
			0.54, 0.21, 0.09, 0.041, 0.02, 0.011, 0.006, 0.0035, 0.0021, 0.0014, 0.001, 0.0007,
		];
		const fs = new DetectorSet().feedAll(epochs(loss));
		assert.deepEqual(kinds(fs), []);
	});
	it('a falling loss with uneven epoch-to-epoch drops raises no plateau', () => {
		const drops = [0.5, 0.9, 0.6, 0.95, 0.7, 0.92, 0.8, 0.97, 0.85, 0.9, 0.93, 0.88, 0.96, 0.9];
		let l = 2;
		const loss = drops.map((d) => (l *= d));
		assert.deepEqual(kinds(new DetectorSet().feedAll(epochs(loss))), []);
	});
	it('a loss that stalls after falling is still a plateau, from where it stalled', () => {
		const loss = Array.from({ length: 30 }, (_v, e) => 0.3 + Math.exp(-Math.min(e, 12) / 3));
		const fs = new DetectorSet().feedAll(epochs(loss));
		assert.deepEqual(kinds(fs), ['plateau:loss']);
		assert.ok(fs[0].step >= 10 && fs[0].step <= 13, `from ${fs[0].step}`);
	});
});

describe('overfitting names the real best epoch', () => {
	it('best val at epoch 28 after small gains since 23: the message says 28', () => {
		const train = Array.from({ length: 36 }, (_v, e) => 1 / (1 + e));
		const val = Array.from({ length: 36 }, (_v, e) =>
			e <= 23 ? 2 - e * 0.05 : e <= 28 ? 0.85 - (e - 23) * 0.003 : 0.835 + (e - 28) * 0.04,
		);
		const fs = new DetectorSet().feedAll(epochs(train, val));
		const over = fs.filter((f) => f.kind === 'overfitting');
		assert.equal(over.length, 1, kinds(fs).join());
		assert.equal(over[0].step, 28);
		assert.match(over[0].message, /at epoch 28\)/);
		assert.match(over[0].action, /epoch 28\b/);
	});
});
