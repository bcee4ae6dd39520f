/**
 * A labelled synthetic set for the run detectors (src/core/detectors.ts) and the metrics measured on
 * it: recall, false-alarm rate and detection delay per fault kind. Seeded, so every run of the test
 * measures the same numbers; docs/detectors.md reports them.
 *
 * Healthy step runs: 1,500 batches of a falling loss — exponential decay to a floor, or a power law —
 * with multiplicative log-normal noise σ ∈ {0.05, 0.1, 0.2}. "Healthy" is a property of the
 * noise-free curve, fixed before any detector sees it: it still falls by at least 10% in every
 * 200-step window (the plateau patience). Draws that do not are redrawn.
 * Faults, injected into such a run at a known onset step t0 (uniform in [300, 1100]):
 * - nonFinite: NaN from t0 on;
 * - divergence: from t0 the loss grows by a factor e^g per step, g ∈ [0.02, 0.1];
 * - spike: from t0, 6–20 steps at 3–10× the loss, then back;
 * - plateau: from t0 the noise-free loss stays at its value at t0 (noise continues) for 800 steps.
 * Epoch runs (40 epochs, noise σ ∈ {0.005, 0.01, 0.02}): healthy = training and validation loss
 * both still falling (≥ 10% per 5 epochs at the end); overfitting = validation loss turns up by 2–5% per epoch
 * from its best epoch e0 ∈ [8, 20] while training loss keeps falling (onset e0).
 */
import { DetectorSet } from '../../src/core/detectors';
import type { DetectorConfig } from '../../src/core/detectors/options';
import type { Finding, FindingKind, LogRecord } from '../../src/core/types';
import type { LayerFindingKind } from '../../src/core/layers/types';
import { gauss, rng } from './runGen';

export type EvalKind = Exclude<FindingKind, 'underfitting' | LayerFindingKind>;

export interface LabelledRun {
	label: 'healthy' | EvalKind;
	unit: 'step' | 'epoch';
	noise: number;
	/** Onset of the fault (step or epoch); undefined for healthy runs. */
	onset?: number;
	records: LogRecord[];
}

const stepNoises = [0.05, 0.1, 0.2];
const epochNoises = [0.005, 0.01, 0.02];
const patience = 200;

/** A healthy noise-free step curve (exp-to-floor or power law) that still falls ≥ 10% per window. */
function healthyCurve(u: () => number, n: number): (t: number) => number {
	for (;;) {
		const l0 = 1 + 4 * u();
		let f: (t: number) => number;
		if (u() < 0.5) {
			const c = l0 * (0.05 + 0.2 * u());
			const tau = n * (0.3 + 0.5 * u());
			f = (t) => c + (l0 - c) * Math.exp(-t / tau);
		} else {
			const tau = 20 + 80 * u();
			const alpha = 0.6 + 0.6 * u();
			f = (t) => l0 * Math.pow(1 + t / tau, -alpha);
		}
		let ok = true;
		for (let t = 0; t + patience < n && ok; t += 25) {
			ok = f(t + patience) <= 0.9 * f(t);
		}
		if (ok) {
			return f;
		}
	}
}

function stepRecords(
	n: number,
	noise: number,
	g: () => number,
	value: (t: number) => number | null,
): LogRecord[] {
	const out: LogRecord[] = [];
	for (let t = 0; t < n; t++) {
		const v = value(t);
		const x = v === null || !Number.isFinite(v) ? null : v * Math.exp(noise * g());
		out.push({ step: t, unit: 'step', values: { loss: x } });
	}
	return out;
}

/** The whole labelled set: `perCell` runs per (label, noise level). */
export function labelledSet(perCell = 40, seed = 2026): LabelledRun[] {
	const u = rng(seed);
	const g = gauss(rng(seed ^ 0x9e3779b9));
	const runs: LabelledRun[] = [];
	const n = 1500;
	for (const noise of stepNoises) {
		for (let i = 0; i < perCell; i++) {
			const f = healthyCurve(u, n);
			runs.push({ label: 'healthy', unit: 'step', noise, records: stepRecords(n, noise, g, f) });
		}
		for (let i = 0; i < perCell; i++) {
			const f = healthyCurve(u, n);
			const t0 = 300 + Math.floor(800 * u());
			runs.push({
				label: 'nonFinite',
				unit: 'step',
				noise,
				onset: t0,
				records: stepRecords(n, noise, g, (t) => (t < t0 ? f(t) : null)),
			});
		}
		for (let i = 0; i < perCell; i++) {
			const f = healthyCurve(u, n);
			const t0 = 300 + Math.floor(800 * u());
			const rate = 0.02 + 0.08 * u();
			runs.push({
				label: 'divergence',
				unit: 'step',
				noise,
				onset: t0,
				records: stepRecords(n, noise, g, (t) =>
					t < t0 ? f(t) : Math.min(1e8, f(t0) * Math.exp(rate * (t - t0))),
				),
			});
		}
		for (let i = 0; i < perCell; i++) {
			const f = healthyCurve(u, n);
			const t0 = 300 + Math.floor(800 * u());
			const len = 6 + Math.floor(15 * u());
			const mult = 3 + 7 * u();
			runs.push({
				label: 'spike',
				unit: 'step',
				noise,
				onset: t0,
				records: stepRecords(n, noise, g, (t) => (t >= t0 && t < t0 + len ? mult * f(t) : f(t))),
			});
		}
		for (let i = 0; i < perCell; i++) {
			const f = healthyCurve(u, n);
			const t0 = 300 + Math.floor(800 * u());
			runs.push({
				label: 'plateau',
				unit: 'step',
				noise,
				onset: t0,
				records: stepRecords(t0 + 800, noise, g, (t) => f(Math.min(t, t0))),
			});
		}
	}
	for (const noise of epochNoises) {
		for (const label of ['healthy', 'overfitting'] as const) {
			for (let i = 0; i < perCell; i++) {
				// Still falling by 40 epochs: ≥ 10% per 5 epochs (checked below).
				const l0 = 1 + 2 * u();
				const tau = 10 + 15 * u();
				const floor = l0 * 0.01 * u();
				const train = (e: number): number => floor + (l0 - floor) * Math.exp(-e / tau);
				if (train(40) > 0.9 * train(35)) {
					throw new Error('epoch curve too flat for a healthy label');
				}
				const gap = 1.05 + 0.1 * u();
				const e0 = 8 + Math.floor(13 * u());
				const rise = 0.02 + 0.03 * u();
				const val =
					label === 'healthy'
						? (e: number): number => gap * train(e)
						: (e: number): number =>
								e <= e0 ? gap * train(e) : gap * train(e0) * Math.pow(1 + rise, e - e0);
				const records: LogRecord[] = [];
				for (let e = 1; e <= 40; e++) {
					records.push({
						step: e,
						unit: 'epoch',
						values: {
							loss: train(e) * Math.exp(noise * g()),
							val_loss: val(e) * Math.exp(noise * g()),
						},
					});
				}
				runs.push({
					label,
					unit: 'epoch',
					noise,
					onset: label === 'healthy' ? undefined : e0,
					records,
				});
			}
		}
	}
	return runs;
}

/** Per fault kind: how many runs, how many caught, how many with a false alarm, detection delays. */
export interface KindMetrics {
	runs: number;
	detected: number;
	/** Runs with any finding before the onset (faults) or at all (healthy). */
	falseAlarms: number;
	delays: number[];
}

export interface EvalMetrics {
	byKind: Record<'healthy' | EvalKind, KindMetrics>;
	/** Healthy runs by unit and noise: runs and false alarms. */
	healthyByNoise: { unit: 'step' | 'epoch'; noise: number; runs: number; falseAlarms: number }[];
}

/** Feeds every run through a fresh DetectorSet (defaults) and scores it. */
export function evaluate(runs: LabelledRun[], config: DetectorConfig = {}): EvalMetrics {
	const empty = (): KindMetrics => ({ runs: 0, detected: 0, falseAlarms: 0, delays: [] });
	const byKind = {
		healthy: empty(),
		nonFinite: empty(),
		divergence: empty(),
		spike: empty(),
		plateau: empty(),
		overfitting: empty(),
	};
	const cells = new Map<
		string,
		{ unit: 'step' | 'epoch'; noise: number; runs: number; falseAlarms: number }
	>();
	for (const r of runs) {
		const fs: Finding[] = new DetectorSet(config).feedAll(r.records);
		const m = byKind[r.label];
		m.runs++;
		if (r.label === 'healthy') {
			const key = `${r.unit}:${r.noise}`;
			const c = cells.get(key) ?? { unit: r.unit, noise: r.noise, runs: 0, falseAlarms: 0 };
			c.runs++;
			if (fs.length) {
				m.falseAlarms++;
				c.falseAlarms++;
			}
			cells.set(key, c);
			continue;
		}
		const onset = r.onset!;
		if (fs.some((f) => (f.detectedAt ?? f.step) < onset)) {
			m.falseAlarms++;
		}
		const hit = fs.find((f) => f.kind === r.label && (f.detectedAt ?? f.step) >= onset);
		if (hit) {
			m.detected++;
			m.delays.push((hit.detectedAt ?? hit.step) - onset);
		}
	}
	return { byKind, healthyByNoise: [...cells.values()] };
}

export function quantile(xs: number[], q: number): number {
	if (!xs.length) {
		return NaN;
	}
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The table for docs/detectors.md. */
export function metricsTable(m: EvalMetrics): string {
	const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');
	const rows = [
		'| Kind | Runs | Recall | False alarms (before onset) | Delay median | Delay p90 |',
	];
	rows.push('|---|---|---|---|---|---|');
	for (const k of ['nonFinite', 'divergence', 'spike', 'plateau', 'overfitting'] as const) {
		const x = m.byKind[k];
		const unit = k === 'overfitting' ? 'epochs' : 'steps';
		rows.push(
			`| \`${k}\` | ${x.runs} | ${pct(x.detected, x.runs)} | ${pct(x.falseAlarms, x.runs)} | ${quantile(x.delays, 0.5)} ${unit} | ${quantile(x.delays, 0.9)} ${unit} |`,
		);
	}
	const h = m.byKind.healthy;
	rows.push(`| healthy (any finding) | ${h.runs} | – | ${pct(h.falseAlarms, h.runs)} | – | – |`);
	const cells = m.healthyByNoise
		.map((c) => `${c.unit} σ=${c.noise}: ${c.falseAlarms}/${c.runs}`)
		.join(', ');
	return `${rows.join('\n')}\n\nHealthy runs with a finding, by unit and noise: ${cells}.`;
}
