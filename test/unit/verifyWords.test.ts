/**
 * A verified headline (core/verify.ts) in words: the headline text, the evidence sentence (the
 * curve's LR lost, won, a candidate diverged or was dropped), the table rows, the JSON, the
 * candidates SVG and the protocol guards, with real numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Headline } from '../../src/core/types';
import {
	chartTitle,
	renderCandidatesSvg,
	candidatesThemeOf,
} from '../../src/core/present/candidatesSvg';
import {
	headlineEvidenceText,
	headlineIsConfident,
	headlineText,
	verdictText,
} from '../../src/core/present/headline';
import { headlineJson, verifiedJson } from '../../src/core/present/json';
import { lightSvgTheme } from '../../src/core/present/svgTheme';
import {
	answerTimeText,
	candidateRows,
	candidatesSummaryText,
	verifiedEvidenceText,
	verifyProgressText,
} from '../../src/core/present/verify';
import { type Verification } from '../../src/core/verify';
import { defaultPickTolerance } from '../../src/core/verifyPick';
import { isFromRunnerMessage, isToRunnerMessage } from '../../src/shared/runnerGuards';
import { isToWebviewMessage } from '../../src/shared/webviewGuards';

/** The curve said 1e-3; 3e-3 won; 1e-2 trained but scored worse. */
export const sampleVerification: Verification = {
	lr: 3e-3,
	curveLr: 1e-3,
	candidates: [
		{ lr: 1e-2, origin: 'factor', heldOutLoss: 0.52, steps: 200 },
		{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.41, steps: 200 },
		{ lr: 3e-3, origin: 'factor', heldOutLoss: 0.388, steps: 200 },
	],
	steps: 200,
	heldOut: 'slice',
	heldOutExamples: 64,
	totalSteps: 600,
	stepsFrom: 'default',
};

const curveHeadline: Headline = {
	lr: 1e-3,
	rule: 'valleyMinimum',
	verdict: 'clear',
	spreadDecades: 0.4,
};
const verified: Headline = { ...curveHeadline, lr: 3e-3, verified: sampleVerification };

describe('verified headline words', () => {
	it('the headline says (verified) and the evidence names the beaten candidates in LR order', () => {
		assert.equal(headlineText(curveHeadline), '1e-3 (valley–minimum)');
		assert.equal(headlineText(verified), '3e-3 (verified)');
		assert.equal(headlineEvidenceText(curveHeadline), undefined);
		assert.equal(
			headlineEvidenceText(verified),
			'verified: 3e-3 beat 1e-3 and 0.01 on held-out loss after 200 steps (the curve alone gave 1e-3)',
		);
	});

	it('the time to answer adds the verification to the range test, and says both', () => {
		const report = { headline: curveHeadline };
		assert.equal(answerTimeText({ seconds: 0.54, report }), '0.5 s');
		// A verified result stored before the verification's time was kept: the range test's.
		assert.equal(answerTimeText({ seconds: 0.54, report: { headline: verified } }), '0.5 s');
		const timed = { ...verified, verified: { ...sampleVerification, seconds: 1.26 } };
		assert.equal(
			answerTimeText({ seconds: 0.54, report: { headline: timed } }),
			'1.8 s (range test 0.5 s, verification 1.3 s)',
		);
	});

	it("says so when the curve's own LR won", () => {
		const v: Verification = {
			...sampleVerification,
			lr: 1e-3,
			candidates: [
				{ lr: 3e-4, origin: 'minimum', heldOutLoss: 0.6, steps: 200 },
				{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.41, steps: 200 },
				{ lr: 3e-3, origin: 'factor', heldOutLoss: 0.45, steps: 200 },
			],
		};
		assert.equal(
			verifiedEvidenceText(v),
			"verified: 1e-3, the curve's own suggestion, beat 3e-4 and 3e-3 on held-out loss after 200 steps",
		);
	});

	it('marks a diverged candidate and one dropped early', () => {
		const v: Verification = {
			...sampleVerification,
			candidates: [
				{ lr: 3e-4, origin: 'minimum', heldOutLoss: 0.7, steps: 50 },
				{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.41, steps: 200 },
				{ lr: 3e-3, origin: 'factor', heldOutLoss: 0.388, steps: 200 },
				{ lr: 3e-2, origin: 'factor', heldOutLoss: null, steps: 12 },
			],
		};
		assert.equal(
			verifiedEvidenceText(v),
			'verified: 3e-3 beat 3e-4 (dropped after 50 steps), 1e-3 and 0.03 (diverged) on held-out loss after 200 steps (the curve alone gave 1e-3)',
		);
		assert.deepEqual(
			candidateRows(v).map((r) => [r.lr, r.loss, r.status]),
			[
				['3e-4', '0.7', 'dropped'],
				['1e-3', '0.41', ''],
				['3e-3', '0.388', 'verified'],
				['0.03', 'diverged', 'diverged'],
			],
		);
		assert.match(candidatesSummaryText(v), /3e-3: 0\.388 \(verified\); 0\.03: diverged\.$/);
	});

	it('says where each candidate came from, a climbed one included', () => {
		const v: Verification = {
			...sampleVerification,
			lr: 1e-2,
			candidates: [
				{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.41, steps: 200 },
				{ lr: 3e-3, origin: 'grid', heldOutLoss: 0.388, steps: 200 },
				{ lr: 1e-2, origin: 'climb', heldOutLoss: 0.35, steps: 200 },
			],
		};
		assert.deepEqual(
			candidateRows(v).map((r) => [r.lr, r.origin, r.status]),
			[
				['1e-3', "the curve's suggestion", ''],
				['3e-3', 'grid', ''],
				['0.01', 'above the window: its top led', 'verified'],
			],
		);
	});

	it('a verified headline has no verdict and is confident even when the curve was not clear', () => {
		const unclear: Headline = {
			...curveHeadline,
			verdict: 'noClearValley',
			reason: 'flat',
			flatUpTo: 1e-2,
			stableUpTo: 1e-2,
		};
		assert.ok(verdictText(unclear));
		assert.equal(headlineIsConfident(unclear), false);
		const v = { ...unclear, lr: 3e-3, verified: sampleVerification };
		assert.equal(verdictText(v), undefined);
		assert.equal(headlineIsConfident(v), true);
		assert.equal(headlineText(v), '3e-3 (verified)');
	});

	it('many beaten candidates are summed up as a range', () => {
		const lrs = [3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1];
		const v: Verification = {
			...sampleVerification,
			lr: 0.1,
			curveLr: 0.03,
			candidates: lrs.map((lr, i) => ({
				lr,
				origin: lr === 0.03 ? 'curve' : 'grid',
				heldOutLoss: lr === 3e-4 ? null : 1 - i / 10,
				steps: lr === 1e-3 ? 50 : 200,
			})),
		};
		assert.equal(
			verifiedEvidenceText(v),
			'verified: 0.1 beat the 5 other candidates from 3e-4 to 0.03 (1 diverged, 1 dropped early) on held-out loss after 200 steps (the curve alone gave 0.03)',
		);
	});

	it('a candidate with a slightly lower loss tied with the winner (the lower LR wins ties)', () => {
		const v: Verification = {
			...sampleVerification,
			candidates: [
				{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.41, steps: 200 },
				{ lr: 3e-3, origin: 'grid', heldOutLoss: 0.388, steps: 200 },
				{ lr: 1e-2, origin: 'grid', heldOutLoss: 0.385, steps: 200 },
			],
		};
		assert.equal(
			verifiedEvidenceText(v),
			`verified: 3e-3 beat 1e-3 and tied with 0.01 (within ${Math.round(defaultPickTolerance * 100)}%: the lower LR wins) on held-out loss after 200 steps (the curve alone gave 1e-3)`,
		);
		assert.deepEqual(
			candidateRows(v).map((r) => r.status),
			['', 'verified', 'tied'],
		);
	});

	it('a projected pick says so, and a lower measured loss can lose to a steeper trend', () => {
		// 0.01 measured lower after 50 steps, but 3e-3 was still falling faster (projected to 200).
		const v: Verification = {
			...sampleVerification,
			steps: 50,
			totalSteps: 150,
			projectedTo: 200,
			candidates: [
				{ lr: 1e-3, origin: 'curve', heldOutLoss: 0.6, halfwayLoss: 0.7, score: 0.51, steps: 50 },
				{ lr: 3e-3, origin: 'grid', heldOutLoss: 0.45, halfwayLoss: 0.6, score: 0.3375, steps: 50 },
				{ lr: 1e-2, origin: 'grid', heldOutLoss: 0.42, halfwayLoss: 0.43, score: 0.41, steps: 50 },
			],
		};
		assert.equal(
			verifiedEvidenceText(v),
			'verified: 3e-3 beat 1e-3 and 0.01 on held-out loss after 50 steps, its trend projected to 200 steps (the curve alone gave 1e-3)',
		);
		assert.deepEqual(
			candidateRows(v).map((r) => [r.loss, r.status]),
			[
				['0.6 (projected 0.51)', ''],
				['0.45 (projected 0.3375)', 'verified'],
				['0.42 (projected 0.41)', ''],
			],
		);
		const json = verifiedJson(v);
		assert.equal(json.projectedTo, 200);
		assert.deepEqual(
			json.candidates.map((c) => [c.halfwayLoss, c.score]),
			[
				[0.7, 0.51],
				[0.6, 0.3375],
				[0.43, 0.41],
			],
		);
	});

	it('progress reads "verifying 3 candidates · step 120/400"', () => {
		assert.equal(
			verifyProgressText({ step: 120, total: 400, candidates: 3 }),
			'verifying 3 candidates · step 120/400',
		);
	});
});

describe('verified headline JSON and SVG', () => {
	it('headline.verified carries the candidates (ascending LR, null when diverged) and the sentence', () => {
		const v = {
			...sampleVerification,
			candidates: [
				...sampleVerification.candidates,
				{ lr: 0.1, origin: 'factor', heldOutLoss: null, steps: 5 },
			],
		};
		const j = headlineJson({ ...verified, verified: v });
		assert.equal(j.lr, 3e-3);
		assert.equal(j.text, '3e-3 (verified)');
		assert.deepEqual(
			j.verified?.candidates.map((c) => [c.lr, c.heldOutLoss, c.winner, c.diverged]),
			[
				[1e-3, 0.41, false, false],
				[3e-3, 0.388, true, false],
				[1e-2, 0.52, false, false],
				[0.1, null, false, true],
			],
		);
		assert.equal(j.verified?.curveLr, 1e-3);
		assert.match(j.verified?.text ?? '', /^verified: 3e-3 beat 1e-3, 0\.01 and 0\.1 \(diverged\)/);
		assert.equal(headlineJson(curveHeadline).verified, undefined);
		assert.doesNotThrow(() => JSON.parse(JSON.stringify(j)));
	});

	it('the SVG draws every candidate, rings the winner and labels it, and says the numbers', () => {
		const svg = renderCandidatesSvg(
			{
				...sampleVerification,
				candidates: [
					...sampleVerification.candidates,
					{ lr: 0.1, origin: 'factor', heldOutLoss: null, steps: 5 },
				],
			},
			{ width: 360, height: 180, theme: candidatesThemeOf(lightSvgTheme) },
		);
		assert.equal((svg.match(/class="candidate/g) ?? []).length, 4);
		assert.match(svg, /class="candidate winner" data-lr="0.003"/);
		assert.match(svg, /verified 3e-3<\/text>/);
		assert.match(svg, /class="candidate diverged" data-lr="0.1"/);
		assert.match(svg, /aria-label="Held-out loss per candidate learning rate/);
		assert.doesNotMatch(svg, /NaN|undefined/);
	});
	it('the SVG draws a candidate dropped after the first round hollow, and its title says so', () => {
		const v: Verification = {
			...sampleVerification,
			candidates: [
				{ lr: 3e-4, origin: 'grid', heldOutLoss: 0.7, steps: 100 },
				...sampleVerification.candidates,
			],
		};
		assert.equal(chartTitle(sampleVerification), 'held-out loss after 200 steps');
		assert.equal(chartTitle(v), 'held-out loss after 200 steps (hollow: dropped after 100)');
		const svg = renderCandidatesSvg(v, {
			width: 360,
			height: 180,
			theme: candidatesThemeOf(lightSvgTheme),
		});
		assert.match(svg, /<circle class="candidate dropped" data-lr="0.0003"[^>]*fill="none"/);
		assert.equal((svg.match(/class="candidate dropped"/g) ?? []).length, 1);
		assert.match(svg, />held-out loss after 200 steps \(hollow: dropped after 100\)<\/text>/);
	});
});

describe('verification in the protocols', () => {
	const result = (verifiedField: unknown): unknown => ({
		lrs: [],
		losses: [],
		report: { headline: { ...curveHeadline, verified: verifiedField } },
	});

	it('runner: verifyProgress and a verified result are accepted; a malformed verification is not', () => {
		assert.ok(
			isFromRunnerMessage({
				type: 'verifyProgress',
				id: 'a',
				step: 120,
				total: 400,
				candidate: 1,
				candidates: 3,
				lr: 3e-3,
			}),
		);
		assert.ok(!isFromRunnerMessage({ type: 'verifyProgress', id: 'a', step: 1, total: 4 }));
		assert.ok(isFromRunnerMessage({ type: 'result', id: 'a', result: result(sampleVerification) }));
		assert.ok(isFromRunnerMessage({ type: 'result', id: 'a', result: result(undefined) }));
		for (const bad of [
			{ ...sampleVerification, candidates: 'many' },
			{ ...sampleVerification, lr: NaN },
			{ ...sampleVerification, heldOut: 'test' },
			{
				...sampleVerification,
				candidates: [{ lr: 1e-3, origin: 'curve', heldOutLoss: 'x', steps: 1 }],
			},
		]) {
			assert.ok(!isFromRunnerMessage({ type: 'result', id: 'a', result: result(bad) }));
		}
	});

	it('runner: verify options must have the right types', () => {
		const req = { type: 'rangeTest', id: 'a', source: { kind: 'saved' }, backend: 'auto' };
		assert.ok(isToRunnerMessage({ ...req, options: { verify: 'on', verifySteps: 200 } }));
		assert.ok(!isToRunnerMessage({ ...req, options: { verify: true } }));
		assert.ok(!isToRunnerMessage({ ...req, options: { verifySteps: '200' } }));
	});

	it('webview: a snapshot with a malformed verification is rejected, a good one accepted', () => {
		const snap = (verifiedField: unknown): unknown => ({
			type: 'snapshot',
			results: [
				{ id: 'r1', kind: 'rangeTest', createdAt: 1, label: 'x', rangeTest: result(verifiedField) },
			],
			live: [],
			defaultBeta: 0.98,
		});
		assert.ok(isToWebviewMessage(snap(sampleVerification)));
		assert.ok(isToWebviewMessage(snap(undefined)));
		// Results stored before verification existed (no headline at all, or one without `verified`).
		assert.ok(
			isToWebviewMessage({
				type: 'snapshot',
				results: [
					{
						id: 'old',
						kind: 'rangeTest',
						createdAt: 1,
						label: 'x',
						rangeTest: { lrs: [], losses: [], report: {} },
					},
				],
				live: [],
				defaultBeta: 0.98,
			}),
		);
		assert.ok(!isToWebviewMessage(snap({ ...sampleVerification, candidates: null })));
	});
});
