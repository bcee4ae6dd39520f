/**
 * The HTML report page of a range test: self-contained (inline SVG and CSS; no scripts or external
 * resources: it opens offline). Pure; `src/host/report.ts` writes it to disk, the extension's
 * `Export Report` saves it.
 */
import type { LoadedRangeTest } from '../types';
import { suggestionNames } from '../types';
import type { Verification } from '../verify';
import { candidatesThemeOf, renderCandidatesSvg } from './candidatesSvg';
import { renderCurveSvg } from './curveSvg';
import { escapeXml, lightSvgTheme } from './svgTheme';
import { formatDecades, formatLr } from './format';
import { headlineText, verdictText } from './headline';
import { backendWithReason, ruleText, stopReasonText } from './words';
import {
	answerTimeText,
	candidateRows,
	heldOutText,
	probeLengthText,
	verifiedEvidenceText,
} from './verify';

/** The style sheet of the report (inline: the page opens offline). */
const reportCss = `body { font-family: ${lightSvgTheme.fontFamily}; color: #1f2328; background: #fff; margin: 24px; max-width: 920px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #59636e; margin: 0 0 16px; }
figure { margin: 0 0 16px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0 0 16px; width: 100%; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid #d0d7de; vertical-align: top; }
tr.headline th, tr.headline td { font-weight: bold; }
th[scope="row"] { white-space: nowrap; }
.evidence { margin: 0 0 16px; padding: 6px 10px; border-left: 3px solid #1a7f37; background: #f0fff4; }
.verdict { margin: 0 0 16px; padding: 6px 10px; border-left: 3px solid #bc4c00; background: #fff8f0; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
ul { padding-left: 20px; }`;

/** A self-contained HTML report (inline SVG and CSS; no scripts or external resources). */
export function renderReportHtml(result: LoadedRangeTest, generatedAt = new Date()): string {
	const svg = renderCurveSvg(result, { width: 880, height: 500 });
	const head = result.report.headline;
	const verdict = verdictText(head);
	const rows = suggestionRows(result);
	const facts = runFacts(result);
	const title = `LR range test — ${result.model.name}`;
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
${reportCss}
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="sub">Suggested learning rate: <strong class="headline">${escapeXml(headlineText(head))}</strong> · ${escapeXml(stopReasonText[result.stopReason])} · generated ${escapeXml(generatedAt.toISOString())} by LR Scope</p>
${verdict ? `<p class="verdict">${escapeXml(verdict)}</p>\n` : ''}${head.verified ? `<p class="evidence">${escapeXml(verifiedEvidenceText(head.verified))}</p>\n` : ''}
<figure>
${svg}
</figure>
${head.verified ? verificationSection(head.verified) : ''}
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

/** The verified headline's candidates: the small chart and the table it draws. */
function verificationSection(v: Verification): string {
	const svg = renderCandidatesSvg(v, {
		width: 520,
		height: 220,
		theme: candidatesThemeOf(lightSvgTheme),
	});
	const rows = candidateRows(v).map(
		(r) =>
			`<tr${r.winner ? ' class="headline"' : ''}><td>${escapeXml(r.lr)}</td><td>${escapeXml(r.loss)}</td>` +
			`<td>${escapeXml(r.steps)}</td><td>${escapeXml(r.origin)}</td><td>${escapeXml(r.status)}</td></tr>`,
	);
	return `<h2>Verification</h2>
<p>Held-out loss on ${escapeXml(heldOutText(v))}; probes of ${escapeXml(probeLengthText(v))}, each from the same initial weights.</p>
<figure>
${svg}
</figure>
<table>
<thead><tr><th>candidate LR</th><th>held-out loss</th><th>steps</th><th>from</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
`;
}

/** The suggestions table: the headline first, each rule, then the consensus. */
function suggestionRows(result: LoadedRangeTest): string[] {
	const rows = suggestionNames.map((name) => {
		const s = result.report.suggestions[name];
		const sp = result.spread?.per[name];
		return (
			`<tr><th scope="row"><span class="dot" style="background:${lightSvgTheme.markers[name]}"></span>${name}</th>` +
			`<td>${s ? formatLr(s.lr) : '—'}</td>` +
			(result.spread ? `<td>${sp ? `${formatLr(sp.min)} – ${formatLr(sp.max)}` : '—'}</td>` : '') +
			`<td>${escapeXml(ruleText[name])}</td></tr>`
		);
	});
	const head = result.report.headline;
	const verdict = verdictText(head);
	const cons = result.report.consensus;
	const a = result.report.agreement;
	const csp = result.spread?.per.consensus;
	rows.push(
		`<tr><th scope="row">consensus</th><td>${cons ? formatLr(cons.lr) : '—'}</td>` +
			(result.spread
				? `<td>${csp ? `${formatLr(csp.min)} – ${formatLr(csp.max)}` : '—'}</td>`
				: '') +
			`<td>${escapeXml(ruleText.consensus)}; ${a.agreeing} of ${a.of} within ${a.toleranceDecades} decade(s), spread ${formatDecades(a.spreadDecades)}</td></tr>`,
	);
	rows.unshift(
		`<tr class="headline"><th scope="row">suggested</th><td>${escapeXml(headlineText(head))}</td>` +
			(result.spread ? '<td></td>' : '') +
			`<td>${escapeXml(verdict ?? 'the headline every LR Scope surface shows')}</td></tr>`,
	);
	return rows;
}

/** The "Run" table: model, optimizer, ramp, stop, backend, time. */
function runFacts(result: LoadedRangeTest): [string, string][] {
	const facts: [string, string][] = [
		['model', `${result.model.name} (${result.model.params.toLocaleString('en-US')} parameters)`],
		['optimizer / loss', `${result.model.optimizer} / ${result.model.loss}`],
		[
			'ramp',
			`${result.ramp} ${formatLr(result.startLr)} → ${formatLr(result.endLr)}, ${result.lrs.length} of ${result.steps} steps`,
		],
		['stop', stopReasonText[result.stopReason]],
		['loss mode', result.lossMode],
		['batch size / seed', `${result.batchSize} / ${result.seed}`],
		['backend', backendWithReason(result.backend)],
		['time', answerTimeText(result)],
	];
	if (result.spread) {
		facts.push(['repeats', String(result.spread.runs)]);
	}
	return facts;
}
