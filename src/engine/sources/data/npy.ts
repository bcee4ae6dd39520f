/**
 * NumPy `.npy` reader (format versions 1–3): float16/32/64, (u)int8/16/32/64, bool and fixed-width
 * unicode ('<U…', read as class names), little- or big-endian, C order. The header is a tiny Python
 * dict literal, parsed here rather than pulling in a dependency.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { limits } from '../../../shared/limits';
import { BadInputError } from '../../../shared/errors';
import { fileSize } from './fileSize';
import type { NumArray } from './types';
import { sizeOf } from './types';
import {
	npyBadMagicText,
	npyDtypeText,
	npyFortranText,
	npyHeaderTruncatedText,
	npyHeaderUnreadableText,
	npyTextTooLargeText,
	npyTooManyValuesText,
	npyTruncatedText,
} from '../../../core/present/dataErrors';

/** A parsed .npy array: numbers, or strings for unicode arrays. */
export type NpyArray =
	{ kind: 'numeric'; array: NumArray } | { kind: 'strings'; values: string[]; shape: number[] };

function half(bits: number): number {
	const s = bits & 0x8000 ? -1 : 1;
	const e = (bits >> 10) & 0x1f;
	const f = bits & 0x3ff;
	if (e === 0) {
		return s * 2 ** -14 * (f / 1024);
	}
	if (e === 31) {
		return f ? NaN : s * Infinity;
	}
	return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Reads one value of dtype `<kind><size>` at a byte offset of `view`; null for unsupported dtypes. */
function npyValueReader(
	kind: string,
	size: number,
	little: boolean,
	view: DataView,
): ((off: number) => number) | null {
	return ((): ((off: number) => number) | null => {
		switch (`${kind}${size}`) {
			case 'f2':
				return (o) => half(view.getUint16(o, little));
			case 'f4':
				return (o) => view.getFloat32(o, little);
			case 'f8':
				return (o) => view.getFloat64(o, little);
			case 'i1':
				return (o) => view.getInt8(o);
			case 'u1':
			case 'b1':
				return (o) => view.getUint8(o);
			case 'i2':
				return (o) => view.getInt16(o, little);
			case 'u2':
				return (o) => view.getUint16(o, little);
			case 'i4':
				return (o) => view.getInt32(o, little);
			case 'u4':
				return (o) => view.getUint32(o, little);
			case 'i8':
				return (o) => Number(view.getBigInt64(o, little));
			case 'u8':
				return (o) => Number(view.getBigUint64(o, little));
			default:
				return null;
		}
	})();
}

/** Parses the bytes of a .npy file; `name` is used in error messages. */
export function parseNpy(buf: Buffer, name: string): NpyArray {
	const magic = buf.subarray(0, 6).toString('latin1');
	if (buf.length < 10 || magic !== '\x93NUMPY') {
		throw new BadInputError(npyBadMagicText(name));
	}
	const { descr, kind, size, little, shape, n, dataOffset } = parseNpyHeader(buf, name);
	const data = buf.subarray(dataOffset);
	const itemBytes = kind === 'U' ? size * 4 : size;
	if (data.length < n * itemBytes) {
		throw new BadInputError(npyTruncatedText(name, shape, n * itemBytes, data.length));
	}
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	if (kind === 'U') {
		const values: string[] = [];
		for (let i = 0; i < n; i++) {
			let s = '';
			for (let k = 0; k < size; k++) {
				const cp = view.getUint32((i * size + k) * 4, little);
				if (cp === 0) {
					break;
				}
				s += String.fromCodePoint(cp);
			}
			values.push(s);
		}
		return { kind: 'strings', values, shape };
	}
	const read = npyValueReader(kind, size, little, view);
	if (!read) {
		throw new BadInputError(npyDtypeText(name, descr, 'all'));
	}
	const values = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		values[i] = read(i * size);
	}
	return { kind: 'numeric', array: { values, shape } };
}

/** Files up to this size are read whole; larger ones by offsets, chunk by chunk. */
const wholeFileBytes = 64 * 1024 * 1024;

/**
 * Reads a .npy file; BadInputError when missing, malformed or too large. A large file is never
 * read into one Buffer (Node refuses files over 2 GiB): the header is read first — the array's
 * size is checked against `limits.npyValues` before any data — then the data by offsets, straight
 * into the float32 result.
 */
export function readNpy(path: string): NpyArray {
	const size = fileSize(path, 'data file');
	const name = basename(path);
	if (size <= wholeFileBytes) {
		return parseNpy(readFileSync(path), name);
	}
	const fd = openSync(path, 'r');
	try {
		const pre = Buffer.alloc(12);
		readSync(fd, pre, 0, 12, 0);
		const major = pre[6];
		const headerLen = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
		const start = major === 1 ? 10 : 12;
		if (pre.subarray(0, 6).toString('latin1') !== '\x93NUMPY' || headerLen > 1024 * 1024) {
			throw new BadInputError(npyBadMagicText(name));
		}
		const head = Buffer.alloc(start + headerLen);
		readSync(fd, head, 0, head.length, 0);
		// The header alone (no data) tells the dtype and shape.
		const meta = parseNpyHeader(head, name);
		if (meta.kind === 'U') {
			throw new BadInputError(npyTextTooLargeText(name, size, wholeFileBytes));
		}
		if (meta.n > limits.npyValues) {
			throw new BadInputError(npyTooManyValuesText(name, meta.n, size, limits.npyValues));
		}
		if (size - head.length < meta.n * meta.size) {
			throw new BadInputError(
				npyTruncatedText(name, meta.shape, meta.n * meta.size, size - head.length),
			);
		}
		const values = new Float32Array(meta.n);
		const perChunk = Math.max(1, Math.floor((16 * 1024 * 1024) / meta.size));
		const chunk = Buffer.alloc(perChunk * meta.size);
		for (let i = 0; i < meta.n; i += perChunk) {
			const count = Math.min(perChunk, meta.n - i);
			readSync(fd, chunk, 0, count * meta.size, head.length + i * meta.size);
			const view = new DataView(chunk.buffer, chunk.byteOffset, count * meta.size);
			const read = npyValueReader(meta.kind, meta.size, meta.little, view);
			if (!read) {
				throw new BadInputError(npyDtypeText(name, meta.descr));
			}
			for (let k = 0; k < count; k++) {
				values[i + k] = read(k * meta.size);
			}
		}
		return { kind: 'numeric', array: { values, shape: meta.shape } };
	} finally {
		closeSync(fd);
	}
}

/** The dtype and shape from a .npy header (`buf` holds at least the magic, lengths and header). */
function parseNpyHeader(
	buf: Buffer,
	name: string,
): {
	descr: string;
	kind: string;
	size: number;
	little: boolean;
	shape: number[];
	n: number;
	/** Where the data starts: after the magic, the lengths and the header. */
	dataOffset: number;
} {
	const major = buf[6];
	const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
	const start = major === 1 ? 10 : 12;
	if (start + headerLen > buf.length) {
		throw new BadInputError(npyHeaderTruncatedText(name));
	}
	const header = buf.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
	const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
	const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
	const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
	if (!descr || !fortran || shapeText === undefined) {
		throw new BadInputError(npyHeaderUnreadableText(name, header.trim()));
	}
	if (fortran === 'True') {
		throw new BadInputError(npyFortranText(name));
	}
	const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
	if (!m) {
		throw new BadInputError(npyDtypeText(name, descr, 'short'));
	}
	const shape = shapeText
		.split(',')
		.map((d) => d.trim())
		.filter((d) => d !== '')
		.map(Number);
	return {
		descr,
		kind: m[2],
		size: Number(m[3]),
		little: m[1] !== '>',
		shape,
		n: sizeOf(shape),
		dataOffset: start + headerLen,
	};
}
