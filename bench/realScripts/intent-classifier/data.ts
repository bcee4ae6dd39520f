import * as tf from '@tensorflow/tfjs-node';

export const INTENTS = ['AddToPlaylist', 'BookRestaurant', 'GetWeather', 'PlayMusic', 'RateBook', 'SearchCreativeWork', 'SearchScreeningEvent'];

/** Unit-length 512-d vectors around one centre per intent, one-hot labels. */
export function embeddings(n: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
	let s = 17;
	const r = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
	const centres = INTENTS.map(() => Array.from({ length: 512 }, () => r() - 0.5));
	const x: number[][] = [];
	const y: number[] = [];
	for (let i = 0; i < n; i++) {
		const c = i % INTENTS.length;
		const v = centres[c].map((m) => m + 0.8 * (r() - 0.5));
		const norm = Math.hypot(...v);
		x.push(v.map((e) => e / norm));
		y.push(c);
	}
	return { xs: tf.tensor2d(x), ys: tf.oneHot(tf.tensor1d(y, 'int32'), INTENTS.length) as tf.Tensor2D };
}
