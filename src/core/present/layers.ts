/**
 * Words and numbers of the layer findings (issue 15): every message, action and number a user reads
 * about a layer is written here, so the notification, the Problems entry, the panel's Layers view
 * and the CLI say the same thing.
 */
import type { LayerFindingKind, NanWhere, RunState } from '../layers/types';
import { formatLr } from './format';

/**
 * A ratio or norm for display: `3.2e-4`, `0.12`, `1.5e3` — two significant digits, written the way
 * an LR is (the same rounding, so a ratio and an LR never read differently).
 */
export function formatSignal(x: number | null | undefined): string {
	return formatLr(x);
}

/** A fraction as a whole percent: `62%`. */
export function formatPercent(x: number): string {
	return `${Math.round(x * 100)}%`;
}

/** Short names of the layer finding kinds (chart markers, the finding list, the CLI). */
export const layerFindingKindText: Readonly<Record<LayerFindingKind, string>> = Object.freeze({
	updateRatioHigh: 'LR too high for a layer',
	notLearning: 'layer not learning',
	deadUnits: 'dead ReLUs',
	saturation: 'saturated units',
	vanishingGradients: 'vanishing gradients',
	explodingGradients: 'exploding gradients',
	earlyDivergence: 'divergence ahead',
	nanOrigin: 'NaN origin',
});

const lrHint = (lr: number | null, prefix: string): string =>
	lr !== null ? `${prefix} ~${formatLr(lr)} (the range test's suggestion)` : '';

/** Message and action of each layer finding. */
export const layerWords = {
	updateRatioHigh: (layer: string, ratio: number, lr: number | null) => ({
		message: `LR too high for ${layer}: each step changes its weights by ${formatSignal(ratio)} of their size (healthy is about 1e-3)`,
		action: `Lower the learning rate${lrHint(lr, ', e.g. to')}, or clip gradients (clipNorm); if only ${layer} is affected, normalise its inputs.`,
	}),
	notLearning: (layer: string, ratio: number | null, state: RunState = null) => ({
		message:
			ratio === null || ratio === 0
				? `${layer} is not learning: its gradient is zero`
				: `${layer} is barely learning: each step changes its weights by only ${formatSignal(ratio)} of their size (healthy is about 1e-3)`,
		action:
			state?.kind === 'diverged'
				? `The run diverged, which can stall a layer: lower the learning rate and restart (do not raise it); then check that ${layer} is trainable and connected to the loss.`
				: state?.kind === 'hugeLr'
					? `The learning rate is already ${formatLr(state.lr)}, far too high to raise: lower it, then check that ${layer} is trainable and connected to the loss.`
					: state?.kind === 'ratioHigh'
						? `The learning rate is already too high (see the "LR too high" finding), so do not raise it: lower it and restart, then check that ${layer} is trainable and connected to the loss.`
						: `Check that ${layer} is trainable and connected to the loss; if it is, raise the learning rate or use an adaptive optimizer (Adam).`,
	}),
	deadUnits: (
		layer: string,
		fraction: number,
		since: number,
		cause: { upstream: string | null; state: RunState } = { upstream: null, state: null },
	) => ({
		message:
			`${formatPercent(fraction)} of ${layer}'s ReLU units are dead (never active on the probe batch since step ${since})` +
			(cause.upstream !== null
				? `: ${cause.upstream} before it is dead, so ${layer} gets no input`
				: ''),
		action:
			cause.upstream !== null
				? `Fix ${cause.upstream} first (see its finding): ${layer} is dead only because its input is; it recovers with it.`
				: cause.state?.kind === 'diverged'
					? `The run diverged and its large updates killed these units: lower the learning rate and restart (dead units rarely recover), or use LeakyReLU/ELU.`
					: cause.state?.kind === 'hugeLr'
						? `A learning rate of ${formatLr(cause.state.lr)} makes updates large enough to kill units: lower it and restart (dead units rarely recover), or use LeakyReLU/ELU.`
						: cause.state?.kind === 'ratioHigh'
							? `The learning rate is too high (see the "LR too high" finding): its large updates killed these units. Lower it and restart (dead units rarely recover), or use LeakyReLU/ELU.`
							: `Initialise ${layer}'s bias at 0 (not negative), lower the learning rate, or use LeakyReLU/ELU.`,
	}),
	saturation: (layer: string, fraction: number, since: number, first: boolean) => ({
		message: `${formatPercent(fraction)} of ${layer}'s sigmoid/tanh activations are saturated (within 1% of their bounds on the probe batch since step ${since}): they pass almost no gradient`,
		action: first
			? `Standardise the inputs (zero mean, unit variance per feature): large inputs saturate the first layer. Or use ReLU there.`
			: `Use smaller initial weights (Glorot), add batch normalisation before ${layer}'s activation, or use ReLU.`,
	}),
	vanishingGradients: (first: string, last: string, ratio: number, saturated: number | null) => ({
		message: `Gradients vanish on their way back to the input: per weight, ${first} (the first layer) gets ${formatSignal(ratio)}× the gradient of ${last}${saturated !== null && saturated >= 0.01 ? `; ${formatPercent(saturated)} of the sigmoid/tanh activations are saturated` : ''}`,
		action:
			'Use ReLU (or LeakyReLU) in hidden layers with He initialisation, add batch normalisation or residual connections; a higher learning rate will not fix it.',
	}),
	explodingGradients: (layer: string, growth: number, steps: number, lr: number | null) => ({
		message: `Gradients explode in ${layer}: its gradient norm grew ${formatSignal(growth)}× within ${steps} steps`,
		action: `Clip gradients (clipNorm: 1), lower the learning rate${lrHint(lr, ', e.g. to')}, or add warm-up.`,
	}),
	earlyDivergence: (growth: number, lr: number | null) => ({
		message: `Divergence ahead: the gradient norm has grown ${formatSignal(growth)}× above its low and keeps rising, while the loss has not risen yet`,
		action: `Lower the learning rate now${lrHint(lr, ', e.g. to')}, or clip gradients (clipNorm); if a schedule raises the LR, cap it here.`,
	}),
	earlyDivergenceRatio: (layer: string, growth: number, ratio: number, lr: number | null) => ({
		message: `Divergence ahead: ${layer}'s steps have grown ${formatSignal(growth)}× against its weights (each step now changes them by ${formatSignal(ratio)} of their size; healthy is about 1e-3), while the loss has not risen yet`,
		action: `Lower the learning rate now${lrHint(lr, ', e.g. to')}; if a schedule raises the LR, cap it here.`,
	}),
	nanOrigin: (layer: string | null, where: NanWhere, step: number) => ({
		message:
			layer === null
				? `NaN/Infinity first appeared at step ${step} with every layer's weights finite and no layer producing it on the probe batch: that step's inputs or labels, or the loss, carry it`
				: `NaN/Infinity first appeared in ${layer} at step ${step} (its ${where === 'weight' ? 'weights' : where === 'gradient' ? 'gradient' : 'output'})`,
		action:
			layer === null
				? `Check the inputs and labels of step ${step}'s batch for NaN, and the loss for log(0) or division by zero.`
				: where === 'output'
					? `Check ${layer}'s operation for log/sqrt/division of values that reach 0 or below, and the inputs for NaN.`
					: `Lower the learning rate or clip gradients (clipNorm); check ${layer}'s inputs for NaN or huge values.`,
	}),
} as const;

/** One line for a layer sample (CLI text mode): the worst update ratio and any dead layers. */
export function layerSampleLine(s: {
	step: number;
	layers: string[];
	updateRatio: (number | null)[];
	dead: (number | null)[];
	every: number;
}): string {
	let worst = -1;
	for (let i = 0; i < s.layers.length; i++) {
		const r = s.updateRatio[i];
		if (r !== null && (worst < 0 || r > (s.updateRatio[worst] ?? 0))) {
			worst = i;
		}
	}
	const parts = [`layers @${s.step}`];
	if (worst >= 0) {
		parts.push(`max |Δw|/|w| ${formatSignal(s.updateRatio[worst])} (${s.layers[worst]})`);
	}
	const dead = s.layers
		.map((n, i) => [n, s.dead[i]] as const)
		.filter(([, d]) => d !== null && d > 0)
		.map(([n, d]) => `${n} ${formatPercent(d!)} dead`);
	if (dead.length) {
		parts.push(dead.join(', '));
	}
	parts.push(`every ${s.every} steps`);
	return parts.join('  ');
}
