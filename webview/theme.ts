/**
 * Chart colours from the VS Code theme: read with getComputedStyle (canvas cannot use CSS
 * variables), re-read when the theme changes (body class = theme kind, html style = variables).
 */

/** Colours the charts draw with; every one comes from a `--vscode-*` variable with a fallback. */
export interface ChartTheme {
	raw: string;
	smoothed: string;
	suggestion: string;
	consensus: string;
	diverged: string;
	compare: string;
	/** Extra series (sweep LRs, live series). */
	palette: string[];
	grid: string;
	text: string;
	background: string;
	fontFamily: string;
	highContrast: boolean;
	/** The border drawn around charts in high-contrast themes, `null` otherwise. */
	border: string | null;
}

function css(name: string, fallback: string): string {
	const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	return v || fallback;
}

/** Reads the current chart theme. */
export function readChartTheme(): ChartTheme {
	const body = document.body.classList;
	const highContrast =
		body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light');
	const blue = css('--vscode-charts-blue', '#3794ff');
	const red = css('--vscode-charts-red', '#f14c4c');
	const green = css('--vscode-charts-green', '#89d185');
	const yellow = css('--vscode-charts-yellow', '#cca700');
	const orange = css('--vscode-charts-orange', '#d18616');
	const purple = css('--vscode-charts-purple', '#b180d7');
	return {
		raw: css('--vscode-lrScope-rawLossColor', blue),
		smoothed: css('--vscode-lrScope-smoothedLossColor', orange),
		suggestion: css('--vscode-lrScope-suggestedLrMarker', green),
		consensus: css('--vscode-lrScope-consensusMarker', yellow),
		diverged: css('--vscode-lrScope-divergedMarker', red),
		compare: purple,
		palette: [blue, orange, green, purple, red, yellow],
		grid: css('--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
		text: css('--vscode-charts-foreground', css('--vscode-foreground', '#cccccc')),
		background: css('--vscode-editor-background', '#1e1e1e'),
		fontFamily: css('--vscode-font-family', 'system-ui, sans-serif'),
		highContrast,
		border: highContrast ? css('--vscode-contrastBorder', '#6fc3df') : null,
	};
}

/** Calls `cb` (once per animation frame at most) when the theme changes; returns an unsubscribe. */
export function onThemeChange(cb: () => void): () => void {
	let queued = false;
	const fire = (): void => {
		if (!queued) {
			queued = true;
			// VS Code updates the class and the variables in separate mutations; redraw once.
			requestAnimationFrame(() => {
				queued = false;
				cb();
			});
		}
	};
	const mo = new MutationObserver(fire);
	mo.observe(document.body, { attributes: true, attributeFilter: ['class'] });
	mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
	return () => mo.disconnect();
}
