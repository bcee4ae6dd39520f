/**
 * `--out` reports for a range test: a self-contained HTML page (inline SVG + suggestion table, no
 * scripts, no external resources: it opens offline), a standalone SVG, a CSV of the curve, or JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import {
	escapeXml,
	formatLrShort,
	lightSvgTheme,
	renderCurveSvg,
	stopReasonWords,
} from '../core/reportSvg';
import type { RangeTestResult } from '../core/types';
import { suggestionNames } from '../core/types';
import { BadInputError } from './errors';

const cell = (v: number | null | undefined): string =>
	typeof v === 'number' && Number.isFinite(v) ? String(v) : '';

/** CSV of the curve: step, lr, raw loss, smoothed loss (non-finite as empty cells). */
export function renderReportCsv(result: RangeTestResult): string {
	const lines = ['step,lr,loss,smoothed'];
	result.lrs.forEach((lr, i) =>
		lines.push(`${i},${lr},${cell(result.losses[i])},${cell(result.smoothed[i])}`),
	);
	return lines.join('\n') + '\n';
}

const what: Record<string, string> = {
	valley: 'inside the longest decreasing stretch of the loss (fastai default)',
	slide: 'where the loss gradient stops changing, sliding back from the end (fastai)',
	minimum: 'LR at the lowest loss, divided by 10',
	steep: 'steepest descent of the loss against log LR',
};

/** A self-contained HTML report (inline SVG and CSS; no scripts or external resources). */
export function renderReportHtml(result: RangeTestResult, generatedAt = new Date()): string {
	const svg = renderCurveSvg(result, { width: 880, height: 500 });
	const rows = suggestionNames.map((name) => {
		const s = result.report.suggestions[name];
		const sp = result.spread?.per[name];
		return (
			`<tr><th scope="row"><span class="dot" style="background:${lightSvgTheme.markers[name]}"></span>${name}</th>` +
			`<td>${s ? formatLrShort(s.lr) : '—'}</td>` +
			(result.spread
				? `<td>${sp ? `${formatLrShort(sp.min)} – ${formatLrShort(sp.max)}` : '—'}</td>`
				: '') +
			`<td>${escapeXml(what[name])}</td></tr>`
		);
	});
	const cons = result.report.consensus;
	const a = result.report.agreement;
	const csp = result.spread?.per.consensus;
	rows.push(
		`<tr class="consensus"><th scope="row">consensus</th><td>${cons ? formatLrShort(cons.lr) : '—'}</td>` +
			(result.spread
				? `<td>${csp ? `${formatLrShort(csp.min)} – ${formatLrShort(csp.max)}` : '—'}</td>`
				: '') +
			`<td>geometric median; ${a.agreeing} of ${a.of} within ${a.toleranceDecades} decade(s), spread ${a.spreadDecades.toFixed(2)} decades</td></tr>`,
	);
	const b = result.backend;
	const facts: [string, string][] = [
		['model', `${result.model.name} (${result.model.params.toLocaleString('en-US')} parameters)`],
		['optimizer / loss', `${result.model.optimizer} / ${result.model.loss}`],
		[
			'ramp',
			`${result.ramp} ${formatLrShort(result.startLr)} → ${formatLrShort(result.endLr)}, ${result.lrs.length} of ${result.steps} steps`,
		],
		['stop', stopReasonWords[result.stopReason]],
		['loss mode', result.lossMode],
		['batch size / seed', `${result.batchSize} / ${result.seed}`],
		['backend', `${b.name} (${b.package} ${b.version}, ${b.origin}): ${b.reason}`],
		['time', `${result.seconds.toFixed(1)} s`],
	];
	if (result.spread) {
		facts.push(['repeats', String(result.spread.runs)]);
	}
	const title = `LR range test — ${result.model.name}`;
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font-family: ${lightSvgTheme.fontFamily}; color: #1f2328; background: #fff; margin: 24px; max-width: 920px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #59636e; margin: 0 0 16px; }
figure { margin: 0 0 16px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0 0 16px; width: 100%; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid #d0d7de; vertical-align: top; }
tr.consensus th, tr.consensus td { font-weight: bold; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
ul { padding-left: 20px; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="sub">Suggested learning rate: <strong>${cons ? formatLrShort(cons.lr) : 'none (too few finite points)'}</strong> · ${escapeXml(stopReasonWords[result.stopReason])} · generated ${escapeXml(generatedAt.toISOString())} by LR Scope</p>
<figure>
${svg}
</figure>
<h2>Suggestions</h2>
<table>
<thead><tr><th>rule</th><th>LR</th>${result.spread ? '<th>range over repeats</th>' : ''}<th>meaning</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Run</h2>
<table>
<tbody>
${facts.map(([k, v]) => `<tr><th scope="row">${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('\n')}
</tbody>
</table>
${result.notes.length ? `<h2>Notes</h2>\n<ul>\n${result.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('\n')}\n</ul>` : ''}
</body>
</html>
`;
}

/**
 * Writes a report; the format follows the extension (.html/.htm, .svg, .csv, .json). Creates the folder.
 * Throws BadInputError for any other extension.
 */
export function writeReport(outPath: string, result: RangeTestResult): void {
	const ext = extname(outPath).toLowerCase();
	let text: string;
	if (ext === '.html' || ext === '.htm') {
		text = renderReportHtml(result);
	} else if (ext === '.svg') {
		text = `<?xml version="1.0" encoding="UTF-8"?>\n${renderCurveSvg(result, { width: 880, height: 500 })}\n`;
	} else if (ext === '.csv') {
		text = renderReportCsv(result);
	} else if (ext === '.json') {
		// Same shape as `--json`; non-finite numbers as null (DESIGN.md contract).
		text =
			JSON.stringify(
				result,
				(_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
				2,
			) + '\n';
	} else {
		throw new BadInputError(`--out ${outPath}: the report must end in .html, .svg, .csv or .json`);
	}
	const path = resolve(outPath);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}
