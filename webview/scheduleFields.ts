/**
 * The schedule designer's form vocabulary: the options of string-valued parameters, the human
 * label of every parameter, and the small helpers that build and fill a field.
 */
import type { ScheduleSpec } from '../src/core/schedules/spec';
import { el } from './dom';

/** Options of string-valued parameters (the core validates them too). */
export const enumFields: Record<string, string[]> = {
	annealStrategy: ['cos', 'linear'],
	mode: ['keras', 'torch'],
	thresholdMode: ['rel', 'abs'],
};

/**
 * Human labels for parameters, with the spec's field name where it differs, so users can match
 * them to the Keras/PyTorch documentation and to `lrscope schedule --spec`.
 */
export const fieldLabels: Record<string, string> = {
	lr: 'Learning rate',
	initialLearningRate: 'Initial LR',
	maxLr: 'Max LR',
	endLearningRate: 'End LR',
	warmupTarget: 'Warm-up target LR (empty = no warm-up)',
	warmupSteps: 'Warm-up steps',
	minLr: 'Min LR',
	alpha: 'Floor, fraction of the LR (alpha)',
	decaySteps: 'Decay steps',
	decayRate: 'Decay rate',
	staircase: 'Staircase (whole decay periods)',
	stepSize: 'Step size (stepSize)',
	gamma: 'Factor per step (gamma)',
	power: 'Power',
	cycle: 'Cycle',
	firstDecaySteps: 'First cycle steps (firstDecaySteps)',
	tMul: 'Cycle length factor (tMul)',
	mMul: 'Cycle LR factor (mMul)',
	totalSteps: 'Total steps',
	pctStart: 'Warm-up share (pctStart)',
	divFactor: 'Start = max ÷ (divFactor)',
	finalDivFactor: 'End = start ÷ (finalDivFactor)',
	annealStrategy: 'Anneal',
	threePhase: 'Three phases',
	factor: 'Factor on plateau',
	patience: 'Patience (epochs)',
	cooldown: 'Cooldown (epochs)',
	minDelta: 'Min improvement (minDelta)',
	threshold: 'Threshold',
	thresholdMode: 'Threshold mode',
	mode: 'Rule (Keras or PyTorch)',
};

/** The LR a schedule is "about", carried over when the kind changes. */
export function primaryLr(spec: ScheduleSpec): number {
	switch (spec.kind) {
		case 'constant':
			return spec.lr;
		case 'oneCycle':
			return spec.maxLr;
		case 'piecewise':
			return spec.values[0] ?? 1e-3;
		default:
			return spec.initialLearningRate;
	}
}

/** A labelled form field around `input`. */
export function field(label: string, input: HTMLElement, cls = 'field'): HTMLElement {
	const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
	input.id = id;
	return el('div', { class: cls }, el('vscode-label', { for: id }, label), input);
}
