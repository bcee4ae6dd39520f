/**
 * Re-exports of the view-models for webview/main.ts, which is being changed on another branch and
 * will import webview/viewModels/ directly in the next pass; then this file goes. New code imports
 * the file under webview/viewModels/ that owns the thing.
 */
export type { Y } from './viewModels/series';
export { alignSeries, robustYRange } from './viewModels/series';
export type { CompareSeries, LossViewModel, Marker } from './viewModels/lossViewModel';
export {
	buildCompareSeries,
	buildLossViewModel,
	rangeTestSummary,
} from './viewModels/lossViewModel';
export type { SweepViewModel } from './viewModels/sweepViewModel';
export { buildSweepViewModel } from './viewModels/sweepViewModel';
export type { LiveFinding, LiveMarker } from './viewModels/liveMarkers';
export type { LiveSeries, LiveViewModel, LossAxisMode } from './viewModels/liveViewModel';
export { buildLiveViewModel } from './viewModels/liveViewModel';
export { epochEndSteps, unhealthyIndex } from './viewModels/liveTiming';
export { buildSchedulePreview, defaultScheduleSpec } from './viewModels/scheduleViewModel';
