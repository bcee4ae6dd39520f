/**
 * The few `vscode` APIs that ResultsStore needs (EventEmitter, a workspaceState), so its
 * live-run ingestion path can be tested and measured in a plain Node process. Import this file
 * before anything that imports `vscode`.
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

const stub = { EventEmitter };
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
