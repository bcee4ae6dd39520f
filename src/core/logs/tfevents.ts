/**
 * TensorBoard event files (`events.out.tfevents.*`, as tfjs-node's `tf.node.tensorBoard()` writes
 * them): TFRecord framing with masked CRC32C, each record an `Event` protobuf decoded by protobufjs.
 * Scalars come from `simple_value` or a scalar `tensor` (float_val / double_val / tensor_content).
 *
 * Corruption: a record whose data CRC is bad is skipped with a note and reading continues after it
 * (its length CRC vouched for the framing). A bad length CRC means the framing itself is lost: the
 * reader scans forward for the next offset whose length CRC checks out and resumes there.
 */
import { buf as crc32c } from 'crc-32/crc32c';
import * as protobuf from 'protobufjs/light';
import type { LogRecord } from '../types';
import { Notes, type LogReader } from './reader';
import { errorText } from '../present/errorText';

/**
 * The few messages we need, from tensorflow/core/util/event.proto, summary.proto and tensor.proto.
 * Field numbers are the wire contract; names are ours.
 */
const root = protobuf.Root.fromJSON({
	nested: {
		TensorProto: {
			fields: {
				dtype: { type: 'int32', id: 1 },
				tensorContent: { type: 'bytes', id: 4 },
				floatVal: { rule: 'repeated', type: 'float', id: 5 },
				doubleVal: { rule: 'repeated', type: 'double', id: 6 },
				intVal: { rule: 'repeated', type: 'int32', id: 7 },
			},
		},
		SummaryValue: {
			oneofs: { value: { oneof: ['simpleValue', 'image', 'histo', 'audio', 'tensor'] } },
			fields: {
				tag: { type: 'string', id: 1 },
				simpleValue: { type: 'float', id: 2 },
				// Non-scalar kinds: kept as raw bytes only to recognise (and skip) them.
				image: { type: 'bytes', id: 4 },
				histo: { type: 'bytes', id: 5 },
				audio: { type: 'bytes', id: 6 },
				tensor: { type: 'TensorProto', id: 8 },
			},
		},
		Summary: { fields: { value: { rule: 'repeated', type: 'SummaryValue', id: 1 } } },
		Event: {
			fields: {
				wallTime: { type: 'double', id: 1 },
				step: { type: 'int64', id: 2 },
				fileVersion: { type: 'string', id: 3 },
				summary: { type: 'Summary', id: 5 },
			},
		},
	},
});

/** The protobufjs type for `Event`, exported so tests and benchmarks can write event files. */
export const EventType = root.lookupType('Event');

interface DecodedTensor {
	dtype?: number;
	tensorContent?: Uint8Array;
	floatVal?: number[];
	doubleVal?: number[];
	intVal?: number[];
}
interface DecodedValue {
	tag?: string;
	value?: string;
	simpleValue?: number;
	tensor?: DecodedTensor;
}
interface DecodedEvent {
	step?: number | { low: number; high: number };
	summary?: { value?: DecodedValue[] };
}

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;

/** TFRecord's masked CRC32C. */
export function maskedCrc32c(data: Uint8Array): number {
	const c = crc32c(data) >>> 0;
	return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Frames `data` as one TFRecord (for tests, benchmarks and fixtures). */
export function frameRecord(data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length + 4);
	const dv = new DataView(out.buffer);
	dv.setUint32(0, data.length >>> 0, true);
	dv.setUint32(4, Math.floor(data.length / 2 ** 32), true);
	dv.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
	out.set(data, 12);
	dv.setUint32(12 + data.length, maskedCrc32c(data), true);
	return out;
}

/** Encodes one scalar `Event` record (simple_value), framed (for tests and benchmarks). */
export function encodeScalarEvent(
	step: number,
	tag: string,
	value: number,
	wallTime = 0,
): Uint8Array {
	const msg = EventType.fromObject({
		wallTime,
		step,
		summary: { value: [{ tag, simpleValue: value }] },
	});
	return frameRecord(EventType.encode(msg).finish());
}

/** Options for `TfeventsReader`. */
export interface TfeventsReaderOptions {
	/** Prefix added to every tag (the logdir reader passes `val_` for the `val` writer). */
	tagPrefix?: string;
	/** Records longer than this are treated as corruption (a garbage length must not make us wait forever). */
	maxRecordBytes?: number;
}

/** Incremental TensorBoard event-file reader (see `LogReader`). */
export class TfeventsReader implements LogReader {
	readonly format = 'tfevents' as const;
	private readonly _notes = new Notes();
	private readonly _prefix: string;
	private readonly _maxRecord: number;
	private _buf = new Uint8Array(0);
	private _start = 0;
	private _end = 0;
	private _consumed = 0;
	private _recordNo = 0;
	private _skippedTags = new Set<string>();

	constructor(options: TfeventsReaderOptions = {}) {
		this._prefix = options.tagPrefix ?? '';
		this._maxRecord = options.maxRecordBytes ?? 256 * 1024 * 1024;
	}

	get consumed(): number {
		return this._consumed;
	}
	get pendingBytes(): number {
		return this._end - this._start;
	}
	get notes(): readonly string[] {
		return this._notes.all;
	}
	takeNotes(): string[] {
		return this._notes.take();
	}

	feed(bytes: Uint8Array): LogRecord[] {
		this._append(bytes);
		const out: LogRecord[] = [];
		const b = this._buf;
		const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
		while (this._end - this._start >= 12) {
			const p = this._start;
			const len = dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 2 ** 32;
			const lenCrc = dv.getUint32(p + 8, true);
			if (maskedCrc32c(b.subarray(p, p + 8)) !== lenCrc || len > this._maxRecord) {
				if (!this._resync()) {
					break;
				}
				continue;
			}
			if (this._end - p < 12 + len + 4) {
				break; // Partial record: wait for the writer.
			}
			this._recordNo++;
			const data = b.subarray(p + 12, p + 12 + len);
			const dataCrc = dv.getUint32(p + 12 + len, true);
			this._start = p + 16 + len;
			this._consumed += 16 + len;
			if (maskedCrc32c(data) !== dataCrc) {
				this._notes.add(
					'bad data CRC',
					`record ${this._recordNo - 1} (0-based, at byte ${this._consumed - 16 - len}) has a bad data CRC; skipped it and continued after it`,
				);
				continue;
			}
			this._event(data, out);
		}
		return out;
	}

	end(): LogRecord[] {
		const left = this._end - this._start;
		if (left > 0) {
			this._notes.add(
				'partial record',
				`the last record is incomplete (${left} bytes); skipped it (the run may still be writing)`,
			);
			this._consumed += left;
			this._start = this._end;
		}
		this._notes.summarise();
		return [];
	}

	/** After a bad length CRC: drop bytes up to the next offset whose header checks out. */
	private _resync(): boolean {
		const b = this._buf;
		const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
		const from = this._start;
		for (let p = from + 1; p + 12 <= this._end; p++) {
			const len = dv.getUint32(p, true) + dv.getUint32(p + 4, true) * 2 ** 32;
			if (
				len <= this._maxRecord &&
				maskedCrc32c(b.subarray(p, p + 8)) === dv.getUint32(p + 8, true)
			) {
				this._notes.add(
					'bad length CRC',
					`bad record header at byte ${this._consumed}; skipped ${p - from} bytes to the next valid record`,
				);
				this._consumed += p - from;
				this._start = p;
				return true;
			}
		}
		// No valid header yet: keep the last 11 bytes (a header may straddle the next feed).
		const keep = Math.max(from, this._end - 11);
		if (keep > from) {
			this._notes.add(
				'bad length CRC',
				`bad record header at byte ${this._consumed}; skipping bytes until a valid record`,
			);
			this._consumed += keep - from;
			this._start = keep;
		}
		return false;
	}

	private _append(bytes: Uint8Array): void {
		const live = this._end - this._start;
		if (this._start > 0 && (live === 0 || this._start > this._buf.length / 2)) {
			this._buf.copyWithin(0, this._start, this._end);
			this._start = 0;
			this._end = live;
		}
		if (this._end + bytes.length > this._buf.length) {
			const grown = new Uint8Array(
				Math.max(this._end + bytes.length, this._buf.length * 2, 64 * 1024),
			);
			grown.set(this._buf.subarray(this._start, this._end));
			this._buf = grown;
			this._end -= this._start;
			this._start = 0;
		}
		this._buf.set(bytes, this._end);
		this._end += bytes.length;
	}

	private _event(data: Uint8Array, out: LogRecord[]): void {
		let ev: DecodedEvent;
		try {
			ev = EventType.decode(data) as unknown as DecodedEvent;
		} catch (e) {
			this._notes.add(
				'undecodable record',
				`record ${this._recordNo} is not a valid Event (${errorText(e)}); skipped it`,
			);
			return;
		}
		const values = ev.summary?.value;
		if (!values || values.length === 0) {
			return; // file_version, graph, session_log, ...: nothing to plot.
		}
		const s = ev.step;
		const step = s === undefined ? 0 : typeof s === 'number' ? s : (s.low >>> 0) + s.high * 2 ** 32;
		let stepValues: Record<string, number | null> | null = null;
		let epochValues: Record<string, number | null> | null = null;
		for (const v of values) {
			const tag = v.tag ?? '';
			const x = this._scalar(v);
			if (x === undefined) {
				if (!this._skippedTags.has(tag)) {
					this._skippedTags.add(tag);
					this._notes.add(
						'non-scalar',
						`tag "${tag}" is not a scalar (histogram, image, text or a non-scalar tensor); skipped it`,
					);
				}
				continue;
			}
			const name = this._prefix + tag;
			const value = Number.isFinite(x) ? x : null;
			if (tag.startsWith('epoch_')) {
				(epochValues ??= {})[name] = value;
			} else {
				(stepValues ??= {})[name] = value;
			}
		}
		if (stepValues) {
			out.push({ step, unit: 'step', values: stepValues });
		}
		if (epochValues) {
			out.push({ step, unit: 'epoch', values: epochValues });
		}
	}

	/** The scalar in a summary value, or undefined when it is not a scalar. */
	private _scalar(v: DecodedValue): number | undefined {
		if (v.value === 'simpleValue') {
			return v.simpleValue ?? 0;
		}
		const t = v.value === 'tensor' ? v.tensor : undefined;
		if (!t) {
			return undefined;
		}
		const dtype = t.dtype ?? 0;
		if (dtype === DT_FLOAT && t.floatVal && t.floatVal.length === 1) {
			return t.floatVal[0];
		}
		if (dtype === DT_DOUBLE && t.doubleVal && t.doubleVal.length === 1) {
			return t.doubleVal[0];
		}
		if (dtype === DT_INT32 && t.intVal && t.intVal.length === 1) {
			return t.intVal[0];
		}
		const c = t.tensorContent;
		if (c && c.length > 0) {
			const dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
			if (dtype === DT_FLOAT && c.length === 4) {
				return dv.getFloat32(0, true);
			}
			if (dtype === DT_DOUBLE && c.length === 8) {
				return dv.getFloat64(0, true);
			}
			if (dtype === DT_INT32 && c.length === 4) {
				return dv.getInt32(0, true);
			}
		}
		return undefined;
	}
}
