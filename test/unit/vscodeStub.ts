/**
 * The few `vscode` APIs that ResultsStore and LogWatcher need (EventEmitter, a workspaceState,
 * workspace folders, file-system watchers, findFiles, settings), so the live-run ingestion path
 * and the idle watcher can be tested and measured in a plain Node process (bench/ uses it too).
 * Import this file before anything that imports `vscode`. `stubWorkspace` counts what the code
 * asked VS Code for.
 */
import Module from 'node:module';

class EventEmitter<T> {
	private readonly _listeners: ((e: T) => void)[] = [];
	readonly event = (listener: (e: T) => void): { dispose(): void } => {
		this._listeners.push(listener);
		return {
			dispose: () => {
				const i = this._listeners.indexOf(listener);
				if (i >= 0) {
					this._listeners.splice(i, 1);
				}
			},
		};
	};
	fire(e: T): void {
		for (const l of this._listeners.slice()) {
			l(e);
		}
	}
	dispose(): void {
		this._listeners.length = 0;
	}
}

/** What the stubbed workspace holds and what was asked of it. */
export const stubWorkspace = {
	folder: '',
	findFilesCalls: 0,
	watchers: [] as { pattern: string; create: ((u: Uri) => void)[]; change: ((u: Uri) => void)[] }[],
	settings: {} as Record<string, unknown>,
};

class Uri {
	constructor(
		readonly scheme: string,
		readonly fsPath: string,
	) {}
	static file(p: string): Uri {
		return new Uri('file', p);
	}
	toString(): string {
		return `file://${this.fsPath}`;
	}
}

class RelativePattern {
	constructor(
		readonly base: unknown,
		readonly pattern: string,
	) {}
}

const noop = { dispose: (): void => undefined };

class Disposable {
	constructor(private readonly _fn: () => void) {}
	dispose(): void {
		this._fn();
	}
}

const stub = {
	EventEmitter,
	Disposable,
	Uri,
	RelativePattern,
	workspace: {
		get workspaceFolders() {
			return stubWorkspace.folder
				? [{ uri: Uri.file(stubWorkspace.folder), name: 'ws', index: 0 }]
				: undefined;
		},
		getConfiguration: () => ({
			get: <T>(k: string, d: T): T =>
				k in stubWorkspace.settings ? (stubWorkspace.settings[k] as T) : d,
		}),
		onDidChangeConfiguration: () => noop,
		createFileSystemWatcher: (p: RelativePattern) => {
			const w = {
				pattern: p.pattern,
				create: [] as ((u: Uri) => void)[],
				change: [] as ((u: Uri) => void)[],
			};
			stubWorkspace.watchers.push(w);
			return {
				onDidCreate: (l: (u: Uri) => void) => (w.create.push(l), noop),
				onDidChange: (l: (u: Uri) => void) => (w.change.push(l), noop),
				onDidDelete: () => noop,
				dispose: (): void => {
					stubWorkspace.watchers.splice(stubWorkspace.watchers.indexOf(w), 1);
				},
			};
		},
		findFiles: () => {
			stubWorkspace.findFilesCalls++;
			return Promise.resolve([]);
		},
		asRelativePath: (p: Uri | string) => {
			const f = typeof p === 'string' ? p : p.fsPath;
			return stubWorkspace.folder && f.startsWith(stubWorkspace.folder + '/')
				? f.slice(stubWorkspace.folder.length + 1)
				: f;
		},
	},
};

/** Fires the stubbed file-system watchers whose pattern is `pattern` (create events). */
export function fireCreate(pattern: string, file: string): void {
	for (const w of stubWorkspace.watchers.filter((x) => x.pattern === pattern)) {
		for (const l of w.create) {
			l(Uri.file(file));
		}
	}
}

/** A Log that keeps its lines. */
export function fakeLog(): never {
	const lines: string[] = [];
	const add = (m: string): void => {
		lines.push(m);
	};
	return { lines, info: add, warn: add, error: add, debug: add, trace: add } as never;
}
const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = M._load;
M._load = function (request: string, ...rest: unknown[]): unknown {
	return request === 'vscode' ? stub : load.call(this, request, ...rest);
};

/** A minimal ExtensionContext: an in-memory workspaceState. */
export function fakeContext(): never {
	const state = new Map<string, unknown>();
	return {
		workspaceState: {
			get: <T>(k: string, d: T): T => (state.has(k) ? (state.get(k) as T) : d),
			update: (k: string, v: unknown) => {
				state.set(k, v);
				return Promise.resolve();
			},
		},
	} as never;
}
