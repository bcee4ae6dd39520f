/**
 * What the fit hook reports from inside the user's script (scriptRunner.ts): its IPC messages,
 * forwarded under the run's id with train logs and layer stats fed to the monitor's detectors, and
 * its uncaught-error report on the status pipe. Also keeps what the run's ending is explained from:
 * whether fit was reached, the final result, the child's own error, and the step counts.
 */
import type { ErrorMessage, FromRunnerMessage, TrainLogMessage } from '../../shared/runnerProtocol';
import { isFromRunnerMessage } from '../../shared/runnerGuards';
import type { UncaughtReport } from '../../shared/fitHookProtocol';
import type { DetectorSet } from '../../core/detectors';
import type { LayerDetectorSet } from '../../core/layers/layerDetectors';
import { toRecord } from './scriptSource';

/** The hook's messages of one script run. */
export class HookMessages {
	fitCalled = false;
	gotFinal = false;
	batches = 0;
	epochs = 0;
	childError: ErrorMessage | undefined;
	/** Monitor mode's detectors (set once the request is prepared). */
	detectors: DetectorSet | undefined;
	layerDetectors: LayerDetectorSet | undefined;

	constructor(
		private readonly _id: string,
		private readonly _send: (m: FromRunnerMessage) => void,
		/** Sends the run's one final message (once). */
		private readonly _finish: (m: FromRunnerMessage) => void,
		private readonly _isFinished: () => boolean,
		/** Notes put before a result's own (scriptTfFallback.ts). */
		private readonly _notes: string[] = [],
	) {}

	/** A message from the hook: forwarded under our id; train logs also feed the detectors. */
	onMessage(raw: unknown): void {
		if (!isFromRunnerMessage(raw) || this._isFinished()) {
			return;
		}
		const m = { ...raw, id: this._id } as FromRunnerMessage;
		switch (m.type) {
			case 'fitCall':
				this.fitCalled = true;
				this._send(m);
				return;
			case 'trainLog':
				this._onTrainLog(m);
				return;
			case 'layerStats':
				this._send(m);
				for (const finding of this.layerDetectors?.feedSample(m.sample, m.nan) ?? []) {
					this._send({ type: 'finding', id: this._id, finding });
				}
				return;
			case 'result':
			case 'sweepResult':
				m.result.notes = [...this._notes, ...m.result.notes];
				this.gotFinal = true;
				this._finish(m);
				return;
			case 'error':
				this.childError = m;
				return;
			case 'monitorEnd':
				return;
			default:
				this._send(m);
		}
	}

	private _onTrainLog(m: TrainLogMessage): void {
		if (m.unit === 'batch') {
			this.batches++;
		} else {
			this.epochs++;
		}
		this._send(m);
		const layerDetectors = this.layerDetectors;
		if (this.detectors) {
			for (const finding of this.detectors.feed(toRecord(m))) {
				layerDetectors?.noteLossFinding(finding);
				this._send({ type: 'finding', id: this._id, finding });
			}
		}
		if (layerDetectors && m.unit === 'batch') {
			for (const finding of layerDetectors.feedStep(
				m.step,
				m.gradNorm ?? null,
				m.values.loss,
				m.lr,
			)) {
				this._send({ type: 'finding', id: this._id, finding });
			}
		}
	}
}

/** The hook's uncaught-error report in the status pipe's text (the last whole line), if it wrote one. */
export function uncaughtReport(statusText: string): UncaughtReport | undefined {
	let report: UncaughtReport | undefined;
	for (const line of statusText.split('\n')) {
		try {
			if (line.trim()) {
				report = JSON.parse(line) as UncaughtReport;
			}
		} catch {
			// a partial line: ignore
		}
	}
	return report;
}
