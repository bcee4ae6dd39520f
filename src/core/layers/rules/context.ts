/**
 * What a layer rule sees of its detector set (issue 20: one rule per file, like core/detectors/):
 * the options, the run's state, which findings fired, and how to raise one.
 */
import type { Finding } from '../../types';
import type { LayerDetectorOptions } from '../layerDetectorOptions';
import type { LayerFindingKind, LayerSample, RunState } from '../types';

/** Per-layer counters the rules keep. */
export interface LayerState {
	high: number;
	/** Consecutive samples above `ratioSevere`. */
	severe: number;
	highSince: number | null;
	low: number;
	zero: number;
	deadSince: number | null;
	deadCount: number;
	satSince: number | null;
	satCount: number;
	/** The last log update ratios, their changes, and the lowest window median (rules/ratioRising.ts). */
	ratios: number[];
	ratioDiffs: number[];
	ratioLow: number;
	/** (step, ‖g‖) of recent samples for the explosion rule. */
	recent: { step: number; g: number }[];
}

export function newLayerState(): LayerState {
	return {
		high: 0,
		severe: 0,
		highSince: null,
		low: 0,
		zero: 0,
		deadSince: null,
		deadCount: 0,
		satSince: null,
		satCount: 0,
		ratios: [],
		ratioDiffs: [],
		ratioLow: Infinity,
		recent: [],
	};
}

/** Message and action of a finding (from present/layers.ts). */
export interface Words {
	message: string;
	action: string;
}

export interface LayerRuleContext {
	readonly options: LayerDetectorOptions;
	/** The loss detectors reported a divergence or a non-finite loss: the run is broken. */
	readonly lossBroke: boolean;
	/** The LR of the last step (null when not known). */
	readonly lastLr: number | null;
	/**
	 * Whether the per-step loss stopped falling (rules/lossTrend.ts): null while too few losses were
	 * seen, undefined when none were fed at all (nothing to check against).
	 */
	readonly lossStalled: boolean | null | undefined;
	/** Whether (kind, layer) fired already. */
	fired(kind: LayerFindingKind, layer: string): boolean;
	/** Whether any finding of `kind` fired. */
	firedKind(kind: LayerFindingKind): boolean;
	/** Raises a finding (once per (kind, layer); disabled kinds are dropped). */
	fire(
		out: Finding[],
		kind: LayerFindingKind,
		series: string,
		layer: string | undefined,
		step: number,
		detectedAt: number,
		words: Words,
	): void;
}

/** A rule over layer `i` of sample `s`. */
export type LayerRule = (
	ctx: LayerRuleContext,
	st: LayerState,
	s: LayerSample,
	i: number,
	out: Finding[],
) => void;

/**
 * The dead ReLU layer right before layer `i` (through activation-only layers) that starves it of
 * input, if any: a dead layer whose units are (almost) all dead, or one whose finding fired.
 */
export function upstreamDead(ctx: LayerRuleContext, s: LayerSample, i: number): string | null {
	for (let j = i - 1; j >= 0; j--) {
		const d = s.dead[j];
		if (ctx.fired('deadUnits', s.layers[j]) || (d !== null && d >= ctx.options.upstreamDead)) {
			return s.layers[j];
		}
		if (s.params[j] > 0) {
			return null;
		}
	}
	return null;
}

export function runState(ctx: LayerRuleContext): RunState {
	if (ctx.lossBroke) {
		return { kind: 'diverged' };
	}
	const lr = ctx.lastLr;
	if (lr !== null && lr >= ctx.options.hugeLr) {
		return { kind: 'hugeLr', lr };
	}
	// Issue 20: a too-high LR (Adam at 0.3–2) kills ReLUs in its first steps, below hugeLr; the
	// update ratio said so first, and the dead units' advice must follow that cause.
	return ctx.firedKind('updateRatioHigh') ? { kind: 'ratioHigh' } : null;
}
