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
	// Round first, then pick the form: 9.99e-3 rounds to 0.01 and must be written `0.01` both times.
	const r = Number(lr.toPrecision(2));
	const abs = Math.abs(r);
	if (abs >= 0.01 && abs < 1000) {
		return String(r);
	}
	const [m, e] = r.toExponential(1).split('e');
	return `${m.endsWith('.0') ? m.slice(0, -2) : m}e${Number(e)}`;
}

/**
 * The literal to write into code for `lr`: the same digits as {@link formatLr}, so the code and the
 * lens that offered it say the same number.
 */
export function lrLiteral(lr: number): string {
	return formatLr(lr);
}

/**
 * A number in a message or a table (a loss, a ratio, a time): `digits` significant digits, an
 * exponent below 1e-3 or from 1e5 (`2.50e-4`), `n/a` when missing or non-finite. LRs use
 * {@link formatLr}.
 */
export function formatNum(x: number | null | undefined, digits = 3): string {
	if (x === null || x === undefined || !Number.isFinite(x)) {
		return 'n/a';
	}
	const a = Math.abs(x);
	if (a !== 0 && (a < 1e-3 || a >= 1e5)) {
		return x.toExponential(digits - 1);
	}
	return Number(x.toPrecision(digits)).toString();
}

/** A loss for read-outs and tables: 4 significant digits, `—` for a gap. */
export function formatLoss(v: number | null | undefined): string {
	return v === null || v === undefined || !Number.isFinite(v)
		? '—'
		: String(Number(v.toPrecision(4)));
}

/** A spread or distance in decades of LR: `1.25 decades`. */
export function formatDecades(d: number): string {
	return `${d.toFixed(2)} decades`;
}

/** Seconds: `12.3 s`. */
export function formatSeconds(s: number): string {
	return `${s.toFixed(1)} s`;
}

/**
 * An axis tick label that stays short at any magnitude: `1e+9`, `2.5e-4`, `2.5k`, `0.35`. With the
 * axis' tick increment, linear ticks get just the decimals that increment needs, so close ticks
 * (0.6931, 0.6932) stay distinct.
 */
export function formatTick(v: number, incr?: number): string {
	if (!Number.isFinite(v)) {
		return String(v);
	}
	if (v === 0 || (incr !== undefined && Math.abs(v) < incr * 1e-6)) {
		return '0';
	}
	const abs = Math.abs(v);
	if (abs >= 1e6 || abs < 1e-3) {
		const [m, e] = v.toExponential(2).split('e');
		return `${Number(m)}e${e}`;
	}
	if (abs >= 1e3) {
		const d = incr !== undefined ? Math.min(3, decimalsFor(incr / 1e3)) : 2;
		return `${Number((v / 1e3).toFixed(d))}k`;
	}
	return incr !== undefined
		? String(Number(v.toFixed(Math.min(6, decimalsFor(incr)))))
		: String(Number(v.toPrecision(4)));
}

/** Decimal places that write `step` exactly (0.25 → 2, 5 → 0), at most 10. */
function decimalsFor(step: number): number {
	if (!(step > 0) || !Number.isFinite(step)) {
		return 0;
	}
	for (let d = 0; d < 10; d++) {
		const scaled = step * 10 ** d;
		if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) {
			return d;
		}
	}
	return 10;
}
