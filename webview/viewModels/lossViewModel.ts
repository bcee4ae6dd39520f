/**
 * The range-test tab's view-model: the loss-vs-LR curve at a chosen β, its headline, markers,
 * band and ranges, a comparison curve, and the screen-reader summary. Pure, unit-tested in node
 * (test/unit/viewModel.test.ts); the renderer (webview/charts/) only maps these numbers to pixels.
 */
import type { Headline, LoadedRangeTest, StopReason, SuggestionReport } from '../../src/core/types';
import { suggestionNames } from '../../src/core/types';
import { atBeta } from '../../src/core/headline';
import { smoothedAt } from '../../src/core/smoothing';
import { decimationIndices, maxDrawPoints } from '../../src/core/present/decimate';
import { formatDecades, formatLr } from '../../src/core/present/format';
import {
	headlineCardBasisText,
	headlineEvidenceText,
	headlineText,
	verdictText,
} from '../../src/core/present/headline';
import { curveMarkers, type CurveMarker } from '../../src/core/present/markers';
import { agreementText, backendText, stopReasonText } from '../../src/core/present/words';
import type { Y } from './series';
import { finiteOrNull, robustYRange } from './series';

/** A vertical marker on the loss-vs-LR chart (core/present/markers.ts): on the curve at its LR. */
export type Marker = CurveMarker;

/** Everything the loss-vs-LR chart and its read-outs need. */
export interface LossViewModel {
	x: number[];
	raw: Y[];
	smoothed: Y[];
	beta: number;
	report: SuggestionReport;
	/** The headline suggestion at this β, and its words (the same on every surface). */
	headline: Headline;
	headlineText: string;
	/** What the headline was computed from when not the drawn curve ("from the mean curve of 3 runs"). */
	headlineBasis: string | undefined;
	/** Why the curve gives no clear answer; `undefined` when the verdict is clear. */
	verdict: string | undefined;
	/** A verified headline's evidence (`verified: 3e-3 beat …`); `undefined` when not verified. */
	evidence: string | undefined;
	/** The rules that exist, the consensus, then the headline (drawn distinctly, last). */
	markers: Marker[];
	/** LR band (min, max) shaded around the consensus: repeat spread when there is one, else the suggestions' spread. */
	band: [number, number] | null;
	/** Where the band comes from, for the legend/summary. */
	bandSource: 'repeats' | 'suggestions' | null;
	/** Y range that keeps the descent readable when the diverging tail shoots up. */
	yRange: [number, number];
	xRange: [number, number];
	stopReason: StopReason;
	/** LR at which the test stopped (the last recorded LR). */
	stopLr: number | null;
}

/**
 * Builds the loss-vs-LR view-model. With `beta` equal to the result's own β the stored smoothing and
 * report are used as they are (they are what the engine and CLI reported); any other β recomputes
 * both with the core, as the user drags the slider (a verified headline stays, core `atBeta`).
 */
export function buildLossViewModel(
	result: LoadedRangeTest,
	beta: number = result.beta,
): LossViewModel {
	const { smoothed: smoothedFull, report } = atBeta(result, beta);
	const keep = decimationIndices(result.lrs.length, maxDrawPoints, [result.losses, smoothedFull]);
	const x = keep.map((i) => result.lrs[i]);
	const raw = keep.map((i) => finiteOrNull(result.losses[i]));
	const smoothed = keep.map((i) => finiteOrNull(smoothedFull[i]));

	const curve = { lrs: result.lrs, smoothed: smoothedFull, steps: result.steps, report };
	const headline = report.headline;
	const markers = curveMarkers(curve);

	let band: [number, number] | null = null;
	let bandSource: LossViewModel['bandSource'] = null;
	const spread = result.spread?.per.consensus;
	if (spread && result.spread && result.spread.runs > 1) {
		band = [spread.min, spread.max];
		bandSource = 'repeats';
	} else {
		const lrs = suggestionNames
			.map((n) => report.suggestions[n]?.lr)
			.filter((v): v is number => typeof v === 'number' && v > 0);
		if (lrs.length >= 2) {
			band = [Math.min(...lrs), Math.max(...lrs)];
			bandSource = 'suggestions';
		}
	}

	const finiteX = result.lrs.filter((v) => v > 0 && Number.isFinite(v));
	const xRange: [number, number] = finiteX.length
		? [Math.min(...finiteX), Math.max(...finiteX)]
		: [result.startLr, result.endLr];
	return {
		x,
		raw,
		smoothed,
		beta,
		report,
		headline,
		headlineText: headlineText(headline),
		headlineBasis: headlineCardBasisText(headline),
		verdict: verdictText(headline),
		evidence: headlineEvidenceText(headline),
		markers,
		band,
		bandSource,
		yRange: robustYRange(result.losses, smoothedFull),
		xRange,
		stopReason: result.stopReason,
		stopLr: result.lrs.length ? result.lrs[result.lrs.length - 1] : null,
	};
}

/** A second curve drawn under the selected one for comparison (smoothed with the same β). */
export interface CompareSeries {
	label: string;
	x: number[];
	smoothed: Y[];
}

/** The comparison curve of another result, smoothed with `beta`. */
export function buildCompareSeries(
	label: string,
	result: LoadedRangeTest,
	beta: number,
): CompareSeries {
	const smoothedFull = smoothedAt(result, beta);
	const keep = decimationIndices(result.lrs.length, maxDrawPoints, [smoothedFull]);
	return {
		label,
		x: keep.map((i) => result.lrs[i]),
		smoothed: keep.map((i) => finiteOrNull(smoothedFull[i])),
	};
}

/** The screen-reader (and export) summary of a range test. */
export function rangeTestSummary(
	label: string,
	result: LoadedRangeTest,
	vm: LossViewModel,
): string {
	const parts: string[] = [];
	parts.push(
		`Range test on ${label}: ${result.lrs.length} of ${result.steps} steps, LR ${formatLr(result.startLr)} to ${formatLr(result.endLr)} (${result.ramp}), ${stopReasonText[result.stopReason]}${vm.stopLr !== null && result.stopReason !== 'completed' ? ` at LR ${formatLr(vm.stopLr)}` : ''}.`,
	);
	const sugg = suggestionNames
		.map((n) => {
			const s = vm.report.suggestions[n];
			return s ? `${n} ${formatLr(s.lr)}` : `${n} none`;
		})
		.join(', ');
	parts.push(`Suggested LR ${vm.headlineText}.${vm.verdict ? ` ${capitalise(vm.verdict)}.` : ''}`);
	if (vm.evidence) {
		parts.push(`${capitalise(vm.evidence)}.`);
	}
	parts.push(`Rules (smoothing β ${vm.beta}): ${sugg}.`);
	const c = vm.report.consensus;
	const a = vm.report.agreement;
	parts.push(
		c
			? `Consensus ${formatLr(c.lr)}; ${agreementText(a)} (spread ${formatDecades(a.spreadDecades)}).`
			: 'No consensus: too few finite points.',
	);
	if (vm.band && vm.bandSource === 'repeats' && result.spread) {
		parts.push(
			`Across ${result.spread.runs} repeats the consensus ranged ${formatLr(vm.band[0])} to ${formatLr(vm.band[1])}.`,
		);
	}
	parts.push(`Backend ${backendText(result.backend)}.`);
	return parts.join(' ');
}

function capitalise(t: string): string {
	return t.charAt(0).toUpperCase() + t.slice(1);
}
