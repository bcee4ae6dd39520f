/**
 * Overfitting rule (epoch pairs): the validation value has risen for `patience` epochs since its
 * best while the training value kept falling.
 */
import { formatNum } from '../present/format';
import { overfittingAction } from '../present/detectorActions';
import { findingSeverity } from './options';
import type { PairRule } from './rule';

/** Feeds one complete (train `t`, val `v`) epoch `e`. */
export const feedOverfitting: PairRule = (ctx, p, e, t, v, out) => {
	const of = ctx.options.overfitting;
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
		p.overfitArmed = true;
		return;
	}
	p.sinceBest++;
	const rising = v > p.bestVal * (1 + of.minDelta);
	const trainFalling = t < p.trainAtBest * (1 - of.minDelta);
	if (
		ctx.on('overfitting') &&
		p.overfitArmed &&
		p.underfitArmed &&
		p.sinceBest >= of.patience &&
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
