/**
 * `parseScheduleSpec`: validates a schedule spec from JSON (the types are in spec.ts) and fills the
 * defaults of the library the schedule comes from (docs/algorithms.md, "Schedules").
 */
import { oneCyclePhaseEnds } from './scheduleLr';
import { scheduleKinds, type ScheduleKind, type ScheduleSpec } from './spec';

type FieldType =
	| 'lr'
	| 'posNum'
	| 'nonNegNum'
	| 'posInt'
	| 'nonNegInt'
	| 'num'
	| 'bool'
	| 'numArray'
	| 'lrOrNull'
	| 'string'
	| string[];
interface FieldDef {
	type: FieldType;
	/** Default; `undefined` = required. */
	def?: unknown;
}

/** Field tables: type and default (from Keras / PyTorch) of every parameter of every kind. */
const fields: Record<ScheduleKind, Record<string, FieldDef>> = {
	constant: { lr: { type: 'lr' } },
	step: {
		initialLearningRate: { type: 'lr' },
		stepSize: { type: 'posInt' },
		gamma: { type: 'posNum', def: 0.1 },
	},
	exponential: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		decayRate: { type: 'posNum' },
		staircase: { type: 'bool', def: false },
	},
	piecewise: { boundaries: { type: 'numArray' }, values: { type: 'numArray' } },
	polynomial: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		endLearningRate: { type: 'lr', def: 0.0001 },
		power: { type: 'posNum', def: 1 },
		cycle: { type: 'bool', def: false },
	},
	cosine: {
		initialLearningRate: { type: 'lr' },
		decaySteps: { type: 'posNum' },
		alpha: { type: 'nonNegNum', def: 0 },
		warmupTarget: { type: 'lrOrNull', def: null },
		warmupSteps: { type: 'nonNegNum', def: 0 },
	},
	cosineRestarts: {
		initialLearningRate: { type: 'lr' },
		firstDecaySteps: { type: 'posNum' },
		tMul: { type: 'posNum', def: 2 },
		mMul: { type: 'nonNegNum', def: 1 },
		alpha: { type: 'nonNegNum', def: 0 },
	},
	oneCycle: {
		maxLr: { type: 'lr' },
		totalSteps: { type: 'posInt' },
		pctStart: { type: 'posNum', def: 0.3 },
		divFactor: { type: 'posNum', def: 25 },
		finalDivFactor: { type: 'posNum', def: 1e4 },
		annealStrategy: { type: ['cos', 'linear'], def: 'cos' },
		threePhase: { type: 'bool', def: false },
	},
	reduceOnPlateau: {
		initialLearningRate: { type: 'lr' },
		mode: { type: ['keras', 'torch'], def: 'keras' },
		factor: { type: 'posNum', def: 0.1 },
		patience: { type: 'nonNegInt', def: 10 },
		minDelta: { type: 'nonNegNum', def: 1e-4 },
		threshold: { type: 'nonNegNum', def: 1e-4 },
		thresholdMode: { type: ['rel', 'abs'], def: 'rel' },
		cooldown: { type: 'nonNegInt', def: 0 },
		minLr: { type: 'nonNegNum', def: 0 },
		eps: { type: 'nonNegNum', def: 1e-8 },
		monitor: { type: 'string', def: 'val_loss' },
	},
};

function checkField(kind: string, name: string, type: FieldType, v: unknown): void {
	const where = `schedule "${kind}": ${name}`;
	const isNum = typeof v === 'number' && Number.isFinite(v);
	const bad = (what: string): never => {
		throw new Error(`${where} must be ${what}, got ${JSON.stringify(v) ?? String(v)}`);
	};
	if (Array.isArray(type)) {
		if (typeof v !== 'string' || !type.includes(v)) {
			bad(`one of ${type.map((t) => `"${t}"`).join(', ')}`);
		}
		return;
	}
	switch (type) {
		case 'lr':
			return void (isNum && (v as number) >= 0 ? 0 : bad('a finite number ≥ 0'));
		case 'lrOrNull':
			return void (v === null || (isNum && (v as number) >= 0)
				? 0
				: bad('a finite number ≥ 0 or null'));
		case 'posNum':
			return void (isNum && (v as number) > 0 ? 0 : bad('a finite number > 0'));
		case 'nonNegNum':
			return void (isNum && (v as number) >= 0 ? 0 : bad('a finite number ≥ 0'));
		case 'num':
			return void (isNum ? 0 : bad('a finite number'));
		case 'posInt':
			return void (Number.isInteger(v) && (v as number) > 0 ? 0 : bad('an integer > 0'));
		case 'nonNegInt':
			return void (Number.isInteger(v) && (v as number) >= 0 ? 0 : bad('an integer ≥ 0'));
		case 'bool':
			return void (typeof v === 'boolean' ? 0 : bad('true or false'));
		case 'numArray':
			return void (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))
				? 0
				: bad('an array of finite numbers'));
		case 'string':
			return void (typeof v === 'string' && v.length > 0 ? 0 : bad('a non-empty string'));
	}
}

/**
 * Validates a schedule spec from JSON and fills in defaults. Throws an Error with a one-line message
 * naming the bad field (unknown kind, missing or mistyped parameter, unknown parameter, or a
 * combination the formula cannot evaluate).
 */
export function parseScheduleSpec(json: unknown): ScheduleSpec {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new Error(
			'a schedule spec must be a JSON object like {"kind":"cosine","initialLearningRate":0.01,"decaySteps":1000}',
		);
	}
	const o = json as Record<string, unknown>;
	const kind = o.kind;
	if (typeof kind !== 'string' || !(scheduleKinds as readonly string[]).includes(kind)) {
		throw new Error(
			`schedule kind must be one of ${scheduleKinds.join(', ')}; got ${JSON.stringify(kind) ?? 'nothing'}`,
		);
	}
	const defs = fields[kind as ScheduleKind];
	for (const key of Object.keys(o)) {
		if (key !== 'kind' && !(key in defs)) {
			throw new Error(
				`schedule "${kind}": unknown field "${key}"; expected ${Object.keys(defs).join(', ')}`,
			);
		}
	}
	const spec: Record<string, unknown> = { kind };
	for (const [name, def] of Object.entries(defs)) {
		const v = o[name] === undefined ? def.def : o[name];
		if (v === undefined) {
			throw new Error(`schedule "${kind}": missing required field "${name}"`);
		}
		checkField(kind, name, def.type, v);
		spec[name] = Array.isArray(v) ? [...(v as number[])] : v;
	}
	const s = spec as unknown as ScheduleSpec;
	checkCombination(s);
	return s;
}

/** Cross-field checks: the combinations where the original formula divides by zero or is undefined. */
function checkCombination(s: ScheduleSpec): void {
	switch (s.kind) {
		case 'piecewise':
			if (s.values.length !== s.boundaries.length + 1) {
				throw new Error(
					`schedule "piecewise": values must have one more entry than boundaries (got ${s.values.length} values, ${s.boundaries.length} boundaries)`,
				);
			}
			for (let i = 1; i < s.boundaries.length; i++) {
				if (s.boundaries[i] < s.boundaries[i - 1]) {
					throw new Error(
						`schedule "piecewise": boundaries must be increasing (boundaries[${i}] = ${s.boundaries[i]} < ${s.boundaries[i - 1]})`,
					);
				}
			}
			return;
		case 'cosineRestarts':
			// tMul < 1 makes the periods' sum finite, after which Keras's log() goes NaN.
			if (s.tMul < 1) {
				throw new Error(`schedule "cosineRestarts": tMul must be ≥ 1, got ${s.tMul}`);
			}
			return;
		case 'oneCycle': {
			if (s.pctStart >= 1) {
				throw new Error(`schedule "oneCycle": pctStart must be in (0, 1), got ${s.pctStart}`);
			}
			const ends = oneCyclePhaseEnds(s);
			let prev = 0;
			for (const e of ends) {
				if (!(e > prev)) {
					throw new Error(
						`schedule "oneCycle": totalSteps ${s.totalSteps} is too short for pctStart ${s.pctStart} (a phase would have no steps; PyTorch divides by zero here)`,
					);
				}
				prev = e;
			}
			return;
		}
		case 'reduceOnPlateau':
			if (s.factor >= 1) {
				throw new Error(`schedule "reduceOnPlateau": factor must be < 1, got ${s.factor}`);
			}
			return;
		default:
			return;
	}
}
