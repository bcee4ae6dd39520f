/**
 * Every id the extension shares with package.json or VS Code: commands (checked against
 * `contributes.commands` by test/unit/manifest.test.ts), context keys (checked against the `when`
 * clauses), views, status-bar items and setting sections. Code names an id through these tables,
 * never as a string, so a renamed id is a compile error instead of a silent no-op.
 */

/** Contributed command ids (all under the category "LR Scope"). */
export const Commands = {
	runRangeTest: 'lrScope.runRangeTest',
	runRangeTestOnModule: 'lrScope.runRangeTestOnModule',
	runSweep: 'lrScope.runSweep',
	openPanel: 'lrScope.openPanel',
	suggestSchedule: 'lrScope.suggestSchedule',
	exportReport: 'lrScope.exportReport',
	clearResults: 'lrScope.clearResults',
	showLog: 'lrScope.showLog',
	cancelRun: 'lrScope.cancelRun',
	runRangeTestOnScript: 'lrScope.runRangeTestOnScript',
	trainWithMonitor: 'lrScope.trainWithMonitor',
	stopMonitor: 'lrScope.stopMonitor',
	setScriptArgs: 'lrScope.setScriptArgs',
	linkResultToScript: 'lrScope.linkResultToScript',
} as const;

/** Commands registered but not contributed: only UI elements of the extension call them. */
export const InternalCommands = {
	showLiveRuns: 'lrScope.internal.showLiveRuns',
} as const;

/** A command id the extension registers. */
export type CommandId =
	| (typeof Commands)[keyof typeof Commands]
	| (typeof InternalCommands)[keyof typeof InternalCommands];

/** Context keys set with `setContext` and read by `when` clauses in package.json. */
export const ContextKeys = {
	hasResults: 'lrScope.hasResults',
	running: 'lrScope.running',
	monitoring: 'lrScope.monitoring',
} as const;

/** A context key. */
export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

/** The webview panel's viewType and the side view's id. */
export const Views = {
	lossCurves: 'lrScope.lossCurves',
	sideView: 'lrScope.sideView',
} as const;

/** Status-bar item ids (VS Code lists them by id in the status bar's context menu). */
export const StatusBarItems = {
	run: 'lrScope.run',
	live: 'lrScope.live',
} as const;

/** Setting sections, for `affectsConfiguration`. */
export const SettingSections = {
	root: 'lrScope',
	editor: 'lrScope.editor',
	warnings: 'lrScope.warnings',
	watch: 'lrScope.watch',
	detectors: 'lrScope.detectors',
} as const;

/** The one diagnostic collection (its name shows in the Problems view's filter). */
export const diagnosticCollection = 'lrScope';
