/**
 * Mini-batch versions of the layer fixtures (issue 20): recorded real tfjs trainings of the corpus
 * (bench/detectors/corpus/, mini-batches of 8–32) replayed through the detectors. The reported
 * false alarm — "divergence ahead" on dead-ReLU, vanishing-gradient and saturated-input runs that
 * never diverge — must not come back, and each of those pathologies must still be named.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateRun, labelCheck } from '../../bench/detectors/evaluate';
import { readCorpus } from '../../bench/detectors/record';

const corpus = readCorpus();

describe('recorded mini-batch runs', () => {
	for (const [kind, expected] of [
		['deadRelu', 'deadUnits'],
		['vanishing', 'vanishingGradients'],
		['saturation', 'saturation'],
	] as const) {
		it(`${kind}: no earlyDivergence on any run, ${expected} on ≥ 95 %`, () => {
			const runs = corpus.filter((r) => r.spec.kind === kind && labelCheck(r) === null);
			assert.ok(runs.length >= 20, `${runs.length} ${kind} runs`);
			let named = 0;
			for (const r of runs) {
				const fs = evaluateRun(r).findings;
				assert.ok(!fs.some((f) => f.kind === 'earlyDivergence'), `${r.spec.id}: earlyDivergence`);
				named += fs.some((f) => f.kind === expected) ? 1 : 0;
			}
			assert.ok(named >= 0.95 * runs.length, `${named}/${runs.length}`);
		});
	}
	it('a layer dead only because the one before it is dead is told to fix that one', () => {
		const runs = corpus.filter((r) => r.spec.kind === 'deadRelu' && r.spec.deadLayer === 0);
		let seen = 0;
		for (const r of runs) {
			const dead = evaluateRun(r).findings.filter((f) => f.kind === 'deadUnits');
			const first = r.layers.names[0];
			for (const f of dead.filter((x) => x.layer !== first)) {
				seen++;
				assert.match(f.action, new RegExp(`Fix ${first} first`), `${r.spec.id}: ${f.action}`);
				assert.doesNotMatch(f.action, /bias/);
			}
		}
		assert.ok(seen > 0, 'no downstream dead layer in the corpus');
	});
});
