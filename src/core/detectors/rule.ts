/** What a rule sees of its detector set: the options, which kinds are on, latches, and findings. */
import type { Finding, FindingKind } from '../types';
import type { DetectorOptions } from './options';
import { findingSeverity } from './options';
import type { PairState, SeriesState } from './state';

export interface RuleContext {
	readonly options: DetectorOptions;
	/** Whether `kind` is enabled. */
	on(kind: FindingKind): boolean;
	/** Counts a healthy record for `kind`; re-arms it after enough in a row. */
	healthy(s: SeriesState, kind: FindingKind): void;
	/** An unhealthy record for `kind`: true when the kind was armed (so a finding is due). */
	unhealthy(s: SeriesState, kind: FindingKind): boolean;
	/** Whether a paired over/underfitting finding already explains this epoch series. */
	pairExplains(s: SeriesState): boolean;
}

/** A series' finding of `kind` from `step`, detected at `detectedAt`. */
export function seriesFinding(
	kind: FindingKind,
	s: SeriesState,
	step: number,
	detectedAt: number,
	message: string,
	action: string,
): Finding {
	return {
		kind,
		series: s.series,
		step,
		unit: s.unit,
		severity: findingSeverity[kind],
		message,
		action,
		detectedAt,
	};
}

/** "step" or "epoch", as the messages say it. */
export function unitWord(s: SeriesState): string {
	return s.unit === 'step' ? 'step' : 'epoch';
}

/** A rule over one finite value of a series (after divergence, which says whether it `diverged`). */
export type SeriesRule = (
	ctx: RuleContext,
	s: SeriesState,
	step: number,
	x: number,
	diverged: boolean,
	out: Finding[],
) => void;

/** A rule over one complete (train `t`, val `v`) epoch `e` of a pair. */
export type PairRule = (
	ctx: RuleContext,
	p: PairState,
	e: number,
	t: number,
	v: number,
	out: Finding[],
) => void;
