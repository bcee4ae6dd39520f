/**
 * Data types shared by the pure core, the engine, the CLI, the extension and the webview.
 * No 'vscode', no tfjs, no DOM. Non-finite numbers travel as `null` (JSON-safe).
 */

import type { Headline } from './headline';
import type { LayerFindingKind } from './layers/types';

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
	 * results stored by older versions — read it through `headlineOf`.
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

/** Result of one LR range test. */
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
