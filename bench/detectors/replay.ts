/**
 * Replays a recorded corpus run through the detectors in the order monitor mode feeds them
 * (src/engine/script/scriptRunner.ts): each batch's log to the loss detectors, then the step's gradient
 * norm and loss to the layer detectors, then that step's layer sample; each epoch's log after its
 * last batch. Runs recorded as epoch-granular show the loss detectors only the epoch logs.
 */
import { DetectorSet } from '../../src/core/detectors';
import type { DetectorConfig } from '../../src/core/detectors/options';
import { LayerDetectorSet } from '../../src/core/layers/layerDetectors';
import type { LayerDetectorConfig } from '../../src/core/layers/layerDetectorOptions';
import type { LayerSample } from '../../src/core/layers/types';
import type { Finding } from '../../src/core/types';
import type { RecordedRun } from './record';

/** A finding with the step it was detected at (epoch findings: the epoch's last step). */
export interface ReplayedFinding extends Finding {
	atStep: number;
}

export interface ReplayConfig {
	loss?: DetectorConfig;
	layers?: LayerDetectorConfig;
}

function sampleAt(run: RecordedRun, i: number): LayerSample {
	const l = run.layers;
	const every = i + 1 < l.steps.length ? l.steps[i + 1] - l.steps[i] : 2;
	return {
		step: l.steps[i],
		layers: l.names,
		params: l.params,
		gradNorm: l.grad[i],
		weightNorm: l.names.map(() => null),
		updateRatio: l.ratio[i],
		dead: l.dead[i],
		saturated: l.sat[i],
		every,
		optimizer: optimizerClass[run.spec.optimizer],
	};
}

/** The tfjs class name of each corpus optimizer (what the fit hook's samples carry). */
const optimizerClass = { adam: 'Adam', sgd: 'SGD', momentum: 'Momentum' } as const;

/** Every finding of `run`, in the order they were raised. */
export function replay(run: RecordedRun, config: ReplayConfig = {}): ReplayedFinding[] {
	const loss = new DetectorSet(config.loss);
	const layers = new LayerDetectorSet(config.layers);
	const out: ReplayedFinding[] = [];
	const add = (fs: Finding[], atStep: number): void => {
		for (const f of fs) {
			out.push({ ...f, atStep });
		}
	};
	const byStep = new Map(run.layers.steps.map((s, i) => [s, i]));
	const batchLevel = run.spec.granularity === 'batch';
	const lastOfEpoch = new Map<number, number>();
	for (const [step, epoch] of run.batches) {
		lastOfEpoch.set(epoch, step);
	}
	let e = 0;
	for (const [step, epoch, l, g, lr] of run.batches) {
		if (batchLevel) {
			const fs = loss.feed({ step, unit: 'step', values: { loss: l } });
			fs.forEach((f) => layers.noteLossFinding(f));
			add(fs, step);
		}
		add(layers.feedStep(step, g, l, lr), step);
		const i = byStep.get(step);
		if (i !== undefined) {
			add(layers.feedSample(sampleAt(run, i)), step);
		}
		if (lastOfEpoch.get(epoch) === step && e < run.epochs.length && run.epochs[e][0] === epoch) {
			const [, tl, vl] = run.epochs[e++];
			const fs = loss.feed({ step: epoch, unit: 'epoch', values: { loss: tl, val_loss: vl } });
			fs.forEach((f) => layers.noteLossFinding(f));
			add(fs, step);
		}
	}
	return out;
}

/** The first step of each epoch (to turn an epoch-level onset into a step). */
export function epochStartStep(run: RecordedRun, epoch: number): number {
	const b = run.batches.find((x) => x[1] >= epoch);
	return b ? b[0] : (run.batches.at(-1)?.[0] ?? 0);
}
