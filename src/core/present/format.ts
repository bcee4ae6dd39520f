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

/** A spread or distance in decades of LR: `1.25 decades` (`digits` decimals). */
export function formatDecades(d: number, digits = 2): string {
	return `${d.toFixed(digits)} decades`;
}

/** Seconds: `12.3 s`. */
export function formatSeconds(s: number): string {
	return `${s.toFixed(1)} s`;
}

/** Whole seconds, for a limit: `12 s`. */
export function formatWholeSeconds(s: number): string {
	return `${s.toFixed(0)} s`;
}

/**
 * A measured speed (steps per second): three significant digits with trailing zeros kept (`5.40`,
 * `0.00400`), so the speeds of one probe line up.
 */
export function formatRate(v: number): string {
	return v.toPrecision(3);
}

/** A smoothing β as the panel's slider shows it: `0.980`. */
export function formatBeta(beta: number): string {
	return beta.toFixed(3);
}

/**
 * A value read back from float32 storage (a label, a data cell), to six significant digits:
 * `5.7563`, not `5.75629997253418`.
 */
export function formatStoredValue(v: number): string {
	return String(Number(v.toPrecision(6)));
}

/** A file or data size: `1.5 GiB`, `64 MiB`, `812 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let u = 0;
	let v = n;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return u === 0 ? `${n} bytes` : `${Number(v.toFixed(v < 10 ? 1 : 0))} ${units[u]}`;
}

/** An amount of output in megabytes (2^20 bytes), one decimal: `3.2 MB`. */
export function formatMegabytes(bytes: number): string {
	return `${(bytes / 1048576).toFixed(1)} MB`;
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

/**
 * The tick label of a log axis whose values are exponents (`v` = log10 of the value): the value
 * rounded to six significant digits (so 10^-2 reads `0.01`, not `0.010000000000000002`), then
 * {@link formatTick}.
 */
export function formatLogTick(v: number): string {
	return formatTick(Number((10 ** v).toPrecision(6)));
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

/** `1 epoch`, `3 epochs`, `1 batch`, `9 batches`. */
export function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

/**
 * A schedule parameter as its form field shows it: small LRs (below 0.01) in LR notation (`1.3e-3`),
 * integers whole (`1000`), other numbers to 6 significant digits (`0.0316228`, not the float noise
 * of `0.03162277660168379`).
 */
export function formatFieldNumber(v: number): string {
	if (Math.abs(v) > 0 && Math.abs(v) < 0.01) {
		return formatLr(v);
	}
	return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}
