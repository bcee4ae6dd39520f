/** The lines `lrscope monitor` prints as a script trains: train logs, findings, fit calls, the end. */
import type { Finding } from '../types';
import { formatLr, formatNum, plural } from './format';
import { findingKindText } from './words';

/** A batch or epoch log: the fields of the runner's trainLog message (shared/runnerProtocol.ts). */
export interface TrainLogLike {
	unit: 'batch' | 'epoch';
	step: number;
	epoch: number;
	values: Record<string, number | null>;
	lr?: number;
	gradNorm?: number;
}

/** One live line for a train log. */
export function trainLogLine(m: TrainLogLike): string {
	const head =
		m.unit === 'batch'
			? `step ${String(m.step).padStart(5)}  epoch ${m.epoch}`
			: `epoch ${String(m.epoch).padStart(3)} done`;
	const vals = Object.entries(m.values).map(([k, x]) => `${k} ${formatNum(x, 4)}`);
	if (m.lr !== undefined) {
		vals.push(`lr ${formatLr(m.lr)}`);
	}
	if (m.gradNorm !== undefined) {
		vals.push(`|g| ${formatNum(m.gradNorm)}`);
	}
	return `${head}  ${vals.join('  ')}`;
}

/** One line for a finding. */
export function findingLine(f: Finding): string {
	const where = `${f.unit} ${f.step}${f.detectedAt !== undefined && f.detectedAt !== f.step ? `, seen at ${f.unit} ${f.detectedAt}` : ''}`;
	return `!! ${f.severity} ${findingKindText[f.kind]} (${f.series}, from ${where}): ${f.message} -> ${f.action}`;
}

/** `model.fit call 2 at train.js:41`. */
export function fitCallLine(method: string, index: number, file?: string, line?: number): string {
	return `model.${method} call ${index + 1}${file ? ` at ${file.split(/[\\/]/).pop()}:${line}` : ''}`;
}

/** `train.js exited with code 0 after 12 epochs, 300 batches; 1 finding`. */
export function monitorEndLine(
	script: string,
	end: { stopped?: boolean; exitCode: number | null; epochs: number; batches: number },
	findings: number,
): string {
	const how = end.stopped ? 'stopped' : `exited with code ${end.exitCode}`;
	return `${script} ${how} after ${plural(end.epochs, 'epoch')}, ${plural(end.batches, 'batch', 'batches')}; ${plural(findings, 'finding')}`;
}
