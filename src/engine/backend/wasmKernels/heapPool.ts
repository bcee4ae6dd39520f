/**
 * One helper thread for LR Scope's own JS kernels when the wasm backend runs threaded.
 *
 * With threads, XNNPACK's convolutions and matrix products use every core, but the kernels LR Scope
 * writes in JS (MaxPoolGrad, the leading-axis Sum/Mean, the transposes before BatchMatMul) ran on
 * the main thread alone while the other cores waited: on the MNIST-style CNN they were a fifth of
 * a 2-thread step. The threaded build's heap is a SharedArrayBuffer, so a worker can work on the
 * same tensors in place: the main thread runs one part of a kernel's range (heapRanges.ts), the
 * worker the other, synchronously (Atomics), and the kernel returns when both are done.
 *
 * Used only when the heap is shared, more than one wasm thread runs and the call is big enough
 * (below ~256 k floats the hand-off, tens of microseconds, is not worth it). A worker that fails
 * or does not answer within 60 s is retired and its part is run on the main thread; the kernels
 * then stay single-threaded for the rest of the process.
 */
import * as wt from 'node:worker_threads';
import { RANGE_TASKS, type RangeArgs } from './heapRanges';
import { wasmThreadsInUseBy } from './threads';

/** The whole wasm heap as float32 (the view range functions index with float offsets). */
export function heapOf(view: Float32Array): Float32Array {
	return new Float32Array(view.buffer);
}

/** A view's offset in floats from the start of the heap. */
export function offsetOf(view: Float32Array): number {
	return view.byteOffset / 4;
}

/** wasm threads of a backend (looked up once per backend). */
const threadsByBackend = new WeakMap<object, number>();
export function threadsOf(backend: object): number {
	let n = threadsByBackend.get(backend);
	if (n === undefined) {
		n = wasmThreadsInUseBy(backend);
		threadsByBackend.set(backend, n);
	}
	return n;
}

/** Control words (Int32Array over a SharedArrayBuffer). */
const SEQ = 0;
const TASK = 1;
const LO = 2;
const HI = 3;
const FAILED = 4;
const DONE = 5;

/** Smallest call (floats touched) worth splitting. */
const MIN_PARALLEL_FLOATS = 1 << 18;

/** The worker: waits for a task, runs its range on the shared heap, reports done. */
function workerSource(): string {
	return `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const tasks = [${RANGE_TASKS.map((f) => `(${f.toString()})`).join(',\n')}];
(function loop() {
	const { ctl, args, port } = workerData;
	let h = null;
	let s = null;
	let seen = 0;
	for (;;) {
		Atomics.wait(ctl, ${SEQ}, seen);
		seen = Atomics.load(ctl, ${SEQ});
		for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
			if (m.message.heap) h = new Float32Array(m.message.heap);
			if (m.message.scratch) s = new Float64Array(m.message.scratch);
		}
		try {
			tasks[ctl[${TASK}]](h, s, args, ctl[${LO}], ctl[${HI}], 1);
			ctl[${FAILED}] = 0;
		} catch (e) {
			ctl[${FAILED}] = 1;
		}
		Atomics.store(ctl, ${DONE}, seen);
		Atomics.notify(ctl, ${DONE});
	}
})();
`;
}

type RangeFn = (typeof RANGE_TASKS)[number];

/** A worker sharing the wasm heap, and the main thread's side of the hand-off. */
class HeapPool {
	private readonly worker: wt.Worker;
	private readonly ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
	private readonly args = new Float64Array(new SharedArrayBuffer(32 * 8));
	private readonly port: wt.MessagePort;
	private heap: SharedArrayBuffer | undefined;
	private scratchBuf = new SharedArrayBuffer(8 * 1024);
	private sentScratch: SharedArrayBuffer | undefined;
	broken = false;

	constructor() {
		const { port1, port2 } = new wt.MessageChannel();
		this.port = port1;
		this.worker = new wt.Worker(workerSource(), {
			eval: true,
			workerData: { ctl: this.ctl, args: this.args, port: port2 },
			transferList: [port2],
		});
		this.worker.unref();
		this.worker.on('error', () => {
			this.broken = true;
		});
	}

	/** A float64 scratch of at least `n` values, shared with the worker. */
	scratch(n: number): Float64Array {
		if (this.scratchBuf.byteLength < n * 8) {
			this.scratchBuf = new SharedArrayBuffer(Math.max(n * 8, this.scratchBuf.byteLength * 2));
		}
		return new Float64Array(this.scratchBuf);
	}

	/**
	 * Runs `fn` over `0..total` split at `split`: `split..total` on the worker (part 1), `0..split`
	 * here (part 0). Returns when both are done.
	 */
	run(
		fn: RangeFn,
		heap: Float32Array,
		args: RangeArgs,
		total: number,
		split: number,
		s: Float64Array | null,
	): void {
		const task = RANGE_TASKS.indexOf(fn);
		if (heap.buffer !== this.heap || this.scratchBuf !== this.sentScratch) {
			this.heap = heap.buffer as SharedArrayBuffer;
			this.sentScratch = this.scratchBuf;
			this.port.postMessage({ heap: this.heap, scratch: this.scratchBuf });
		}
		this.args.set(args);
		this.ctl[TASK] = task;
		this.ctl[LO] = split;
		this.ctl[HI] = total;
		const seq = (this.ctl[SEQ] + 1) | 0;
		Atomics.store(this.ctl, SEQ, seq);
		Atomics.notify(this.ctl, SEQ);
		fn(heap, s, args, 0, split, 0);
		const t0 = Date.now();
		for (;;) {
			const done = Atomics.load(this.ctl, DONE);
			if (done === seq) {
				break;
			}
			if (Atomics.wait(this.ctl, DONE, done, 1000) === 'timed-out' && Date.now() - t0 > 60_000) {
				this.retire();
				fn(heap, s, args, split, total, 1);
				return;
			}
		}
		if (this.ctl[FAILED]) {
			this.retire();
			fn(heap, s, args, split, total, 1);
		}
	}

	retire(): void {
		this.broken = true;
		void this.worker.terminate();
	}
}

let pool: HeapPool | undefined;
/** Kernel calls split with the helper thread so far (tests, benchmarks). */
let splitCalls = 0;

/** How many kernel calls the helper thread has shared so far. */
export function heapPoolSplits(): number {
	return splitCalls;
}

/**
 * The helper thread for a kernel call over `heap` touching about `floats` floats, or undefined
 * when the call should run on the main thread alone (heap not shared, one wasm thread, too small,
 * or no working helper).
 */
export function heapPoolFor(
	heap: Float32Array,
	threads: number,
	floats: number,
): HeapPool | undefined {
	if (
		threads < 2 ||
		floats < MIN_PARALLEL_FLOATS ||
		typeof SharedArrayBuffer === 'undefined' ||
		!(heap.buffer instanceof SharedArrayBuffer)
	) {
		return undefined;
	}
	if (!pool) {
		try {
			pool = new HeapPool();
		} catch {
			return undefined;
		}
	}
	return pool.broken ? undefined : pool;
}

/**
 * Runs `fn` over `0..total`, split in halves between the main thread and the helper thread when
 * {@link heapPoolFor} gives one, else all here. `s` must come from the pool's scratch when the
 * range writes partial sums (parts 0 and 1).
 */
export function runRanges(
	fn: RangeFn,
	heap: Float32Array,
	args: RangeArgs,
	total: number,
	helper: HeapPool | undefined,
	s: Float64Array | null = null,
): void {
	if (!helper || total < 2) {
		fn(heap, s, args, 0, total, 0);
		return;
	}
	splitCalls++;
	helper.run(fn, heap, args, total, Math.ceil(total / 2), s);
}

export type { HeapPool };
