/**
 * CSV training data: header row, label column(s) chosen by name, non-numeric feature columns encoded
 * ordinal or one-hot — by default whichever combination makes the feature width equal the model's
 * input width (the choice is reported in notes).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { limits } from '../../../shared/limits';
import { BadInputError } from '../../../shared/errors';
import { fileSize } from './fileSize';
import {
	columnEncodedNote,
	csvTruncatedNote,
	labelColumnGuessNote,
} from '../../../core/present/dataNotes';
import type { RawData, RawLabels } from './types';
import {
	cellNotFiniteText,
	cellNotNumberText,
	csvCellWhere,
	csvNoDataRowsText,
	csvNoRowsText,
	csvRowWidthText,
	csvWidthMismatchText,
	labelColumnMissingText,
	noFeatureColumnsText,
	textLabelAmongSeveralText,
} from '../../../core/present/dataErrors';

/** How non-numeric feature columns are turned into numbers. */
export type CsvEncoding = 'auto' | 'ordinal' | 'onehot';

/** Parses CSV text (RFC 4180 quoting, CRLF or LF, blank lines skipped) into rows of cells. */
export function parseCsv(text: string, delimiter = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const endRow = (): void => {
		row.push(cell);
		cell = '';
		if (!(row.length === 1 && row[0].trim() === '')) {
			rows.push(row);
		}
		row = [];
	};
	while (i < s.length) {
		const ch = s[i];
		if (quoted) {
			if (ch === '"') {
				if (s[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
			} else {
				cell += ch;
			}
			i++;
			continue;
		}
		if (ch === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
		} else if (ch === delimiter) {
			row.push(cell);
			cell = '';
		} else if (ch === '\n' || ch === '\r') {
			endRow();
			if (ch === '\r' && s[i + 1] === '\n') {
				i++;
			}
		} else {
			cell += ch;
		}
		i++;
	}
	if (cell !== '' || row.length > 0) {
		endRow();
	}
	return rows;
}

const nonFiniteToken = /^[+-]?(nan|inf|infinity)$/i;

/** A parsed cell: a finite number, a non-finite token / empty cell, or text. */
type Cell = { t: 'num'; v: number } | { t: 'bad'; raw: string } | { t: 'str'; raw: string };

function classify(raw: string): Cell {
	const s = raw.trim();
	if (s === '' || nonFiniteToken.test(s)) {
		return { t: 'bad', raw: s };
	}
	const v = Number(s);
	return Number.isFinite(v) ? { t: 'num', v } : { t: 'str', raw: s };
}

interface Column {
	name: string;
	cells: Cell[];
	/** Sorted distinct values for a categorical column. */
	categories?: string[];
}

/** Options for reading a CSV file. */
export interface CsvOptions {
	labels: string[];
	encoding?: CsvEncoding;
	/** Per-example feature width the model takes (product of its input shape); undefined = unknown. */
	targetWidth?: number;
}

/** Chooses which categorical columns get one-hot so the width matches `target`; null when none does. */
function chooseOneHot(
	numeric: number,
	cardinalities: number[],
	target: number | undefined,
): boolean[] | null {
	const m = cardinalities.length;
	const all = cardinalities.map(() => true);
	const none = cardinalities.map(() => false);
	const width = (mask: boolean[]): number =>
		numeric + mask.reduce((a, oh, i) => a + (oh ? cardinalities[i] : 1), 0);
	if (target === undefined || width(all) === target) {
		return all;
	}
	if (width(none) === target) {
		return none;
	}
	if (m > 12) {
		return null;
	}
	// Mixed: prefer masks with the most one-hot columns (one-hot does not invent an order).
	let best: boolean[] | null = null;
	let bestCount = -1;
	for (let bits = 1; bits < (1 << m) - 1; bits++) {
		const mask = cardinalities.map((_c, i) => (bits & (1 << i)) !== 0);
		const count = mask.filter(Boolean).length;
		if (width(mask) === target && count > bestCount) {
			best = mask;
			bestCount = count;
		}
	}
	return best;
}

/**
 * The file's text, or — when it is larger than `limit` bytes — its first whole lines up to
 * `limit`, read in chunks (a 2 GiB CSV is never one string). `bytes` is how much was used.
 */
export function readTextPrefix(
	path: string,
	size: number,
	limit: number,
): { text: string; bytes: number } {
	if (size <= limit) {
		return { text: readFileSync(path, 'utf8'), bytes: size };
	}
	const buf = Buffer.alloc(limit);
	const fd = openSync(path, 'r');
	let got = 0;
	try {
		while (got < limit) {
			const n = readSync(fd, buf, got, Math.min(8 * 1024 * 1024, limit - got), got);
			if (n === 0) {
				break;
			}
			got += n;
		}
	} finally {
		closeSync(fd);
	}
	const end = buf.subarray(0, got).lastIndexOf(10) + 1;
	return { text: buf.toString('utf8', 0, end), bytes: end };
}

/**
 * Reads a CSV file into raw features and labels. Throws BadInputError for a missing file, no rows,
 * unknown label columns, ragged rows, empty/NaN/Inf cells (naming row and column) and a feature width
 * that no encoding fits.
 */
export function readCsv(path: string, opts: CsvOptions): RawData {
	const name = basename(path);
	const { header, body, notes } = readTable(path, name);
	const labelNames = labelColumns(header, opts, name, notes);
	const columns: Column[] = header.map((h, j) => ({
		name: h,
		cells: body.map((r) => classify(r[j])),
	}));
	const where = (i: number, col: string): string => csvCellWhere(name, i, col);
	const labelCols = columns.filter((c) => labelNames.includes(c.name));
	// Keep the user's label order.
	labelCols.sort((a, b) => labelNames.indexOf(a.name) - labelNames.indexOf(b.name));
	const featureCols = columns.filter((c) => !labelNames.includes(c.name));
	checkCells(featureCols, labelCols, where);
	const oneHot = chooseEncoding(featureCols, opts, name, notes);
	const width = featureCols.reduce(
		(a, c) => a + (c.categories ? (oneHot.get(c) ? c.categories.length : 1) : 1),
		0,
	);
	const n = body.length;
	const x = packFeatures(featureCols, oneHot, n, width);
	const y = packLabels(labelCols, n, where);
	// Map a flat feature index back to its column (one-hot columns span several indices).
	const spans: { end: number; name: string }[] = [];
	let acc = 0;
	for (const c of featureCols) {
		acc += c.categories && oneHot.get(c) ? c.categories.length : 1;
		spans.push({ end: acc, name: c.name });
	}
	return {
		x: { values: x, shape: [n, width] },
		y,
		origin: name,
		locate: (i, j) => where(i, spans.find((s) => j < s.end)?.name ?? `#${j}`),
		notes,
	};
}

type Where = (i: number, col: string) => string;

/** The file's header and rows (a prefix of a large file, with a note saying so). */
function readTable(
	path: string,
	name: string,
): { header: string[]; body: string[][]; notes: string[] } {
	const size = fileSize(path, 'data file');
	const { text, bytes } = readTextPrefix(path, size, limits.csvBytes);
	const rows = parseCsv(text, /\.tsv$/i.test(path) ? '\t' : ',');
	if (rows.length === 0) {
		throw new BadInputError(csvNoRowsText(name));
	}
	const header = rows[0].map((h) => h.trim());
	const body = rows.slice(1);
	if (body.length === 0) {
		throw new BadInputError(csvNoDataRowsText(name));
	}
	body.forEach((r, i) => {
		if (r.length !== header.length) {
			throw new BadInputError(csvRowWidthText(name, i, r.length, header.length));
		}
	});
	const notes: string[] = [];
	if (bytes < size) {
		notes.push(csvTruncatedNote(name, size, body.length, limits.csvBytes));
	}
	return { header, body, notes };
}

/** The label columns asked for (or guessed, with a note); at least one feature column must remain. */
function labelColumns(header: string[], opts: CsvOptions, name: string, notes: string[]): string[] {
	let labelNames = opts.labels.filter((l) => l.trim() !== '');
	if (labelNames.length === 0) {
		const guess =
			header.find((h) => /^(label|labels|target|y|class)$/i.test(h)) ?? header[header.length - 1];
		labelNames = [guess];
		notes.push(labelColumnGuessNote(guess));
	}
	for (const l of labelNames) {
		if (!header.includes(l)) {
			throw new BadInputError(labelColumnMissingText(l, name, header));
		}
	}
	if (labelNames.length >= header.length) {
		throw new BadInputError(noFeatureColumnsText(name));
	}
	return labelNames;
}

/** Marks categorical feature columns; refuses typos in numeric ones and empty or NaN cells. */
function checkCells(featureCols: Column[], labelCols: Column[], where: Where): void {
	for (const c of featureCols) {
		const strs = c.cells.filter((x) => x.t === 'str').length;
		const nums = c.cells.filter((x) => x.t === 'num').length;
		if (strs === 0) {
			continue;
		}
		if (nums > strs) {
			// Mostly numbers with a few words: a typo or a missing-value marker, not a category.
			const i = c.cells.findIndex((x) => x.t === 'str');
			throw new BadInputError(
				cellNotNumberText(where(i, c.name), (c.cells[i] as { raw: string }).raw),
			);
		}
		c.categories = [...new Set(c.cells.map((x) => (x.t === 'num' ? String(x.v) : x.raw)))].sort();
	}
	for (const c of [...featureCols.filter((f) => !f.categories), ...labelCols]) {
		if (labelCols.includes(c) && c.cells.some((x) => x.t === 'str')) {
			continue;
		}
		const i = c.cells.findIndex((x) => x.t === 'bad');
		if (i >= 0) {
			const raw = (c.cells[i] as { raw: string }).raw;
			throw new BadInputError(cellNotFiniteText(where(i, c.name), raw));
		}
	}
}

/** One-hot or ordinal per categorical column (asked for, or chosen to fit the model's width). */
function chooseEncoding(
	featureCols: Column[],
	opts: CsvOptions,
	name: string,
	notes: string[],
): Map<Column, boolean> {
	const numericCount = featureCols.filter((c) => !c.categories).length;
	const cats = featureCols.filter((c) => c.categories);
	const encoding = opts.encoding ?? 'auto';
	let mask: boolean[] | null;
	if (encoding === 'onehot') {
		mask = cats.map(() => true);
	} else if (encoding === 'ordinal') {
		mask = cats.map(() => false);
	} else {
		mask = chooseOneHot(
			numericCount,
			cats.map((c) => c.categories!.length),
			opts.targetWidth,
		);
		if (mask === null) {
			const ord = numericCount + cats.length;
			const oh = numericCount + cats.reduce((a, c) => a + c.categories!.length, 0);
			throw new BadInputError(
				csvWidthMismatchText(name, featureCols.length, ord, oh, opts.targetWidth),
			);
		}
	}
	const oneHot = new Map(cats.map((c, i) => [c, mask![i]]));
	for (const c of cats) {
		const values = c.categories!;
		notes.push(columnEncodedNote(c.name, values, Boolean(oneHot.get(c))));
	}
	return oneHot;
}

/** The features as one row-major [n, width] array. */
function packFeatures(
	featureCols: Column[],
	oneHot: Map<Column, boolean>,
	n: number,
	width: number,
): Float32Array {
	const x = new Float32Array(n * width);
	let off = 0;
	for (const c of featureCols) {
		const cats = c.categories;
		const index = cats ? new Map(cats.map((v, k) => [v, k])) : undefined;
		const oh = cats ? oneHot.get(c) : false;
		for (let i = 0; i < n; i++) {
			const cell = c.cells[i];
			const base = i * width + off;
			if (!index) {
				x[base] = (cell as { v: number }).v;
			} else {
				const k = index.get(cell.t === 'num' ? String(cell.v) : cell.raw)!;
				if (oh) {
					x[base + k] = 1;
				} else {
					x[base] = k;
				}
			}
		}
		off += cats && oh ? cats.length : 1;
	}
	return x;
}

/** One text label column: class names; else numbers, one column per output. */
function packLabels(labelCols: Column[], n: number, where: Where): RawLabels {
	if (labelCols.length === 1 && labelCols[0].cells.some((x) => x.t === 'str')) {
		return {
			kind: 'classes',
			names: labelCols[0].cells.map((x) => (x.t === 'num' ? String(x.v) : x.raw)),
		};
	}
	const strCol = labelCols.find((c) => c.cells.some((x) => x.t === 'str'));
	if (strCol) {
		const i = strCol.cells.findIndex((x) => x.t === 'str');
		throw new BadInputError(textLabelAmongSeveralText(where(i, strCol.name)));
	}
	const k = labelCols.length;
	const yv = new Float32Array(n * k);
	labelCols.forEach((c, j) =>
		c.cells.forEach((cell, i) => (yv[i * k + j] = (cell as { v: number }).v)),
	);
	return { kind: 'numeric', array: { values: yv, shape: [n, k] } };
}
