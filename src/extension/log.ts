/** The extension's one log: an output channel named "LR Scope" with level methods (docs/extension.md). */
import * as vscode from 'vscode';

/** Wraps `createOutputChannel('LR Scope', { log: true })`; host code never uses `console`. */
export class Log implements vscode.Disposable {
	private readonly _channel: vscode.LogOutputChannel;

	constructor(name = 'LR Scope') {
		this._channel = vscode.window.createOutputChannel(name, { log: true });
	}

	/** Very chatty details (runner stdout, every message). */
	trace(message: string, ...args: unknown[]): void {
		this._channel.trace(format(message, args));
	}

	debug(message: string, ...args: unknown[]): void {
		this._channel.debug(format(message, args));
	}

	info(message: string, ...args: unknown[]): void {
		this._channel.info(format(message, args));
	}

	warn(message: string, ...args: unknown[]): void {
		this._channel.warn(format(message, args));
	}

	/** Logs an error; does not steal focus (the notification's "Show log" action does that). */
	error(message: string, ...args: unknown[]): void {
		this._channel.error(format(message, args));
	}

	/** Reveals the channel without taking focus from the editor. */
	show(): void {
		this._channel.show(true);
	}

	dispose(): void {
		this._channel.dispose();
	}
}

function format(message: string, args: unknown[]): string {
	if (!args.length) {
		return message;
	}
	return [message, ...args.map(stringify)].join(' ');
}

function stringify(value: unknown): string {
	if (value instanceof Error) {
		return value.stack ?? value.message;
	}
	if (typeof value === 'string') {
		return value;
	}
	try {
		// Long arrays (curves) would flood the channel; the log is for humans.
		const text = JSON.stringify(value);
		return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
	} catch {
		return String(value);
	}
}
