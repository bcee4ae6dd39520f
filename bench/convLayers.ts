/**
 * The convolution layers of the range-test bench models that bench/wasmConv.bench.ts times one by
 * one on wasm (bench/wasmConvChild.ts) and in PyTorch (bench/torch_conv_layers.py): NHWC input
 * shape, output channels, 3×3 filter, padding.
 */
export interface ConvLayer {
	name: string;
	/** [N, H, W, Cin] */
	x: [number, number, number, number];
	cout: number;
	pad: 'valid' | 'same';
}

export const CONV_LAYERS: ConvLayer[] = [
	{
		name: 'MNIST-style conv2 (64×26×26×32 → 64, valid)',
		x: [64, 26, 26, 32],
		cout: 64,
		pad: 'valid',
	},
	{
		name: 'CIFAR-style conv2 (32×16×16×32 → 64, same)',
		x: [32, 16, 16, 32],
		cout: 64,
		pad: 'same',
	},
	{ name: 'CIFAR-style conv3 (32×8×8×64 → 128, same)', x: [32, 8, 8, 64], cout: 128, pad: 'same' },
];

/** Multiply-adds of one forward pass of `l` (3×3 filter). */
export function convMacs(l: ConvLayer): number {
	const [n, h, w, c] = l.x;
	const oh = l.pad === 'same' ? h : h - 2;
	const ow = l.pad === 'same' ? w : w - 2;
	return n * oh * ow * l.cout * c * 9;
}
