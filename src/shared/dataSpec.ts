/**
 * A `--data` argument as the DataSpec the runner loads (a.csv | x.npy,y.npy | d.json | d.js/ts):
 * pure (no node, no tfjs), so the CLI and the host build it without the engine.
 */
import { BadInputError } from './errors';
import type { DataSpec } from './runnerProtocol';
import { dataArgKindText, npyPairNeededText } from '../core/present/dataErrors';

/** A path's extension as `path.extname` gives it ('.csv'; '' for none or a dotfile), without node. */
function extname(p: string): string {
	const parts = p.replace(/[\\/]+$/, '').split(/[\\/]/);
	const base = parts[parts.length - 1];
	const dot = base.lastIndexOf('.');
	return dot <= 0 || base === '..' ? '' : base.slice(dot);
}

/** Guesses the DataSpec for a `--data` argument: a.csv | x.npy,y.npy | d.json | d.js/ts. */
export function dataSpecFromArg(
	arg: string,
	labels: string[] = [],
	encoding?: 'auto' | 'ordinal' | 'onehot',
): DataSpec {
	const parts = arg
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (parts.length === 2 && parts.every((s) => extname(s).toLowerCase() === '.npy')) {
		return { kind: 'npy', xPath: parts[0], yPath: parts[1] };
	}
	const ext = extname(arg).toLowerCase();
	if (ext === '.csv' || ext === '.tsv') {
		return { kind: 'csv', path: arg, labels, encoding };
	}
	if (ext === '.json') {
		return { kind: 'json', path: arg };
	}
	if (['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'].includes(ext)) {
		return { kind: 'module', path: arg };
	}
	if (ext === '.npy') {
		throw new BadInputError(npyPairNeededText(arg));
	}
	throw new BadInputError(dataArgKindText(arg));
}
