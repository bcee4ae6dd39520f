/**
 * NumPy `.npy` reader (format versions 1–3): float16/32/64, (u)int8/16/32/64, bool and fixed-width
 * unicode ('<U…', read as class names), little- or big-endian, C order. The header is a tiny Python
 * dict literal, parsed here rather than pulling in a dependency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BadInputError } from '../errors';
import type { NumArray } from './types';
import { sizeOf } from './types';

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

/** Parses the bytes of a .npy file; `name` is used in error messages. */
export function parseNpy(buf: Buffer, name: string): NpyArray {
	const magic = buf.subarray(0, 6).toString('latin1');
	if (buf.length < 10 || magic !== '\x93NUMPY') {
		throw new BadInputError(
			`${name} is not a .npy file (bad magic bytes): save it with numpy.save`,
		);
	}
	const major = buf[6];
	const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
	const start = major === 1 ? 10 : 12;
	if (start + headerLen > buf.length) {
		throw new BadInputError(`${name} is truncated (header runs past the end of the file)`);
	}
	const header = buf.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
	const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
	const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
	const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
	if (!descr || !fortran || shapeText === undefined) {
		throw new BadInputError(`${name} has an unreadable .npy header: ${header.trim()}`);
	}
	if (fortran === 'True') {
		throw new BadInputError(`${name} is Fortran-ordered: save numpy.ascontiguousarray(a) instead`);
	}
	const shape = shapeText
		.split(',')
		.map((d) => d.trim())
		.filter((d) => d !== '')
		.map(Number);
	const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
	if (!m) {
		throw new BadInputError(
			`${name} has dtype '${descr}', which is not supported (use float32, int or bool arrays)`,
		);
	}
	const little = m[1] !== '>';
	const kind = m[2];
	const size = Number(m[3]);
	const n = sizeOf(shape);
	const data = buf.subarray(start + headerLen);
	const itemBytes = kind === 'U' ? size * 4 : size;
	if (data.length < n * itemBytes) {
		throw new BadInputError(
			`${name} is truncated: shape (${shape.join(', ')}) needs ${n * itemBytes} bytes of data, found ${data.length}`,
		);
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
	const read = ((): ((off: number) => number) | null => {
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
	if (!read) {
		throw new BadInputError(
			`${name} has dtype '${descr}', which is not supported (float16/32/64, int8–64, uint8–64, bool or unicode)`,
		);
	}
	const values = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		values[i] = read(i * size);
	}
	return { kind: 'numeric', array: { values, shape } };
}

/** Reads a .npy file; BadInputError when missing or malformed. */
export function readNpy(path: string): NpyArray {
	if (!existsSync(path)) {
		throw new BadInputError(`data file not found: ${path}`);
	}
	return parseNpy(readFileSync(path), basename(path));
}
