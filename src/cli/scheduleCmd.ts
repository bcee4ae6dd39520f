/** `lrscope schedule --spec '<json>' --steps N [--json] [--code]`: evaluate a schedule, or print it as tfjs code. */
import {
	cannotReadText,
	lossesArrayText,
	lossesJsonText,
	lossesKindText,
	optimizerFlagText,
	scheduleStepsText,
	specJsonText,
	specRequiredText,
	stepsRequiredText,
} from '../core/present/curveFileErrors';
import { readFileSync } from 'node:fs';
import { scheduleCode } from '../core/schedules/scheduleCode';
import { optimizerKinds } from '../core/tfjsNames';
import type { OptimizerKind } from '../core/tfjsNames';
import { parseScheduleSpec } from '../core/schedules/parseSpec';
import { scheduleKinds } from '../core/schedules/spec';
import { describeSchedule } from '../core/present/schedule';
import { plateauLrs } from '../core/schedules/plateauScheduler';
import { scheduleLrs } from '../core/schedules/scheduleLr';
import type { ScheduleSpec } from '../core/schedules/spec';
import { formatNum } from '../core/present/format';
import { UsageError, out, parseCommandArgs, toJson, type Subcommand } from './common';
import { errorText } from '../core/present/errorText';

/** Above this many steps the JSON would be hundreds of megabytes: refuse rather than hang. */
const maxSteps = 10_000_000;

const help = `Usage: lrscope schedule --spec '<json>' --steps N [--json] [--code] [--optimizer adam]

Evaluates a learning-rate schedule at steps 0..N-1 (Keras / PyTorch formulas), or prints a
tfjs callback that applies it during model.fit (tfjs has no schedule API).

Kinds and parameters (defaults in brackets):
  constant        lr
  step            initialLearningRate, stepSize, gamma [0.1]                     (PyTorch StepLR)
  exponential     initialLearningRate, decaySteps, decayRate, staircase [false]  (Keras ExponentialDecay)
  piecewise       boundaries, values (one more than boundaries)                  (Keras PiecewiseConstantDecay)
  polynomial      initialLearningRate, decaySteps, endLearningRate [1e-4], power [1], cycle [false]
  cosine          initialLearningRate, decaySteps, alpha [0], warmupTarget [null], warmupSteps [0]
  cosineRestarts  initialLearningRate, firstDecaySteps, tMul [2], mMul [1], alpha [0]
  oneCycle        maxLr, totalSteps, pctStart [0.3], divFactor [25], finalDivFactor [1e4],
                  annealStrategy ["cos"|"linear"], threePhase [false]            (PyTorch OneCycleLR)
  reduceOnPlateau initialLearningRate, mode ["keras"|"torch"], factor [0.1], patience [10],
                  minDelta [1e-4] (keras), threshold [1e-4], thresholdMode ["rel"] (torch),
                  cooldown [0], minLr [0], eps [1e-8], monitor ["val_loss"]
                  (per epoch; --losses gives the monitored values, else the LR stays put)

Options:
  --spec JSON       the schedule, as JSON, or @file.json to read it from a file
  --steps N         number of steps to evaluate (required unless --code alone)
  --json            print {"lrs":[lr(0),...,lr(N-1)],"spec":{...with defaults}}; with --code adds "code"
  --code            print a tfjs callback class (setLearningRate for sgd/momentum, the
                    learningRate field for adam/adamax/rmsprop/adagrad/adadelta)
  --optimizer NAME  ${optimizerKinds.join('|')} (default adam), for --code
  --losses JSON     reduceOnPlateau only: a JSON array of per-epoch monitored losses
  -h, --help

Examples:
  lrscope schedule --spec '{"kind":"cosine","initialLearningRate":0,"decaySteps":900,"warmupTarget":0.003,"warmupSteps":100}' --steps 1000 --json
  lrscope schedule --spec '{"kind":"oneCycle","maxLr":0.01,"totalSteps":500}' --steps 500
  lrscope schedule --spec '{"kind":"step","initialLearningRate":0.1,"stepSize":30}' --code --optimizer sgd > lrSchedule.js
  lrscope schedule --spec '{"kind":"reduceOnPlateau","initialLearningRate":0.01,"patience":2}' --losses '[1,0.8,0.8,0.8,0.79]'
`;

function readSpec(raw: string): ScheduleSpec {
	let text = raw;
	if (raw.startsWith('@')) {
		try {
			text = readFileSync(raw.slice(1), 'utf8');
		} catch (e) {
			throw new UsageError(
				cannotReadText(raw.slice(1), (e as NodeJS.ErrnoException).code ?? errorText(e)),
			);
		}
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		throw new UsageError(specJsonText(errorText(e)));
	}
	try {
		return parseScheduleSpec(json);
	} catch (e) {
		throw new UsageError(errorText(e));
	}
}

function readLosses(raw: string): (number | null)[] {
	let v: unknown;
	try {
		v = JSON.parse(raw);
	} catch (e) {
		throw new UsageError(lossesJsonText(errorText(e)));
	}
	if (
		!Array.isArray(v) ||
		!v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))
	) {
		throw new UsageError(lossesArrayText);
	}
	return v as (number | null)[];
}

/** The `schedule` subcommand. */
export const scheduleCommand: Subcommand = {
	name: 'schedule',
	summary: 'Evaluate an LR schedule (Keras/PyTorch formulas) or print it as a tfjs callback',
	help,
	async run(argv: string[]): Promise<number> {
		const parsed = parseCommandArgs('schedule', {
			args: argv,
			options: {
				spec: { type: 'string' },
				steps: { type: 'string' },
				json: { type: 'boolean', default: false },
				code: { type: 'boolean', default: false },
				optimizer: { type: 'string', default: 'adam' },
				losses: { type: 'string' },
			},
			allowPositionals: false,
			strict: true,
		});
		const { values } = parsed;
		if (values.spec === undefined) {
			throw new UsageError(specRequiredText(scheduleKinds));
		}
		const spec = readSpec(values.spec);
		const optimizer = values.optimizer as string;
		if (!(optimizerKinds as readonly string[]).includes(optimizer)) {
			throw new UsageError(optimizerFlagText(optimizerKinds, optimizer));
		}
		const steps = stepsFlag(values.steps);
		let losses: (number | null)[] | undefined;
		if (values.losses !== undefined) {
			if (spec.kind !== 'reduceOnPlateau') {
				throw new UsageError(lossesKindText);
			}
			losses = readLosses(values.losses);
		}
		const code = values.code
			? scheduleCode(spec, { optimizer: optimizer as OptimizerKind })
			: undefined;
		if (steps === undefined && losses === undefined) {
			if (code === undefined) {
				throw new UsageError(stepsRequiredText);
			}
			if (values.json) {
				out(toJson({ spec, code }));
			} else {
				process.stdout.write(code);
			}
			return 0;
		}
		// Plateau with losses: one LR per epoch (the one in force during it), plus the one after the last.
		const lrs =
			spec.kind === 'reduceOnPlateau' && losses
				? plateauLrs(spec, losses)
				: scheduleLrs(spec, steps as number);
		if (values.json) {
			out(toJson(code === undefined ? { lrs, spec } : { lrs, spec, code }));
			return 0;
		}
		if (code !== undefined) {
			process.stdout.write(code);
			return 0;
		}
		out(describeSchedule(spec));
		printLrTable(lrs, losses ? 'epoch' : 'step');
		return 0;
	},
};

/** The LRs as a table: every row, or about 20 evenly spaced ones of a long schedule. */
function printLrTable(lrs: number[], unit: 'epoch' | 'step'): void {
	const n = lrs.length;
	// Long schedules: about 20 evenly spaced rows (always including the first and last step).
	const rows =
		n <= 24
			? lrs.map((_, i) => i)
			: [...new Set(Array.from({ length: 21 }, (_, k) => Math.round((k * (n - 1)) / 20)))];
	for (const i of rows) {
		out(`  ${unit} ${String(i).padStart(String(n - 1).length)}  ${formatNum(lrs[i], 4)}`);
	}
	if (n > 0) {
		out(
			`  min ${formatNum(Math.min(...lrs), 4)}, max ${formatNum(Math.max(...lrs), 4)} over ${n} ${unit}s`,
		);
	}
}

/** `--steps`: an integer from 0 to maxSteps, when given. */
function stepsFlag(raw: string | undefined): number | undefined {
	if (raw === undefined) {
		return undefined;
	}
	const steps = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(steps) || steps < 0 || steps > maxSteps) {
		throw new UsageError(scheduleStepsText(maxSteps, raw));
	}
	return steps;
}
