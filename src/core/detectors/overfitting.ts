/**
 * Overfitting rule (epoch pairs): the validation value has risen for `patience` epochs since its
 * best while the training value kept falling.
 */
import { formatNum } from '../present/format';
import { overfittingAction } from '../present/detectorActions';
import { findingSeverity } from './options';
import type { PairRule } from './rule';
import type { PairState } from './state';

/** Feeds one complete (train `t`, val `v`) epoch `e`. */
export const feedOverfitting: PairRule = (ctx, p, e, t, v, out) => {
	const of = ctx.options.overfitting;
	feedValNoise(p, v);
	// The real lowest validation value, for the message and the epoch to stop at (issue 20): the
	// minDelta best below only decides whether a new best is progress enough to restart the count.
	if (v < p.minVal) {
		p.minVal = v;
		p.minEpoch = e;
		p.trainAtMin = t;
	}
	if (v < p.bestVal * (1 - of.minDelta) || p.bestVal === Infinity) {
		p.bestVal = v;
		p.bestEpoch = e;
		p.trainAtBest = t;
		p.sinceBest = 0;
		p.risingCount = 0;
		p.overfitArmed = true;
		return;
	}
	p.sinceBest++;
	// Risen beyond minDelta and beyond the validation loss's own epoch-to-epoch noise, on two
	// epochs in a row (issue 20: a small validation set's wobble was read as overfitting).
	const noise = p.valNoisePow < 1 ? Math.sqrt(p.valNoiseVar / (1 - p.valNoisePow)) : 0;
	p.risingCount = v > p.bestVal * (1 + Math.max(of.minDelta, 2 * noise)) ? p.risingCount + 1 : 0;
	const rising = p.risingCount >= 2;
	const trainFalling = t < p.trainAtBest * (1 - of.minDelta);
	if (
		ctx.on('overfitting') &&
		p.overfitArmed &&
		p.underfitArmed &&
		p.sinceBest >= of.patience &&
		e - p.minEpoch >= of.patience &&
		rising &&
		trainFalling
	) {
		p.overfitArmed = false;
		out.push({
			kind: 'overfitting',
			series: p.val,
			step: p.minEpoch,
			unit: 'epoch',
			severity: findingSeverity.overfitting,
			message: `${p.val} has risen for ${e - p.minEpoch} epochs since its best (${formatNum(p.minVal)} at epoch ${p.minEpoch}) while ${p.train} kept falling (${formatNum(p.trainAtMin)} → ${formatNum(t)}): the model is overfitting.`,
			action: overfittingAction(ctx.options.suggestedLr, p.minEpoch),
			detectedAt: e,
		});
	}
};

/** The validation series' noise apart from its trend: second differences of log v (as the plateau rule). */
function feedValNoise(p: PairState, v: number): void {
	const a = p.prevVal;
	const b = p.prevVal2;
	p.prevVal2 = a;
	p.prevVal = v;
	if (a === a && b === b && v > 0 && a > 0 && b > 0) {
		const d = Math.log(v) - 2 * Math.log(a) + Math.log(b);
		p.valNoiseVar = 0.9 * p.valNoiseVar + (0.1 * d * d) / 6;
		p.valNoisePow *= 0.9;
	}
}
