/** The colours and font of LR Scope's SVG drawings, and the escaping of text put into SVG or HTML. */
import type { SuggestionName } from '../types';

/** Colours and font of the drawing. */
export interface SvgTheme {
	background: string;
	text: string;
	grid: string;
	raw: string;
	smoothed: string;
	markers: Record<SuggestionName, string>;
	consensus: string;
	/** The headline marker (drawn thicker, with a ring on the curve). */
	headline: string;
	fontFamily: string;
}

/** Light theme (the default; also used by the HTML report). */
export const lightSvgTheme: SvgTheme = {
	background: '#ffffff',
	text: '#1f2328',
	grid: '#d0d7de',
	raw: '#9ecbf5',
	smoothed: '#0969da',
	markers: { valley: '#1a7f37', slide: '#8250df', minimum: '#bc4c00', steep: '#cf222e' },
	consensus: '#59636e',
	headline: '#1f2328',
	fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
};

/** Dark theme (e.g. a hover in a dark editor). */
export const darkSvgTheme: SvgTheme = {
	background: '#1e1e1e',
	text: '#cccccc',
	grid: '#3c3c3c',
	raw: '#35618c',
	smoothed: '#3794ff',
	markers: { valley: '#89d185', slide: '#b180d7', minimum: '#e6a35c', steep: '#f48771' },
	consensus: '#9d9d9d',
	headline: '#e8e8e8',
	fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
};

/** Escapes text for SVG/HTML text and attribute values. */
export function escapeXml(s: string): string {
	return s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}
