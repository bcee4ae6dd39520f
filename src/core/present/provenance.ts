/**
 * Words for where in-editor advice comes from (core/provenance.ts): every lens, hover and diagnostic
 * names its source the same way, e.g. "range test of train.js · adam · 5 min ago".
 */
import type { ProvenanceVia, ResultOrigin } from '../provenance';
import { optimizerKindOf } from '../provenance';

/**
 * A short name for a tested target (a URI string): its file name, with the folder in front for a
 * `model.json` (every saved model has that name).
 */
export function targetName(targetUri: string | undefined): string {
	if (!targetUri) {
		return 'an unknown source';
	}
	const parts = targetUri
		.replace(/[?#].*$/, '')
		.split('/')
		.filter((p) => p.length > 0)
		.map((p) => {
			try {
				return decodeURIComponent(p);
			} catch {
				return p;
			}
		});
	const base = parts.at(-1) ?? targetUri;
	return /^model.*\.json$/i.test(base) && parts.length >= 2 ? `${parts.at(-2)}/${base}` : base;
}

/** How long ago `ms` was, relative to `now`: `just now`, `5 min ago`, `3 h ago`, `2 days ago`. */
export function agoText(ms: number, now: number): string {
	const s = Math.max(0, (now - ms) / 1000);
	if (s < 60) {
		return 'just now';
	}
	if (s < 3600) {
		return `${Math.floor(s / 60)} min ago`;
	}
	if (s < 48 * 3600) {
		return `${Math.floor(s / 3600)} h ago`;
	}
	return `${Math.floor(s / 86400)} days ago`;
}

/** A fixed time for text that is not redrawn as time passes (diagnostics): `14:05` or `3 Mar 14:05`. */
export function clockText(ms: number, now: number): string {
	const d = new Date(ms);
	const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
	if (new Date(now).toDateString() === d.toDateString()) {
		return hhmm;
	}
	const month = d.toLocaleString('en', { month: 'short' });
	return `${d.getDate()} ${month} ${hhmm}`;
}

/**
 * Where a result comes from: "range test of train.js · adam · 5 min ago"; a linked target says
 * "linked range test of dense-classifier/model.json · adam · 1 h ago". `fixed` writes the clock
 * time instead of "ago" (for text that stays on screen unchanged).
 */
export function sourceText(
	origin: Pick<ResultOrigin, 'targetUri' | 'optimizer' | 'createdAt'>,
	via: ProvenanceVia,
	now: number,
	fixed = false,
): string {
	const opt = optimizerKindOf(origin.optimizer) ?? origin.optimizer ?? 'unknown optimizer';
	const when = fixed ? clockText(origin.createdAt, now) : agoText(origin.createdAt, now);
	return `${via === 'link' ? 'linked ' : ''}range test of ${targetName(origin.targetUri)} · ${opt} · ${when}`;
}
