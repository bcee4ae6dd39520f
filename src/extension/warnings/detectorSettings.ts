/**
 * `lrScope.detectors.*` settings → the core `DetectorConfig` (pure, unit-tested). Settings are
 * flat numbers a user can edit; the detectors take nested groups. Values outside a sane range are
 * clamped, never thrown, so a typo in settings.json cannot stop monitoring.
 */
import type { DetectorConfig } from '../../core/detectors/options';
import { defaultDetectorOptions } from '../../core/detectors/options';
import { layerFindingKinds } from '../../core/layers/types';
import type { FindingKind } from '../../core/types';

/** The user-facing detector thresholds (`lrScope.detectors.*`). */
export interface DetectorSettings {
	/** Divergence: smoothed loss above this × its best. */
	divergenceFactor: number;
	/** Spike: a loss ≥ this × the mean of the recent window is an outlier. */
	spikeMultiplier: number;
	/** Plateau: batches without progress before a stall warning. */
	plateauPatienceSteps: number;
	/** Plateau: epochs without progress before a stall warning. */
	plateauPatienceEpochs: number;
	/** Overfitting: epochs since the best validation loss before the warning. */
	overfittingPatience: number;
	/** Finding kinds to switch off. */
	disabled: FindingKind[];
}

/** Every finding kind (for validating `disabled`). */
export const allFindingKinds: readonly FindingKind[] = [
	'nonFinite',
	'divergence',
	'spike',
	'plateau',
	'overfitting',
	'underfitting',
	...layerFindingKinds,
];

/** Defaults = the core detector defaults (docs/detectors.md). */
export const defaultDetectorSettings: Readonly<DetectorSettings> = Object.freeze({
	divergenceFactor: defaultDetectorOptions.divergence.k,
	spikeMultiplier: defaultDetectorOptions.spike.multiplier,
	plateauPatienceSteps: defaultDetectorOptions.plateau.patienceSteps,
	plateauPatienceEpochs: defaultDetectorOptions.plateau.patienceEpochs,
	overfittingPatience: defaultDetectorOptions.overfitting.patience,
	disabled: [],
});

/** Bounds per setting; package.json declares the same (test/unit/settingBounds.test.ts checks). */
export const detectorSettingBounds: Readonly<
	Record<Exclude<keyof DetectorSettings, 'disabled'>, [number, number]>
> = Object.freeze({
	divergenceFactor: [1.1, 1000],
	spikeMultiplier: [1.1, 1000],
	plateauPatienceSteps: [5, 1_000_000],
	plateauPatienceEpochs: [1, 10_000],
	overfittingPatience: [1, 10_000],
});

function clamp(
	v: unknown,
	fallback: number,
	[min, max]: [number, number],
	integer: boolean,
): number {
	if (typeof v !== 'number' || !Number.isFinite(v)) {
		return fallback;
	}
	const x = Math.min(max, Math.max(min, v));
	return integer ? Math.round(x) : x;
}

/** Reads raw setting values (anything from settings.json) into valid `DetectorSettings`. */
export function normalizeDetectorSettings(
	raw: Partial<Record<keyof DetectorSettings, unknown>>,
): DetectorSettings {
	const d = defaultDetectorSettings;
	const b = detectorSettingBounds;
	const disabled = Array.isArray(raw.disabled)
		? raw.disabled.filter((k): k is FindingKind =>
				(allFindingKinds as readonly unknown[]).includes(k),
			)
		: [];
	return {
		divergenceFactor: clamp(raw.divergenceFactor, d.divergenceFactor, b.divergenceFactor, false),
		spikeMultiplier: clamp(raw.spikeMultiplier, d.spikeMultiplier, b.spikeMultiplier, false),
		plateauPatienceSteps: clamp(
			raw.plateauPatienceSteps,
			d.plateauPatienceSteps,
			b.plateauPatienceSteps,
			true,
		),
		plateauPatienceEpochs: clamp(
			raw.plateauPatienceEpochs,
			d.plateauPatienceEpochs,
			b.plateauPatienceEpochs,
			true,
		),
		overfittingPatience: clamp(
			raw.overfittingPatience,
			d.overfittingPatience,
			b.overfittingPatience,
			true,
		),
		disabled: [...new Set(disabled)],
	};
}

/**
 * The core detector config for these settings. Plain JSON (no functions), so the same object can
 * travel to the runner as `MonitorOptions.detectors` and build a `DetectorSet` in the host.
 */
export function toDetectorConfig(s: DetectorSettings, suggestedLr?: number): DetectorConfig {
	return {
		disabled: [...s.disabled],
		divergence: { k: s.divergenceFactor },
		spike: { multiplier: s.spikeMultiplier },
		plateau: { patienceSteps: s.plateauPatienceSteps, patienceEpochs: s.plateauPatienceEpochs },
		overfitting: { patience: s.overfittingPatience },
		...(suggestedLr !== undefined && Number.isFinite(suggestedLr) && suggestedLr > 0
			? { suggestedLr }
			: {}),
	};
}
