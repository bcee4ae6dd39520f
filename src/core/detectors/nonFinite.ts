/** Non-finite rule: a NaN/Infinity value fires at once (training cannot recover on its own). */
import { nonFiniteAction } from '../present/detectorActions';
import type { Finding } from '../types';
import { seriesFinding, unitWord, type RuleContext } from './rule';
import type { SeriesState } from './state';

/** A non-finite record (`null` after `finite`). */
export function feedNonFinite(
	ctx: RuleContext,
	s: SeriesState,
	step: number,
	out: Finding[],
): void {
	if (ctx.on('nonFinite') && ctx.unhealthy(s, 'nonFinite')) {
		out.push(
			seriesFinding(
				'nonFinite',
				s,
				step,
				step,
				`${s.series} became NaN/Infinity at ${unitWord(s)} ${step}; training cannot recover from this on its own.`,
				nonFiniteAction(ctx.options.suggestedLr),
			),
		);
	}
}
