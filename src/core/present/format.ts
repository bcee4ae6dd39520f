/**
 * Number formats: the ONE place that writes an LR, a loss or a count for a user. CLI, extension,
 * webview and reports all call these; nothing else formats a number for display.
 */

/** An LR for display, the way users type it: `3e-3`, `0.01`, `2.5e-4` (two significant digits). */
export function formatLr(lr: number | null | undefined): string {
	if (lr === null || lr === undefined) {
		return 'n/a';
	}
	if (!Number.isFinite(lr)) {
		return String(lr);
	}
	if (lr === 0) {
		return '0';
	}
	const abs = Math.abs(lr);
	if (abs >= 0.01 && abs < 1000) {
		return String(Number(lr.toPrecision(2)));
	}
	const [m, e] = lr.toExponential(1).split('e');
	return `${m.endsWith('.0') ? m.slice(0, -2) : m}e${Number(e)}`;
}

/**
 * The literal to write into code for `lr`: the same digits as {@link formatLr}, so the code and the
 * lens that offered it say the same number.
 */
export function lrLiteral(lr: number): string {
	return formatLr(lr);
}
