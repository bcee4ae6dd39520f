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
	if (v > 0) {
		p.recentLogVal.push(Math.log(v));
		if (p.recentLogVal.length > valTrendMax) {
			p.recentLogVal.shift();
		}
	}
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
	const rising = p.risingCount >= 2 || risesSinceMin(p, e, of.minDelta);
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

/** Epochs the rise trend is fitted over, at most (the newest ones since the lowest value). */
const valTrendMax = 12;
/** Epochs since the lowest value before the trend may speak (two patiences: a slow rise); fitted over all but the lowest. */
const valTrendMin = 6;

/**
 * A slow, steady rise (issue 20): a validation loss creeping up 0.3 % per epoch never clears twice
 * its noise above the best on two epochs in a row, yet over 6–12 epochs since its lowest value the
 * least-squares line through log v rises by more than minDelta and by more than two standard errors
 * of that rise. Fitted from the epoch after the lowest one, so an earlier fall does not count against
 * it — nor the lowest value itself: picked as the lowest of noisy values, it sits below the level by
 * about the noise and tilts a line drawn from it upwards (issue 20, healthy-578 of the tuning half: a
 * wobbly validation loss that went on to a new low read as a slow rise).
 */
function risesSinceMin(p: PairState, e: number, minDelta: number): boolean {
	const since = e - p.minEpoch;
	if (since < valTrendMin) {
		return false;
	}
	const ys = p.recentLogVal.slice(-Math.min(since, valTrendMax));
	const n = ys.length;
	const mx = (n - 1) / 2;
	const my = ys.reduce((a, y) => a + y, 0) / n;
	let sxx = 0;
	let sxy = 0;
	ys.forEach((y, i) => {
		sxx += (i - mx) ** 2;
		sxy += (i - mx) * (y - my);
	});
	const slope = sxy / sxx;
	const rss = ys.reduce((a, y, i) => a + (y - my - slope * (i - mx)) ** 2, 0);
	const span = n - 1;
	const se = Math.sqrt(rss / (n - 2) / sxx) * span;
	return slope * span > Math.max(minDelta, 2 * se);
}

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
