/**
 * Underfitting rule (epoch pairs): training and validation values both flat over `patience` epochs
 * while the training value is still high.
 */
import { formatNum } from '../present/format';
import { underfittingAction } from '../present/detectorActions';
import { findingSeverity } from './options';
import type { PairRule } from './rule';

/** Feeds one complete (train `t`, val `v`) epoch `e` (after the overfitting rule). */
export const feedUnderfitting: PairRule = (ctx, p, e, t, v, out) => {
	const uf = ctx.options.underfitting;
	const cap = uf.patience + 1;
	if (p.hist.length < cap) {
		p.hist.push({ e, t, v });
	} else {
		p.hist[p.histPos] = { e, t, v };
		p.histPos = (p.histPos + 1) % cap;
	}
	if (!p.underfitArmed && t < p.underfitRearmBelow) {
		p.underfitArmed = true;
	}
	if (!ctx.on('underfitting') || !p.underfitArmed || p.hist.length !== cap) {
		return;
	}
	const oldest = p.hist[p.histPos % cap];
	const flatT = oldest.t - t < uf.flatDelta * Math.abs(oldest.t);
	const flatV =
		oldest.v - v < uf.flatDelta * Math.abs(oldest.v) &&
		v - oldest.v < uf.flatDelta * Math.abs(oldest.v) * 5;
	const high = uf.highLoss !== null ? t >= uf.highLoss : t >= uf.highRatio * (p.firstTrain ?? t);
	if (!(flatT && flatV && high)) {
		return;
	}
	p.underfitArmed = false;
	p.underfitRearmBelow = 0.9 * t;
	const why =
		uf.highLoss !== null
			? `above ${formatNum(uf.highLoss)}`
			: `still ${formatNum((t / (p.firstTrain ?? t)) * 100)}% of its first-epoch value`;
	out.push({
		kind: 'underfitting',
		series: p.train,
		step: oldest.e,
		unit: 'epoch',
		severity: findingSeverity.underfitting,
		message: `${p.train} and ${p.val} have both been flat for ${uf.patience} epochs since epoch ${oldest.e} and the training loss is high (${formatNum(t)}, ${why}): the model is underfitting.`,
		action: underfittingAction(ctx.options.suggestedLr),
		detectedAt: e,
	});
};
