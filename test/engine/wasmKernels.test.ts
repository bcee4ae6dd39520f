/**
 * The wasm training kernels against (1) the cpu backend's kernel of the same name on random shapes,
 * (2) finite-difference gradients on tiny cases, and (3) the adjoint identity
 * <dy, conv(x, w)> = <w, dW(x, dy)> = <x, dX(dy, w)> where cpu has no dilation-aware reference.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
	registerWasmTrainingKernels,
	WASM_TRAINING_KERNELS,
	WASM_WRAPPED_KERNELS,
} from '../../src/engine/backend/wasmKernels';
import { convOptions } from '../../src/engine/backend/wasmKernels/conv';
import { seededInts, seededTensor } from '../../src/engine/backend/wasmKernels/layerZoo';

type Attrs = Record<string, unknown>;

/** Runs one kernel on a backend and returns its values (inputs are re-created there). */
async function runOn(
	backend: 'cpu' | 'wasm',
	name: string,
	inputs: Record<string, tf.Tensor>,
	attrs: Attrs,
): Promise<{ shape: number[]; values: Float32Array }> {
	await tf.setBackend(backend);
	const ins: Record<string, tf.Tensor> = {};
	for (const [k, t] of Object.entries(inputs)) {
		ins[k] = tf.tensor(t.dataSync(), t.shape, t.dtype);
	}
	const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
	const out = tf.engine().runKernel(name, ins as never, attrs as never) as tf.Tensor;
	const values = Float32Array.from(out.dataSync());
	const shape = out.shape;
	out.dispose();
	Object.values(ins).forEach((t) => t.dispose());
	const after = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
	assert.equal(
		after,
		before - Object.keys(ins).length,
		`${name} on ${backend} leaked ${after - before + Object.keys(ins).length} buffers`,
	);
	return { shape, values };
}

function assertClose(
	actual: ArrayLike<number>,
	expected: ArrayLike<number>,
	rtol: number,
	what: string,
): void {
	assert.equal(actual.length, expected.length, `${what}: length`);
	let scale = 1e-6;
	for (let i = 0; i < expected.length; i++) {
		scale = Math.max(scale, Math.abs(expected[i]));
	}
	for (let i = 0; i < expected.length; i++) {
		const d = Math.abs(actual[i] - expected[i]);
		if (d > rtol * scale + 1e-6) {
			assert.fail(
				`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (|diff| ${d}, scale ${scale})`,
			);
		}
	}
}

async function compareWithCpu(
	name: string,
	inputs: Record<string, tf.Tensor>,
	attrs: Attrs,
	what: string,
): Promise<void> {
	const cpu = await runOn('cpu', name, inputs, attrs);
	const wasm = await runOn('wasm', name, inputs, attrs);
	assert.deepEqual(wasm.shape, cpu.shape, `${what}: shape`);
	assertClose(wasm.values, cpu.values, 1e-4, what);
}

/**
 * Checks the gradient `g` of `loss` at `t` against central finite differences (step 1e-2,
 * tolerance 2e-2 relative to max(1, |difference|)), element by element.
 */
function assertFiniteDifferences(
	loss: (t: tf.Tensor) => tf.Scalar,
	t: tf.Tensor,
	g: ArrayLike<number>,
	what: string,
): void {
	const eps = 1e-2;
	const v = t.dataSync();
	for (let i = 0; i < v.length; i++) {
		const plus = Float32Array.from(v);
		const minus = Float32Array.from(v);
		plus[i] += eps;
		minus[i] -= eps;
		const fd =
			(loss(tf.tensor(plus, t.shape)).dataSync()[0] -
				loss(tf.tensor(minus, t.shape)).dataSync()[0]) /
			(2 * eps);
		assert.ok(
			Math.abs(fd - g[i]) <= 2e-2 * Math.max(1, Math.abs(fd)),
			`${what}[${i}] = ${g[i]}, finite difference ${fd}`,
		);
	}
}

function dot(a: tf.Tensor, b: tf.Tensor): number {
	return tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]);
}

interface ConvCase {
	x: [number, number, number, number];
	f: [number, number];
	cout: number;
	strides: number | [number, number];
	pad:
		| 'same'
		| 'valid'
		| number
		| [[number, number], [number, number], [number, number], [number, number]];
	dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const convCases: ConvCase[] = [
	{ x: [2, 7, 7, 3], f: [3, 3], cout: 4, strides: 1, pad: 'valid' },
	{ x: [3, 8, 6, 1], f: [3, 3], cout: 5, strides: 2, pad: 'same' },
	{ x: [2, 9, 9, 2], f: [2, 3], cout: 3, strides: [2, 1], pad: 'valid' },
	{ x: [1, 10, 11, 4], f: [5, 5], cout: 2, strides: 3, pad: 'same' },
	{ x: [2, 6, 6, 3], f: [1, 1], cout: 4, strides: 1, pad: 'valid' },
	{
		x: [2, 6, 7, 2],
		f: [3, 2],
		cout: 3,
		strides: 1,
		pad: [
			[0, 0],
			[1, 2],
			[0, 1],
			[0, 0],
		],
	},
	{ x: [2, 7, 7, 2], f: [3, 3], cout: 2, strides: 2, pad: 1, dimRoundingMode: 'ceil' },
	{ x: [4, 1, 12, 3], f: [1, 3], cout: 4, strides: [1, 2], pad: 'same' }, // Conv1D shape
	// ≥ 8 input channels, stride 1: the weight gradient as one convolution (filterGradViaConv).
	{ x: [2, 7, 7, 8], f: [3, 3], cout: 4, strides: 1, pad: 'valid' },
	{ x: [2, 6, 5, 9], f: [3, 2], cout: 3, strides: 1, pad: 'same' },
	{
		x: [1, 6, 7, 8],
		f: [3, 3],
		cout: 2,
		strides: 1,
		pad: [
			[0, 0],
			[1, 2],
			[0, 1],
			[0, 0],
		],
	},
	{ x: [3, 5, 6, 16], f: [1, 1], cout: 5, strides: 1, pad: 'valid' },
];

function convOutShape(c: ConvCase, dilations: number | [number, number] = 1): number[] {
	const info = tf.backend_util.computeConv2DInfo(
		c.x,
		[c.f[0], c.f[1], c.x[3], c.cout],
		c.strides,
		dilations,
		c.pad,
		c.dimRoundingMode,
	);
	return info.outShape;
}

before(async () => {
	await tf.setBackend('wasm');
	await tf.ready();
	registerWasmTrainingKernels(tf);
});

describe('registerWasmTrainingKernels', () => {
	it('registers the missing kernels once and reports them on every call', () => {
		const first = registerWasmTrainingKernels(tf);
		const second = registerWasmTrainingKernels(tf);
		assert.deepEqual(second, first);
		for (const k of [
			'Conv2DBackpropFilter',
			'DepthwiseConv2dNativeBackpropFilter',
			'DepthwiseConv2dNativeBackpropInput',
			'UnsortedSegmentSum',
			'Einsum',
		]) {
			assert.ok(first.includes(k), `${k} registered`);
			assert.ok(tf.getKernel(k, 'wasm'), `${k} present on wasm`);
		}
		assert.ok(
			first.every((k) => WASM_TRAINING_KERNELS.includes(k) || WASM_WRAPPED_KERNELS.includes(k)),
		);
		// Kernels wasm has natively are wrapped (speedups), never dropped: the original stays reachable.
		assert.ok(first.includes('Conv2DBackpropInput') && first.includes('BatchMatMul'));
		assert.ok(!first.includes('Conv2D'));
	});
});

describe('Conv2DBackpropFilter on wasm', () => {
	convCases.forEach((c, i) => {
		it(`matches cpu: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)}`, async () => {
			const x = seededTensor(tf, c.x, 100 + i);
			const dy = seededTensor(tf, convOutShape(c), 200 + i);
			const attrs = {
				strides: c.strides,
				pad: c.pad,
				dataFormat: 'NHWC',
				dimRoundingMode: c.dimRoundingMode,
				filterShape: [c.f[0], c.f[1], c.x[3], c.cout],
			};
			await compareWithCpu('Conv2DBackpropFilter', { x, dy }, attrs, `case ${i}`);
		});
	});

	it('matches cpu in NCHW and when the patch matrix is built in batch chunks', async () => {
		const x = seededTensor(tf, [3, 2, 7, 6], 7);
		const dy = seededTensor(tf, [3, 4, 4, 3], 8); // NCHW, 'same' with stride 2
		const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 4] };
		await compareWithCpu('Conv2DBackpropFilter', { x, dy }, attrs, 'NCHW');
		const saved = convOptions.maxPatchFloats;
		convOptions.maxPatchFloats = 100; // forces one batch element per chunk
		try {
			const x2 = seededTensor(tf, [5, 6, 6, 2], 9);
			const dy2 = seededTensor(tf, [5, 4, 4, 3], 10);
			await compareWithCpu(
				'Conv2DBackpropFilter',
				{ x: x2, dy: dy2 },
				{ strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] },
				'chunked',
			);
		} finally {
			convOptions.maxPatchFloats = saved;
		}
	});

	it('honours dilations (adjoint identity <dy, conv(x,w)> = <w, dW>)', async () => {
		await tf.setBackend('wasm');
		const x = seededTensor(tf, [2, 9, 9, 2], 31);
		const w = seededTensor(tf, [2, 3, 2, 3], 32);
		const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2);
		const dy = seededTensor(tf, y.shape, 33);
		const dW = tf
			.engine()
			.runKernel(
				'Conv2DBackpropFilter',
				{ x, dy } as never,
				{ strides: 1, pad: 'same', dilations: 2, filterShape: w.shape } as never,
			) as tf.Tensor;
		const lhs = dot(dy, y);
		const rhs = dot(w, dW);
		assert.ok(Math.abs(lhs - rhs) <= 1e-4 * Math.abs(lhs) + 1e-4, `<dy,y>=${lhs} vs <w,dW>=${rhs}`);
	});

	it('gives the finite-difference gradient of a tiny conv2d loss', async () => {
		await tf.setBackend('wasm');
		const x = seededTensor(tf, [2, 5, 4, 2], 41) as tf.Tensor4D;
		const w = seededTensor(tf, [3, 2, 2, 2], 42) as tf.Tensor4D;
		const r = seededTensor(tf, tf.conv2d(x, w, [2, 1], 'same').shape, 43);
		const loss = (wt: tf.Tensor): tf.Scalar =>
			tf.sum(tf.mul(tf.square(tf.conv2d(x, wt as tf.Tensor4D, [2, 1], 'same')), r));
		assertFiniteDifferences(loss, w, tf.grad(loss)(w).dataSync(), 'dW');
	});

	it('gives the finite-difference gradient when the weight gradient runs as a convolution', async () => {
		await tf.setBackend('wasm');
		// 8 input channels, stride 1, 'same': the filterGradViaConv path.
		const x = seededTensor(tf, [2, 5, 4, 8], 51) as tf.Tensor4D;
		const w = seededTensor(tf, [3, 3, 8, 2], 52) as tf.Tensor4D;
		const r = seededTensor(tf, tf.conv2d(x, w, 1, 'same').shape, 53);
		const loss = (wt: tf.Tensor): tf.Scalar =>
			tf.sum(tf.mul(tf.square(tf.conv2d(x, wt as tf.Tensor4D, 1, 'same')), r));
		assertFiniteDifferences(loss, w, tf.grad(loss)(w).dataSync(), 'dW');
	});
});

describe('Conv2DBackpropInput on wasm (XNNPACK conv path)', () => {
	convCases.forEach((c, i) => {
		it(`matches cpu: x ${c.x} filter ${c.f} strides ${c.strides} pad ${JSON.stringify(c.pad)}`, async () => {
			const filterShape = [c.f[0], c.f[1], c.x[3], c.cout];
			const w = seededTensor(tf, filterShape, 800 + i);
			const dy = seededTensor(tf, convOutShape(c), 900 + i);
			const attrs = {
				strides: c.strides,
				pad: c.pad,
				dataFormat: 'NHWC',
				dimRoundingMode: c.dimRoundingMode,
				inputShape: c.x,
			};
			await compareWithCpu('Conv2DBackpropInput', { dy, filter: w }, attrs, `case ${i}`);
		});
	});

	it('NCHW goes to the native kernel and still matches cpu', async () => {
		const w = seededTensor(tf, [3, 3, 2, 4], 11);
		const dy = seededTensor(tf, [3, 4, 4, 3], 12);
		await compareWithCpu(
			'Conv2DBackpropInput',
			{ dy, filter: w },
			{ strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [3, 2, 7, 6] },
			'NCHW',
		);
	});
});

describe('BatchMatMul with transposes on wasm (transpose + XNNPACK path)', () => {
	const cases: Array<{ a: number[]; b: number[]; tA: boolean; tB: boolean }> = [
		{ a: [7, 5], b: [7, 3], tA: true, tB: false },
		{ a: [5, 7], b: [3, 7], tA: false, tB: true },
		{ a: [7, 5], b: [3, 7], tA: true, tB: true },
		{ a: [2, 6, 4], b: [2, 6, 3], tA: true, tB: false },
		{ a: [1, 4, 6], b: [3, 5, 6], tA: false, tB: true },
		{ a: [5, 7], b: [7, 3], tA: false, tB: false },
		// Small a: a·bᵀ runs as (b·aᵀ)ᵀ (the Dense input gradient dy·Wᵀ); ragged 8×8 tiles.
		{ a: [3, 4], b: [20, 4], tA: false, tB: true },
		{ a: [2, 3, 4], b: [2, 20, 4], tA: false, tB: true },
		{ a: [10, 17], b: [40, 17], tA: false, tB: true },
		{ a: [19, 13], b: [19, 9], tA: true, tB: false },
	];
	cases.forEach((c, i) => {
		it(`matches cpu: a ${c.a}${c.tA ? 'ᵀ' : ''} · b ${c.b}${c.tB ? 'ᵀ' : ''}`, async () => {
			const a = seededTensor(tf, c.a, 1000 + i);
			const b = seededTensor(tf, c.b, 1100 + i);
			await compareWithCpu(
				'BatchMatMul',
				{ a, b },
				{ transposeA: c.tA, transposeB: c.tB },
				`case ${i}`,
			);
		});
	});
});

describe('MaxPoolGrad on wasm (one-pass path)', () => {
	const cases: Array<{
		x: [number, number, number, number];
		f: number | [number, number];
		s: number | [number, number];
		pad: 'same' | 'valid';
	}> = [
		{ x: [2, 8, 8, 3], f: 2, s: 2, pad: 'valid' },
		{ x: [2, 7, 9, 3], f: 2, s: 2, pad: 'valid' }, // odd sizes: the last row/column is not pooled
		{ x: [2, 7, 9, 3], f: 2, s: 2, pad: 'same' }, // odd sizes: the last windows are cut off
		{ x: [2, 7, 9, 2], f: 3, s: 2, pad: 'same' },
		{ x: [1, 6, 6, 4], f: [3, 2], s: 1, pad: 'valid' },
		{ x: [3, 5, 5, 1], f: 2, s: [1, 2], pad: 'same' },
	];
	cases.forEach((c, i) => {
		it(`matches cpu: x ${c.x} pool ${c.f} strides ${c.s} pad ${c.pad}`, async () => {
			// Rounded values make ties common, exercising the first-maximum rule.
			const x = tf.round(tf.mul(seededTensor(tf, c.x, 1200 + i), 3));
			await tf.setBackend('cpu');
			const y = tf.maxPool(tf.tensor(x.dataSync(), c.x) as tf.Tensor4D, c.f, c.s, c.pad);
			const dy = seededTensor(tf, y.shape, 1300 + i);
			await compareWithCpu(
				'MaxPoolGrad',
				{ dy, input: x, output: y },
				{ filterSize: c.f, strides: c.s, pad: c.pad },
				`case ${i}`,
			);
		});
	});
});

describe('Tile on wasm (block-copy path)', () => {
	const cases: Array<{ x: number[]; reps: number[]; dtype?: 'int32' | 'bool' }> = [
		{ x: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
		{ x: [2, 3], reps: [2, 3] },
		{ x: [3, 1, 2], reps: [1, 4, 1] },
		{ x: [4], reps: [3] },
		{ x: [2, 2], reps: [1, 1] },
		{ x: [2, 3, 2], reps: [2, 1, 3], dtype: 'int32' },
		{ x: [2, 3], reps: [3, 2], dtype: 'bool' },
		{ x: [2, 3], reps: [0, 2] },
	];
	cases.forEach((c, i) => {
		it(`matches cpu: x ${c.x} ${c.dtype ?? 'float32'} reps ${c.reps}`, async () => {
			let x = seededTensor(tf, c.x, 1400 + i);
			if (c.dtype === 'int32') {
				x = tf.round(tf.mul(x, 10)).toInt();
			} else if (c.dtype === 'bool') {
				x = tf.greater(x, 0);
			}
			await compareWithCpu('Tile', { x }, { reps: c.reps }, `case ${i}`);
		});
	});
});

describe('Sum and Mean over leading axes on wasm (one-pass path)', () => {
	const cases: Array<{ x: number[]; axis: number | number[] | null; keepDims: boolean }> = [
		{ x: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
		{ x: [4, 5, 6, 3], axis: [2, 0, 1], keepDims: true },
		{ x: [7, 3], axis: 0, keepDims: false },
		{ x: [3, 4, 5], axis: [-3], keepDims: true },
		{ x: [3, 4, 5], axis: [1, 2], keepDims: false },
		{ x: [3, 4], axis: [0, 1], keepDims: false },
		{ x: [3, 4, 2], axis: null, keepDims: false },
		// 25 rows: three blocks of eight rows and a tail of one.
		{ x: [5, 5, 3], axis: [0, 1], keepDims: false },
	];
	for (const name of ['Sum', 'Mean']) {
		cases.forEach((c, i) => {
			it(`${name} matches cpu: x ${c.x} axis ${JSON.stringify(c.axis)} keepDims ${c.keepDims}`, async () => {
				const x = seededTensor(tf, c.x, 1500 + i);
				await compareWithCpu(name, { x }, { axis: c.axis, keepDims: c.keepDims }, `case ${i}`);
			});
		});
	}
});

interface DwCase {
	x: [number, number, number, number];
	f: [number, number];
	m: number;
	strides: number;
	pad: 'same' | 'valid';
}

const dwCases: DwCase[] = [
	{ x: [2, 7, 7, 3], f: [3, 3], m: 1, strides: 1, pad: 'same' },
	{ x: [2, 8, 7, 2], f: [3, 3], m: 2, strides: 2, pad: 'same' },
	{ x: [1, 9, 9, 4], f: [2, 3], m: 3, strides: 1, pad: 'valid' },
	{ x: [3, 6, 6, 1], f: [5, 5], m: 2, strides: 3, pad: 'same' },
];

describe('DepthwiseConv2dNative gradients on wasm', () => {
	dwCases.forEach((c, i) => {
		it(`match cpu: x ${c.x} filter ${c.f} multiplier ${c.m} strides ${c.strides} pad ${c.pad}`, async () => {
			const filterShape = [c.f[0], c.f[1], c.x[3], c.m];
			const info = tf.backend_util.computeConv2DInfo(
				c.x,
				filterShape as [number, number, number, number],
				c.strides,
				1,
				c.pad,
				undefined,
				true,
			);
			const x = seededTensor(tf, c.x, 300 + i);
			const w = seededTensor(tf, filterShape, 400 + i);
			const dy = seededTensor(tf, info.outShape, 500 + i);
			const attrs = { strides: c.strides, pad: c.pad, dilations: 1 };
			await compareWithCpu(
				'DepthwiseConv2dNativeBackpropFilter',
				{ x, dy },
				{ ...attrs, filterShape },
				`filter case ${i}`,
			);
			await compareWithCpu(
				'DepthwiseConv2dNativeBackpropInput',
				{ dy, filter: w },
				{ ...attrs, inputShape: c.x },
				`input case ${i}`,
			);
		});
	});

	it('honour dilations (adjoint identity for both gradients)', async () => {
		await tf.setBackend('wasm');
		const x = seededTensor(tf, [2, 9, 8, 3], 51);
		const w = seededTensor(tf, [3, 2, 3, 2], 52);
		const y = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', [2, 3]);
		const dy = seededTensor(tf, y.shape, 53);
		const attrs = { strides: 1, pad: 'same', dilations: [2, 3] };
		const dW = tf
			.engine()
			.runKernel(
				'DepthwiseConv2dNativeBackpropFilter',
				{ x, dy } as never,
				{ ...attrs, filterShape: w.shape } as never,
			) as tf.Tensor;
		const dX = tf
			.engine()
			.runKernel(
				'DepthwiseConv2dNativeBackpropInput',
				{ dy, filter: w } as never,
				{ ...attrs, inputShape: x.shape } as never,
			) as tf.Tensor;
		const lhs = dot(dy, y);
		assert.ok(
			Math.abs(lhs - dot(w, dW)) <= 1e-4 * Math.abs(lhs) + 1e-4,
			`<dy,y>=${lhs} vs <w,dW>=${dot(w, dW)}`,
		);
		assert.ok(
			Math.abs(lhs - dot(x, dX)) <= 1e-4 * Math.abs(lhs) + 1e-4,
			`<dy,y>=${lhs} vs <x,dX>=${dot(x, dX)}`,
		);
	});

	it('give the finite-difference gradients of a tiny depthwise loss', async () => {
		await tf.setBackend('wasm');
		const x = seededTensor(tf, [1, 5, 5, 2], 61) as tf.Tensor4D;
		const w = seededTensor(tf, [3, 3, 2, 2], 62) as tf.Tensor4D;
		const r = seededTensor(tf, tf.depthwiseConv2d(x, w, 2, 'same').shape, 63);
		const loss = (xt: tf.Tensor, wt: tf.Tensor): tf.Scalar =>
			tf.sum(
				tf.mul(tf.square(tf.depthwiseConv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 2, 'same')), r),
			);
		const [gx, gw] = tf
			.grads(loss)([x, w])
			.map((t) => t.dataSync());
		assertFiniteDifferences((xt) => loss(xt, w), x, gx, 'grad 0');
		assertFiniteDifferences((wt) => loss(x, wt), w, gw, 'grad 1');
	});
});

describe('UnsortedSegmentSum on wasm', () => {
	const cases: Array<{ x: number[]; ids: number[]; n: number }> = [
		{ x: [12, 5], ids: [12], n: 7 },
		{ x: [10, 3, 2], ids: [10], n: 4 },
		{ x: [40, 16], ids: [40], n: 30 },
		{ x: [9], ids: [9], n: 3 },
	];
	cases.forEach((c, i) => {
		it(`matches cpu: x ${c.x} ids ${c.ids} numSegments ${c.n}`, async () => {
			const x = seededTensor(tf, c.x, 600 + i);
			// Ids go one past both ends: out-of-range ids are dropped by both backends.
			const segmentIds = tf.sub(seededInts(tf, c.ids, 700 + i, c.n + 2), 1).toInt();
			await compareWithCpu(
				'UnsortedSegmentSum',
				{ x, segmentIds },
				{ numSegments: c.n },
				`case ${i}`,
			);
		});
	});

	it('handles multi-dimensional segment ids (where the cpu kernel throws) like a plain loop', async () => {
		await tf.setBackend('wasm');
		const x = seededTensor(tf, [4, 6, 3], 91);
		const ids = seededInts(tf, [4, 6], 92, 5);
		const out = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 5).dataSync();
		const xv = x.dataSync();
		const iv = ids.dataSync();
		const ref = new Float32Array(15);
		for (let i = 0; i < 24; i++) {
			for (let d = 0; d < 3; d++) {
				ref[iv[i] * 3 + d] += xv[i * 3 + d];
			}
		}
		assertClose(out, ref, 1e-5, 'multi-dim ids');
	});

	it('gives the embedding (gather) gradient: repeated ids accumulate', async () => {
		await tf.setBackend('wasm');
		const table = seededTensor(tf, [6, 3], 71);
		const ids = tf.tensor1d([1, 4, 1, 1, 5], 'int32');
		const g = tf
			.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table)
			.arraySync() as number[][];
		assert.deepEqual(
			g.map((row) => row[0]),
			[0, 3, 0, 0, 1, 1],
		);
	});
});

describe('cpu-copy fallbacks on wasm', () => {
	it('Einsum matches cpu', async () => {
		const a = seededTensor(tf, [3, 4, 5], 81);
		const b = seededTensor(tf, [3, 5, 2], 82);
		await tf.setBackend('cpu');
		const cpu = tf
			.einsum('bij,bjk->bik', tf.tensor(a.dataSync(), a.shape), tf.tensor(b.dataSync(), b.shape))
			.dataSync();
		await tf.setBackend('wasm');
		const wasm = tf
			.einsum('bij,bjk->bik', tf.tensor(a.dataSync(), a.shape), tf.tensor(b.dataSync(), b.shape))
			.dataSync();
		assertClose(wasm, cpu, 1e-5, 'einsum');
	});
});
