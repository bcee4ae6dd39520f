/**
 * The preload for zero-config runs (`node --require dist/fitHook.js script.js args…`, started by
 * `scriptRunner.ts`). It patches `fit`/`fitDataset` on the LayersModel/Sequential prototypes of
 * every tfjs the script loads, as it loads, then:
 * - range test / sweep: intercepts the FIRST call and runs the shared range test (or sweep) on that
 *   model, data, batch size and compiled optimizer, reports over IPC and exits without training;
 * - monitor: lets every call train, adding a callback that streams batch/epoch logs, the LR and the
 *   global gradient norm, and optionally applies an LR schedule per batch.
 * A script that requires `@tensorflow/tfjs-node` which cannot load gets the bundled tfjs instead
 * (`shimTfjsNode.ts`); TypeScript scripts are transformed in memory (nothing is written).
 * Does nothing unless the runner set `LRSCOPE_FIT_HOOK` (so importing it is side-effect free).
 * The esbuild entry of dist/fitHook.js; the parts live in fitHook/ (fit arguments, interception,
 * monitor callback, tfjs patching, loaders, process guards, backend choice) and the contract with
 * scriptRunner.ts in shared/fitHookProtocol.ts.
 */
import { hookEnvVar, type HookConfig } from '../../shared/fitHookProtocol';
import { installEsmInCjsLoader, installTsLoader } from './fitHook/loaders';
import { installEarlyWasm } from './fitHook/earlyWasm';
import { installLoadHook, loadOwnTf } from './fitHook/tfLoad';
import {
	installReaper,
	installUncaughtReport,
	seedScriptRandomness,
} from './fitHook/processGuards';
import type { HookState } from './fitHook/state';
import { installTsPaths } from './fitHook/tsPaths';

function install(): void {
	const raw = process.env[hookEnvVar];
	if (!raw) {
		return;
	}
	delete process.env[hookEnvVar];
	const config = JSON.parse(raw) as HookConfig;
	const st: HookState = {
		config,
		notes: [],
		fitCalls: 0,
		intercepted: false,
		inside: false,
		globalStep: 0,
		globalEpoch: 0,
	};
	installReaper();
	installUncaughtReport(st);
	if (config.mode !== 'monitor') {
		seedScriptRandomness(st);
	}
	installTsLoader(config.scriptPath);
	installTsPaths(config.scriptPath);
	installEsmInCjsLoader(config.scriptPath, st);
	installLoadHook(st);
	installEarlyWasm(st, () => loadOwnTf(st));
}

install();
