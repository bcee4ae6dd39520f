/**
 * When a detector finding becomes a notification (pure, unit-tested). Rules:
 * - one notification per run per problem kind, ever (the panel and the store keep every finding);
 * - a run that notified within `windowMs` notifies again only for a more severe finding: one
 *   diverging run raises its layer warning and then its first error, not a toast per detector
 *   (its other findings show in the status bar and the panel);
 * - the `lrScope.warnings.notify` level filters by severity ('errors' = non-finite/divergence only);
 * - at most `maxPerWindow` notifications in any `windowMs`, across all runs, so a folder of
 *   diverging logs cannot bury the user in toasts (the rest show in the status bar only).
 */
import type { Finding } from '../../core/types';

/** Which findings may notify. */
export type NotifyLevel = 'all' | 'errors' | 'off';

/** What `decide` answered. */
export type NotifyDecision = 'notify' | 'duplicate' | 'filtered' | 'grouped' | 'rateLimited';

const severityRank = { info: 0, warning: 1, error: 2 } as const;

/** Options of the policy. */
export interface NotifyPolicyOptions {
	level: NotifyLevel;
	maxPerWindow: number;
	windowMs: number;
}

/** Defaults: every kind, at most 3 toasts a minute. */
export const defaultNotifyPolicy: Readonly<NotifyPolicyOptions> = Object.freeze({
	level: 'all',
	maxPerWindow: 3,
	windowMs: 60_000,
});

/**
 * The order a batch of findings is offered to {@link NotifyPolicy.decide}: most severe first, then
 * the loss's own findings before a layer's (stable otherwise).
 */
export function notifyOrder<F extends Pick<Finding, 'severity' | 'layer'>>(
	findings: readonly F[],
): F[] {
	const rank = (f: F): number => severityRank[f.severity] * 2 + (f.layer === undefined ? 1 : 0);
	return [...findings].sort((a, b) => rank(b) - rank(a));
}

/** Remembers what was shown; `decide` is called once per finding, in order. */
export class NotifyPolicy {
	private readonly _seen = new Set<string>();
	private _times: number[] = [];
	/** Per run: when it last notified and the most severe finding it notified of since. */
	private readonly _lastByRun = new Map<string, { at: number; severity: number }>();

	constructor(private _options: NotifyPolicyOptions = { ...defaultNotifyPolicy }) {}

	/** Changes the options (a setting changed); what was shown stays shown. */
	configure(options: Partial<NotifyPolicyOptions>): void {
		this._options = { ...this._options, ...options };
	}

	/** Whether `finding` of `runId` should be shown now (`now` in ms, injectable for tests). */
	decide(
		runId: string,
		finding: Pick<Finding, 'kind' | 'severity'>,
		now: number = Date.now(),
	): NotifyDecision {
		const key = `${runId}\0${finding.kind}`;
		if (this._seen.has(key)) {
			return 'duplicate';
		}
		const level = this._options.level;
		if (level === 'off' || (level === 'errors' && finding.severity !== 'error')) {
			// Remember it anyway: turning the level up later must not replay old problems.
			this._seen.add(key);
			return 'filtered';
		}
		const severity = severityRank[finding.severity];
		const last = this._lastByRun.get(runId);
		const recent = last !== undefined && now - last.at < this._options.windowMs;
		if (recent && severity <= last.severity) {
			this._seen.add(key);
			return 'grouped';
		}
		this._times = this._times.filter((t) => now - t < this._options.windowMs);
		if (this._times.length >= this._options.maxPerWindow) {
			this._seen.add(key);
			return 'rateLimited';
		}
		this._seen.add(key);
		this._times.push(now);
		this._lastByRun.set(runId, {
			at: now,
			severity: recent ? Math.max(severity, last.severity) : severity,
		});
		return 'notify';
	}

	/**
	 * Starts a fresh rate-limit window (what was shown stays shown). For the extension-host tests:
	 * each suite checks its own notifications, not the budget earlier suites spent.
	 */
	resetWindow(): void {
		this._times = [];
		this._lastByRun.clear();
	}

	/** Forgets a run (it was removed); a new run with the same id could notify again. */
	forgetRun(runId: string): void {
		this._lastByRun.delete(runId);
		for (const k of [...this._seen]) {
			if (k.startsWith(`${runId}\0`)) {
				this._seen.delete(k);
			}
		}
	}
}
