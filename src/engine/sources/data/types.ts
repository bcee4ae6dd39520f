/**
 * Intermediate, tfjs-free forms of training data between the file readers (csv, npy, json, module) and
 * the encoder that fits them to a model (encode.ts). Keeping data as plain typed arrays until the end
 * lets every check (empty, NaN/Inf, shapes, label ranges) name rows and columns before any tensor exists.
 */

/** A dense row-major numeric array; `shape[0]` is the number of examples. */
export interface NumArray {
	values: Float32Array;
	shape: number[];
}

/** Labels before encoding: numbers (any shape) or one class name per example. */
export type RawLabels = { kind: 'numeric'; array: NumArray } | { kind: 'classes'; names: string[] };

/** Features and labels as read from a file, before reshaping/encoding for the model. */
export interface RawData {
	x: NumArray;
	y: RawLabels;
	/** Where the data came from, for messages ("data.csv"). */
	origin: string;
	/** Names a feature cell for error messages (default: "example i, feature j"). */
	locate?: (example: number, feature: number) => string;
	notes: string[];
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
	return shape.reduce((a, b) => a * b, 1);
}
