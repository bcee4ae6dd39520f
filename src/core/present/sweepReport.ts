/**
 * The sweep report (`lrscope sweep --out x.html`): a self-contained HTML page (inline SVG of the
 * final losses against LR, and the per-LR table; no scripts or external resources, so it opens
 * offline). Pure string builders: no tfjs, no vscode. The sweep CSV is `csv.ts`'s `sweepCsv`.
 */
import type { SweepResult } from '../types';
import { escapeXml, lightSvgTheme } from './svgTheme';
import { formatLoss, formatLr, formatSeconds } from './format';
import { headlineText } from './headline';
import { logTicks } from './ticks';
import { backendWithReason } from './words';

/** Final training and validation loss against LR (log x), the best LR marked. */
export function renderSweepSvg(r: SweepResult, width = 760, height = 360): string {
	const th = lightSvgTheme;
	const m = { left: 64, right: 16, top: 16, bottom: 44 };
	const pts = r.results.filter((run) => run.lr > 0);
	const ys = pts
		.flatMap((run) => [run.finalLoss, run.finalValLoss])
		.filter((v): v is number => v !== null && Number.isFinite(v));
	if (pts.length === 0 || ys.length === 0) {
		return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="60" role="img" aria-label="no finite losses"><text x="8" y="30" font-family="${escapeXml(th.fontFamily)}">no finite losses to plot</text></svg>`;
	}
	const { x0, x1, y0, y1, px, py } = sweepScales(pts, ys, width, height, m);
	const series = (key: 'finalLoss' | 'finalValLoss', color: string, label: string): string => {
		const seg = pts
			.filter((run) => run[key] !== null && Number.isFinite(run[key]))
			.map((run) => `${px(run.lr).toFixed(1)},${py(run[key]!).toFixed(1)}`);
		if (seg.length === 0) {
			return '';
		}
		const dots = seg
			.map((p) => {
				const [cx, cy] = p.split(',');
				return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${color}"/>`;
			})
			.join('');
		return `<g aria-label="${escapeXml(label)}"><polyline fill="none" stroke="${color}" stroke-width="2" points="${seg.join(' ')}"/>${dots}</g>`;
	};
	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="final loss against learning rate" font-family="${escapeXml(th.fontFamily)}" font-size="12">`,
		`<rect width="${width}" height="${height}" fill="${th.background}"/>`,
	];
	for (const t of logTicks(10 ** x0, 10 ** x1, 8)) {
		const x = px(t).toFixed(1);
		parts.push(
			`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${height - m.bottom}" stroke="${th.grid}"/>`,
			`<text x="${x}" y="${height - m.bottom + 16}" text-anchor="middle" fill="${th.text}">${escapeXml(formatLr(t))}</text>`,
		);
	}
	for (let i = 0; i <= 4; i++) {
		const v = y0 + ((y1 - y0) * i) / 4;
		const y = py(v).toFixed(1);
		parts.push(
			`<line x1="${m.left}" x2="${width - m.right}" y1="${y}" y2="${y}" stroke="${th.grid}"/>`,
			`<text x="${m.left - 6}" y="${y}" dy="4" text-anchor="end" fill="${th.text}">${escapeXml(v.toPrecision(3))}</text>`,
		);
	}
	parts.push(
		`<text x="${(m.left + width - m.right) / 2}" y="${height - 8}" text-anchor="middle" fill="${th.text}">learning rate (log scale)</text>`,
	);
	if (r.best) {
		const x = px(r.best.lr).toFixed(1);
		parts.push(
			`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${height - m.bottom}" stroke="#1a7f37" stroke-width="2" stroke-dasharray="5 4"/>`,
			`<text x="${x}" y="${height - m.bottom - 8}" ${Number(x) > width / 2 ? 'dx="-4" text-anchor="end"' : 'dx="4"'} fill="#1a7f37">best ${escapeXml(formatLr(r.best.lr))}</text>`,
		);
	}
	parts.push(series('finalLoss', '#0969da', 'final training loss'));
	parts.push(series('finalValLoss', '#cf222e', 'final validation loss'));
	parts.push(
		`<g transform="translate(${width - m.right - 170},${m.top + 6})"><rect width="164" height="40" fill="${th.background}" stroke="${th.grid}"/>`,
		`<line x1="8" x2="28" y1="13" y2="13" stroke="#0969da" stroke-width="2"/><text x="34" y="17" fill="${th.text}">final training loss</text>`,
		`<line x1="8" x2="28" y1="30" y2="30" stroke="#cf222e" stroke-width="2"/><text x="34" y="34" fill="${th.text}">final validation loss</text></g>`,
		'</svg>',
	);
	return parts.join('\n');
}

/**
 * Where the default grid came from: `range-test suggestion 3e-3 (valley)` (the headline, as every
 * surface writes it); `undefined` when the LRs were given.
 */
export function sweepGridCentreText(r: SweepResult): string | undefined {
	if (r.gridHeadline) {
		return `range-test suggestion ${headlineText(r.gridHeadline)}`;
	}
	return r.gridCenter !== undefined ? `range-test suggestion ${formatLr(r.gridCenter)}` : undefined;
}

/** A self-contained HTML page: chart, per-LR table, run facts and notes. */
export function renderSweepHtml(r: SweepResult, generatedAt = new Date()): string {
	const cell = formatLoss;
	const rows = r.results.map((run) => {
		const best = r.best !== null && run.lr === r.best.lr;
		return `<tr${best ? ' class="best"' : ''}><td>${escapeXml(formatLr(run.lr))}${best ? ' ← best' : ''}</td><td>${cell(run.finalLoss)}</td><td>${cell(run.finalValLoss)}</td><td>${run.batches}</td><td>${run.curve.map(cell).join(' → ')}</td></tr>`;
	});
	const facts: [string, string][] = [
		[
			'grid',
			`${r.results.length} LRs × ${r.epochs} epochs${r.folds > 1 ? ` × ${r.folds} folds` : ''}`,
		],
		['cost', `${r.totalBatches} batches, ${formatSeconds(r.seconds)}`],
		['backend', backendWithReason(r.backend)],
	];
	const centre = sweepGridCentreText(r);
	if (centre) {
		facts.push(['grid centre', centre]);
	}
	if (r.cancelled) {
		facts.push(['cancelled', 'yes: only the LRs that finished are shown']);
	}
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LR sweep</title>
<style>
body { font-family: ${lightSvgTheme.fontFamily}; color: #1f2328; background: #fff; margin: 24px; max-width: 920px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #59636e; margin: 0 0 16px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0 0 16px; width: 100%; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid #d0d7de; vertical-align: top; }
tr.best td { font-weight: bold; }
</style>
</head>
<body>
<h1>LR sweep</h1>
<p class="sub">Best learning rate: <strong>${r.best ? escapeXml(formatLr(r.best.lr)) : 'none (no run finished with a finite loss)'}</strong> · generated ${escapeXml(generatedAt.toISOString())} by LR Scope${centre ? ` · grid centre: ${escapeXml(centre)}` : ''}</p>
<figure>
${renderSweepSvg(r)}
</figure>
<table>
<thead><tr><th>LR</th><th>final loss</th><th>final val loss</th><th>batches</th><th>loss per epoch</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<table>
<tbody>
${facts.map(([k, v]) => `<tr><th scope="row">${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('\n')}
</tbody>
</table>
${r.notes.length ? `<ul>\n${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('\n')}\n</ul>` : ''}
</body>
</html>
`;
}

/** The log-LR and loss ranges (padded, so no point sits on the frame) and the value → pixel maps. */
function sweepScales(
	pts: readonly { lr: number }[],
	ys: readonly number[],
	width: number,
	height: number,
	m: { left: number; right: number; top: number; bottom: number },
): {
	x0: number;
	x1: number;
	y0: number;
	y1: number;
	px: (lr: number) => number;
	py: (v: number) => number;
} {
	const lx = pts.map((run) => Math.log10(run.lr));
	let x0 = Math.min(...lx);
	let x1 = Math.max(...lx);
	if (x1 - x0 < 1e-9) {
		x0 -= 0.5;
		x1 += 0.5;
	}
	// A margin so the end points and the best marker do not sit on the frame.
	const xPad = (x1 - x0) * 0.06;
	x0 -= xPad;
	x1 += xPad;
	let y0 = Math.min(...ys);
	let y1 = Math.max(...ys);
	const pad = (y1 - y0 || Math.abs(y1) || 1) * 0.08;
	y0 -= pad;
	y1 += pad;
	const px = (lr: number): number =>
		m.left + ((Math.log10(lr) - x0) / (x1 - x0)) * (width - m.left - m.right);
	const py = (v: number): number => m.top + ((y1 - v) / (y1 - y0)) * (height - m.top - m.bottom);
	return { x0, x1, y0, y1, px, py };
}
