/**
 * Hover on an LR literal (or the `const` it comes through, or a string optimizer): a small SVG curve
 * of the range test that applies to it (core/provenance.ts; core `renderCurveSvg`, with this value
 * marked), the verdict, the headline and where it comes from, the four rules, and "Run again" /
 * "Open panel" command links. Without an applicable result: why, and "Run one" / "Link".
 */
import * as vscode from 'vscode';
import type { LrSite } from '../../core/lrSites';
import { renderCurveSvg } from '../../core/present/curveSvg';
import { darkSvgTheme, lightSvgTheme } from '../../core/present/svgTheme';
import { formatLr } from '../../core/present/format';
import { suggestionNames } from '../../core/types';
import type { Headline } from '../../core/types';
import {
	headlineEvidenceText,
	headlineIsConfident,
	headlineText,
	verdictText,
} from '../../core/present/headline';
import { judgeLr, siteOptimizer } from './advice';
import type { SiteEvidence } from './advice';
import type { EditorState } from './editorState';
import { Commands } from '../ids';

/** Size of the hover curve: wide enough for four markers, short enough not to push the text away. */
export const hoverCurveSize = { width: 340, height: 120 };

/** The site under `offset`: on its literal, on the identifier that carries it, or on a string optimizer. */
export function siteAt(
	sites: readonly LrSite[],
	offset: number,
): { site: LrSite; start: number; end: number } | undefined {
	for (const site of sites) {
		for (const r of [site.literal, site.via?.range]) {
			if (r && offset >= r.start && offset <= r.end) {
				return { site, start: r.start, end: r.end };
			}
		}
	}
	return undefined;
}

/** Markdown for one site and the evidence that applies to it (exported for tests). */
export function hoverMarkdown(
	site: LrSite,
	evidence: SiteEvidence,
	scriptPath: string,
	dark: boolean,
): vscode.MarkdownString {
	const md = new vscode.MarkdownString(undefined, true);
	md.supportHtml = true;
	// Only our commands may run from this hover's links.
	md.isTrusted = {
		enabledCommands: [
			Commands.runRangeTestOnScript,
			Commands.openPanel,
			Commands.linkResultToScript,
		],
	};
	const value = site.value;
	const what =
		value === undefined
			? 'this learning rate'
			: `${site.isDefault ? `${site.note} = ` : 'LR '}\`${formatLr(value)}\``;
	const runLink = `command:${Commands.runRangeTestOnScript}?${encodeURIComponent(JSON.stringify([{ scriptPath }]))}`;
	const linkLink = `command:${Commands.linkResultToScript}?${encodeURIComponent(JSON.stringify([{ scriptPath }]))}`;
	if (evidence.kind !== 'applies') {
		const why =
			evidence.kind === 'otherOptimizer'
				? `The range tests of this script and its linked models trained ${evidence.tested}; this LR is for ${evidence.site}, so they do not judge it.`
				: 'No LR range test of this script yet (results of other scripts or models are not used).';
		md.appendMarkdown(
			`**LR Scope** · ${what}\n\n${why} [Run one on this script](${runLink}) · [Link a model's result](${linkLink})`,
		);
		return md;
	}
	const applied = evidence.applied;
	const r = applied.rangeTest;
	const verdict = value === undefined ? undefined : judgeLr(value, r);
	const h = r.report.headline;
	md.appendMarkdown(
		`**LR Scope** · ${what}${verdict ? ` ${verdict.why}.` : value !== undefined ? ' is inside the range that trains.' : ''}\n\n`,
	);
	// Links first: a hover has a height limit, and the actions must not scroll out of view.
	const panelLink = `command:${Commands.openPanel}?${encodeURIComponent(JSON.stringify([{ resultId: applied.id, focus: 'curve' }]))}`;
	// The headline on one short line with the links; a verdict that is not clear gets its own line
	// below, so a long verdict never pushes the links out of view.
	const headline = headlineIsConfident(h) ? `Suggested ${headlineText(h)}` : headlineText(h);
	md.appendMarkdown(
		`${escapeMd(headline)} · from ${escapeMd(applied.source)} · [Run again](${runLink}) · [Open panel](${panelLink})\n\n`,
	);
	md.appendMarkdown(evidenceMd(h));
	const verdictLine = verdictText(h);
	const theme = dark ? darkSvgTheme : lightSvgTheme;
	const highlights: { lr: number; label: string; color: string }[] = [];
	if (value !== undefined && value > 0) {
		highlights.push({
			lr: value,
			label: `this ${formatLr(value)}`,
			color: verdict ? (dark ? '#f14c4c' : '#e51400') : theme.text,
		});
	}
	const svg = renderCurveSvg(r, { ...hoverCurveSize, theme, compact: true, highlights });
	const uri = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
	md.appendMarkdown(
		`<img src="${uri}" width="${hoverCurveSize.width}" height="${hoverCurveSize.height}" alt="LR range test curve"/>\n\n`,
	);
	const cells = suggestionNames.map((n) => {
		const s = r.report.suggestions[n];
		return s ? formatLr(s.lr) : '—';
	});
	md.appendMarkdown(
		`| ${suggestionNames.join(' | ')} |\n|${suggestionNames.map(() => ':-:').join('|')}|\n| ${cells.join(' | ')} |\n`,
	);
	if (verdictLine) {
		md.appendMarkdown(
			`\n${escapeMd(verdictLine.charAt(0).toUpperCase() + verdictLine.slice(1))}.\n`,
		);
	}
	return md;
}

/** A verified headline's evidence, word for word as every surface writes it; empty when unverified. */
function evidenceMd(h: Headline): string {
	const evidence = headlineEvidenceText(h);
	return evidence ? `${escapeMd(evidence)}\n\n` : '';
}

function escapeMd(s: string): string {
	return s.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

/** The LR Scope hover provider. */
export class LrHoverProvider implements vscode.HoverProvider {
	constructor(private readonly _state: EditorState) {}

	/** A hover on an LR literal; undefined elsewhere, when turned off or cancelled. */
	provideHover(
		doc: vscode.TextDocument,
		position: vscode.Position,
		token: vscode.CancellationToken,
	): vscode.Hover | undefined {
		if (!this._state.config.editor.hover) {
			return undefined;
		}
		const report = this._state.sites(doc, token);
		if (!report || token.isCancellationRequested) {
			return undefined;
		}
		const hit = siteAt(report.sites, doc.offsetAt(position));
		if (!hit) {
			return undefined;
		}
		const kind = vscode.window.activeColorTheme.kind;
		const dark = kind === vscode.ColorThemeKind.Dark || kind === vscode.ColorThemeKind.HighContrast;
		const evidence = this._state.evidence(doc)(siteOptimizer(report, hit.site));
		const md = hoverMarkdown(hit.site, evidence, doc.uri.fsPath, dark);
		return new vscode.Hover(
			md,
			new vscode.Range(doc.positionAt(hit.start), doc.positionAt(hit.end)),
		);
	}
}
