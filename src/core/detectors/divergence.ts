/**
 * Divergence rule: the smoothed value above k × the best so far after warm-up (the LR finder's
 * rule), or above an absolute cap. A jump that then stays flat is left to the spike rule for a
 * while (it may recover).
 */
import { formatNum } from '../present/format';
import { divergenceAction } from '../present/detectorActions';
import type { Finding } from '../types';
import { seriesFinding, unitWord, type RuleContext } from './rule';
import { spikeHoldSteps, type SeriesState } from './state';

/** Feeds a finite value; returns whether the series counts as diverged on this record. */
export function feedDivergence(
	ctx: RuleContext,
	s: SeriesState,
	step: number,
	x: number,
	out: Finding[],
): boolean {
	const o = ctx.options;
	const sm = s.divEma.push(x) as number;
	if (sm < s.best) {
		s.best = sm;
	}
	if (x > o.divergence.onsetFactor * s.best) {
		if (s.excursionStart === null) {
			s.excursionStart = step;
		}
	} else {
		s.excursionStart = null;
	}
	const warm =
		s.divEma.count > (s.unit === 'step' ? o.divergence.warmupSteps : o.divergence.warmupEpochs);
	// A jump that then stays flat is a spike until it has lasted long enough or grows further:
	// the spike rule reports it (it may recover), and divergence fires only if it persists.
	const jumpHold =
		s.outliers > 0 &&
		s.unit === 'step' &&
		ctx.on('spike') &&
		s.excursionStart !== null &&
		s.outlierStart - s.excursionStart <= 3 &&
		s.outliers <= spikeHoldSteps &&
		x <= 1.5 * s.outlierPeak;
	const overK = warm && sm > o.divergence.k * s.best && !jumpHold;
	const overCap = o.divergence.maxLoss !== null && sm > o.divergence.maxLoss;
	if (!ctx.on('divergence')) {
		return false;
	}
	if (!(overK || overCap)) {
		ctx.healthy(s, 'divergence');
		return false;
	}
	if (ctx.unhealthy(s, 'divergence')) {
		const start = s.excursionStart ?? step;
		const what = s.unit === 'step' ? 'smoothed value' : 'value';
		const why = overK
			? `its ${what} ${formatNum(sm)} is over ${o.divergence.k}× the best so far (${formatNum(s.best)})`
			: `its ${what} ${formatNum(sm)} is above the cap ${formatNum(o.divergence.maxLoss)}`;
		const u = unitWord(s);
		out.push(
			seriesFinding(
				'divergence',
				s,
				start,
				step,
				`${s.series} is diverging from ${u} ${start}: ${why} at ${u} ${step}.`,
				divergenceAction(o.suggestedLr),
			),
		);
	}
	return true;
}
