/**
 * The bounds the extension clamps settings to are the ones package.json shows in the Settings
 * editor: `Config`'s table (src/extension/settingBounds.ts) and the detector settings' table, each
 * against `minimum`/`maximum` in `contributes.configuration`, in both directions.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numberSettingBounds } from '../../src/extension/settingBounds';
import { detectorSettingBounds } from '../../src/extension/warnings/detectorSettings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const configuration = pkg.contributes.configuration;
const properties = Object.assign(
	{},
	...(Array.isArray(configuration) ? configuration : [configuration]).map(
		(c: { properties: object }) => c.properties,
	),
) as Record<string, { minimum?: number; maximum?: number }>;

/** Every bounded setting in package.json, without the prefix. */
const declared = Object.fromEntries(
	Object.entries(properties)
		.filter(([, p]) => p.minimum !== undefined || p.maximum !== undefined)
		.map(([k, p]) => [k.replace(/^lrScope\./, ''), [p.minimum, p.maximum]]),
);

const inCode: Record<string, readonly [number, number]> = {
	...numberSettingBounds,
	...Object.fromEntries(
		Object.entries(detectorSettingBounds).map(([k, b]) => [`detectors.${k}`, b]),
	),
};

test('every clamped setting has the bounds package.json declares', () => {
	for (const [key, bounds] of Object.entries(inCode)) {
		assert.deepEqual(declared[key], [...bounds], key);
	}
});

test('every bounded setting in package.json is clamped with those bounds', () => {
	assert.deepEqual(Object.keys(declared).sort(), Object.keys(inCode).sort());
});
