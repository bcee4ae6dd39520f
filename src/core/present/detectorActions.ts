/**
 * What a detector finding tells the user to do, naming the range test's suggested LR when there is
 * one (docs/detectors.md). The words of the detectors' `action` field.
 */
import { formatLr } from './format';

function lrHint(suggestedLr: number | null, prefix: string): string {
	return suggestedLr !== null
		? `${prefix} ~${formatLr(suggestedLr)} (the range test's suggestion)`
		: '';
}

export function nonFiniteAction(suggestedLr: number | null): string {
	const hint = lrHint(suggestedLr, ', e.g.');
	return `Lower the learning rate${hint}, add gradient clipping (clipNorm), and check the inputs and loss for NaN, log(0) or division by zero.`;
}

export function divergenceAction(suggestedLr: number | null): string {
	const hint = lrHint(suggestedLr, ' to');
	return hint
		? `Lower the learning rate${hint}, or add warm-up / gradient clipping.`
		: 'Lower the learning rate 3–10× (or run an LR range test), or add warm-up / gradient clipping.';
}

export function spikeAction(suggestedLr: number | null, start: number): string {
	const hint = lrHint(suggestedLr, ', e.g.');
	return `Check the batches around step ${start} for bad data; if spikes recur, lower the learning rate${hint}, add warm-up or clip gradients.`;
}

export function plateauAction(suggestedLr: number | null): string {
	const hint = lrHint(suggestedLr, '; if it is far above');
	return `Reduce the learning rate (×0.1, as ReduceLROnPlateau does)${hint ? hint + ', try that' : ''}, or stop if the model has converged.`;
}

export function overfittingAction(suggestedLr: number | null, bestEpoch: number): string {
	const hint = lrHint(suggestedLr, ', e.g.');
	return `Stop at epoch ${bestEpoch} (early stopping that restores the best weights), or lower the learning rate${hint}, or regularise (dropout, weight decay, more data or augmentation).`;
}

export function underfittingAction(suggestedLr: number | null): string {
	const hint = lrHint(suggestedLr, ', e.g.');
	return `Raise the learning rate if it is low${hint}, train longer, or give the model more capacity / less regularisation.`;
}
