/** The fit hook's state and plumbing: what it knows about the script's tfjs, and how it reports. */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendInfo } from '../../../core/types';
import type { HookConfig, HookMessage } from '../../../shared/fitHookProtocol';
import { BadInputError } from '../../../shared/errors';
import type { Tf } from '../../sources/sourceTypes';
import { noScriptTfText, withBackendName } from '../../../core/present/scriptWords';

export type AnyFn = (...args: unknown[]) => unknown;
export type Rec = Record<string, unknown>;
export interface ModelLike extends tfTypes.LayersModel {
	optimizer: tfTypes.Optimizer;
}

export const tfNames = new Set([
	'@tensorflow/tfjs',
	'@tensorflow/tfjs-node',
	'@tensorflow/tfjs-node-gpu',
	'@tensorflow/tfjs-layers',
]);
export const hookFile = __filename;
/** dist/.. — where the bundled @tensorflow/tfjs is resolved from. */
export const ownRoot = path.dirname(__dirname);

export interface HookState {
	config: HookConfig;
	/** The tfjs namespace the script uses (captured as it loads). */
	tf?: Tf;
	/** Where tfjs came from; the backend name is read when needed (it is set lazily by tfjs). */
	backend?: Omit<BackendInfo, 'name' | 'version'>;
	notes: string[];
	fitCalls: number;
	/** Range test/sweep: the first call was taken. */
	intercepted: boolean;
	/** Re-entrancy: Sequential.fit calls the inner model's fit synchronously. */
	inside: boolean;
	globalStep: number;
	globalEpoch: number;
	/** Math.random is seeded (range test / sweep). */
	seeded?: boolean;
	/** The tfjs behind the tfjs-node stand-in. */
	shimmed?: Tf;
	/** Wasm was started before the script ran (earlyWasm.ts): what its start said. */
	earlyWasm?: { note: string };
}

/** Exits once stdout/stderr have flushed (bounded), so the tail of the script's output is not lost. */
export function exitAfterFlush(code: number): void {
	let pending = 2;
	const done = (): void => {
		if (--pending === 0) {
			process.exit(code);
		}
	};
	setTimeout(() => process.exit(code), 2000).unref();
	process.stdout.write('', done);
	process.stderr.write('', done);
}

export function send(msg: HookMessage | Rec, then?: () => void): void {
	if (typeof process.send === 'function' && process.connected) {
		process.send(msg, undefined, {}, () => then?.());
	} else {
		// Run by hand without the runner: print what would have been sent.
		process.stderr.write(`[lrscope] ${JSON.stringify(msg)}\n`);
		then?.();
	}
}

export function backendInfo(
	origin: BackendInfo['origin'],
	pkg: string,
	reason: string,
): Omit<BackendInfo, 'name' | 'version'> {
	return { origin, package: pkg, reason };
}

/** The backend the script's tfjs actually runs on, with where that tfjs came from. */

export function currentBackend(st: HookState, tf: Tf): BackendInfo {
	const b =
		st.backend ??
		backendInfo(
			originOf(undefined),
			'@tensorflow/tfjs',
			'the script imported tfjs as an ES module',
		);
	const name = tf.getBackend() ?? 'unknown';
	return {
		name,
		version: tf.version?.tfjs ?? 'unknown',
		...b,
		reason: withBackendName(b.reason, name),
	};
}

/** The tfjs namespace to run the test with: the one the script loaded, else its cached copy. */
export function resolveTfForModel(st: HookState): Tf {
	if (st.tf) {
		return st.tf;
	}
	// ES-module imports of tfjs bypass Module._load for the top package; CommonJS has it cached.
	const tf =
		loadFrom(st.config.scriptPath, '@tensorflow/tfjs') ?? loadFrom(hookFile, '@tensorflow/tfjs');
	if (!tf) {
		throw new BadInputError(noScriptTfText);
	}
	st.tf = tf;
	return tf;
}

function loadFrom(from: string, name: string): Tf | undefined {
	try {
		return createRequire(from)(name) as Tf;
	} catch {
		return undefined;
	}
}

/** Adds why the backend was chosen to the backend's reason. */
export function noteBackendChoice(st: HookState, why: string): void {
	const base = st.backend;
	st.backend = {
		...(base ?? backendInfo(originOf(undefined), '@tensorflow/tfjs', '')),
		reason: [base?.reason, why].filter(Boolean).join('; '),
	};
}

/**
 * LR Scope's node_modules as module resolution sees it: resolved paths are real paths, so a
 * node_modules that is a symlink (a git worktree sharing another checkout's) resolves outside ownRoot.
 */
const ownModules = ((): string | undefined => {
	try {
		return fs.realpathSync(path.join(ownRoot, 'node_modules'));
	} catch {
		return undefined;
	}
})();

export function originOf(file: string | undefined): BackendInfo['origin'] {
	const own =
		file !== undefined &&
		(file.startsWith(ownRoot + path.sep) ||
			(ownModules !== undefined && file.startsWith(ownModules + path.sep)));
	return own ? 'bundled' : 'workspace';
}

export function resolveFrom(
	parent: { filename?: string } | undefined,
	name: string,
): string | undefined {
	try {
		return createRequire(parent?.filename ?? path.join(process.cwd(), 'noop.js')).resolve(name);
	} catch {
		return undefined;
	}
}
