/** Errors the engine reports to the user. */

/**
 * Bad input from the user (model, data, flags): reported as one actionable line,
 * `code: 'badInput'` on the runner protocol, exit code 2 in the CLI.
 */
export class BadInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BadInputError';
	}
}

/** Thrown inside a training loop when the host asked to cancel. */
export class CancelledError extends Error {
	constructor() {
		super('cancelled');
		this.name = 'CancelledError';
	}
}
