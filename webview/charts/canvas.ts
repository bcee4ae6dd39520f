/** Canvas state shared by the drawings over the charts. */
import uPlot from 'uplot';
import type { ChartTheme } from '../theme';

/**
 * Saves the context and sets the 11 px label font, aligned left/top (uPlot leaves its axis text
 * alignment on the shared context). The caller restores. Returns the device pixel ratio.
 */
export function startLabels(u: uPlot, theme: ChartTheme): number {
	const dpr = uPlot.pxRatio;
	u.ctx.save();
	u.ctx.font = `${11 * dpr}px ${theme.fontFamily}`;
	u.ctx.textAlign = 'left';
	u.ctx.textBaseline = 'top';
	return dpr;
}
