/**
 * The command line of the commands that train a model in the runner (`range-test`, `sweep`):
 * the model/data flags, the `--script` flags and the command's own, and the ModelSource they name.
 * One parser so both commands accept the same source flags the same way.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ModelSource } from '../shared/runnerProtocol';
import { sourceFlagSpecs, sourceFromFlags } from './engineRun';
import { scriptFlagSpecs, scriptSourceFromFlags, splitScriptArgs } from './monitorCmd';
import { joinNegativeValues, UsageError } from './common';
import { oneSourceText } from '../core/present/cliErrors';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
type EngineArgsConfig<O extends OptionSpecs> = {
	args: string[];
	options: typeof sourceFlagSpecs & typeof scriptFlagSpecs & O;
	allowPositionals: false;
};
type EngineValues<O extends OptionSpecs> = ReturnType<
	typeof parseArgs<EngineArgsConfig<O>>
>['values'];

/** Parsed engine-command flags: `v` without `--env`, which stays a list in `env`. */
export interface EngineArgs<O extends OptionSpecs> {
	v: Omit<EngineValues<O>, 'env'>;
	env: string[] | undefined;
	/** The arguments after `--`, for the script. */
	scriptArgs: string[];
}

/** Parses argv: the shared source flags, the `--script` flags, and the command's `extra` flags. */
export function parseEngineArgs<O extends OptionSpecs>(argv: string[], extra: O): EngineArgs<O> {
	const { own, scriptArgs } = splitScriptArgs(argv);
	const config: EngineArgsConfig<O> = {
		args: joinNegativeValues(own, { ...sourceFlagSpecs, ...scriptFlagSpecs, ...extra }) ?? [],
		options: { ...sourceFlagSpecs, ...scriptFlagSpecs, ...extra },
		allowPositionals: false,
	};
	const { values } = parseArgs(config);
	// --env repeats (a list); the other flags are single values.
	const { env, ...v } = values as EngineValues<O> & { env?: string[] };
	return { v, env, scriptArgs };
}

/** The ModelSource: the script with `--script`, else --model/--data/--label or --module. */
export function engineSourceFromFlags<O extends OptionSpecs>(a: EngineArgs<O>): ModelSource {
	const v = a.v as Record<string, string | boolean | undefined> & {
		script?: string;
		cwd?: string;
		'fit-timeout'?: string;
	};
	if (v.script && (v.model || v.data || v.module)) {
		throw new UsageError(oneSourceText);
	}
	return v.script ? scriptSourceFromFlags({ ...v, env: a.env }, a.scriptArgs) : sourceFromFlags(v);
}
