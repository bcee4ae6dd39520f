/**
 * A schedule in words, for the designer, the CLI, quick fixes and the generated code's header
 * comment.
 */
import type { ScheduleSpec } from '../schedules/spec';

/** A short human description of a spec, e.g. "oneCycle maxLr 3e-3 over 1000 steps (cos, two-phase)". */
export function describeSchedule(s: ScheduleSpec): string {
	// Three significant digits, written plainly (0.0001, not formatNum's 1.00e-4).
	const g = (x: number): string => Number(x.toPrecision(3)).toString();
	switch (s.kind) {
		case 'constant':
			return `constant ${g(s.lr)}`;
		case 'step':
			return `step: ${g(s.initialLearningRate)} × ${g(s.gamma)} every ${s.stepSize} steps (PyTorch StepLR)`;
		case 'exponential':
			return `exponential: ${g(s.initialLearningRate)} × ${g(s.decayRate)}^(step/${g(s.decaySteps)})${s.staircase ? ', staircase' : ''} (Keras ExponentialDecay)`;
		case 'piecewise':
			return `piecewise: ${s.values.map(g).join(' → ')} at steps ${s.boundaries.join(', ')} (Keras PiecewiseConstantDecay)`;
		case 'polynomial':
			return `polynomial: ${g(s.initialLearningRate)} → ${g(s.endLearningRate)} over ${g(s.decaySteps)} steps, power ${g(s.power)}${s.cycle ? ', cycling' : ''} (Keras PolynomialDecay)`;
		case 'cosine':
			return s.warmupTarget === null
				? `cosine: ${g(s.initialLearningRate)} decaying over ${g(s.decaySteps)} steps, alpha ${g(s.alpha)} (Keras CosineDecay)`
				: `cosine: warmup ${g(s.initialLearningRate)} → ${g(s.warmupTarget)} over ${g(s.warmupSteps)} steps, then decay over ${g(s.decaySteps)} steps, alpha ${g(s.alpha)} (Keras CosineDecay)`;
		case 'cosineRestarts':
			return `cosine restarts: ${g(s.initialLearningRate)}, first period ${g(s.firstDecaySteps)} steps, tMul ${g(s.tMul)}, mMul ${g(s.mMul)} (Keras CosineDecayRestarts)`;
		case 'oneCycle':
			return `one-cycle: max ${g(s.maxLr)} over ${s.totalSteps} steps, ${s.annealStrategy}, ${s.threePhase ? 'three' : 'two'}-phase (PyTorch OneCycleLR)`;
		case 'reduceOnPlateau':
			return `reduce on plateau: ${g(s.initialLearningRate)} × ${g(s.factor)} after ${s.patience} epochs without improvement (${s.mode === 'keras' ? 'Keras' : 'PyTorch'} rule)`;
	}
}
