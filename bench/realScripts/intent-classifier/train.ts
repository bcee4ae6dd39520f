// Intent classification over 512-d sentence embeddings (the example embeds with the Universal
// Sentence Encoder, a download; here the embeddings are generated in the same shape).
import * as tf from '@tensorflow/tfjs-node';
import { INTENTS, embeddings } from './data';

async function train(): Promise<void> {
	const { xs, ys } = embeddings(1400);
	const model = tf.sequential();
	model.add(tf.layers.dense({ inputShape: [512], units: 64, activation: 'relu' }));
	model.add(tf.layers.dropout({ rate: 0.2 }));
	model.add(tf.layers.dense({ units: INTENTS.length, activation: 'softmax' }));
	model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
	await model.fit(xs, ys, { epochs: 20, batchSize: 32, validationSplit: 0.1, shuffle: true });
}

void train();
