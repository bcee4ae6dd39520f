/**
 * Re-exports of the charts for webview/main.ts, which is being changed on another branch and will
 * import webview/charts/ directly in the next pass; then this file goes. New code imports the file
 * under webview/charts/ that owns the chart.
 */
export type { ChartHandle } from './charts/plumbing';
export type { LossChartOptions } from './charts/lossChart';
export { lossChart } from './charts/lossChart';
export { liveChart } from './charts/liveChart';
export { miniChart } from './charts/miniChart';
export { scheduleChart } from './charts/scheduleChart';
export { sweepChart } from './charts/sweepChart';
