/**
 * JSON training data — `{"x": [[…]], "y": [[…]]}` or `{"xs": …, "ys": …}` — and the nested-array
 * conversion also used for arrays returned by data modules.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { limits } from '../../../shared/limits';
import { BadInputError } from '../../../shared/errors';
import { checkSize, fileSize } from './fileSize';
import type { NumArray, RawData, RawLabels } from './types';
import { errorText } from '../../../core/present/errorText';
import {
	jsonDataShapeText,
	jsonDataSizeAdvice,
	notArrayText,
	notNumberAtText,
	notValidJsonText,
	raggedText,
} from '../../../core/present/dataErrors';

/** Converts a (possibly nested) rectangular array of numbers to a NumArray; `what` names it in errors. */
export function fromNested(value: unknown, what: string): NumArray {
	if (!Array.isArray(value)) {
		throw new BadInputError(notArrayText(what, value));
	}
	const shape: number[] = [];
	let probe: unknown = value;
	while (Array.isArray(probe)) {
		shape.push(probe.length);
		probe = probe[0];
	}
	const total = shape.reduce((a, b) => a * b, 1);
	const values = new Float32Array(total);
	let k = 0;
	const walk = (v: unknown, depth: number, path: number[]): void => {
		if (depth === shape.length) {
			if (typeof v === 'number') {
				values[k++] = v;
				return;
			}
			if (v === null) {
				// JSON cannot hold NaN; JSON.stringify writes it as null.
				values[k++] = NaN;
				return;
			}
			throw new BadInputError(notNumberAtText(what, path, v));
		}
		if (!Array.isArray(v) || v.length !== shape[depth]) {
			throw new BadInputError(
				raggedText(what, path, Array.isArray(v) ? v.length : null, shape[depth]),
			);
		}
		v.forEach((e, i) => walk(e, depth + 1, [...path, i]));
	};
	walk(value, 0, []);
	return { values, shape };
}

/** Labels from JSON/module arrays: a flat array of strings is class names, anything else numbers. */
export function labelsFromNested(value: unknown, what: string): RawLabels {
	if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
		return { kind: 'classes', names: value as string[] };
	}
	return { kind: 'numeric', array: fromNested(value, what) };
}

/** Reads `{x, y}` / `{xs, ys}` JSON data. */
export function readJsonData(path: string): RawData {
	const name = basename(path);
	checkSize(path, fileSize(path, 'data file'), limits.jsonDataBytes, jsonDataSizeAdvice);
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(path, 'utf8'));
	} catch (e) {
		throw new BadInputError(notValidJsonText(name, errorText(e)));
	}
	const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
	const x = o.x ?? o.xs;
	const y = o.y ?? o.ys;
	if (x === undefined || y === undefined) {
		throw new BadInputError(jsonDataShapeText(name));
	}
	return {
		x: fromNested(x, `${name} x`),
		y: labelsFromNested(y, `${name} y`),
		origin: name,
		notes: [],
	};
}
