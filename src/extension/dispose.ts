/** Disposable base for long-lived owners: `_register` children, idempotent `dispose`, so nothing leaks. */
import type * as vscode from 'vscode';

export abstract class Disposable {
	private _isDisposed = false;
	protected _disposables: vscode.Disposable[] = [];

	public dispose(): void {
		if (this._isDisposed) {
			return;
		}
		this._isDisposed = true;
		disposeAll(this._disposables);
	}

	protected _register<T extends vscode.Disposable>(value: T): T {
		if (this._isDisposed) {
			value.dispose();
		} else {
			this._disposables.push(value);
		}
		return value;
	}

	protected get isDisposed(): boolean {
		return this._isDisposed;
	}
}

/** Disposes every item, last registered first, and empties the array. */
export function disposeAll(disposables: vscode.Disposable[]): void {
	while (disposables.length) {
		const item = disposables.pop();
		try {
			item?.dispose();
		} catch {
			// One failing dispose must not keep the others alive.
		}
	}
}
