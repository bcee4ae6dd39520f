/**
 * Spike rule (step-level, llm-foundry KillLossSpike): more than `patience` consecutive values at
 * ≥ multiplier × the mean of the previous window.
 */
import { formatNum } from '../present/format';
import { spikeAction } from '../present/detectorActions';
import { seriesFinding, type SeriesRule } from './rule';

/** Feeds a finite step value (after the divergence rule, which says whether it `diverged`). */
export const feedSpike: SeriesRule = (ctx, s, step, x, diverged, out) => {
	if (s.unit !== 'step' || !ctx.on('spike')) {
		return;
	}
	const o = ctx.options;
	if (s.ringLen === s.ring.length) {
		const mean = s.ringSum / s.ringLen;
		if (x >= o.spike.multiplier * mean) {
			if (s.outliers === 0) {
				s.outlierStart = step;
				s.outlierPeak = x;
			} else if (s.outliers <= o.spike.patience) {
				s.outlierPeak = Math.max(s.outlierPeak, x);
			}
			s.outliers++;
			if (s.outliers > o.spike.patience && !diverged && ctx.unhealthy(s, 'spike')) {
				out.push(
					seriesFinding(
						'spike',
						s,
						s.outlierStart,
						step,
						`${s.series} spiked at step ${s.outlierStart}: ${s.outliers} steps in a row at ≥ ${o.spike.multiplier}× the mean of the previous ${s.ring.length} (${formatNum(mean)}).`,
						spikeAction(o.suggestedLr, s.outlierStart),
					),
				);
			}
		} else {
			s.outliers = 0;
			ctx.healthy(s, 'spike');
		}
	}
	s.pushRing(x);
};
