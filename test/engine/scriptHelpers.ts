/** Shared helpers for the zero-config script tests (fit hook and monitor mode). */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
	runScript,
	type ScriptRequest,
	type ScriptRunOptions,
} from '../../src/engine/script/scriptRunner';
import type { FromRunnerMessage, ModelSource } from '../../src/shared/runnerProtocol';

export const scriptsDir = path.join(__dirname, '..', 'fixtures', 'scripts');
export const hookPath = path.join(__dirname, '..', '..', 'dist', 'fitHook.js');

/** Everything one run produced. */
export interface ScriptRun {
	messages: FromRunnerMessage[];
	final: FromRunnerMessage;
	output: string;
	pids: number[];
	ms: number;
}

/** Runs a request through runScript with the built hook, collecting messages and output. */
export async function run(
	req: ScriptRequest,
	opts: ScriptRunOptions & { cancelWhen?: (m: FromRunnerMessage) => boolean } = {},
): Promise<ScriptRun> {
	if (!fs.existsSync(hookPath)) {
		throw new Error(
			'dist/fitHook.js is missing: run `node esbuild.mjs` first (npm run test:engine does)',
		);
	}
	const messages: FromRunnerMessage[] = [];
	let output = '';
	const pids: number[] = [];
	let cancel = false;
	const t0 = Date.now();
	await runScript(
		req,
		(m) => {
			messages.push(m);
			if (opts.cancelWhen?.(m)) {
				cancel = true;
			}
		},
		() => cancel,
		{ hookPath, onOutput: (_s, t) => (output += t), onSpawn: (pid) => pids.push(pid), ...opts },
	);
	return { messages, final: messages[messages.length - 1], output, pids, ms: Date.now() - t0 };
}

type ScriptSource = Extract<ModelSource, { kind: 'script' }>;
type RangeTestRequest = Extract<ScriptRequest, { type: 'rangeTest' }>;

/** A range-test request on a fixture script (short test: 20 steps). */
export function rangeTestReq(
	script: string,
	extra: Partial<ScriptSource> = {},
	options: RangeTestRequest['options'] = { steps: 20 },
): RangeTestRequest {
	return {
		type: 'rangeTest',
		id: `rt-${script}`,
		source: { kind: 'script', scriptPath: path.join(scriptsDir, script), args: [], ...extra },
		options,
		backend: 'auto',
	};
}

/** A monitor request on a fixture script. */
export function monitorReq(
	script: string,
	options: Extract<ScriptRequest, { type: 'monitor' }>['options'] = {},
	args: string[] = [],
): ScriptRequest {
	return {
		type: 'monitor',
		id: `mon-${script}`,
		source: { kind: 'script', scriptPath: path.join(scriptsDir, script), args },
		options,
		backend: 'auto',
	};
}

/** sha256 of every file under a directory, by relative path. */
export function treeHashes(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string): void => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) {
				walk(p);
			} else {
				out[path.relative(dir, p)] = crypto
					.createHash('sha256')
					.update(fs.readFileSync(p))
					.digest('hex');
			}
		}
	};
	walk(dir);
	return out;
}

/** Whether a pid is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	}
}

/** Waits (bounded) until none of the pids is alive; returns those still alive. */
export async function survivors(pids: number[], ms = 3000): Promise<number[]> {
	const end = Date.now() + ms;
	let alive = pids.filter(isAlive);
	while (alive.length > 0 && Date.now() < end) {
		await new Promise((r) => setTimeout(r, 50));
		alive = alive.filter(isAlive);
	}
	return alive;
}

/** Messages of one type. */
export function ofType<T extends FromRunnerMessage['type']>(
	msgs: FromRunnerMessage[],
	type: T,
): Extract<FromRunnerMessage, { type: T }>[] {
	return msgs.filter((m): m is Extract<FromRunnerMessage, { type: T }> => m.type === type);
}
