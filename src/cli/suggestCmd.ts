/** `lrscope suggest <curve.json|curve.csv> [--json]`: fastai's four LR suggestions, their consensus and agreement. */
import {
	badLrValueText,
	cannotReadText,
	curveArraysText,
	curveCsvHeaderText,
	curveEmptyText,
	curveJsonText,
	curveLengthsText,
	curveNotObjectText,
	curveNumItText,
	lrsNotIncreasingText,
	notANumberText,
	numItFlagText,
	suggestFileCountText,
	toleranceFlagText,
} from '../core/present/curveFileErrors';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { defaultToleranceDecades, trimRange } from '../core/suggest';
import { suggestionNames } from '../core/types';
import { suggest } from '../core/headline';
import { formatDecades, formatLr } from '../core/present/format';
import { headlineText, verdictText } from '../core/present/headline';
import { headlineJson } from '../core/present/json';
import { UsageError, numberFlag, out, parseCommandArgs, toJson, type Subcommand } from './common';
import { errorText } from '../core/present/errorText';

const help = `Usage: lrscope suggest <curve.json|curve.csv> [--json] [--num-it N] [--tolerance D]

Suggests learning rates from a range-test curve with fastai's four rules (valley, slide,
minimum, steep; same trim and NaN cut as fastai's lr_find), their consensus (median in log
space) and how many agree with it.

Input (losses already smoothed; null, NaN or an empty CSV cell marks a non-finite loss):
  JSON  {"lrs":[...],"losses":[...],"numIt":100}      numIt (optional) = requested steps
        or a saved range-test result ({"lrs":[...],"smoothed":[...],"steps":N,...})
  CSV   a header row with columns lr and loss (or smoothed), one step per row

Options:
  --json          print {"suggestions":{"valley":{"lr":..,"index":..},...},"consensus":{"lr":..},
                  "agreement":{"agreeing":..,"of":..,"toleranceDecades":..,"spreadDecades":..},...}
  --num-it N      override numIt (the leading trim is floor(numIt/10) points)
  --tolerance D   agreement half-width in decades of LR (default ${defaultToleranceDecades})
  -h, --help

Examples:
  lrscope suggest curve.json
  lrscope suggest curve.csv --json | jq '.consensus.lr'
  lrscope suggest .lrscope/last-range-test.json --tolerance 0.3
`;

/** A parsed curve file. */
export interface CurveInput {
	lrs: number[];
	losses: (number | null)[];
	numIt?: number;
}

/** A loss value from JSON or CSV: finite number, or null for anything non-finite. */
function lossValue(v: unknown, where: string): number | null {
	if (v === null) {
		return null;
	}
	if (typeof v === 'number') {
		return Number.isFinite(v) ? v : null;
	}
	if (typeof v === 'string') {
		const t = v.trim();
		if (t === '' || /^[+-]?(nan|inf|infinity)$/i.test(t)) {
			return null;
		}
		const n = Number(t);
		if (Number.isFinite(n)) {
			return n;
		}
	}
	throw new UsageError(notANumberText(where, v));
}

function lrValue(v: unknown, where: string): number {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
		throw new UsageError(badLrValueText(where, v));
	}
	return n;
}

/** Parses JSON, tolerating Python's bare NaN / Infinity tokens (json.dumps writes them). */
function parseLooseJson(text: string, file: string): unknown {
	try {
		return JSON.parse(text);
	} catch (e) {
		try {
			return JSON.parse(text.replace(/([[,:]\s*)(?:NaN|-?Infinity)(?=\s*[\],}])/g, '$1null'));
		} catch {
			throw new UsageError(curveJsonText(file, errorText(e)));
		}
	}
}

/** Reads a curve from JSON or CSV text; throws UsageError with a one-line reason on bad input. */
export function parseCurve(text: string, file: string): CurveInput {
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') {
		throw new UsageError(curveEmptyText(file));
	}
	const isJson =
		trimmed.startsWith('{') ||
		(extname(file).toLowerCase() === '.json' && !trimmed.startsWith('lr'));
	const curve = isJson ? parseJsonCurve(trimmed, file) : parseCsvCurve(trimmed, file);
	checkIncreasing(curve.lrs, file);
	return curve;
}

/**
 * The rules read a range test in step order, with the LR growing each step. A curve whose LRs go
 * down somewhere is not one (sorting it would reorder the steps the rules trim and smooth), so it
 * is refused with the first place it happens.
 */
function checkIncreasing(lrs: number[], file: string): void {
	for (let i = 1; i < lrs.length; i++) {
		if (lrs[i] < lrs[i - 1]) {
			const reversed = lrs[lrs.length - 1] < lrs[0];
			throw new UsageError(lrsNotIncreasingText(file, i, lrs[i], lrs[i - 1], reversed));
		}
	}
}

function parseJsonCurve(text: string, file: string): CurveInput {
	const o = parseLooseJson(text, file);
	if (typeof o !== 'object' || o === null || Array.isArray(o)) {
		throw new UsageError(curveNotObjectText(file));
	}
	const r = o as Record<string, unknown>;
	// A saved range-test result carries raw `losses` and `smoothed`; the rules want the smoothed ones.
	const key = Array.isArray(r.smoothed) ? 'smoothed' : 'losses';
	const lossesRaw = r[key];
	if (!Array.isArray(r.lrs) || !Array.isArray(lossesRaw)) {
		throw new UsageError(curveArraysText(file, Object.keys(r)));
	}
	if (r.lrs.length !== lossesRaw.length) {
		throw new UsageError(curveLengthsText(file, r.lrs.length, key, lossesRaw.length));
	}
	const lrs = r.lrs.map((v, i) => lrValue(v, `${file}: lrs[${i}]`));
	const losses = lossesRaw.map((v, i) => lossValue(v, `${file}: ${key}[${i}]`));
	const numItRaw = r.numIt ?? (key === 'smoothed' ? r.steps : undefined);
	if (numItRaw !== undefined && !(Number.isInteger(numItRaw) && (numItRaw as number) >= 0)) {
		throw new UsageError(curveNumItText(file, numItRaw));
	}
	return numItRaw === undefined ? { lrs, losses } : { lrs, losses, numIt: numItRaw as number };
}

function parseCsvCurve(text: string, file: string): CurveInput {
	const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
	const header = lines[0].split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
	const lrCol = header.indexOf('lr');
	const lossCol = header.includes('smoothed') ? header.indexOf('smoothed') : header.indexOf('loss');
	if (lrCol < 0 || lossCol < 0) {
		throw new UsageError(curveCsvHeaderText(file, header));
	}
	const lrs: number[] = [];
	const losses: (number | null)[] = [];
	for (let i = 1; i < lines.length; i++) {
		const cells = lines[i].split(',');
		lrs.push(lrValue(cells[lrCol], `${file}: line ${i + 1}, lr`));
		losses.push(lossValue(cells[lossCol] ?? '', `${file}: line ${i + 1}, ${header[lossCol]}`));
	}
	return { lrs, losses };
}

/** The `suggest` subcommand. */
export const suggestCommand: Subcommand = {
	name: 'suggest',
	summary: 'Suggest LRs from a range-test curve (fastai valley/slide/minimum/steep + consensus)',
	help,
	async run(argv: string[]): Promise<number> {
		const parsed = parseCommandArgs('suggest', {
			args: argv,
			options: {
				json: { type: 'boolean', default: false },
				'num-it': { type: 'string' },
				tolerance: { type: 'string' },
			},
			allowPositionals: true,
			strict: true,
		});
		const { values, positionals } = parsed;
		if (positionals.length !== 1) {
			throw new UsageError(suggestFileCountText(positionals.length));
		}
		const file = positionals[0];
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (e) {
			throw new UsageError(cannotReadText(file, (e as NodeJS.ErrnoException).code ?? errorText(e)));
		}
		const curve = parseCurve(text, file);
		const numItFlag = numberFlag('num-it', values['num-it']);
		if (numItFlag !== undefined && !(Number.isInteger(numItFlag) && numItFlag >= 0)) {
			throw new UsageError(numItFlagText(values['num-it']));
		}
		const tol = numberFlag('tolerance', values.tolerance, defaultToleranceDecades) as number;
		if (!(tol > 0)) {
			throw new UsageError(toleranceFlagText(values.tolerance));
		}
		const numIt = numItFlag ?? curve.numIt ?? curve.lrs.length;
		const report = suggest(curve.lrs, curve.losses, numIt, { toleranceDecades: tol });
		const [start, end] = trimRange(curve.losses, numIt);
		const head = report.headline;
		if (values.json) {
			out(
				toJson({
					...report,
					headline: headlineJson(head),
					points: curve.lrs.length,
					numIt,
					used: { start, end },
				}),
			);
			return 0;
		}
		out(
			`${file}: ${curve.lrs.length} points (numIt ${numIt}); rules read steps ${start}..${end - 1} (${Math.max(0, end - start)} points)`,
		);
		const verdict = verdictText(head);
		out(`  suggested LR: ${headlineText(head)}${verdict ? `\n  ${verdict}` : ''}`);
		for (const name of suggestionNames) {
			const s = report.suggestions[name];
			out(
				`  ${name.padEnd(10)} ${s ? formatLr(s.lr).padStart(9) : '      n/a'}${s?.index !== undefined ? `   step ${s.index}` : '   (too few points)'}`,
			);
		}
		const a = report.agreement;
		out(
			`  ${'consensus'.padEnd(10)} ${report.consensus ? formatLr(report.consensus.lr).padStart(9) : '      n/a'}   ` +
				`${a.agreeing}/${a.of} within ${a.toleranceDecades} decade, spread ${formatDecades(a.spreadDecades)}`,
		);
		return 0;
	},
};
