/**
 * Shared by the unit tests that check our numbers against the independent Python references
 * (test/fixtures/reference/): the range-test curves with fastai's expected suggestions, and the
 * relative-tolerance comparison.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuggestionName } from '../../src/core/types';

/** One reference curve of suggestions.json. */
export interface ReferenceCurve {
	name: string;
	lrs: number[];
	/** The unsmoothed losses. */
	raw: (number | null)[];
	/** The losses the rules see (smoothed when `smoothed`, with `beta`). */
	losses: (number | null)[];
	smoothed: boolean;
	beta: number;
	numIt: number;
	/** fastai's answer per rule, `null` where the rule has none. */
	expected: Record<SuggestionName, { lr: number; index: number } | null>;
}

/** The curves of test/fixtures/reference/suggestions.json. */
export const referenceCurves = (
	JSON.parse(
		readFileSync(join(__dirname, '..', 'fixtures', 'reference', 'suggestions.json'), 'utf8'),
	) as { curves: ReferenceCurve[] }
).curves;

/** Asserts `actual` is within `rel` (relative) of `expected`, naming `what` when not. */
export function close(actual: number, expected: number, rel = 1e-12, what = ''): void {
	const tol = rel * Math.max(Math.abs(expected), 1e-300);
	assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}
