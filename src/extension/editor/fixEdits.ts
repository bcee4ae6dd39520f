/**
 * The edits behind the quick fixes, as offsets into the document text: set an LR to a suggestion,
 * insert a schedule callback class and register it in the `fit` call's callbacks. vscode-free, so
 * unit tests and the extension-host test check the same code.
 */
import type { FitCall, LrSite, LrSiteReport, OffsetEdit } from '../../core/lrSites';
import type * as LrSitesModule from '../../core/lrSites';
import { recommendSchedule } from '../../core/recommend';
import type { OptimizerKind } from '../../core/scheduleCode';
import { scheduleCode } from '../../core/scheduleCode';
import { parseScheduleSpec } from '../../core/schedules';
import type { ScheduleSpec } from '../../core/schedules';
import type { RangeTestResult } from '../../core/types';
import { lrLiteral, offeredLrs } from './advice';

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

/** The three schedule kinds offered, the recommended one first. */
export function scheduleChoices(
	r: RangeTestResult,
	totalSteps: number,
): { label: string; spec: ScheduleSpec; recommended: boolean }[] {
	const rec = recommendSchedule(r, { totalSteps });
	const peak =
		rec.spec.kind === 'oneCycle'
			? rec.spec.maxLr
			: rec.spec.kind === 'cosine'
				? (rec.spec.warmupTarget ?? rec.spec.initialLearningRate)
				: (offeredLrs(r)[0]?.lr ?? 1e-3);
	const cosine =
		rec.spec.kind === 'cosine'
			? rec.spec
			: parseScheduleSpec({ kind: 'cosine', initialLearningRate: peak, decaySteps: totalSteps });
	const oneCycle =
		rec.spec.kind === 'oneCycle'
			? rec.spec
			: parseScheduleSpec({ kind: 'oneCycle', maxLr: peak, totalSteps });
	const step = parseScheduleSpec({
		kind: 'step',
		initialLearningRate: peak,
		stepSize: Math.max(1, Math.ceil(totalSteps / 3)),
		gamma: 0.1,
	});
	const all = [
		{ label: 'cosine', spec: cosine, recommended: rec.spec.kind === 'cosine' },
		{ label: 'one-cycle', spec: oneCycle, recommended: rec.spec.kind === 'oneCycle' },
		{ label: 'step', spec: step, recommended: false },
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
