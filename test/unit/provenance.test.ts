/**
 * In-editor advice comes only from evidence that applies (core/provenance.ts): the script's own
 * range test or one of a target the user linked to it, with the same optimizer; otherwise none, and
 * the editor offers to run a test of the script.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	applicability,
	evidenceFor,
	linkCandidates,
	optimizerKindOf,
} from '../../src/core/provenance';
import type { ResultOrigin } from '../../src/core/provenance';
import { agoText, sourceText, targetName } from '../../src/core/present/provenance';

const train = 'file:///ws/train.js';
const diverge = 'file:///ws/diverge.js';
const model = 'file:///ws/dense-classifier/model.json';
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function origin(
	id: string,
	targetUri: string | undefined,
	optimizer: string,
	createdAt = t0,
	sourceKind: ResultOrigin['sourceKind'] = 'script',
): ResultOrigin {
	return { id, targetUri, optimizer, createdAt, sourceKind };
}

test('the same script, same optimizer: applies (via the script)', () => {
	const r = origin('a', train, 'Adam');
	assert.deepEqual(applicability(r, { scriptUri: train, links: [] }, 'adam'), {
		applies: true,
		via: 'script',
	});
	const e = evidenceFor([r], { scriptUri: train, links: [] }, 'adam');
	assert.equal(e.kind, 'applies');
	assert.equal(e.kind === 'applies' && e.result.id, 'a');
});

test('a model the user linked to the script: applies (via the link)', () => {
	const r = origin('m', model, 'adam', t0, 'saved');
	assert.deepEqual(applicability(r, { scriptUri: train, links: [model] }, 'adam'), {
		applies: true,
		via: 'link',
	});
	const e = evidenceFor([r], { scriptUri: train, links: [model] }, 'adam');
	assert.equal(e.kind === 'applies' && e.via, 'link');
});

test('another script, or an unlinked model: does not apply (no borrowed verdict)', () => {
	const other = origin('o', train, 'Adam');
	const saved = origin('m', model, 'adam', t0, 'saved');
	assert.deepEqual(applicability(other, { scriptUri: diverge, links: [] }, 'adam'), {
		applies: false,
		reason: 'otherTarget',
	});
	assert.deepEqual(applicability(saved, { scriptUri: train, links: [] }, 'adam'), {
		applies: false,
		reason: 'otherTarget',
	});
	// A result that records no target never applies.
	assert.equal(
		applicability(origin('x', undefined, 'adam'), { scriptUri: train, links: [] }, 'adam').applies,
		false,
	);
	assert.deepEqual(evidenceFor([other, saved], { scriptUri: diverge, links: [] }, 'sgd'), {
		kind: 'none',
	});
});

test('another optimizer: an SGD literal is not judged by an Adam test, even of the same script', () => {
	const adam = origin('a', diverge, 'Adam');
	assert.deepEqual(applicability(adam, { scriptUri: diverge, links: [] }, 'sgd'), {
		applies: false,
		reason: 'otherOptimizer',
	});
	const e = evidenceFor([adam], { scriptUri: diverge, links: [] }, 'sgd');
	assert.equal(e.kind, 'otherOptimizer');
	assert.equal(e.kind === 'otherOptimizer' && e.newest.id, 'a');
	// Linked targets obey the same rule.
	const linked = origin('m', model, 'rmsprop', t0, 'saved');
	assert.equal(applicability(linked, { scriptUri: train, links: [model] }, 'adam').applies, false);
});

test('no result at all: none (the editor offers to run one)', () => {
	assert.deepEqual(evidenceFor([], { scriptUri: train, links: [] }, 'adam'), { kind: 'none' });
	assert.deepEqual(evidenceFor([], { scriptUri: train, links: [model] }, undefined), {
		kind: 'none',
	});
});

test('an unknown site optimizer is judged by the script’s own test; the newest applicable wins', () => {
	const old = origin('old', train, 'SGD', t0);
	const linked = origin('new', model, 'adam', t0 + 60_000, 'saved');
	const unrelated = origin('x', diverge, 'adam', t0 + 120_000);
	const script = { scriptUri: train, links: [model] };
	assert.equal(applicability(old, script, undefined).applies, true);
	const e = evidenceFor([old, unrelated, linked], script, undefined);
	assert.equal(e.kind === 'applies' && e.result.id, 'new');
	// With a known optimizer the SGD test of this script wins over the newer Adam link.
	const s = evidenceFor([old, unrelated, linked], script, 'sgd');
	assert.equal(s.kind === 'applies' && s.result.id, 'old');
});

test('optimizer names: tfjs class names, ours and Keras spellings', () => {
	assert.equal(optimizerKindOf('Adam'), 'adam');
	assert.equal(optimizerKindOf('SGD'), 'sgd');
	assert.equal(optimizerKindOf('RMSProp'), 'rmsprop');
	assert.equal(optimizerKindOf('RMSprop'), 'rmsprop');
	assert.equal(optimizerKindOf('AdamOptimizer'), 'adam');
	assert.equal(optimizerKindOf('Momentum'), 'momentum');
	assert.equal(optimizerKindOf('lion'), undefined);
	assert.equal(optimizerKindOf(undefined), undefined);
});

test('link candidates: every other tested target once, newest first, not the script itself', () => {
	const rs = [
		origin('a', train, 'adam', t0),
		origin('b', model, 'adam', t0 + 1, 'saved'),
		origin('c', model, 'adam', t0 + 2, 'saved'),
		origin('d', diverge, 'sgd', t0 + 3),
		origin('e', undefined, 'sgd', t0 + 4),
	];
	assert.deepEqual(
		linkCandidates(rs, train).map((r) => r.id),
		['d', 'c'],
	);
});

test('source text names the file, the optimizer and when', () => {
	const r = origin('a', 'file:///ws/sub%20dir/train.js', 'Adam', t0);
	assert.equal(
		sourceText(r, 'script', t0 + 5 * 60_000),
		'range test of train.js · adam · 5 min ago',
	);
	assert.equal(
		sourceText(origin('m', model, 'sgd', t0, 'saved'), 'link', t0 + 10_000),
		'linked range test of dense-classifier/model.json · sgd · just now',
	);
	assert.equal(targetName('file:///ws/sub%20dir/train.js'), 'train.js');
	assert.equal(agoText(t0, t0 + 3 * 3600_000), '3 h ago');
	assert.equal(agoText(t0, t0 + 3 * 86400_000), '3 days ago');
	assert.match(sourceText(r, 'script', t0 + 60_000, true), /· adam · \d\d:\d\d$/);
});
