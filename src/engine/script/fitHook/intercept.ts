/** Interception: the range test or sweep on the script's first fit call, then the process exits. */
import { errorText } from '../../../core/present/errorText';
import type { RunnerErrorCode } from '../../../shared/runnerProtocol';
import { BadInputError } from '../../../shared/errors';
import { overallProgress, resolveRangeTestOptions, runRangeTest } from '../../training/rangeTest';
import type { LoadedSource } from '../../sources/sourceTypes';
import { runSweep } from '../../training/sweep';
import {
	checkVerifyOptions,
	rangeTestOptionsWithVerify,
	verifyRangeTest,
} from '../../training/verifyRun';
import { sourceFromFitCall } from './fitArgs';
import { fitPlanSteps } from './fitPlan';
import { chooseScriptBackend } from './scriptBackend';
import {
	currentBackend,
	exitAfterFlush,
	noteBackendChoice,
	resolveTfForModel,
	send,
	type HookState,
	type ModelLike,
} from './state';

function isBadInput(e: unknown): boolean {
	return e instanceof BadInputError || (e as Error | undefined)?.name === 'BadInputError';
}

/** Range test (or sweep) on the intercepted call; reports and exits the process. */
export async function interceptAndRun(
	st: HookState,
	model: ModelLike,
	method: 'fit' | 'fitDataset',
	args: unknown[],
): Promise<void> {
	const id = st.config.id;
	let loaded: LoadedSource | undefined;
	try {
		const tf = resolveTfForModel(st);
		const batchOverride =
			st.config.mode === 'sweep' ? st.config.sweep?.batchSize : st.config.rangeTest?.batchSize;
		loaded = await sourceFromFitCall(tf, model, method, args, [...st.notes], batchOverride);
		noteBackendChoice(st, await chooseScriptBackend(st, tf, model, loaded));
		const backend = currentBackend(st, tf);
		if (st.config.mode === 'sweep') {
			send({ type: 'started', id, backend, total: 0 });
			const result = await runSweep(tf, loaded, st.config.sweep ?? {}, {
				backend,
				onProgress: (p) => send({ type: 'sweepProgress', id, ...p }),
				onLog: (message) => send({ type: 'log', id, level: 'info', message }),
			});
			result.notes = [...new Set([...result.notes, ...loaded.notes])];
			send({ type: 'sweepResult', id, result }, () => exitAfterFlush(0));
			return;
		}
		const opts = rangeTestOptionsWithVerify(st.config.rangeTest ?? {});
		// Progress counts the steps of all repeats (3 by default).
		const o = resolveRangeTestOptions(opts);
		checkVerifyOptions(o);
		send({ type: 'started', id, backend, total: o.steps * o.repeat });
		const tested = await runRangeTest(tf, loaded, opts, {
			backend,
			onProgress: (p) => send({ type: 'progress', id, ...overallProgress(p, o) }),
		});
		// The probes train as long as the script's own fit would (epochs × steps per epoch).
		const result = await verifyRangeTest(tf, loaded, tested, opts, {
			id,
			send,
			planSteps: fitPlanSteps(method, args, loaded),
		});
		result.notes = [...new Set([...result.notes, ...loaded.notes])];
		send({ type: 'result', id, result }, () => exitAfterFlush(0));
	} catch (e) {
		// Errors while training the script's own model are about its model/data: bad input, not ours.
		const code: RunnerErrorCode = 'badInput';
		const what = st.config.mode === 'sweep' ? 'sweep' : 'range test';
		const msg = isBadInput(e)
			? errorText(e)
			: `the ${what} failed on the script's model: ${errorText(e)}`;
		const detail = e instanceof Error ? e.stack : undefined;
		send({ type: 'error', id, code, message: msg, detail }, () => exitAfterFlush(2));
	} finally {
		loaded?.dispose();
	}
}
