/**
 * The edits behind the quick fixes, as offsets into the document text: set an LR to a suggestion,
 * insert a schedule callback class and register it in the `fit` call's callbacks. vscode-free, so
 * unit tests and the extension-host test check the same code.
 */
import type { FitCall, LrSite, LrSiteReport, OffsetEdit } from '../../core/lrSites';
import type * as LrSitesModule from '../../core/lrSites';
import { formatLr, lrLiteral } from '../../core/present/format';
import { headlineText } from '../../core/present/headline';
import { divergenceLr, minShapedSteps, recommendSchedule } from '../../core/recommend';
import type { OptimizerKind } from '../../core/tfjsNames';
import { scheduleCode } from '../../core/schedules/scheduleCode';
import { parseScheduleSpec } from '../../core/schedules/parseSpec';
import type { ScheduleSpec } from '../../core/schedules/spec';
import type { LoadedRangeTest } from '../../core/types';

/** Batches per epoch assumed when nothing better is known (the generated code says so). */
export const assumedBatchesPerEpoch = 100;

/** Training length for a schedule: the live run's steps, else epochs × an assumed 100 batches. */
export function estimateSteps(
	fit: FitCall | undefined,
	runSteps: number | undefined,
): { steps: number; how: string } {
	if (runSteps && runSteps >= 10) {
		return { steps: runSteps, how: `the last run's ${runSteps} steps` };
	}
	const epochs = fit?.epochs && fit.epochs > 0 ? Math.round(fit.epochs) : 10;
	return {
		steps: epochs * assumedBatchesPerEpoch,
		how: `${epochs} epochs${fit?.epochs ? '' : ' (assumed)'} × ${assumedBatchesPerEpoch} batches (assumed)`,
	};
}

/** One schedule the quick fixes offer. */
export interface ScheduleChoice {
	label: string;
	spec: ScheduleSpec;
	recommended: boolean;
	/** The schedule's peak LR: the headline's, unless capped (then `peakText` says why). */
	peak: number;
	/** "3e-3 (valley)" — the headline's text — or why the peak differs from it. */
	peakText: string;
}

/**
 * The three schedule kinds offered, the recommended one (core `recommendSchedule`) first. All peak
 * at the headline LR, so the inserted code and the lens say the same number; only when the
 * headline is above a tenth of the LR where the range test diverged (the recommender's safety
 * cap) is the peak lower, and `peakText` says so. Nothing when the curve gave no headline.
 */
export function scheduleChoices(r: LoadedRangeTest, totalSteps: number): ScheduleChoice[] {
	const h = r.report.headline;
	if (h.lr === null || !(h.lr > 0)) {
		return [];
	}
	const rec = recommendSchedule(r, { totalSteps });
	const div = divergenceLr(r);
	const cap = div === null ? Infinity : div / 10;
	const peak = Math.min(h.lr, cap);
	const peakText =
		peak < h.lr
			? `${formatLr(peak)}, not the headline ${headlineText(h)}: capped at 1/10 of where the range test diverged (${formatLr(div)})`
			: headlineText(h);
	let cosine: ScheduleSpec;
	if (totalSteps >= minShapedSteps) {
		// The recommender's cosine shape (10% linear warmup from peak/25), peaking at the headline.
		const warmupSteps = Math.max(1, Math.round(0.1 * totalSteps));
		cosine = parseScheduleSpec({
			kind: 'cosine',
			initialLearningRate: peak / 25,
			warmupTarget: peak,
			warmupSteps,
			decaySteps: totalSteps - warmupSteps,
			alpha: 0,
		});
	} else {
		cosine = parseScheduleSpec({
			kind: 'cosine',
			initialLearningRate: peak,
			decaySteps: totalSteps,
		});
	}
	const oneCycle = parseScheduleSpec({ kind: 'oneCycle', maxLr: peak, totalSteps });
	const step = parseScheduleSpec({
		kind: 'step',
		initialLearningRate: peak,
		stepSize: Math.max(1, Math.ceil(totalSteps / 3)),
		gamma: 0.1,
	});
	const all = [
		{ label: 'cosine', spec: cosine, recommended: rec.spec.kind === 'cosine', peak, peakText },
		{
			label: 'one-cycle',
			spec: oneCycle,
			recommended: rec.spec.kind === 'oneCycle',
			peak,
			peakText,
		},
		{ label: 'step', spec: step, recommended: false, peak, peakText },
	];
	return [...all.filter((c) => c.recommended), ...all.filter((c) => !c.recommended)];
}

/** A class name not yet used in `text`. */
export function freeClassName(text: string, base = 'LrScopeSchedule'): string {
	let name = base;
	for (let i = 2; new RegExp(`\\b${name}\\b`).test(text); i++) {
		name = `${base}${i}`;
	}
	return name;
}

/**
 * The edits that insert a schedule callback: the class above the statement with the fit call
 * (indented like it, referring to the file's tfjs namespace) and an instance in `callbacks`.
 * `tf.Callback` becomes `<ns>.Callback`, or `Callback` added to the named tfjs import.
 */
export function scheduleEdits(
	finder: Pick<typeof LrSitesModule, 'callbacksEdit'>,
	report: LrSiteReport,
	fit: FitCall,
	spec: ScheduleSpec,
	optimizer: OptimizerKind,
	text: string,
	sizedFor: string,
): OffsetEdit[] {
	const cls = freeClassName(text);
	let code = scheduleCode(spec, { optimizer, className: cls });
	const edits: OffsetEdit[] = [];
	if (report.tfNamespace && report.tfNamespace !== 'tf') {
		code = code.replace(/\btf\.Callback\b/g, `${report.tfNamespace}.Callback`);
	} else if (!report.tfNamespace && report.namedImport) {
		code = code.replace(/\btf\.Callback\b/g, 'Callback');
		if (!report.namedImport.names.includes('Callback')) {
			edits.push({
				start: report.namedImport.insertAt,
				end: report.namedImport.insertAt,
				text: ', Callback',
			});
		}
	}
	const lines = [`// LR Scope: sized for ${sizedFor}.`, ...code.trimEnd().split('\n')];
	const block = lines.map((l) => (l ? fit.statementIndent + l : l)).join('\n') + '\n\n';
	edits.push({ start: fit.statementLineStart, end: fit.statementLineStart, text: block });
	edits.push(finder.callbacksEdit(fit, `new ${cls}()`, text));
	return edits;
}

/** The edit that sets `site`'s LR to `lr`, or undefined when the site has no literal to change. */
export function setLrEdit(site: LrSite, lr: number, report: LrSiteReport): OffsetEdit | undefined {
	const lit = lrLiteral(lr);
	if (site.kind === 'stringOptimizer' && site.literal && site.optimizer) {
		// 'sgd' → tf.train.sgd(0.003): a string optimizer cannot take an LR.
		const ns = report.tfNamespace ?? 'tf';
		const args = site.optimizer === 'momentum' ? `${lit}, 0.9` : lit;
		return {
			start: site.literal.start,
			end: site.literal.end,
			text: `${ns}.train.${site.optimizer}(${args})`,
		};
	}
	if (site.literal) {
		return { start: site.literal.start, end: site.literal.end, text: lit };
	}
	if (site.argumentInsertAt !== undefined) {
		return { start: site.argumentInsertAt, end: site.argumentInsertAt, text: lit };
	}
	return undefined;
}
