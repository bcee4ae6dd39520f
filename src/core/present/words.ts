/**
 * Words: the ONE wording of each stop reason, finding kind, rule and backend, for every surface
 * (panel, side view, CLI, reports, hovers).
 */
import type { BackendInfo, FindingKind, StopReason, SuggestionName } from '../types';
import { layerFindingKindText } from './layers';

/** Why a range test stopped. */
export const stopReasonText: Record<StopReason, string> = {
	diverged: 'stopped: the smoothed loss diverged',
	nonFinite: 'stopped: the loss became NaN or infinite',
	completed: 'completed all steps',
	cancelled: 'cancelled (partial curve)',
	dataExhausted: 'stopped: the data ran out',
};

/** The short name of a finding kind, for chart markers and lists. */
export const findingKindText: Record<FindingKind, string> = {
	nonFinite: 'NaN/Inf',
	divergence: 'divergence',
	spike: 'spike',
	plateau: 'plateau',
	overfitting: 'overfitting',
	underfitting: 'underfitting',
	...layerFindingKindText,
};

/** What each fastai rule picks, in one line. */
export const ruleText: Record<SuggestionName | 'consensus', string> = {
	valley: 'inside the longest decreasing stretch of the loss (fastai default)',
	slide: 'where the loss gradient stops changing, sliding back from the end (fastai)',
	minimum: 'LR at the lowest loss, divided by 10',
	steep: 'steepest descent of the loss against log LR',
	consensus: 'geometric median of the four rules',
};

/** The backend in a few words: `wasm (bundled @tensorflow/tfjs 4.22.0)`. */
export function backendText(b: BackendInfo): string {
	return `${b.name} (${b.origin} ${b.package} ${b.version})`;
}

/** The backend and why it was chosen: `wasm (bundled @tensorflow/tfjs 4.22.0) — no tfjs-node`. */
export function backendWithReason(b: BackendInfo): string {
	return `${backendText(b)} — ${b.reason}`;
}

/** The runner's log line of the backend: `backend: wasm (@tensorflow/tfjs 4.22.0, bundled): why`. */
export function backendLogLine(b: BackendInfo): string {
	return `backend: ${b.name} (${b.package} ${b.version}, ${b.origin}): ${b.reason}`;
}

/** How many rules agree: `3 of 4 rules agree within 0.5 decades`. */
export function agreementText(a: {
	agreeing: number;
	of: number;
	toleranceDecades: number;
}): string {
	return `${a.agreeing} of ${a.of} rules agree within ${a.toleranceDecades} decades`;
}
