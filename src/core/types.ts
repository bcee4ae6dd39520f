/**
 * Data types shared by the pure core, the engine, the CLI, the extension and the webview.
 * No 'vscode', no tfjs, no DOM. Non-finite numbers travel as `null` (JSON-safe).
 */

import type { LayerFindingKind } from './layers/types';
import type { Verification } from './verify';

/** Why a range test stopped. */
export type StopReason = 'diverged' | 'nonFinite' | 'completed' | 'cancelled' | 'dataExhausted';

/** The four fastai suggestion rules. */
export type SuggestionName = 'valley' | 'slide' | 'minimum' | 'steep';
export const suggestionNames: readonly SuggestionName[] = ['valley', 'slide', 'minimum', 'steep'];

/** One suggested learning rate; `index` is the position in the (untrimmed) curve it came from, when it has one. */
export interface Suggestion {
	lr: number;
	index?: number;
}

/**
 * Which rule produced the headline LR. `valleyMinimum`: the geometric mean of fastai's `valley` and
 * `minimum` (the documented rule, `chooseHeadline` in core/headline.ts); a fastai name when only that one of the
 * two is usable; `consensus`: the geometric median of the usable rules when neither is; `stable`:
 * the fallback when the curve has no clear descent.
 */
export type HeadlineRule = SuggestionName | 'consensus' | 'stable' | 'valleyMinimum';

/**
 * `clear`: the curve descends and the headline is its rule's answer.
 * `noClearValley`: no clear descent (flat then rising, rules spread widely, a trained model); the
 *   headline is the documented fallback and the verdict fields say why.
 * `noAnswer`: too few finite points for any rule.
 */
export type HeadlineVerdict = 'clear' | 'noClearValley' | 'noAnswer';

/** The headline suggestion. Numbers only: words come from `core/present/headline.ts`. */
export interface Headline {
	/** The LR to show and to act on; `null` only with verdict `noAnswer`. */
	lr: number | null;
	rule: HeadlineRule;
	verdict: HeadlineVerdict;
	/** Index into the (untrimmed) curve nearest the headline LR, for the chart marker. */
	index?: number;
	/** Spread of the available fastai rules, in decades (log10). */
	spreadDecades: number;
	/**
	 * Spread (decades) of the rules left after setting aside the misfires on the flat start: what
	 * the `spread` verdict compares with `noClearValleySpreadDecades` (core/headline.ts).
	 */
	keptSpreadDecades?: number;
	/**
	 * The loss is flat up to this LR: its smoothed value has neither fallen `flatTolerance` (core/headline.ts)
	 * below its starting level nor risen `riseTolerance` (core/headline.ts) above it. Set whenever the curve has
	 * enough points.
	 */
	flatUpTo?: number;
	/**
	 * The highest LR at which the smoothed loss is still within `riseTolerance` (core/headline.ts) of its best so
	 * far — past it the loss rises.
	 */
	stableUpTo?: number;
	/**
	 * With `noClearValley`: `flat` (the loss never clearly fell before it rose), `flatToEnd` (it
	 * neither fell nor rose over the whole test) or `spread` (the rules disagree).
	 */
	reason?: 'flat' | 'flatToEnd' | 'spread';
	/** The fastai rules still usable after setting aside the misfires on the flat start. */
	rules?: SuggestionName[];
	/** How many range-test curves the headline was computed from (their mean), when more than one. */
	repeats?: number;
	/**
	 * Set when short real trainings checked candidate LRs on held-out data (core/verify.ts): `lr`
	 * above is then the measured winner, `verified.curveLr` what the curve rule alone gave.
	 */
	verified?: Verification;
}

/** All suggestions for one curve, their consensus and how well they agree. */
export interface SuggestionReport {
	/** `null` where a rule has too few finite points to answer. */
	suggestions: Record<SuggestionName, Suggestion | null>;
	/** Geometric median of the available suggestions (`null` when none). */
	consensus: Suggestion | null;
	/** How many suggestions lie within `toleranceDecades` (log10) of the consensus, of how many available. */
	agreement: { agreeing: number; of: number; toleranceDecades: number; spreadDecades: number };
	/**
	 * The one suggestion every surface shows (core/headline.ts). Set by `suggest`; absent only in
	 * results stored by older versions, which `withHeadline` fills when they are loaded.
	 */
	headline?: Headline;
}

/** Spread of each suggestion across repeated (seeded) runs. */
export interface SuggestionSpread {
	runs: number;
	per: Record<
		SuggestionName | 'consensus',
		{ min: number; max: number; geoMean: number; spreadDecades: number } | null
	>;
}

/** LR ramp kind for a range test. */
export type RampKind = 'exp' | 'linear';

/** What the engine reports about the tfjs backend that ran. */
export interface BackendInfo {
	/** tfjs backend name: 'tensorflow' (tfjs-node), 'wasm', 'cpu', ... */
	name: string;
	/** Which package provided tfjs and from where: 'workspace', 'extension', 'bundled'. */
	origin: 'workspace' | 'extension' | 'bundled';
	/** Package that was loaded, e.g. '@tensorflow/tfjs-node'. */
	package: string;
	version: string;
	/** Human reason for the choice, e.g. "tfjs-node not installed; wasm can train this model". */
	reason: string;
}

/** A suggestion report with its headline: what `suggest` (core/headline.ts) returns. */
export type HeadlinedReport = SuggestionReport & { headline: Headline };

/**
 * A range test with `report.headline` present: as the engine builds it, and as the results store
 * loads it (`withHeadline`, core/headline.ts, for results stored before headlines existed). Every
 * reader past those two points takes this type and reads `report.headline` directly.
 */
export type LoadedRangeTest = RangeTestResult & { report: HeadlinedReport };

/** Result of one LR range test, as stored (older results may lack `report.headline`). */
export interface RangeTestResult {
	lrs: number[];
	/** Raw per-batch training (or validation) loss; `null` where non-finite. */
	losses: (number | null)[];
	/** Debiased-EMA smoothed losses; `null` where the raw loss was non-finite. */
	smoothed: (number | null)[];
	beta: number;
	stopReason: StopReason;
	/** Requested number of steps (numIt); `lrs.length` is the number recorded. */
	steps: number;
	ramp: RampKind;
	startLr: number;
	endLr: number;
	report: SuggestionReport;
	/** Present with `repeat > 1`: all curves' suggestion spread. */
	spread?: SuggestionSpread;
	/**
	 * Present with `repeat > 1`: the raw losses of repeats 2 … n (the first is `losses`; all share
	 * `lrs`), so the headline of their mean curve can be computed again at another β. Results
	 * stored before it existed recompute from the first run alone.
	 */
	repeatLosses?: (number | null)[][];
	/** 'train' or 'validation' loss mode. */
	lossMode: 'train' | 'validation';
	batchSize: number;
	seed: number;
	backend: BackendInfo;
	seconds: number;
	/** Model/optimizer/loss description, for display. */
	model: { name: string; params: number; optimizer: string; loss: string };
	/** Notes for the user (data encoding chosen, shims used, ...). */
	notes: string[];
}

/** One LR's short training run in a sweep. */
export interface SweepRun {
	lr: number;
	finalLoss: number | null;
	finalValLoss: number | null;
	batches: number;
	/** Per-epoch mean training loss (averaged across folds). */
	curve: (number | null)[];
	/** Per-epoch validation loss (averaged across folds), when there is validation. */
	valCurve?: (number | null)[];
}

/** Result of an LR sweep. */
export interface SweepResult {
	results: SweepRun[];
	best: { lr: number } | null;
	folds: number;
	epochs: number;
	totalBatches: number;
	backend: BackendInfo;
	seconds: number;
	notes: string[];
	/** True when the sweep was cancelled: `results` holds the LRs that finished. */
	cancelled?: boolean;
	/** The range-test LR the default grid was built around: its headline (absent with explicit LRs). */
	gridCenter?: number;
	/** The range test's headline that gave `gridCenter` (absent with explicit LRs or older results). */
	gridHeadline?: Headline;
}

/** A record of a training log: one step (batch) or epoch with named numeric series. */
export interface LogRecord {
	/** Global step (batch index) or epoch number, per `unit`. */
	step: number;
	unit: 'step' | 'epoch';
	/** Series values; `null` means non-finite. */
	values: Record<string, number | null>;
}

/** Kinds of problems the detectors raise. */
export type FindingKind =
	| 'nonFinite'
	| 'divergence'
	| 'spike'
	| 'plateau'
	| 'overfitting'
	| 'underfitting'
	| LayerFindingKind;

/** One detector finding. */
export interface Finding {
	kind: FindingKind;
	/** The series it is about: 'loss', 'val_loss', ... */
	series: string;
	/** Step (or epoch, for epoch-level detectors) where the problem began. */
	step: number;
	unit: 'step' | 'epoch';
	severity: 'error' | 'warning' | 'info';
	message: string;
	/** A suggested action, e.g. "lower the LR to ~3e-4". */
	action: string;
	/** Step (or epoch) at which the detector had enough evidence to raise it (≥ `step`). */
	detectedAt?: number;
	/** Layer findings (core/layers): the layer it names. */
	layer?: string;
}
