/**
 * CSV writers: ONE schema per export, used by the panel's Export CSV, `LR Scope: Export Report`
 * and `lrscope … --out x.csv` alike (documented in docs/panel.md, "Export"). Non-finite values are
 * empty cells; text cells are quoted when they need it (RFC 4180).
 */
import type { LoadedRangeTest, LogRecord, SweepResult } from '../types';
import { atBeta } from '../headline';
import { headlineText, verdictText } from './headline';

/** The range-test CSV header. */
export const rangeTestCsvHeader = 'step,lr,loss,smoothed,beta,headline,verdict';
/** The sweep CSV header. */
export const sweepCsvHeader = 'lr,epoch,loss,val_loss,best';

/** A numeric cell: the number as JavaScript writes it (full precision), empty when non-finite. */
export function numCell(v: number | null | undefined): string {
	return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** A text cell, quoted when it holds a comma, a quote or a line break. */
export function textCell(s: string): string {
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A range test: `step,lr,loss,smoothed,beta,headline,verdict`, one row per recorded step. `smoothed`
 * is the debiased EMA at `beta` (the result's own β unless the panel's slider chose another). The
 * row where the headline marker sits carries `headline` (e.g. `3e-3 (valley)`) and, when the
 * curve gives no clear answer, `verdict`; both are empty on every other row.
 */
export function rangeTestCsv(result: LoadedRangeTest, beta: number = result.beta): string {
	const { smoothed, report } = atBeta(result, beta);
	const h = report.headline;
	const lines = [rangeTestCsvHeader];
	result.lrs.forEach((lr, i) => {
		const mark = h.index === i;
		lines.push(
			[
				i,
				lr,
				numCell(result.losses[i]),
				numCell(smoothed[i]),
				beta,
				mark ? textCell(headlineText(h)) : '',
				mark ? textCell(verdictText(h) ?? '') : '',
			].join(','),
		);
	});
	return `${lines.join('\n')}\n`;
}

/** A sweep: `lr,epoch,loss,val_loss,best`, one row per LR and epoch; `best` is 1 on the best LR's rows. */
export function sweepCsv(sweep: SweepResult): string {
	const lines = [sweepCsvHeader];
	for (const r of sweep.results) {
		const best = sweep.best !== null && r.lr === sweep.best.lr ? '1' : '0';
		r.curve.forEach((v, i) => {
			lines.push([r.lr, i + 1, numCell(v), numCell(r.valCurve?.[i]), best].join(','));
		});
	}
	return `${lines.join('\n')}\n`;
}

/** A live run: `step,unit,<every series, sorted>`, one row per record. */
export function liveCsv(records: readonly LogRecord[]): string {
	const names = [...new Set(records.flatMap((r) => Object.keys(r.values)))].sort();
	const lines = [['step', 'unit', ...names.map(textCell)].join(',')];
	for (const r of records) {
		lines.push([r.step, r.unit, ...names.map((n) => numCell(r.values[n]))].join(','));
	}
	return `${lines.join('\n')}\n`;
}
