/**
 * A progress line for logs and non-terminal output (CI logs, the Output channel): one line every
 * few seconds, so a long run never looks hung. The terminal bar (cli/common.ts) draws the same facts.
 */
import { formatLoss, formatLr } from './format';

/** Seconds between two progress lines. */
export const progressLineSeconds = 5;

/**
 * "range test: step 40/100 · lr 1e-3 · loss 0.5213 · 12 s" (the CLI and the log); without a
 * label and seconds, "step 40/100 · lr 1e-3 · loss 0.5213" (the extension's notification).
 */
export function progressLine(
	label: string,
	done: number,
	total: number,
	lr: number | undefined,
	loss: number | null | undefined,
	seconds?: number,
): string {
	const parts = [label ? `${label}: step ${done}/${total}` : `step ${done}/${total}`];
	if (lr !== undefined) {
		parts.push(`lr ${formatLr(lr)}`);
	}
	if (loss !== null && loss !== undefined) {
		parts.push(`loss ${formatLoss(loss)}`);
	}
	if (seconds !== undefined) {
		parts.push(`${Math.round(seconds)} s`);
	}
	return parts.join(' · ');
}

/** The notification while a sweep trains: "lr 3/9 (1e-3) · epoch 2". */
export function sweepProgressText(
	lrIndex: number,
	lrCount: number,
	lr: number,
	epoch: number,
): string {
	return `lr ${lrIndex + 1}/${lrCount} (${formatLr(lr)}) · epoch ${epoch + 1}`;
}

/** The notification before the first step: "starting on wasm…". */
export function startingText(backend: string): string {
	return `starting on ${backend}…`;
}
