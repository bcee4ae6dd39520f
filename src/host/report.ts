/**
 * `--out` reports for a range test, written to disk: a self-contained HTML page, a standalone SVG, a
 * CSV of the curve (all drawn by `core/present`), or JSON. Node only; no tfjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { rangeTestCsv } from '../core/present/csv';
import { renderCurveSvg } from '../core/present/curveSvg';
import { renderReportHtml } from '../core/present/reportHtml';
import type { LoadedRangeTest } from '../core/types';
import { BadInputError } from '../shared/errors';
import { reportOutText } from '../core/present/trainingErrors';

/**
 * Writes a report; the format follows the extension (.html/.htm, .svg, .csv, .json). Creates the folder.
 * Throws BadInputError for any other extension.
 */
export function writeReport(outPath: string, result: LoadedRangeTest): void {
	const ext = extname(outPath).toLowerCase();
	let text: string;
	if (ext === '.html' || ext === '.htm') {
		text = renderReportHtml(result);
	} else if (ext === '.svg') {
		text = `<?xml version="1.0" encoding="UTF-8"?>\n${renderCurveSvg(result, { width: 880, height: 500 })}\n`;
	} else if (ext === '.csv') {
		text = rangeTestCsv(result);
	} else if (ext === '.json') {
		// Same shape as `--json`; non-finite numbers as null, since JSON has no NaN
		// or Infinity (docs/engine.md).
		text =
			JSON.stringify(
				result,
				(_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
				2,
			) + '\n';
	} else {
		throw new BadInputError(reportOutText(outPath));
	}
	const path = resolve(outPath);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}
