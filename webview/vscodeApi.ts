/**
 * The only place that calls `acquireVsCodeApi()` (it may be called once per page). Exports a typed
 * wrapper; outside VS Code (a plain browser, a test page) it falls back to an in-memory state and
 * records posts on `window.__lrScopePosts`, so the UI can be exercised without a host.
 */
import type { FromWebviewMessage } from '../src/shared/webviewProtocol';

/** What the webview persists with `setState`: UI intent only, never results: the host sends those
 * on every `ready` (docs/architecture.md, "State (`setState`)"). */
export interface PersistedState {
	selectedId?: string;
	compareId?: string;
	tab?: string;
	/** Smoothing β chosen with the slider; absent = the host's default. */
	beta?: number;
	logY?: boolean;
	/** LR zoom window on the loss chart; absent = full range. */
	zoom?: [number, number];
	designer?: { resultId: string; spec: unknown; totalSteps: number; optimizer: string };
	liveRunId?: string;
	/** The live chart's loss axis: 'auto' (from the data), 'linear' or 'log'. */
	liveLossAxis?: string;
}

/** The typed host API. */
export interface HostApi {
	post(message: FromWebviewMessage): void;
	getState(): PersistedState;
	setState(state: PersistedState): void;
}

declare global {
	interface Window {
		/** Messages posted when running outside VS Code (tests, a plain browser). */
		__lrScopePosts?: FromWebviewMessage[];
	}
}

function acquire(): HostApi {
	if (typeof acquireVsCodeApi === 'function') {
		const api = acquireVsCodeApi<PersistedState>();
		return {
			post: (m) => api.postMessage(m),
			getState: () => api.getState() ?? {},
			setState: (s) => void api.setState(s),
		};
	}
	let state: PersistedState = {};
	const posts: FromWebviewMessage[] = (window.__lrScopePosts = []);
	return {
		post: (m) => void posts.push(m),
		getState: () => state,
		setState: (s) => {
			state = s;
		},
	};
}

/** The host API, acquired once. */
export const host: HostApi = acquire();

/**
 * A persisted UI value: reads fall back to `fallback`, writes merge into the saved state so keys
 * written elsewhere are kept (two
 * writers would otherwise drop each other's keys).
 */
export function persisted<K extends keyof PersistedState>(
	key: K,
	fallback: NonNullable<PersistedState[K]>,
): { get(): NonNullable<PersistedState[K]>; set(v: PersistedState[K]): void } {
	return {
		get: () => (host.getState()[key] ?? fallback) as NonNullable<PersistedState[K]>,
		set: (v) => host.setState({ ...host.getState(), [key]: v }),
	};
}
