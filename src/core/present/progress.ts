/**
 * A progress line for logs and non-terminal output (CI logs, the Output channel): one line every
 * few seconds, so a long run never looks hung. The terminal bar (cli/common.ts) draws the same facts.
 */
import { formatLr } from './format';

/** Seconds between two progress lines. */
export const progressLineSeconds = 5;

/** "range test: step 40/100 · lr 1e-3 · loss 0.5213 · 12 s". */
export function progressLine(
	label: string,
	done: number,
	total: number,
	lr: number | undefined,
	loss: number | null | undefined,
	seconds?: number,
): string {
	const parts = [`${label}: step ${done}/${total}`];
	if (lr !== undefined) {
		parts.push(`lr ${formatLr(lr)}`);
	}
	if (loss !== null && loss !== undefined) {
		parts.push(`loss ${loss.toPrecision(4)}`);
	}
	if (seconds !== undefined) {
		parts.push(`${Math.round(seconds)} s`);
	}
	return parts.join(' · ');
}
