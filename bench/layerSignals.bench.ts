/**
 * Overhead of the per-layer signals in monitor mode (issue 15): the same training script runs with
 * LR Scope monitoring it, layer signals on vs off (off = the global gradient norm only, as before),
 * in alternating runs on this one machine. The script times its own `model.fit`, so process start
 * and tfjs loading are not counted. Reported: ms per step, the on/off ratio (the overhead), and the
 * k the budget chose.
 */
import * as path from 'node:path';
import { runScript, type ScriptRequest } from '../src/engine/script/scriptRunner';
import type { FromRunnerMessage } from '../src/shared/runnerProtocol';
import type { BenchRow, BenchSection } from './types';

const hookPath = path.join(__dirname, '..', 'dist', 'fitHook.js');
const script = path.join(__dirname, 'scripts', 'layerSignalsModel.js');
const models: { name: string; steps: number; what: string }[] = [
	{ name: 'mlp', steps: 160, what: 'MLP 64-128-128-10, batch 32' },
	{ name: 'cnn', steps: 16, what: 'CNN 12×12×3, 2 conv + 2 dense, batch 32' },
	{ name: 'deep50', steps: 64, what: '51 dense layers of 32 (ReLU/tanh), batch 32' },
];
/** Alternating repeats per mode; the median is reported (the machine is shared). */
const repeats = 3;

interface One {
	msPerStep: number;
	every: number[];
	/** The hook's own measure: Σ sample cost / Σ step time over the run (cost/step ÷ k per sample). */
	selfOverhead: number | undefined;
}

async function once(model: string, steps: number, layers: boolean): Promise<One> {
	const req: ScriptRequest = {
		type: 'monitor',
		id: `bench-${model}`,
		source: {
			kind: 'script',
			scriptPath: script,
			args: ['--model', model, '--steps', String(steps)],
		},
		options: { gradNorm: true, layers },
		backend: 'auto',
	};
	let out = '';
	const msgs: FromRunnerMessage[] = [];
	await runScript(
		req,
		(m) => msgs.push(m),
		() => false,
		{
			hookPath,
			onOutput: (_s, t) => (out += t),
		},
	);
	const line = out.split('\n').find((l) => l.startsWith('{"fitMs"'));
	if (!line) {
		throw new Error(`bench script failed: ${out.slice(-500)} ${JSON.stringify(msgs.at(-1))}`);
	}
	const r = JSON.parse(line) as { fitMs: number; steps: number };
	const samples = msgs.flatMap((m) => (m.type === 'layerStats' ? [m.sample] : []));
	const every = samples.map((s) => s.every);
	// Each sample costs `overhead` steps' worth of time and stands for `every` steps.
	const measured = samples.filter((s) => s.overhead !== undefined);
	const selfOverhead = measured.length
		? measured.reduce((a, s) => a + s.overhead!, 0) / measured.reduce((a, s) => a + s.every, 0)
		: undefined;
	return { msPerStep: r.fitMs / r.steps, every, selfOverhead };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchSection> {
	const rows: BenchRow[] = [];
	const notes: string[] = [];
	for (const m of models) {
		const on: One[] = [];
		const off: One[] = [];
		for (let i = 0; i < repeats; i++) {
			off.push(await once(m.name, m.steps, false));
			on.push(await once(m.name, m.steps, true));
		}
		const offMs = median(off.map((o) => o.msPerStep));
		const onMs = median(on.map((o) => o.msPerStep));
		const ks = on.flatMap((o) => o.every.slice(1));
		process.stderr.write(
			`  ${m.name}: off ${offMs.toFixed(1)} ms/step, on ${onMs.toFixed(1)} ms/step (${((onMs / offMs - 1) * 100).toFixed(1)}%)\n`,
		);
		rows.push({ name: `${m.name}: layers off (grad norm only)`, value: offMs, unit: 'ms/step' });
		rows.push({
			name: `${m.name}: layers on`,
			value: onMs,
			unit: 'ms/step',
			ratio: onMs / offMs,
			baseline: 'layers off',
			note: `${m.what}; k median ${ks.length ? median(ks) : 'n/a'}`,
		});
		const self = on.flatMap((o) => (o.selfOverhead !== undefined ? [o.selfOverhead] : []));
		if (self.length) {
			rows.push({
				name: `${m.name}: sampling cost / training time (hook's own measure)`,
				value: median(self) * 100,
				unit: '%',
			});
		}
	}
	notes.push(
		'ratio − 1 is the overhead of the layer signals; the budget is 5 % (k adapts to the measured cost).',
		"On a loaded machine the on/off ratio is noisy (other processes land in one run or the other); the hook's own measure times each sample in-process.",
	);
	return {
		title: 'Layer signals in monitor mode: overhead (same script, layers on vs off)',
		rows,
		notes,
	};
}
